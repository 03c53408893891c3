/**
 * Rules checked and turned into what the trackers run: parsed paths, compiled regexes, durations in
 * ms. Everything that can be wrong with a rule is found here, at `setRules`, never at evaluation.
 */
import type { AlertRule, ConditionRule, FeedDownRule, NoDataRule } from '../../shared/profile'
import { AlertRuleError, type RuleProblem } from './alert-rule-error'
import { compileCondition, type Condition } from './condition'

interface CompiledBase {
  /** Where its events and states come from. */
  readonly feedId: string
  /** Notify again this often while firing; 0 notifies once. */
  readonly repeatMs: number
  /** The definition, for "is this the same rule": canonical JSON of everything but its name. */
  readonly fingerprint: string
}

export interface CompiledCondition extends CompiledBase {
  readonly kind: 'condition'
  readonly rule: ConditionRule
  readonly condition: Condition
  readonly pendingMs: number
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

export type CompiledRule = CompiledCondition | CompiledFeedDown | CompiledNoData

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
  const base = {
    repeatMs: seconds('repeatIntervalSeconds', rule.repeatIntervalSeconds),
    fingerprint: ruleFingerprint(rule),
  }
  let compiled: CompiledRule | undefined
  switch (rule.kind) {
    case 'condition': {
      const pendingMs = seconds('pendingSeconds', rule.pendingSeconds)
      const result = compileCondition(rule)
      if (result.ok)
        compiled = {
          ...base,
          kind: 'condition',
          rule,
          feedId: rule.source.feedId,
          condition: result.condition,
          pendingMs,
        }
      else problems.push(...result.problems)
      break
    }
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
 * Canonical JSON of the rule without its name: two rules with the same fingerprint behave the same,
 * so renaming a rule keeps its alert while changing a threshold starts it over.
 */
export function ruleFingerprint(rule: AlertRule): string {
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
