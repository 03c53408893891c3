/**
 * The rule editor's form state and its checks. A draft holds what the inputs hold (text, or numbers
 * from number inputs), so a half-typed value never has to be a valid rule; {@link checkDraft} turns it
 * into an `AlertRule` or says, per field, what is wrong.
 *
 * The checks mirror what the alert engine refuses when it compiles a rule (src/main/alerts/
 * condition.ts): a field path that does not parse, a non-numeric threshold for `>`, a recovery value on
 * the wrong side of the threshold, a regular expression that does not compile. Catching them here gives
 * the person an error next to the field as they type, and keeps such rules away from `rules:save`.
 */
import { FieldPathError, parseFieldPath } from '../../../../shared/field-path'
import type { AlertRule, Comparison, Severity } from '../../../../shared/profile'
import { NUMERIC_OPERATORS } from './alert-text'

/** What an input holds: number inputs give a number, or `''` while empty or not a number. */
type InputValue = string | number

export interface RuleDraft {
  id: string
  name: string
  enabled: boolean
  severity: Severity
  kind: AlertRule['kind']
  feedId: string
  /** Event name for condition and no-data rules; empty means every event. */
  event: string
  path: string
  operator: Comparison
  value: string
  pendingSeconds: InputValue
  recoveryValue: InputValue
  repeatIntervalSeconds: InputValue
  forSeconds: InputValue
}

/** The fields an error can be shown next to. */
export type DraftField =
  | 'name'
  | 'kind'
  | 'feedId'
  | 'event'
  | 'path'
  | 'operator'
  | 'value'
  | 'pendingSeconds'
  | 'recoveryValue'
  | 'repeatIntervalSeconds'
  | 'forSeconds'
  | 'severity'

export type DraftErrors = Partial<Record<DraftField, string>>

/** Longest pattern the engine accepts for `matches` (src/main/alerts/text-matcher.ts). */
const PATTERN_MAX_CHARS = 1000
const NAME_MAX = 120

/** `rule-3f9a1c2b`: the same shape as the ids the engine gives feeds. */
export function newRuleId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4))
  return `rule-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`
}

/** A draft for a new rule: a condition on the first feed. */
export function newDraft(feedId: string): RuleDraft {
  return {
    id: newRuleId(),
    name: '',
    enabled: true,
    severity: 'warning',
    kind: 'condition',
    feedId,
    event: '',
    path: '',
    operator: '>',
    value: '',
    pendingSeconds: 0,
    recoveryValue: '',
    repeatIntervalSeconds: 0,
    forSeconds: 30,
  }
}

/** A draft holding an existing rule. */
export function draftFromRule(rule: AlertRule): RuleDraft {
  const base = {
    ...newDraft(''),
    id: rule.id,
    name: rule.name,
    enabled: rule.enabled,
    severity: rule.severity,
    kind: rule.kind,
    repeatIntervalSeconds: rule.repeatIntervalSeconds,
  }
  switch (rule.kind) {
    case 'condition':
      return {
        ...base,
        feedId: rule.source.feedId,
        event: rule.source.event ?? '',
        path: rule.source.path,
        operator: rule.operator,
        value: String(rule.value),
        pendingSeconds: rule.pendingSeconds,
        recoveryValue: rule.recoveryValue ?? '',
      }
    case 'feed-down':
      return { ...base, feedId: rule.feedId, forSeconds: rule.forSeconds }
    case 'no-data':
      return { ...base, feedId: rule.feedId, event: rule.event ?? '', forSeconds: rule.forSeconds }
  }
}

/** The error a field path gets as it is typed, or undefined when it parses. */
export function fieldPathError(path: string): string | undefined {
  if (path.trim() === '') return 'Enter the path of a field in the event data, e.g. latency.p99'
  try {
    parseFieldPath(path)
    return undefined
  } catch (error) {
    if (error instanceof FieldPathError) return `${error.reason} at position ${error.position}`
    throw error
  }
}

/**
 * The rule a draft describes, or the problems per field. With `forPreview`, an empty name does not
 * count: a preview may run before the rule is named.
 */
export function checkDraft(
  draft: RuleDraft,
  options: { forPreview?: boolean } = {},
): { readonly rule: AlertRule; readonly errors?: undefined } | { readonly errors: DraftErrors } {
  const errors: DraftErrors = {}
  const name = draft.name.trim()
  if (name === '' && !options.forPreview) errors.name = 'Give the rule a name'
  if (name.length > NAME_MAX) errors.name = `At most ${NAME_MAX} characters`
  if (draft.feedId === '') errors.feedId = 'Choose a feed'
  const event = draft.event.trim()
  const repeatIntervalSeconds = readSeconds(draft.repeatIntervalSeconds, {
    whole: true,
    min: 0,
  })
  if (typeof repeatIntervalSeconds === 'string')
    errors.repeatIntervalSeconds = repeatIntervalSeconds
  const common = {
    id: draft.id,
    name: name === '' ? 'Untitled rule' : name,
    enabled: draft.enabled,
    severity: draft.severity,
    repeatIntervalSeconds: typeof repeatIntervalSeconds === 'number' ? repeatIntervalSeconds : 0,
  }
  let rule: AlertRule | undefined
  switch (draft.kind) {
    case 'condition': {
      const pathError = fieldPathError(draft.path)
      if (pathError !== undefined) errors.path = pathError
      const pendingSeconds = readSeconds(draft.pendingSeconds, { whole: false, min: 0 })
      if (typeof pendingSeconds === 'string') errors.pendingSeconds = pendingSeconds
      const value = readValue(draft.operator, draft.value)
      if (typeof value === 'object') errors.value = value.error
      let recoveryValue: number | undefined
      if (NUMERIC_OPERATORS.has(draft.operator) && String(draft.recoveryValue).trim() !== '') {
        const recovery = readNumber(draft.recoveryValue)
        if (recovery === undefined) errors.recoveryValue = 'Enter a number, or leave it empty'
        else if (typeof value === 'number') {
          const above = draft.operator === '>' || draft.operator === '>='
          if (above ? recovery > value : recovery < value)
            errors.recoveryValue = `Must be ${above ? 'at most' : 'at least'} the value (${value}) for "${draft.operator}"`
          else recoveryValue = recovery
        }
      }
      if (typeof value !== 'object' && typeof pendingSeconds === 'number')
        rule = {
          ...common,
          kind: 'condition',
          source: {
            feedId: draft.feedId,
            ...(event === '' ? {} : { event }),
            path: draft.path,
          },
          operator: draft.operator,
          value,
          pendingSeconds,
          ...(recoveryValue === undefined ? {} : { recoveryValue }),
        }
      break
    }
    case 'feed-down':
    case 'no-data': {
      const forSeconds = readSeconds(draft.forSeconds, {
        whole: false,
        min: draft.kind === 'no-data' ? 1 : 0,
      })
      if (typeof forSeconds === 'string') errors.forSeconds = forSeconds
      else if (draft.kind === 'feed-down')
        rule = { ...common, kind: 'feed-down', feedId: draft.feedId, forSeconds }
      else
        rule = {
          ...common,
          kind: 'no-data',
          feedId: draft.feedId,
          ...(event === '' ? {} : { event }),
          forSeconds,
        }
      break
    }
  }
  return Object.keys(errors).length > 0 || rule === undefined ? { errors } : { rule }
}

/** A number from an input, or undefined. */
function readNumber(input: InputValue): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) ? input : undefined
  const text = input.trim()
  if (text === '') return undefined
  const number = Number(text)
  return Number.isFinite(number) ? number : undefined
}

/** Seconds from an input, or the error to show. */
function readSeconds(
  input: InputValue,
  { whole, min }: { whole: boolean; min: number },
): number | string {
  const seconds = readNumber(input)
  if (seconds === undefined) return 'Enter a number of seconds'
  if (seconds < min) return min === 0 ? 'Must not be negative' : `Must be at least ${min}`
  if (whole && !Number.isInteger(seconds)) return 'Must be a whole number of seconds'
  return seconds
}

/**
 * The comparison value: a number for `>`, `>=`, `<`, `<=`; for `==` and `!=` a number when the text is
 * one (the engine compares numerically either way, this keeps a saved number a number); text for
 * `contains` and `matches`.
 */
function readValue(operator: Comparison, text: string): number | string | { error: string } {
  if (text.trim() === '') return { error: 'Enter a value to compare with' }
  if (NUMERIC_OPERATORS.has(operator)) {
    const number = readNumber(text)
    return number === undefined ? { error: `Must be a number for "${operator}"` } : number
  }
  if (operator === '==' || operator === '!=') {
    const trimmed = text.trim()
    return /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/.test(trimmed)
      ? Number(trimmed)
      : text
  }
  if (operator === 'matches') {
    if (text.length > PATTERN_MAX_CHARS)
      return { error: `The pattern may have at most ${PATTERN_MAX_CHARS} characters` }
    try {
      new RegExp(text)
    } catch (error) {
      return { error: `Not a valid regular expression: ${(error as Error).message}` }
    }
  }
  return text
}

/** Server issue paths (`source.path`, `rules[4].source.feedId`) mapped to the editor's fields. */
const ISSUE_FIELDS: Record<string, DraftField> = {
  name: 'name',
  kind: 'kind',
  severity: 'severity',
  feedId: 'feedId',
  'source.feedId': 'feedId',
  event: 'event',
  'source.event': 'event',
  'source.path': 'path',
  source: 'path',
  operator: 'operator',
  value: 'value',
  pendingSeconds: 'pendingSeconds',
  recoveryValue: 'recoveryValue',
  repeatIntervalSeconds: 'repeatIntervalSeconds',
  forSeconds: 'forSeconds',
}

/** The fields the editor shows for a draft (the others do not apply to its kind or operator). */
export function visibleFields(draft: RuleDraft): ReadonlySet<DraftField> {
  const fields = new Set<DraftField>([
    'name',
    'kind',
    'feedId',
    'repeatIntervalSeconds',
    'severity',
  ])
  if (draft.kind !== 'feed-down') fields.add('event')
  if (draft.kind === 'condition') {
    for (const field of ['path', 'operator', 'value', 'pendingSeconds'] as const) fields.add(field)
    if (NUMERIC_OPERATORS.has(draft.operator)) fields.add('recoveryValue')
  } else fields.add('forSeconds')
  return fields
}

/**
 * Sorts a failed save's `issues` (`path: message` lines) by the field they belong to; lines that
 * belong to no field in `shown` go under `general`, so none is lost.
 */
export function issuesByField(
  issues: readonly string[],
  shown: ReadonlySet<DraftField>,
): {
  readonly fields: Partial<Record<DraftField, string[]>>
  readonly general: string[]
} {
  const fields: Partial<Record<DraftField, string[]>> = {}
  const general: string[] = []
  for (const issue of issues) {
    const colon = issue.indexOf(': ')
    const path = colon === -1 ? '' : issue.slice(0, colon).replace(/^rules\[\d+\]\.?/, '')
    const field = Object.hasOwn(ISSUE_FIELDS, path) ? ISSUE_FIELDS[path] : undefined
    if (field === undefined || !shown.has(field)) general.push(issue)
    else (fields[field] ??= []).push(issue)
  }
  return { fields, general }
}
