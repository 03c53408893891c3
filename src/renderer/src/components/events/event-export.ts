import type { FeedEvent } from '../../../../shared/feed-event'

/**
 * Export formats of the event log. NDJSON carries every field of an event untouched, as JSON objects.
 * CSV follows RFC 4180 (a field quoted when it holds a quote, comma or line break, quotes doubled, CRLF
 * between records), and defuses formulas: event data is untrusted, and a spreadsheet would run a cell
 * such as `=HYPERLINK(…)`.
 */

/** What a spreadsheet takes for the start of a formula (OWASP's list for CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/

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

/** A CSV field, quoted when it must be; a leading formula character is escaped with an apostrophe. */
export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
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
