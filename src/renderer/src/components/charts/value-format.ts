/** How numbers, times and ages read in charts, tiles and on the wall. */

const formats = new Map<number, Intl.NumberFormat>()

function numberFormat(fractionDigits: number): Intl.NumberFormat {
  let format = formats.get(fractionDigits)
  if (format === undefined) {
    format = new Intl.NumberFormat(undefined, { maximumFractionDigits: fractionDigits })
    formats.set(fractionDigits, format)
  }
  return format
}

/**
 * A value with as many decimals as its size deserves: `1,234`, `45.6`, `0.43`, `0.0012`. Fractions
 * keep two significant digits, so a CPU share of 0.4312 reads `0.43`.
 */
export function formatValue(value: number): string {
  const size = Math.abs(value)
  if (size >= 100 || Number.isInteger(value)) return numberFormat(0).format(value)
  if (size >= 10) return numberFormat(1).format(value)
  if (size >= 1 || size === 0) return numberFormat(2).format(value)
  // 0.0012 → 4 decimals: two significant digits below 1.
  return numberFormat(Math.min(8, 1 - Math.floor(Math.log10(size)))).format(value)
}

/**
 * An axis tick: as many decimals as the distance between ticks needs, so neighbouring ticks never
 * read the same (`0.495`, `0.5`, `0.505`).
 */
export function formatTick(value: number, step: number): string {
  const decimals = step > 0 ? Math.max(0, Math.min(8, -Math.floor(Math.log10(step) + 1e-9))) : 2
  return numberFormat(decimals).format(value)
}

/** `0.43`, or `45 ms` with a unit. */
export function formatWithUnit(value: number, unit: string): string {
  return unit === '' ? formatValue(value) : `${formatValue(value)} ${unit}`
}

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
  if (ms < 10_000) return `${numberFormat(1).format(ms / 1000)} s`
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
