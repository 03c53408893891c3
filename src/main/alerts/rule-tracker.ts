/**
 * The state machine of one rule, in the style of Grafana's: normal, pending, firing. Time is always
 * passed in, never read, so the same trackers run live (the engine passes its clock) and over
 * buffered events (the preview passes each event's `receivedAt`).
 *
 * A tracker says when things happen through its listener. A firing transition carries the exact
 * moment the rule's period ran out (`pendingSince + pendingMs`), not the moment it was noticed, so
 * live alerts and previews agree whatever the tick interval.
 */
import type { AlertValue } from '../../shared/alerts'
import type { ConnectionState } from '../../shared/connection'
import type { EventData } from '../../shared/field-path'
import type { FeedEvent } from '../../shared/feed-event'
import type {
  CompiledCondition,
  CompiledFeedDown,
  CompiledNoData,
  CompiledRule,
} from './compiled-rule'

/** Where a rule is. `normal` has no alert; `pending` and `firing` have one. */
export type Phase = 'normal' | 'pending' | 'firing'

/**
 * A change of phase at `at` (epoch ms). `firing` to `normal` is a resolve; `pending` to `normal` is a
 * condition that cleared before its period ran out and is never shown.
 */
export interface Transition {
  readonly from: Phase
  readonly to: Phase
  readonly at: number
}

/** A feed that is down: since when (epoch ms), and its state as an alert shows it. */
export interface FeedDown {
  readonly since: number
  readonly value: string
}

/** The parsed data of the event being handled, parsed on first use (once for all rules). */
export type LazyEventData = () => EventData

export abstract class RuleTracker {
  /** Current phase. */
  phase: Phase = 'normal'
  /** When the current phase began, epoch ms. */
  since = 0
  /** The value behind the current phase (see `AlertValue`). */
  lastValue: AlertValue = null

  constructor(private readonly listener: (transition: Transition) => void) {}

  /**
   * Starts tracking at `at`. `feedDown` says since when and how the feed is down, if it is down now
   * (only feed-down rules use it).
   */
  begin(_at: number, _feedDown: FeedDown | null): void {}

  /** Time passes: a pending period or a silence period may run out. */
  abstract advance(at: number): void

  /** An event arrives on the rule's feed. */
  onEvent(_event: FeedEvent, _data: LazyEventData, at: number): void {
    this.advance(at)
  }

  /** The rule's feed reports a state. */
  onFeedState(_state: ConnectionState, at: number): void {
    this.advance(at)
  }

  /** Puts the rule back in a firing phase saved before a restart. */
  restoreFiring(since: number, value: AlertValue): void {
    this.phase = 'firing'
    this.since = since
    this.lastValue = value
  }

  protected move(to: Phase, at: number): void {
    const from = this.phase
    this.phase = to
    this.since = at
    this.listener({ from, to, at })
  }
}

/** `condition`: pending once the condition holds, firing once it has held for `pendingSeconds`. */
class ConditionTracker extends RuleTracker {
  constructor(
    private readonly rule: CompiledCondition,
    listener: (transition: Transition) => void,
  ) {
    super(listener)
  }

  override advance(at: number): void {
    if (this.phase === 'pending' && at >= this.since + this.rule.pendingMs)
      this.move('firing', this.since + this.rule.pendingMs)
  }

  override onEvent(event: FeedEvent, data: LazyEventData, at: number): void {
    const { source } = this.rule.rule
    if (source.event !== undefined && event.event !== source.event) return
    // Time first: a condition that held until now may have completed its pending period already.
    this.advance(at)
    const parsed = data()
    if (!parsed.ok) return
    const reading = this.rule.condition.evaluate(parsed.value)
    if (!reading) return
    switch (this.phase) {
      case 'normal':
        if (!reading.holds) return
        this.lastValue = reading.value
        this.move(this.rule.pendingMs === 0 ? 'firing' : 'pending', at)
        return
      case 'pending':
        this.lastValue = reading.value
        if (!reading.holds) this.move('normal', at)
        return
      case 'firing':
        this.lastValue = reading.value
        if (reading.recovered) this.move('normal', at)
        return
    }
  }
}

/**
 * How a state that counts as down (failed, reconnecting) reads in an alert: `"reconnecting: stream
 * ended"`; undefined for every other state.
 */
export function feedDownValue(state: ConnectionState): string | undefined {
  return state.state === 'failed' || state.state === 'reconnecting'
    ? `${state.state}: ${state.reason}`
    : undefined
}

/**
 * `feed-down`: pending while the feed is failed or reconnecting, firing once that has lasted
 * `forSeconds`, resolved when it is open again, or closed or idle (no longer watched). `connecting`
 * changes nothing: between two `reconnecting` states the feed is still down.
 */
class FeedDownTracker extends RuleTracker {
  private downSince: number | null = null

  constructor(
    private readonly rule: CompiledFeedDown,
    listener: (transition: Transition) => void,
  ) {
    super(listener)
  }

  override begin(at: number, feedDown: FeedDown | null): void {
    if (feedDown === null) return
    this.lastValue = feedDown.value
    this.goDown(feedDown.since, at)
  }

  override advance(at: number): void {
    if (
      this.phase === 'pending' &&
      this.downSince !== null &&
      at >= this.downSince + this.rule.forMs
    )
      this.move('firing', this.downSince + this.rule.forMs)
  }

  override onFeedState(state: ConnectionState, at: number): void {
    const down = feedDownValue(state)
    if (down !== undefined) {
      this.lastValue = down
      if (this.downSince === null) this.goDown(at, at)
    } else if (state.state !== 'connecting') {
      this.downSince = null
      if (this.phase !== 'normal') this.move('normal', at)
    }
    this.advance(at)
  }

  override restoreFiring(since: number, value: AlertValue): void {
    super.restoreFiring(since, value)
    this.downSince = since - this.rule.forMs
  }

  private goDown(since: number, at: number): void {
    this.downSince = since
    if (this.phase === 'normal') this.move('pending', since)
    this.advance(at)
  }
}

/**
 * `no-data`: firing when no event (of the rule's name, if it has one) arrived for `forSeconds`,
 * counted from the last such event, from when the feed last opened, or from when tracking began;
 * resolved by the next such event. It has no pending phase: "no data yet" is the normal state
 * between any two events.
 */
class NoDataTracker extends RuleTracker {
  private mark = 0

  constructor(
    private readonly rule: CompiledNoData,
    listener: (transition: Transition) => void,
  ) {
    super(listener)
  }

  override begin(at: number): void {
    this.mark = at
  }

  override advance(at: number): void {
    if (this.phase === 'normal' && at >= this.mark + this.rule.forMs) {
      this.lastValue = null
      this.move('firing', this.mark + this.rule.forMs)
    }
  }

  override onEvent(event: FeedEvent, _data: LazyEventData, at: number): void {
    // Time first: the gap before this event may have been long enough to fire.
    this.advance(at)
    const { event: name } = this.rule.rule
    if (name !== undefined && event.event !== name) return
    this.mark = at
    if (this.phase === 'firing') this.move('normal', at)
  }

  override onFeedState(state: ConnectionState, at: number): void {
    this.advance(at)
    if (state.state === 'open' && this.phase === 'normal') this.mark = at
  }
}

/** The tracker for a compiled rule. Call `begin` before anything else. */
export function createTracker(
  rule: CompiledRule,
  listener: (transition: Transition) => void,
): RuleTracker {
  switch (rule.kind) {
    case 'condition':
      return new ConditionTracker(rule, listener)
    case 'feed-down':
      return new FeedDownTracker(rule, listener)
    case 'no-data':
      return new NoDataTracker(rule, listener)
  }
}
