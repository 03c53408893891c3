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
import { readPath, toNumber, type EventData } from '../../shared/field-path'
import type { FeedEvent } from '../../shared/feed-event'
import type {
  CompiledCondition,
  CompiledEventCount,
  CompiledFeedDown,
  CompiledNoData,
  CompiledRule,
  CompiledSampleWindow,
  CompiledTimeWindow,
} from './compiled-rule'
import type { Reading, Untested } from './condition'
import { FeedLiveness } from './feed-liveness'
import { TimeWindowBuffer } from './time-window'

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

/** The parsed data of the event being handled, parsed on first use (once for all rules). */
export type LazyEventData = () => EventData

/** What a tracker is given besides its rule. */
export interface TrackerContext {
  /** Told of every phase change. */
  readonly listener: (transition: Transition) => void
  /** Told of a value the rule could not judge (see `Untested`), with when it arrived. */
  readonly onProblem: (message: string, at: number) => void
  /** How long a connection must stay open to count as up without an event, in ms. */
  readonly stableMs: number
}

export abstract class RuleTracker {
  /** Current phase. */
  phase: Phase = 'normal'
  /** When the current phase began, epoch ms. */
  since = 0
  /** The value behind the current phase (see `AlertValue`). */
  lastValue: AlertValue = null
  /** The last value came from a time window over its sample cap (see TimeWindowBuffer). */
  truncated = false

  constructor(private readonly context: TrackerContext) {}

  /**
   * Starts tracking at `at`. `feed` is what the engine knows of the feed's liveness (only feed-down
   * rules use it).
   */
  begin(_at: number, _feed: FeedLiveness | undefined): void {}

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
    this.context.listener({ from, to, at })
  }

  protected report(message: string, at: number): void {
    this.context.onProblem(message, at)
  }
}

/**
 * The phases of a threshold: pending once a reading holds, firing once it has held for
 * `pendingMs`, normal again once a reading says it recovered (or, while pending, no longer holds).
 */
abstract class ThresholdTracker extends RuleTracker {
  constructor(
    private readonly pendingMs: number,
    context: TrackerContext,
  ) {
    super(context)
  }

  override advance(at: number): void {
    this.settlePending(at)
  }

  /** A pending period that ran out by `at` fires, at the moment it ran out. */
  protected settlePending(at: number): void {
    if (this.phase === 'pending' && at >= this.since + this.pendingMs)
      this.move('firing', this.since + this.pendingMs)
  }

  /** Moves on what a reading at `at` says. */
  protected apply(reading: Reading, at: number): void {
    switch (this.phase) {
      case 'normal':
        if (!reading.holds) return
        this.lastValue = reading.value
        this.move(this.pendingMs === 0 ? 'firing' : 'pending', at)
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

  /** The reading of a sample, or undefined after reporting one that could not be judged. */
  protected readable(reading: Reading | Untested | undefined, at: number): Reading | undefined {
    if (reading === undefined) return undefined
    if ('untested' in reading) {
      this.report(reading.untested, at)
      return undefined
    }
    return reading
  }
}

/** `condition` without a window: each sample is judged alone. */
class ConditionTracker extends ThresholdTracker {
  constructor(
    private readonly rule: CompiledCondition,
    context: TrackerContext,
  ) {
    super(rule.pendingMs, context)
  }

  override onEvent(event: FeedEvent, data: LazyEventData, at: number): void {
    const { source } = this.rule.rule
    if (source.event !== undefined && event.event !== source.event) return
    // Time first: a condition that held until now may have completed its pending period already.
    this.advance(at)
    const parsed = data()
    if (!parsed.ok) return
    const reading = this.readable(this.rule.condition.evaluate(parsed.value), at)
    if (reading) this.apply(reading, at)
  }
}

/**
 * `condition` over "N of the last M samples": holds while at least N of the last M samples meet the
 * condition, and resolves once fewer do. Its value is the newest sample's.
 */
class SampleWindowTracker extends ThresholdTracker {
  /** Whether each of the last `of` samples met the condition, as a ring. */
  private readonly outcomes: Uint8Array
  private next = 0
  private held = 0

  constructor(
    private readonly rule: CompiledCondition,
    private readonly window: CompiledSampleWindow,
    context: TrackerContext,
  ) {
    super(rule.pendingMs, context)
    this.outcomes = new Uint8Array(window.of)
  }

  override onEvent(event: FeedEvent, data: LazyEventData, at: number): void {
    const { source } = this.rule.rule
    if (source.event !== undefined && event.event !== source.event) return
    this.advance(at)
    const parsed = data()
    if (!parsed.ok) return
    const reading = this.readable(this.rule.condition.evaluate(parsed.value), at)
    if (!reading) return
    this.held += (reading.holds ? 1 : 0) - (this.outcomes[this.next] as number)
    this.outcomes[this.next] = reading.holds ? 1 : 0
    this.next = (this.next + 1) % this.window.of
    const holds = this.held >= this.window.count
    this.apply({ holds, recovered: !holds, value: reading.value }, at)
  }
}

/**
 * A reducer over a time window (`condition` with a time window, and `event-count`). The reduced value
 * changes only when a sample arrives, when one leaves the window, and (see `wholeWindowFirst`) when
 * the rule has watched a whole window; the tracker judges it at exactly those moments, so live
 * alerts and previews agree to the millisecond whatever the tick.
 */
class TimeWindowTracker extends ThresholdTracker {
  private readonly buffer: TimeWindowBuffer
  /** When the rule will have watched a whole window; see `wholeWindowFirst`. */
  private wholeAt = Infinity
  /** The latest moment judged, so the whole-window moment is judged once. */
  private judgedUntil = -Infinity

  constructor(
    private readonly window: CompiledTimeWindow,
    pendingMs: number,
    /** The sample an event gives, or undefined for none. */
    private readonly sample: (event: FeedEvent, data: LazyEventData) => number | undefined,
    context: TrackerContext,
  ) {
    super(pendingMs, context)
    this.buffer = new TimeWindowBuffer(window.windowMs, window.reducer)
  }

  override begin(at: number): void {
    this.wholeAt = this.window.wholeWindowFirst ? at + this.window.windowMs : at
  }

  override advance(at: number): void {
    for (;;) {
      const next = Math.min(
        this.buffer.nextExpiry(),
        this.wholeAt > this.judgedUntil ? this.wholeAt : Infinity,
      )
      if (next > at) break
      this.settlePending(next)
      this.buffer.expire(next)
      this.judgeAt(next)
    }
    this.settlePending(at)
  }

  override onEvent(event: FeedEvent, data: LazyEventData, at: number): void {
    this.advance(at)
    const value = this.sample(event, data)
    if (value === undefined) return
    this.buffer.add(at, value)
    this.judgeAt(at)
  }

  private judgeAt(at: number): void {
    this.judgedUntil = at
    if (at < this.wholeAt) return
    const reduction = this.buffer.reduce(at)
    if (!reduction) return
    this.truncated = reduction.truncated
    this.apply(this.window.judge(reduction.value), at)
  }
}

/**
 * `feed-down`: pending once the feed is down, firing once that has lasted `forSeconds`, resolved
 * when the feed is up again (see FeedLiveness for what counts).
 */
class FeedDownTracker extends RuleTracker {
  private readonly feed: FeedLiveness

  constructor(
    private readonly rule: CompiledFeedDown,
    context: TrackerContext,
  ) {
    super(context)
    this.feed = new FeedLiveness(context.stableMs)
  }

  override begin(at: number, feed: FeedLiveness | undefined): void {
    if (feed?.down) this.feed.copyFrom(feed)
    const { down } = this.feed
    if (down === null) return
    if (this.phase === 'normal') {
      this.lastValue = down.value
      this.move('pending', down.since)
    }
    this.advance(at)
  }

  override advance(at: number): void {
    const { down } = this.feed
    if (this.phase === 'pending' && down !== null) {
      const firesAt = down.since + this.rule.forMs
      if (firesAt <= at && firesAt < this.feed.upAt()) this.move('firing', firesAt)
    }
    const upAt = this.feed.settle(at)
    if (upAt !== undefined && this.phase !== 'normal') this.move('normal', upAt)
  }

  override onEvent(_event: FeedEvent, _data: LazyEventData, at: number): void {
    this.advance(at)
    if (this.feed.onEvent() && this.phase !== 'normal') this.move('normal', at)
  }

  override onFeedState(state: ConnectionState, at: number): void {
    this.advance(at)
    const wasDown = this.feed.down !== null
    this.feed.onState(state, at)
    const { down } = this.feed
    if (down !== null) {
      this.lastValue = down.value
      if (!wasDown && this.phase === 'normal') this.move('pending', at)
    }
    this.advance(at)
  }

  override restoreFiring(since: number, value: AlertValue): void {
    super.restoreFiring(since, value)
    if (this.feed.down === null)
      this.feed.down = { since: since - this.rule.forMs, value: String(value) }
  }
}

/**
 * `no-data`: firing when no event (of the rule's name, if it has one) arrived for `forSeconds`,
 * counted from the last such event or from when tracking began, whatever the connection did in
 * between (reconnects and stale aborts do not restart the clock); resolved by the next such event.
 * It has no pending phase: "no data yet" is the normal state between any two events.
 */
class NoDataTracker extends RuleTracker {
  private mark = 0

  constructor(
    private readonly rule: CompiledNoData,
    context: TrackerContext,
  ) {
    super(context)
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
}

/** The sample of a condition rule's field for its time window: numbers for value reducers, any value for counts. */
function fieldSample(
  rule: CompiledCondition,
): (event: FeedEvent, data: LazyEventData) => number | undefined {
  const { source } = rule.rule
  const reducer = rule.window?.kind === 'time' ? rule.window.reducer : undefined
  const counting = reducer === 'count' || reducer === 'rate'
  return (event, data) => {
    if (source.event !== undefined && event.event !== source.event) return undefined
    const parsed = data()
    if (!parsed.ok) return undefined
    const raw = readPath(parsed.value, rule.condition.path)
    if (raw === undefined) return undefined
    return counting ? 1 : toNumber(raw)
  }
}

/** The sample of an event-count rule: 1 for each event of its name. */
function eventSample(rule: CompiledEventCount): (event: FeedEvent) => number | undefined {
  const { event: name } = rule.rule
  return (event) => (name === undefined || event.event === name ? 1 : undefined)
}

/** The tracker for a compiled rule. Call `begin` before anything else. */
export function createTracker(rule: CompiledRule, context: TrackerContext): RuleTracker {
  switch (rule.kind) {
    case 'condition':
      if (rule.window?.kind === 'time')
        return new TimeWindowTracker(rule.window, rule.pendingMs, fieldSample(rule), context)
      if (rule.window?.kind === 'samples')
        return new SampleWindowTracker(rule, rule.window, context)
      return new ConditionTracker(rule, context)
    case 'event-count':
      return new TimeWindowTracker(rule.window, rule.pendingMs, eventSample(rule), context)
    case 'feed-down':
      return new FeedDownTracker(rule, context)
    case 'no-data':
      return new NoDataTracker(rule, context)
  }
}
