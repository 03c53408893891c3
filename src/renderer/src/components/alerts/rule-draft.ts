/**
 * The rule editor's form state and its checks. A draft holds what the inputs hold (text, or numbers
 * from number inputs), so a half-typed value never has to be a valid rule; {@link checkDraft} turns it
 * into an `AlertRule` or says, per field, what is wrong.
 *
 * The checks mirror what the alert engine refuses when it compiles a rule (src/main/alerts/
 * condition.ts): a field path that does not parse, a non-numeric threshold for `>`, a recovery value on
 * the wrong side of the threshold, a regular expression RE2 does not accept, a window outside 1 s – 1 h.
 * Catching them here gives
 * the person an error next to the field as they type, and keeps such rules away from `rules:save`.
 */
import { FieldPathError, parseFieldPath } from '../../../../shared/field-path'
import type { AlertRule, Comparison, Severity } from '../../../../shared/profile'
import { compilePattern } from '../../../../shared/rule-pattern'
import {
  SAMPLE_WINDOW_MAX,
  WINDOW_MAX_SECONDS,
  WINDOW_MIN_SECONDS,
  type Ordering,
  type Reducer,
  type RuleWindow,
} from '../../../../shared/rule-window'
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
  /** How a condition looks at its samples: each alone, a reducer over a time window, or N of the last M. */
  windowMode: 'none' | 'time' | 'samples'
  reducer: Reducer
  /** The time window of a condition's reducer or of an event-count rule. */
  windowSeconds: InputValue
  /** N of "N of the last M samples". */
  sampleCount: InputValue
  /** M of "N of the last M samples". */
  sampleOf: InputValue
  /** Where its notices go: every contact point, or these (by id). */
  contactPoints: 'all' | string[]
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
  | 'windowMode'
  | 'reducer'
  | 'windowSeconds'
  | 'sampleCount'
  | 'sampleOf'

export type DraftErrors = Partial<Record<DraftField, string>>

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
    windowMode: 'none',
    reducer: 'avg',
    windowSeconds: 60,
    sampleCount: 3,
    sampleOf: 5,
    contactPoints: 'all',
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
    contactPoints: Array.isArray(rule.contactPoints) ? [...rule.contactPoints] : ('all' as const),
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
        ...draftWindow(rule.window),
      }
    case 'event-count':
      return {
        ...base,
        feedId: rule.feedId,
        event: rule.event ?? '',
        operator: rule.operator,
        value: String(rule.count),
        windowSeconds: rule.windowSeconds,
        pendingSeconds: rule.pendingSeconds,
      }
    case 'feed-down':
      return { ...base, feedId: rule.feedId, forSeconds: rule.forSeconds }
    case 'no-data':
      return { ...base, feedId: rule.feedId, event: rule.event ?? '', forSeconds: rule.forSeconds }
  }
}

/** The window fields of a draft for a condition's window. */
function draftWindow(window: RuleWindow | undefined): Partial<RuleDraft> {
  if (window === undefined) return { windowMode: 'none' }
  if (window.kind === 'time')
    return { windowMode: 'time', reducer: window.reducer, windowSeconds: window.seconds }
  return { windowMode: 'samples', sampleCount: window.count, sampleOf: window.of }
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
    ...(draft.contactPoints === 'all' ? {} : { contactPoints: [...draft.contactPoints] }),
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
      // "N of the last M" resolves once fewer than N hold: a recovery value does not apply.
      const recoverable = NUMERIC_OPERATORS.has(draft.operator) && draft.windowMode !== 'samples'
      if (recoverable && String(draft.recoveryValue).trim() !== '') {
        const recovery = readNumber(draft.recoveryValue)
        if (recovery === undefined) errors.recoveryValue = 'Enter a number, or leave it empty'
        else if (typeof value === 'number') {
          const above = draft.operator === '>' || draft.operator === '>='
          if (above ? recovery > value : recovery < value)
            errors.recoveryValue = `Must be ${above ? 'at most' : 'at least'} the value (${value}) for "${draft.operator}"`
          else recoveryValue = recovery
        }
      }
      const window = readWindow(draft, errors)
      if (typeof value !== 'object' && typeof pendingSeconds === 'number' && window !== null)
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
          ...(window === undefined ? {} : { window }),
        }
      break
    }
    case 'event-count': {
      const pendingSeconds = readSeconds(draft.pendingSeconds, { whole: false, min: 0 })
      if (typeof pendingSeconds === 'string') errors.pendingSeconds = pendingSeconds
      if (!NUMERIC_OPERATORS.has(draft.operator))
        errors.operator = 'Choose >, >=, < or <= to compare the count'
      const count = readNumber(draft.value)
      if (count === undefined || !Number.isInteger(count) || count < 0)
        errors.value = 'Enter a whole number of events, 0 or more'
      const windowSeconds = readWindowSeconds(draft.windowSeconds)
      if (typeof windowSeconds === 'string') errors.windowSeconds = windowSeconds
      if (
        count !== undefined &&
        typeof pendingSeconds === 'number' &&
        typeof windowSeconds === 'number' &&
        errors.operator === undefined &&
        errors.value === undefined
      )
        rule = {
          ...common,
          kind: 'event-count',
          feedId: draft.feedId,
          ...(event === '' ? {} : { event }),
          operator: draft.operator as Ordering,
          count,
          windowSeconds,
          pendingSeconds,
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

/**
 * A condition's window from the draft: undefined for none, null when a field is wrong (the error is
 * added to `errors`).
 */
function readWindow(draft: RuleDraft, errors: DraftErrors): RuleWindow | undefined | null {
  switch (draft.windowMode) {
    case 'none':
      return undefined
    case 'time': {
      if (!NUMERIC_OPERATORS.has(draft.operator))
        errors.reducer = `"${draft.reducer}" gives a number: use >, >=, < or <=`
      const seconds = readWindowSeconds(draft.windowSeconds)
      if (typeof seconds === 'string') errors.windowSeconds = seconds
      if (errors.reducer !== undefined || typeof seconds === 'string') return null
      return { kind: 'time', reducer: draft.reducer, seconds }
    }
    case 'samples': {
      const of = readNumber(draft.sampleOf)
      const count = readNumber(draft.sampleCount)
      if (of === undefined || !Number.isInteger(of) || of < 1 || of > SAMPLE_WINDOW_MAX)
        errors.sampleOf = `Enter a whole number from 1 to ${SAMPLE_WINDOW_MAX}`
      else if (count === undefined || !Number.isInteger(count) || count < 1 || count > of)
        errors.sampleCount = `Enter a whole number from 1 to ${of}`
      if (errors.sampleOf !== undefined || errors.sampleCount !== undefined) return null
      return { kind: 'samples', count: count as number, of: of as number }
    }
  }
}

/** A window length from an input, or the error to show. */
function readWindowSeconds(input: InputValue): number | string {
  const seconds = readNumber(input)
  if (seconds === undefined) return 'Enter a number of seconds'
  if (seconds < WINDOW_MIN_SECONDS || seconds > WINDOW_MAX_SECONDS)
    return `Must be from ${WINDOW_MIN_SECONDS} to ${WINDOW_MAX_SECONDS} s (1 h)`
  return seconds
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
    const compiled = compilePattern(text)
    if (!compiled.ok)
      return { error: compiled.message.charAt(0).toUpperCase() + compiled.message.slice(1) }
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
  window: 'windowMode',
  'window.kind': 'windowMode',
  'window.reducer': 'reducer',
  'window.seconds': 'windowSeconds',
  'window.count': 'sampleCount',
  'window.of': 'sampleOf',
  windowSeconds: 'windowSeconds',
  count: 'value',
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
    for (const field of ['path', 'operator', 'value', 'pendingSeconds', 'windowMode'] as const)
      fields.add(field)
    if (NUMERIC_OPERATORS.has(draft.operator) && draft.windowMode !== 'samples')
      fields.add('recoveryValue')
    if (draft.windowMode === 'time') fields.add('reducer').add('windowSeconds')
    if (draft.windowMode === 'samples') fields.add('sampleCount').add('sampleOf')
  } else if (draft.kind === 'event-count') {
    for (const field of ['operator', 'value', 'windowSeconds', 'pendingSeconds'] as const)
      fields.add(field)
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
