import type { ConnectionState } from '../../../../shared/connection'
import { describeReason } from '../../../../shared/reason-text'
import { formatDuration } from '../charts/value-format'

/** A panel is stale when nothing new came for this many times its usual interval… */
export const STALE_INTERVALS = 3
/** …but never sooner than this: events arrive in batches (about 50 ms) and frames jitter. */
export const STALE_FLOOR_MS = 2000
/** A panel with no data at all waits this long after the wall opened before it calls itself stale. */
export const NO_DATA_GRACE_MS = 5000
/**
 * Quiet this long is stale even for a series too young (fewer than three points) to have a usual
 * interval.
 */
export const UNKNOWN_INTERVAL_STALE_MS = 60_000

/** What the wall says about a panel. Anything but `live` is shown big, in words and with stripes. */
export type PanelHealth =
  | { readonly kind: 'live' }
  | { readonly kind: 'waiting' }
  | { readonly kind: 'stale'; readonly detail: string }
  | { readonly kind: 'failed'; readonly reason: string }

/** One series of a panel as the health check sees it. */
export interface SeriesHealthInput {
  /** The series' label, to say which one is stale in a chart of several. */
  readonly label: string
  /** The feed's connection state, or undefined while it is not known yet. */
  readonly state: ConnectionState | undefined
  /** Whether the feed is enabled in the profile. */
  readonly enabled: boolean
  /** `receivedAt` of the newest point, engine clock. */
  readonly lastAt: number | undefined
  /** The usual time between points, when known. */
  readonly intervalMs: number | undefined
}

/**
 * The health of a panel from its series: `failed` when a feed failed, was closed or is disabled;
 * `stale` when a feed is not open (connecting, reconnecting), a series got nothing new for more
 * than {@link STALE_INTERVALS} times its usual interval (at least {@link STALE_FLOOR_MS}), or has no
 * data at all {@link NO_DATA_GRACE_MS} after the wall opened, or too few points for a usual interval
 * and nothing new for {@link UNKNOWN_INTERVAL_STALE_MS}; otherwise `live`. The worst series
 * wins.
 *
 * @param now - the engine's clock (event times are the engine's).
 * @param since - when the wall started showing the panel.
 */
export function panelHealth(
  series: readonly SeriesHealthInput[],
  now: number,
  since: number,
): PanelHealth {
  let stale: PanelHealth | undefined
  let waiting = false
  for (const input of series) {
    const { state } = input
    if (!input.enabled) return { kind: 'failed', reason: 'feed disabled' }
    // The reason in words ("Connection refused by … — is the server running?"), not Node's code.
    if (state?.state === 'failed' || state?.state === 'closed')
      return { kind: 'failed', reason: describeReason(state).sentence }
    if (state !== undefined && state.state !== 'open') {
      stale ??= {
        kind: 'stale',
        detail:
          state.state === 'reconnecting'
            ? `feed reconnecting (attempt ${state.attempt}): ${describeReason(state).sentence}`
            : `feed ${state.state}`,
      }
      continue
    }
    if (input.lastAt === undefined) {
      if (now - since < NO_DATA_GRACE_MS) waiting = true
      else stale ??= { kind: 'stale', detail: `no data yet for ${input.label}` }
      continue
    }
    const quiet = now - input.lastAt
    // With fewer than three points there is no usual interval to compare with: only a long silence
    // tells (a feed that sent two values and then nothing must not look live for ever).
    if (input.intervalMs === undefined) {
      if (quiet > UNKNOWN_INTERVAL_STALE_MS)
        stale ??= { kind: 'stale', detail: `no new data for ${formatDuration(quiet)}` }
      continue
    }
    if (quiet > Math.max(STALE_FLOOR_MS, STALE_INTERVALS * input.intervalMs)) {
      stale ??= {
        kind: 'stale',
        detail: `no new data for ${formatDuration(quiet)} (usually every ${formatDuration(input.intervalMs)})`,
      }
    }
  }
  if (stale !== undefined) return stale
  return waiting ? { kind: 'waiting' } : { kind: 'live' }
}
