import type { FeedEvent } from '../../../../shared/feed-event'

/**
 * Export formats of the event log. Both carry every field of an event, untouched: NDJSON as JSON
 * objects, CSV per RFC 4180 (every field quoted when it holds a quote, comma or line break, quotes
 * doubled, CRLF between records).
 */

/** One JSON object per line. */
export function eventsToNdjson(events: readonly FeedEvent[]): string {
  return events
    .map((event) =>
      JSON.stringify({
        seq: event.seq,
        receivedAt: new Date(event.receivedAt).toISOString(),
        event: event.event,
        id: event.id,
        data: event.data,
      }),
    )
    .map((line) => `${line}\n`)
    .join('')
}

/** A CSV field, quoted when it must be. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

/** A header row and one record per event. */
export function eventsToCsv(events: readonly FeedEvent[]): string {
  const rows = [['seq', 'receivedAt', 'event', 'id', 'data']]
  for (const event of events) {
    rows.push([
      String(event.seq),
      new Date(event.receivedAt).toISOString(),
      event.event,
      event.id,
      event.data,
    ])
  }
  return rows.map((row) => row.map(csvField).join(',') + '\r\n').join('')
}
