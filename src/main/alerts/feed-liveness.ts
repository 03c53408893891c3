/**
 * Whether a feed is down, as feed-down rules see it. A feed goes down when its connection is failed
 * or reconnecting, and is up again only when a connection proves itself: it delivers an event, or it
 * stays open for the stable period. A reconnect that opens and is dropped again (a server or proxy
 * that ends idle streams, a stale abort), `connecting`, and `closed` or `idle` (a disconnect, which
 * "Retry now" passes through on its way to reconnecting) neither end a down period nor start one.
 */
import type { ConnectionState } from '../../shared/connection'
import { describeReason } from '../../shared/reason-text'

/**
 * How long a connection must stay open to count as up without an event, in ms. Longer than the
 * default stale timeout (45 s), so a silent server whose streams are aborted as stale never counts as
 * up, while one that sends keepalive comments does.
 */
export const DEFAULT_STABLE_CONNECTION_MS = 60_000

/** A feed that is down: since when (epoch ms), and its state as an alert shows it. */
export interface FeedDown {
  readonly since: number
  readonly value: string
}

/**
 * How a state that counts as down (failed, reconnecting) reads in an alert, the reason in words:
 * `"reconnecting: the server ended the stream"`, never a bare Node code; undefined for every other
 * state.
 */
export function feedDownValue(state: ConnectionState): string | undefined {
  if (state.state !== 'failed' && state.state !== 'reconnecting') return undefined
  const sentence = describeReason(state).sentence.replace(/\.$/, '')
  return `${state.state}: ${sentence.charAt(0).toLowerCase()}${sentence.slice(1)}`
}

/** One feed's down period, if any, and the open connection that may end it. */
export class FeedLiveness {
  /** The current down period; null while the feed is up. */
  down: FeedDown | null = null
  /** When the connection that may end the down period opened, epoch ms; null when none is open. */
  private openSince: number | null = null

  constructor(private readonly stableMs: number) {}

  /** Takes what `other` knows, for a rule that starts watching a feed whose history it did not see. */
  copyFrom(other: FeedLiveness): void {
    this.down = other.down
    this.openSince = other.openSince
  }

  /** When the open connection will have been stable long enough to end the down period; Infinity if never. */
  upAt(): number {
    return this.down !== null && this.openSince !== null ? this.openSince + this.stableMs : Infinity
  }

  /** A state of the feed's connection, entered at `at`. */
  onState(state: ConnectionState, at: number): void {
    const down = feedDownValue(state)
    if (down !== undefined) {
      this.down = { since: this.down?.since ?? at, value: down }
      this.openSince = null
    } else {
      this.openSince = state.state === 'open' ? at : null
    }
  }

  /** An event at `at`: a down feed whose connection delivers data is up. True when that ended a down period. */
  onEvent(): boolean {
    if (this.down === null) return false
    this.down = null
    this.openSince = null
    return true
  }

  /** Time passes: a connection open for the stable period ends the down period. Returns when it ended, if it did. */
  settle(at: number): number | undefined {
    const upAt = this.upAt()
    if (at < upAt) return undefined
    this.down = null
    this.openSince = null
    return upAt
  }
}
