/**
 * How times and ages read in charts, tiles and on the wall. Values in their units are formatted by
 * `src/shared/units.ts`.
 */

const oneDecimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 })

/** `just now`, `4 s ago`, `3 min ago`, `2 h ago`. */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000))
  if (seconds < 2) return 'just now'
  if (seconds < 60) return `${seconds} s ago`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min ago`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return `${hours} h ago`
  return `${Math.floor(hours / 24)} days ago`
}

/** `0.5 s`, `12 s`, `3 min`: a duration for "usually every …". */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${oneDecimal.format(ms / 1000)} s`
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`
  return `${Math.round(ms / 60_000)} min`
}

const clockWithSeconds = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
})
const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })

/** A time of day for an axis tick or a tooltip: `14:03:20`, or `14:03` without seconds. */
export function formatClock(epochMs: number, seconds = true): string {
  return (seconds ? clockWithSeconds : clock).format(epochMs)
}
