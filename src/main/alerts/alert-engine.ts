/**
 * The alert engine: rules in, notices out, modelled on Grafana alerting.
 *
 * - Each rule has at most one active alert (dedupe), `pending` while its condition holds but not yet
 *   for the rule's period, `firing` after. A condition is evaluated when a value arrives and, by time,
 *   on an internal timer, so a condition that holds with no new events still fires on time.
 * - Notices: `firing` once, `repeat` every `repeatIntervalSeconds` while firing (0: never), `resolved`
 *   when it clears or its rule is changed or removed (the notice says which), but only if the person
 *   was told it fired.
 * - Rules may judge a reduced value over a time window or N of the last M samples, and count events
 *   (see rule-tracker); no-data and feed-down follow the feed across reconnects (see FeedLiveness).
 * - Acknowledging a firing alert stops its repeats until it resolves; the resolved notice still goes.
 * - Silencing a rule until a time sends no notices for it; its state is still tracked and recorded.
 *   When the silence ends and the alert still fires, it sends its firing notice if it had none, or
 *   goes on repeating at the next interval; missed repeats are never sent in a burst.
 * - The history of fired, resolved, acknowledged, silenced and unsilenced is bounded and counts what
 *   it dropped.
 *
 * Pure: no Electron, no I/O. The clock and the notifier are passed in; the only timer is the tick.
 */
import type {
  ActiveAlert,
  AlertEngineState,
  AlertHistory,
  AlertHistoryEntry,
  AlertNotice,
  AlertPreview,
  PersistedAlert,
  ResolveReason,
} from '../../shared/alerts'
import { ALERT_STATE_VERSION, alertEngineStateSchema } from '../../shared/alerts'
import type { ConnectionState } from '../../shared/connection'
import { parseEventData, type EventData } from '../../shared/field-path'
import type { FeedEvent } from '../../shared/feed-event'
import type { FieldFormat } from '../../shared/field-unit'
import type { AlertRule, FieldSource } from '../../shared/profile'
import { describeIssues } from '../../shared/validation'
import { AlertHistoryLog } from './alert-history'
import { InvalidAlertStateError } from './alert-rule-error'
import { compileRules, legacyRuleFingerprint, type CompiledRule } from './compiled-rule'
import { DEFAULT_STABLE_CONNECTION_MS, FeedLiveness } from './feed-liveness'
import { endedText, noticeText } from './notice-text'
import { previewRule } from './preview'
import { createTracker, type RuleTracker, type Transition } from './rule-tracker'

export { AlertRuleError, InvalidAlertStateError, type RuleProblem } from './alert-rule-error'

/** Receives notices; an OS notification in the app, a line on stderr in a CLI. Called synchronously. */
export interface Notifier {
  notify(notice: AlertNotice): void
}

/** What the engine needs. Only the notifier is required; the rest default to the real thing. */
export interface AlertEngineOptions {
  readonly notifier: Notifier
  /**
   * The clock, epoch ms.
   * @defaultValue `Date.now`
   */
  readonly now?: () => number
  /**
   * How often time-based conditions are checked (pending periods, feed-down, no-data, repeats,
   * silences ending), in ms. Firing times are exact whatever the tick; only notices wait for it.
   * @defaultValue `250`
   */
  readonly tickMs?: number
  /**
   * History entries kept; older ones are dropped and counted.
   * @defaultValue `500`
   */
  readonly historyLimit?: number
  /**
   * A feed's name for notices ("prod-api is down"); the id is used when it returns undefined.
   * @defaultValue the feed's id
   */
  readonly feedName?: (feedId: string) => string | undefined
  /**
   * The unit a field's values read in ("cpu is 95 % (> 90 %)" rather than "0.95 (> 0.9)"): the
   * profile's panels that show the field have it; numbers stay plain when it returns undefined.
   * @defaultValue no unit
   */
  readonly fieldFormat?: (source: FieldSource) => FieldFormat | undefined
  /**
   * Called when the notifier throws; the engine goes on either way.
   * @defaultValue logs with `console.error`
   */
  readonly onNotifierError?: (error: unknown, notice: AlertNotice) => void
  /**
   * Called when what {@link AlertEngine.active} returns changed in more than its values: an alert
   * appeared, changed state, resolved or was dropped, or was acknowledged, silenced or unsilenced.
   * Many of these send no notice (pending, firing while silenced), so a UI needs this to stay
   * current. Called at most once per engine call or tick, after the change is complete.
   */
  readonly onActiveChange?: () => void
  /**
   * How long a feed's connection must stay open, without an event, before a feed-down alert
   * resolves (see FeedLiveness).
   * @defaultValue `60000`
   */
  readonly stableConnectionMs?: number
  /**
   * Called when a rule could not judge a value (a `matches` value over its length limit), at most
   * once a minute per rule.
   * @defaultValue logs with `console.error`
   */
  readonly onRuleProblem?: (ruleId: string, message: string) => void
}

/** Default of {@link AlertEngineOptions.tickMs}. */
export const DEFAULT_TICK_MS = 250
/** Default of {@link AlertEngineOptions.historyLimit}. */
export const DEFAULT_HISTORY_LIMIT = 500
/** Silences kept at most; a restored state with more keeps those that end last. */
const MAX_SILENCES = 10_000
/** A rule's problems are reported at most this often, so a feed full of bad values cannot flood a log. */
const PROBLEM_REPORT_INTERVAL_MS = 60_000

/** What the engine adds to a tracker's pending or firing phase. */
interface AlertInstance {
  readonly id: string
  acknowledged: boolean
  /** Whether the firing notice went out (false while it fires silenced). */
  notified: boolean
  /** When the next repeat notice is due, epoch ms; null when the rule does not repeat. */
  nextRepeatAt: number | null
}

/** One enabled rule and everything the engine knows about it. */
interface TrackedRule {
  compiled: CompiledRule
  readonly tracker: RuleTracker
  alert: AlertInstance | undefined
  /** When a problem of this rule was last reported, epoch ms. */
  problemReportedAt: number
}

export class AlertEngine {
  private readonly notifier: Notifier
  private readonly now: () => number
  private readonly feedName: (feedId: string) => string | undefined
  private readonly fieldFormat: (source: FieldSource) => FieldFormat | undefined
  private readonly onNotifierError: (error: unknown, notice: AlertNotice) => void
  private readonly onActiveChange: () => void
  private readonly historyLimit: number
  private readonly stableConnectionMs: number
  private readonly onRuleProblem: (ruleId: string, message: string) => void
  private log: AlertHistoryLog
  private readonly timer: NodeJS.Timeout

  /** Enabled rules by id, in the order given. */
  private tracked = new Map<string, TrackedRule>()
  /** The same rules by feed id, so an event only reaches the rules of its feed. */
  private byFeed = new Map<string, TrackedRule[]>()
  /** Rule id to the end of its silence, epoch ms. */
  private readonly silences = new Map<string, number>()
  /** Feeds that are down now (see FeedLiveness), so a rule set later starts from what they are. */
  private readonly feedsDown = new Map<string, FeedLiveness>()
  /** Firing alerts restored by importState, waiting for setRules to say whether their rules still exist. */
  private restored: PersistedAlert[] = []
  private rulesSet = false
  private alertCount = 0
  private disposed = false
  /** Set when active alerts changed during the current call; reported once at its end. */
  private activeChanged = false

  constructor(options: AlertEngineOptions) {
    const { tickMs = DEFAULT_TICK_MS, historyLimit = DEFAULT_HISTORY_LIMIT } = options
    if (!Number.isFinite(tickMs) || tickMs <= 0)
      throw new RangeError('tickMs must be a positive number')
    if (!Number.isInteger(historyLimit) || historyLimit < 0)
      throw new RangeError('historyLimit must be a whole number, 0 or more')
    this.notifier = options.notifier
    this.now = options.now ?? Date.now
    this.feedName = options.feedName ?? (() => undefined)
    this.fieldFormat = options.fieldFormat ?? (() => undefined)
    this.onNotifierError =
      options.onNotifierError ??
      ((error, notice) => console.error(`alert notifier failed on "${notice.title}":`, error))
    this.onActiveChange = options.onActiveChange ?? (() => undefined)
    this.historyLimit = historyLimit
    this.stableConnectionMs = options.stableConnectionMs ?? DEFAULT_STABLE_CONNECTION_MS
    this.onRuleProblem =
      options.onRuleProblem ??
      ((ruleId, message) => console.error(`alert rule "${ruleId}": ${message}`))
    this.log = new AlertHistoryLog(historyLimit)
    this.timer = setInterval(() => this.tick(), tickMs)
    // A CLI or headless server must be able to exit while an engine exists.
    this.timer.unref()
  }

  /**
   * Replaces the rules. A rule with the same id and the same definition (everything but its name,
   * severity, repeat interval and contact points) keeps its state and alert; a changed rule starts over and a removed or disabled one loses its
   * alert: a firing one resolves, with a resolved notice saying why ("rule changed", "rule
   * removed") if its firing notice went out. Throws `AlertRuleError`, changing nothing, when
   * any rule cannot be evaluated (an invalid regex, a malformed path, duplicate ids).
   */
  setRules(rules: readonly AlertRule[]): void {
    if (this.disposed) return
    const compiled = compileRules(rules)
    this.reporting(() => this.applyRules(compiled))
  }

  private applyRules(compiled: readonly CompiledRule[]): void {
    const now = this.now()
    const next = new Map<string, TrackedRule>()
    const started: TrackedRule[] = []
    for (const rule of compiled) {
      if (!rule.rule.enabled) continue
      const old = this.tracked.get(rule.rule.id)
      if (old && old.compiled.fingerprint === rule.fingerprint) {
        const repeatChanged = old.compiled.repeatMs !== rule.repeatMs
        old.compiled = rule
        if (repeatChanged) this.reschedule(old, now)
        next.set(rule.rule.id, old)
        continue
      }
      if (old) this.drop(old, 'rule-changed', now)
      const entry = this.track(rule)
      next.set(rule.rule.id, entry)
      started.push(entry)
    }
    for (const [id, old] of this.tracked) if (!next.has(id)) this.drop(old, 'rule-removed', now)
    this.tracked = next
    this.byFeed = new Map()
    for (const entry of next.values()) {
      const list = this.byFeed.get(entry.compiled.feedId)
      if (list) list.push(entry)
      else this.byFeed.set(entry.compiled.feedId, [entry])
    }
    this.rulesSet = true
    // Restored alerts first, so a rule that was firing before a restart does not fire anew.
    this.adoptRestored(now)
    for (const entry of started) entry.tracker.begin(now, this.feedsDown.get(entry.compiled.feedId))
  }

  /**
   * An event from a feed. Its data is parsed at most once, and only if a condition rule of that feed
   * (and event name) looks at it.
   */
  handleEvent(feedId: string, event: FeedEvent): void {
    if (this.disposed) return
    if (this.feedsDown.get(feedId)?.onEvent()) this.feedsDown.delete(feedId)
    const rules = this.byFeed.get(feedId)
    if (!rules) return
    const now = this.now()
    let parsed: EventData | undefined
    const data = (): EventData => (parsed ??= parseEventData(event.data))
    this.reporting(() => {
      for (const entry of rules) entry.tracker.onEvent(event, data, now)
    })
  }

  /** A state of a feed's connection: what feed-down rules watch (see FeedLiveness). */
  handleFeedState(feedId: string, state: ConnectionState): void {
    if (this.disposed) return
    const now = this.now()
    const feed = this.feedsDown.get(feedId) ?? new FeedLiveness(this.stableConnectionMs)
    feed.settle(now)
    feed.onState(state, now)
    if (feed.down === null) this.feedsDown.delete(feedId)
    else this.feedsDown.set(feedId, feed)
    this.reporting(() => {
      for (const entry of this.byFeed.get(feedId) ?? []) entry.tracker.onFeedState(state, now)
    })
  }

  /**
   * Acknowledges a firing alert: no more repeats until it resolves (the resolved notice still goes).
   * False when no firing alert has this id.
   */
  acknowledge(alertId: string): boolean {
    if (this.disposed) return false
    for (const entry of this.tracked.values()) {
      const { alert } = entry
      if (alert?.id !== alertId || entry.tracker.phase !== 'firing') continue
      if (!alert.acknowledged) {
        alert.acknowledged = true
        this.record(entry.compiled, { kind: 'acknowledged', alertId, at: this.now() })
        this.reportActiveChange()
      }
      return true
    }
    return false
  }

  /**
   * Silences a rule until `untilEpochMs`: no notices, state still tracked. Replaces an earlier
   * silence of the rule. False when no enabled rule has this id; a RangeError when the time is not
   * in the future.
   */
  silence(ruleId: string, untilEpochMs: number): boolean {
    if (this.disposed) return false
    const entry = this.tracked.get(ruleId)
    if (!entry) return false
    const now = this.now()
    if (!Number.isFinite(untilEpochMs) || untilEpochMs <= now)
      throw new RangeError('a silence must end in the future')
    this.silences.set(ruleId, untilEpochMs)
    this.record(entry.compiled, { kind: 'silenced', until: untilEpochMs, at: now })
    if (entry.alert) this.reportActiveChange()
    return true
  }

  /** Ends a rule's silence now. False when the rule is not silenced. */
  unsilence(ruleId: string): boolean {
    if (this.disposed) return false
    const now = this.now()
    if (!this.isSilenced(ruleId, now)) return false
    this.silences.delete(ruleId)
    const entry = this.tracked.get(ruleId)
    if (!entry) return true
    this.record(entry.compiled, { kind: 'unsilenced', at: now })
    // A firing notice the silence held back goes now rather than at the next tick; repeats that fell
    // due during the silence are skipped.
    if (entry.alert) this.skipRepeatsUntil(entry.alert, entry.compiled.repeatMs, now)
    this.remind(entry, now)
    if (entry.alert) this.reportActiveChange()
    return true
  }

  /** Pending and firing alerts, one per rule at most, in the order of the rules. */
  active(): ActiveAlert[] {
    const now = this.now()
    const alerts: ActiveAlert[] = []
    for (const { compiled, tracker, alert } of this.tracked.values()) {
      if (!alert || tracker.phase === 'normal') continue
      alerts.push({
        id: alert.id,
        ruleId: compiled.rule.id,
        ruleName: compiled.rule.name,
        feedId: compiled.feedId,
        severity: compiled.rule.severity,
        state: tracker.phase,
        since: tracker.since,
        lastValue: tracker.lastValue,
        acknowledged: alert.acknowledged,
        silencedUntil: this.isSilenced(compiled.rule.id, now)
          ? (this.silences.get(compiled.rule.id) ?? null)
          : null,
      })
    }
    return alerts
  }

  /** The history, oldest first, and how many entries were dropped to keep it bounded. */
  history(): AlertHistory {
    return this.log.snapshot()
  }

  /** See {@link previewRule}. `now` defaults to the engine's clock. */
  preview(rule: AlertRule, events: readonly FeedEvent[], now: number = this.now()): AlertPreview {
    return previewRule(rule, events, now)
  }

  /**
   * What to persist across restarts: the history, the silences still running, and the firing alerts
   * with their acknowledgements (so a restart neither repeats a firing notice nor forgets an ack).
   * Pending alerts are not kept: their conditions are evaluated afresh.
   */
  exportState(): AlertEngineState {
    const now = this.now()
    const history = this.log.snapshot()
    const alerts: PersistedAlert[] = [...this.restored]
    for (const { compiled, tracker, alert } of this.tracked.values()) {
      if (!alert || tracker.phase !== 'firing') continue
      alerts.push({
        id: alert.id,
        ruleId: compiled.rule.id,
        ruleName: compiled.rule.name,
        feedId: compiled.feedId,
        severity: compiled.rule.severity,
        fingerprint: compiled.fingerprint,
        since: tracker.since,
        lastValue: tracker.lastValue,
        acknowledged: alert.acknowledged,
        notified: alert.notified,
      })
    }
    return {
      version: ALERT_STATE_VERSION,
      history: history.entries.slice(),
      droppedHistory: history.dropped,
      silences: [...this.silences]
        .filter(([, until]) => until > now)
        .map(([ruleId, until]) => ({ ruleId, until })),
      alerts,
    }
  }

  /**
   * Restores what {@link exportState} returned, typically right after start: its history goes before
   * anything recorded since, its silences that have not ended apply, and its firing alerts come back
   * for the rules whose definition is unchanged (now, or at the next `setRules` if none was set yet);
   * the others are recorded as resolved. No notice is sent, and missed repeats are skipped. Throws
   * `InvalidAlertStateError` when `state` does not have the persisted shape.
   */
  importState(state: unknown): void {
    if (this.disposed) return
    const parsed = alertEngineStateSchema.safeParse(state)
    if (!parsed.success)
      throw new InvalidAlertStateError(
        `invalid alert state: ${describeIssues(parsed.error).join('; ')}`,
      )
    const now = this.now()
    this.log.restore(parsed.data.history, parsed.data.droppedHistory)
    const silences = parsed.data.silences.filter(({ until }) => until > now)
    silences.sort((a, b) => b.until - a.until)
    for (const { ruleId, until } of silences.slice(0, MAX_SILENCES))
      this.silences.set(ruleId, Math.max(until, this.silences.get(ruleId) ?? 0))
    this.restored = parsed.data.alerts
    if (this.rulesSet) this.reporting(() => this.adoptRestored(now))
  }

  /**
   * Forgets everything: rules, alerts, acknowledgements, silences, history and what it knew of feed
   * states, without a notice. For switching to another profile, whose state is then imported.
   */
  reset(): void {
    if (this.disposed) return
    const hadAlerts = [...this.tracked.values()].some((entry) => entry.alert !== undefined)
    this.tracked = new Map()
    this.byFeed = new Map()
    this.silences.clear()
    this.feedsDown.clear()
    this.restored = []
    this.rulesSet = false
    this.log = new AlertHistoryLog(this.historyLimit)
    if (hadAlerts) this.reportActiveChange()
  }

  /** Stops the timer. From then on nothing is evaluated and nothing is sent. Idempotent. */
  dispose(): void {
    this.disposed = true
    clearInterval(this.timer)
  }

  /** Time passes: pending periods and no-data clocks run out, repeats fall due, silences end. */
  private tick(): void {
    if (this.disposed) return
    this.reporting(() => this.advanceTo(this.now()))
  }

  private advanceTo(now: number): void {
    for (const [feedId, feed] of this.feedsDown) {
      feed.settle(now)
      if (feed.down === null) this.feedsDown.delete(feedId)
    }
    for (const [ruleId, until] of this.silences) {
      if (until > now) continue
      this.silences.delete(ruleId)
      // Repeats that fell due while silenced are skipped; the first one after `until` is not.
      const alert = this.tracked.get(ruleId)?.alert
      const repeatMs = this.tracked.get(ruleId)?.compiled.repeatMs ?? 0
      if (alert) this.skipRepeatsUntil(alert, repeatMs, until)
      if (alert) this.activeChanged = true
    }
    for (const entry of this.tracked.values()) {
      entry.tracker.advance(now)
      this.remind(entry, now)
    }
  }

  /** Sends a firing alert's held-back firing notice or its due repeat, or skips repeats it must not send. */
  private remind(entry: TrackedRule, now: number): void {
    const { alert, tracker, compiled } = entry
    if (!alert || tracker.phase !== 'firing') return
    if (alert.acknowledged || this.isSilenced(compiled.rule.id, now)) {
      this.skipRepeatsUntil(alert, compiled.repeatMs, now)
    } else if (!alert.notified) {
      alert.notified = true
      alert.nextRepeatAt = compiled.repeatMs > 0 ? now + compiled.repeatMs : null
      this.send('firing', entry, now)
    } else if (alert.nextRepeatAt !== null && now >= alert.nextRepeatAt) {
      this.skipRepeatsUntil(alert, compiled.repeatMs, now)
      this.send('repeat', entry, now)
    }
  }

  /** A firing alert whose rule now repeats at another interval: repeats from its firing on that one. */
  private reschedule(entry: TrackedRule, now: number): void {
    const { alert, tracker, compiled } = entry
    if (!alert || tracker.phase !== 'firing') return
    alert.nextRepeatAt = compiled.repeatMs > 0 ? tracker.since + compiled.repeatMs : null
    this.skipRepeatsUntil(alert, compiled.repeatMs, now)
  }

  /** Moves the next repeat past `now` on the original schedule, without sending anything. */
  private skipRepeatsUntil(alert: AlertInstance, repeatMs: number, now: number): void {
    if (alert.nextRepeatAt === null || repeatMs <= 0 || alert.nextRepeatAt > now) return
    alert.nextRepeatAt += (Math.floor((now - alert.nextRepeatAt) / repeatMs) + 1) * repeatMs
  }

  private track(compiled: CompiledRule): TrackedRule {
    const entry: TrackedRule = {
      compiled,
      alert: undefined,
      problemReportedAt: -Infinity,
      tracker: createTracker(compiled, {
        listener: (transition) => this.onTransition(entry, transition),
        onProblem: (message, at) => this.reportProblem(entry, message, at),
        stableMs: this.stableConnectionMs,
      }),
    }
    return entry
  }

  /** What a tracker's phase change means for alerts, history and notices. */
  private onTransition(entry: TrackedRule, { from, to, at }: Transition): void {
    if (this.disposed) return
    this.activeChanged = true
    const now = this.now()
    if (to === 'pending') {
      entry.alert = this.newAlert(entry.compiled.rule.id, at)
    } else if (to === 'firing') {
      const alert = (entry.alert ??= this.newAlert(entry.compiled.rule.id, at))
      const silenced = this.isSilenced(entry.compiled.rule.id, now)
      alert.notified = !silenced
      alert.nextRepeatAt = entry.compiled.repeatMs > 0 ? at + entry.compiled.repeatMs : null
      this.skipRepeatsUntil(alert, entry.compiled.repeatMs, now)
      this.record(entry.compiled, {
        kind: 'fired',
        alertId: alert.id,
        value: entry.tracker.lastValue,
        notified: !silenced,
        at,
      })
      if (!silenced) this.send('firing', entry, now)
    } else if (from === 'firing') {
      this.resolve(entry, 'cleared', at, now)
    } else {
      entry.alert = undefined // pending that cleared in time: never shown in the history
    }
  }

  /** Ends a firing alert: history always, a notice only if the person was told it fired. */
  private resolve(entry: TrackedRule, reason: ResolveReason, at: number, now: number): void {
    const { alert } = entry
    if (!alert) return
    const notify = alert.notified && !this.isSilenced(entry.compiled.rule.id, now)
    this.record(entry.compiled, {
      kind: 'resolved',
      alertId: alert.id,
      value: entry.tracker.lastValue,
      notified: notify,
      reason,
      at,
    })
    if (notify) this.send('resolved', entry, now, reason)
    entry.alert = undefined
  }

  /** A rule that is replaced or removed: a firing alert resolves, naming why; a pending one just ends. */
  private drop(entry: TrackedRule, reason: ResolveReason, now: number): void {
    if (!entry.alert) return
    this.activeChanged = true
    if (entry.tracker.phase === 'firing') this.resolve(entry, reason, now, now)
    entry.alert = undefined
  }

  /** Gives restored firing alerts back to their unchanged rules; records the others as resolved. */
  private adoptRestored(now: number): void {
    for (const saved of this.restored) {
      const entry = this.tracked.get(saved.ruleId)
      const same =
        entry !== undefined &&
        (entry.compiled.fingerprint === saved.fingerprint ||
          legacyRuleFingerprint(entry.compiled.rule) === saved.fingerprint)
      if (entry && same) {
        if (entry.tracker.phase === 'firing') continue // it fired again since start: keep the live one
        entry.tracker.restoreFiring(saved.since, saved.lastValue)
        const alert: AlertInstance = {
          id: saved.id,
          acknowledged: saved.acknowledged,
          notified: saved.notified,
          nextRepeatAt: entry.compiled.repeatMs > 0 ? saved.since + entry.compiled.repeatMs : null,
        }
        this.skipRepeatsUntil(alert, entry.compiled.repeatMs, now)
        entry.alert = alert
        this.activeChanged = true
      } else {
        const { ruleId, ruleName, feedId, severity, id, lastValue } = saved
        const reason: ResolveReason = entry ? 'rule-changed' : 'rule-removed'
        const notify = saved.notified && !this.isSilenced(ruleId, now)
        if (notify) {
          const { title, body } = endedText(ruleName, reason)
          this.deliver({
            kind: 'resolved',
            title,
            body,
            severity,
            feedId,
            ruleId,
            alertId: id,
            at: now,
            reason,
          })
        }
        this.log.add({
          kind: 'resolved',
          ruleId,
          ruleName,
          feedId,
          severity,
          alertId: id,
          value: lastValue,
          notified: notify,
          reason,
          at: now,
        })
      }
    }
    this.restored = []
  }

  /** Runs `change`, then reports once if it changed the active alerts. */
  private reporting(change: () => void): void {
    try {
      change()
    } finally {
      if (this.activeChanged) {
        this.activeChanged = false
        this.reportActiveChange()
      }
    }
  }

  private reportActiveChange(): void {
    if (this.disposed) return
    try {
      this.onActiveChange()
    } catch (error) {
      console.error('alert onActiveChange failed:', error)
    }
  }

  private newAlert(ruleId: string, at: number): AlertInstance {
    this.alertCount++
    return {
      id: `${ruleId}:${at.toString(36)}:${this.alertCount.toString(36)}`,
      acknowledged: false,
      notified: false,
      nextRepeatAt: null,
    }
  }

  private reportProblem(entry: TrackedRule, message: string, at: number): void {
    if (at < entry.problemReportedAt + PROBLEM_REPORT_INTERVAL_MS) return
    entry.problemReportedAt = at
    try {
      this.onRuleProblem(entry.compiled.rule.id, message)
    } catch (error) {
      console.error('alert onRuleProblem failed:', error)
    }
  }

  private isSilenced(ruleId: string, now: number): boolean {
    return (this.silences.get(ruleId) ?? -Infinity) > now
  }

  private record(
    compiled: CompiledRule,
    entry: DistributiveOmit<AlertHistoryEntry, 'ruleId' | 'ruleName' | 'feedId' | 'severity'>,
  ): void {
    const { id: ruleId, name: ruleName, severity } = compiled.rule
    this.log.add({
      ...entry,
      ruleId,
      ruleName,
      feedId: compiled.feedId,
      severity,
    } as AlertHistoryEntry)
  }

  private send(
    kind: AlertNotice['kind'],
    entry: TrackedRule,
    now: number,
    reason: ResolveReason = 'cleared',
  ): void {
    const { compiled, tracker, alert } = entry
    if (!alert) return
    const { title, body } = noticeText(kind, {
      rule: compiled,
      feed: this.feedName(compiled.feedId) ?? compiled.feedId,
      format: compiled.kind === 'condition' ? this.fieldFormat(compiled.rule.source) : undefined,
      value: tracker.lastValue,
      truncated: tracker.truncated,
      firingSince: tracker.phase === 'firing' ? tracker.since : now,
      at: now,
      reason,
    })
    this.deliver({
      kind,
      title,
      body,
      severity: compiled.rule.severity,
      feedId: compiled.feedId,
      ruleId: compiled.rule.id,
      alertId: alert.id,
      at: now,
      ...(kind === 'resolved' ? { reason } : {}),
    })
  }

  private deliver(notice: AlertNotice): void {
    if (this.disposed) return
    try {
      this.notifier.notify(notice)
    } catch (error) {
      this.onNotifierError(error, notice)
    }
  }
}

/** `Omit` applied to each member of a union, so a discriminated union stays one. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never
