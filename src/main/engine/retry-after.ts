/** Longest `Retry-After` we honour: a typo or a hostile server must not park a feed for days. */
export const MAX_RETRY_AFTER_MS = 60 * 60 * 1000

/**
 * Reads a `Retry-After` header (delay-seconds or an HTTP date) as milliseconds from `now`, capped at
 * {@link MAX_RETRY_AFTER_MS}. Returns undefined when the header is absent or unreadable.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined
  const text = value.trim()
  let ms: number
  if (/^\d+$/.test(text)) ms = Number(text) * 1000
  else {
    // Every HTTP-date form names its month; this keeps Date.parse from reading "-5" as a year.
    const date = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN
    if (Number.isNaN(date)) return undefined
    ms = Math.max(0, date - now)
  }
  return Math.min(ms, MAX_RETRY_AFTER_MS)
}
