/**
 * The demo feed's memory: every event it sent, numbered, in SSE wire format, so a client that
 * reconnects with `Last-Event-ID` can be sent exactly what it missed. Bounded: only the newest
 * `capacity` events are kept.
 */

/** One event as the demo feed sent it. */
export interface LoggedEvent {
  /** 1 for the first event of this log, then one more for each. */
  readonly id: number
  /** The event as an SSE block (`id:`, `event:`, `data:` lines and the blank line that ends it). */
  readonly wire: string
}

/** What a client resuming after an event id is sent. */
export type Replay =
  /** Exactly the events after the id, possibly none. */
  | { readonly kind: 'complete'; readonly events: readonly LoggedEvent[] }
  /** The id is older than anything kept: `missing` events are gone, `events` is all that is left. */
  | { readonly kind: 'gap'; readonly events: readonly LoggedEvent[]; readonly missing: number }
  /** The id is ahead of this log (it came from an earlier run of the server): nothing to send. */
  | { readonly kind: 'unknown' }

export interface EventLog {
  /** Numbers, formats and keeps an event; drops the oldest once more than `capacity` are kept. */
  append(event: string, data: string): LoggedEvent
  /** The events after `lastId`, the id a client last received. */
  since(lastId: number): Replay
  /** Id of the newest event, 0 before the first. */
  readonly latestId: number
}

/** Creates an empty log that keeps the newest `capacity` events. */
export function createEventLog(capacity: number): EventLog {
  if (!Number.isSafeInteger(capacity) || capacity < 1) {
    throw new RangeError(`event log capacity must be a whole number of at least 1, got ${capacity}`)
  }
  // Ids are consecutive, so the id of entries[i] is entries[0].id + i.
  const entries: LoggedEvent[] = []
  let latestId = 0

  return {
    append(event, data) {
      latestId += 1
      const entry = { id: latestId, wire: formatEvent(latestId, event, data) }
      entries.push(entry)
      if (entries.length > capacity) entries.shift()
      return entry
    },
    since(lastId) {
      if (lastId > latestId) return { kind: 'unknown' }
      const oldestId = entries[0]?.id ?? latestId + 1
      if (lastId < oldestId - 1) {
        return { kind: 'gap', events: entries.slice(), missing: oldestId - 1 - lastId }
      }
      return { kind: 'complete', events: entries.slice(lastId - oldestId + 1) }
    },
    get latestId() {
      return latestId
    },
  }
}

/**
 * One SSE block. A line break inside `data` would end the field early, so each line becomes its own
 * `data:` field; the client joins them with "\n" again (WHATWG HTML, "Server-sent events",
 * https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation).
 */
function formatEvent(id: number, event: string, data: string): string {
  const dataLines = data
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}\n`)
    .join('')
  return `id: ${id}\nevent: ${event}\n${dataLines}\n`
}
