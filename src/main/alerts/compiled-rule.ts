/**
 * Rules checked and turned into what the trackers run: parsed paths, compiled regexes, durations in
 * ms. Everything that can be wrong with a rule is found here, at `setRules`, never at evaluation.
 */
import type {
  AlertRule,
  ConditionRule,
  EventCountRule,
  FeedDownRule,
  NoDataRule,
} from '../../shared/profile'
import {
  COUNTING_REDUCERS,
  SAMPLE_WINDOW_MAX,
  WINDOW_MAX_SECONDS,
  WINDOW_MIN_SECONDS,
  type Reducer,
} from '../../shared/rule-window'
import { AlertRuleError, type RuleProblem } from './alert-rule-error'
import { compileCondition, numberJudge, type Condition, type Reading } from './condition'

interface CompiledBase {
  /** Where its events and states come from. */
  readonly feedId: string
  /** Notify again this often while firing; 0 notifies once. */
  readonly repeatMs: number
  /** What decides when it fires, for "is this the same rule" (see {@link ruleFingerprint}). */
  readonly fingerprint: string
}

/** A reducer over the samples of the last `windowMs`, and how its value is judged. */
export interface CompiledTimeWindow {
  readonly kind: 'time'
  readonly reducer: Reducer
  readonly windowMs: number
  /**
   * Judged only once the rule has watched a whole window: `sum` always, and `count` and `rate` with
   * `<` or `<=`, where a window watched only in part would read too low and fire falsely.
   */
  readonly wholeWindowFirst: boolean
  readonly judge: (value: number) => Reading
}

/** The condition holds for at least `count` of the last `of` samples. */
export interface CompiledSampleWindow {
  readonly kind: 'samples'
  readonly count: number
  readonly of: number
}

export interface CompiledCondition extends CompiledBase {
  readonly kind: 'condition'
  readonly rule: ConditionRule
  readonly condition: Condition
  readonly pendingMs: number
  /** Absent: each sample is judged alone. */
  readonly window: CompiledTimeWindow | CompiledSampleWindow | undefined
}

/** An event-count rule: a `count` time window over its feed's events (of one name, if given). */
export interface CompiledEventCount extends CompiledBase {
  readonly kind: 'event-count'
  readonly rule: EventCountRule
  readonly pendingMs: number
  readonly window: CompiledTimeWindow
}

export interface CompiledFeedDown extends CompiledBase {
  readonly kind: 'feed-down'
  readonly rule: FeedDownRule
  readonly forMs: number
}

export interface CompiledNoData extends CompiledBase {
  readonly kind: 'no-data'
  readonly rule: NoDataRule
  readonly forMs: number
}

export type CompiledRule =
  CompiledCondition | CompiledFeedDown | CompiledNoData | CompiledEventCount

/**
 * Compiles every rule, disabled ones included (a broken rule is an error even while disabled), or
 * throws one {@link AlertRuleError} listing every problem, duplicate ids included.
 */
export function compileRules(rules: readonly AlertRule[]): CompiledRule[] {
  const problems: RuleProblem[] = []
  const compiled: CompiledRule[] = []
  const seen = new Set<string>()
  for (const rule of rules) {
    if (seen.has(rule.id)) problems.push({ ruleId: rule.id, message: 'id: duplicate rule id' })
    seen.add(rule.id)
    const result = tryCompile(rule)
    if (result.ok) compiled.push(result.rule)
    else problems.push(...result.problems.map((message) => ({ ruleId: rule.id, message })))
  }
  if (problems.length > 0) throw new AlertRuleError(problems)
  return compiled
}

/** Compiles one rule, or throws an {@link AlertRuleError}. */
export function compileRule(rule: AlertRule): CompiledRule {
  const [compiled] = compileRules([rule])
  return compiled as CompiledRule
}

function tryCompile(
  rule: AlertRule,
):
  | { readonly ok: true; readonly rule: CompiledRule }
  | { readonly ok: false; readonly problems: string[] } {
  const problems: string[] = []
  const seconds = (field: string, value: number): number => {
    if (!Number.isFinite(value) || value < 0)
      problems.push(`${field}: must be a number of seconds, 0 or more`)
    return value * 1000
  }
  const windowMs = (field: string, value: number): number => {
    if (!(value >= WINDOW_MIN_SECONDS && value <= WINDOW_MAX_SECONDS))
      problems.push(
        `${field}: must be between ${WINDOW_MIN_SECONDS} and ${WINDOW_MAX_SECONDS} seconds (1 h)`,
      )
    return value * 1000
  }
  const base = {
    repeatMs: seconds('repeatIntervalSeconds', rule.repeatIntervalSeconds),
    fingerprint: ruleFingerprint(rule),
  }
  let compiled: CompiledRule | undefined
  switch (rule.kind) {
    case 'condition': {
      const pendingMs = seconds('pendingSeconds', rule.pendingSeconds)
      const result = compileCondition(rule)
      if (!result.ok) {
        problems.push(...result.problems)
        break
      }
      const { condition } = result
      let window: CompiledCondition['window']
      if (rule.window?.kind === 'time') {
        const { reducer } = rule.window
        if (condition.judge === undefined)
          problems.push(
            `window: "${reducer}" over a time window gives a number: use >, >=, < or <=, not "${rule.operator}"`,
          )
        else
          window = {
            kind: 'time',
            reducer,
            windowMs: windowMs('window.seconds', rule.window.seconds),
            wholeWindowFirst:
              reducer === 'sum' ||
              (COUNTING_REDUCERS.has(reducer) && (rule.operator === '<' || rule.operator === '<=')),
            judge: condition.judge,
          }
      } else if (rule.window?.kind === 'samples') {
        if (rule.recoveryValue !== undefined)
          problems.push(
            'recoveryValue: does not apply to "N of the last M samples": it resolves once fewer than N hold',
          )
        const { count, of } = rule.window
        if (!Number.isInteger(of) || of < 1 || of > SAMPLE_WINDOW_MAX)
          problems.push(`window.of: must be a whole number from 1 to ${SAMPLE_WINDOW_MAX}`)
        else if (!Number.isInteger(count) || count < 1 || count > of)
          problems.push(`window.count: must be a whole number from 1 to ${of}`)
        window = { kind: 'samples', count, of }
      }
      compiled = {
        ...base,
        kind: 'condition',
        rule,
        feedId: rule.source.feedId,
        condition,
        pendingMs,
        window,
      }
      break
    }
    case 'event-count':
      if (!Number.isInteger(rule.count) || rule.count < 0)
        problems.push('count: must be a whole number, 0 or more')
      compiled = {
        ...base,
        kind: 'event-count',
        rule,
        feedId: rule.feedId,
        pendingMs: seconds('pendingSeconds', rule.pendingSeconds),
        window: {
          kind: 'time',
          reducer: 'count',
          windowMs: windowMs('windowSeconds', rule.windowSeconds),
          wholeWindowFirst: rule.operator === '<' || rule.operator === '<=',
          judge: numberJudge(rule.operator, rule.count),
        },
      }
      break
    case 'feed-down':
      compiled = {
        ...base,
        kind: 'feed-down',
        rule,
        feedId: rule.feedId,
        forMs: seconds('forSeconds', rule.forSeconds),
      }
      break
    case 'no-data':
      compiled = {
        ...base,
        kind: 'no-data',
        rule,
        feedId: rule.feedId,
        forMs: seconds('forSeconds', rule.forSeconds),
      }
      break
  }
  return problems.length > 0 || !compiled ? { ok: false, problems } : { ok: true, rule: compiled }
}

/**
 * Canonical JSON of what decides when the rule fires: everything but its name, severity, repeat
 * interval and contact points. Two rules with the same fingerprint fire alike, so renaming a rule,
 * changing its severity, how often it repeats or where its notices go keeps its alert, while changing
 * a threshold starts it over.
 */
export function ruleFingerprint(rule: AlertRule): string {
  return canonicalJson({
    ...rule,
    name: undefined,
    severity: undefined,
    repeatIntervalSeconds: undefined,
    contactPoints: undefined,
  })
}

/**
 * The fingerprint earlier builds saved with firing alerts (everything but the name), so an alert
 * saved by one of them is still recognised after an upgrade.
 */
export function legacyRuleFingerprint(rule: AlertRule): string {
  return canonicalJson({ ...rule, name: undefined })
}

/** JSON with object keys sorted, so key order never makes two equal values differ. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}
