import type { SeriesBuffer } from './series-buffer'

/** How far back a tile's trend looks. */
export const TREND_LOOKBACK_MS = 60_000

/** Changes smaller than this share of the larger value read as flat, so noise is not a trend. */
const FLAT_SHARE = 0.01

/** Where a value went since a minute ago; `unknown` with less than a minute of history. */
export interface Trend {
  readonly direction: 'up' | 'down' | 'flat' | 'unknown'
  /** The value a minute before the latest one. */
  readonly previous?: number
  /** latest − previous */
  readonly change?: number
}

/**
 * The trend of the newest value against the value a minute before it. Time is the events' own
 * (`receivedAt`), so a feed that went quiet still compares the last value with a minute before it.
 */
export function trendOf(buffer: SeriesBuffer): Trend {
  const latest = buffer.latest
  if (latest === undefined) return { direction: 'unknown' }
  const before = buffer.pointAtOrBefore(latest.x - TREND_LOOKBACK_MS)
  if (before === undefined) return { direction: 'unknown' }
  const change = latest.y - before.y
  const scale = Math.max(Math.abs(latest.y), Math.abs(before.y))
  const direction = Math.abs(change) <= scale * FLAT_SHARE ? 'flat' : change > 0 ? 'up' : 'down'
  return { direction, previous: before.y, change }
}

/** The arrow that goes with a direction; words always go with it (not the arrow alone). */
export const TREND_ARROWS: Readonly<Record<Trend['direction'], string>> = {
  up: '▲',
  down: '▼',
  flat: '▶',
  unknown: '',
}
