/**
 * A condition rule's comparison, compiled once per rule and run on each event's parsed data.
 *
 * A field that is missing, or whose value the operator cannot compare (a string for `>`, an object
 * for `==`), gives no reading: the event leaves the rule's state as it was. Operators:
 * - `>`, `>=`, `<`, `<=`: numbers, numeric strings included (see `toNumber` in shared/field-path);
 * - `==`, `!=`: numerically when both sides are numbers, else as text, where true, false and null
 *   read as `"true"`, `"false"` and `"null"` (so `healthy == "false"` works on a JSON boolean);
 * - `contains`: a string contains the value as a substring (case-sensitive), or an array has an
 *   element equal to it (as for `==`);
 * - `matches`: the value's text (strings, numbers, booleans, null) matches a regular expression (RE2
 *   syntax, run in linear time; see text-matcher), anywhere in the whole value.
 */
import type { AlertValue } from '../../shared/alerts'
import { ALERT_VALUE_MAX_CHARS } from '../../shared/alerts'
import {
  FieldPathError,
  parseFieldPath,
  readPath,
  toNumber,
  type FieldPath,
} from '../../shared/field-path'
import type { Comparison, ConditionRule } from '../../shared/profile'
import type { Ordering } from '../../shared/rule-window'
import { compileTextMatcher, MATCH_INPUT_MAX_CHARS, type TextMatcher } from './text-matcher'

/** What one event says about a condition. */
export interface Reading {
  /** The condition holds. */
  readonly holds: boolean
  /**
   * A firing alert may resolve: the condition no longer holds and, with a recovery threshold, the
   * value is back past it.
   */
  readonly recovered: boolean
  readonly value: AlertValue
}

/**
 * A value the condition could not judge for a reason the person must hear of (a `matches` value over
 * its length limit): the rule's state stays as it was, and the engine reports `message`.
 */
export interface Untested {
  readonly untested: string
}

/** A compiled condition. */
export interface Condition {
  readonly path: FieldPath
  /** The reading for one event's parsed JSON data; undefined when it has none. */
  evaluate(root: unknown): Reading | Untested | undefined
  /**
   * For `>`, `>=`, `<` and `<=`: the reading for a number, such as a window's reduced value;
   * undefined for the other operators.
   */
  readonly judge: ((value: number) => Reading) | undefined
}

const ORDERING: ReadonlySet<Comparison> = new Set(['>', '>=', '<', '<='])

/** Compiles the rule's comparison, or returns every problem with it (`source.path: …`, `value: …`). */
export function compileCondition(
  rule: ConditionRule,
):
  | { readonly ok: true; readonly condition: Condition }
  | { readonly ok: false; readonly problems: string[] } {
  const problems: string[] = []
  let path: FieldPath | undefined
  try {
    path = parseFieldPath(rule.source.path)
  } catch (error) {
    if (!(error instanceof FieldPathError)) throw error
    problems.push(`source.path: ${error.message}`)
  }
  const { operator, value: expected, recoveryValue } = rule
  let compare: ((raw: unknown) => Reading | Untested | undefined) | undefined
  let judge: ((value: number) => Reading) | undefined
  if (ORDERING.has(operator)) {
    const threshold = toNumber(expected)
    if (threshold === undefined) problems.push(`value: must be a number for "${operator}"`)
    else if (recoveryValue !== undefined && !Number.isFinite(recoveryValue))
      problems.push('recoveryValue: must be a finite number')
    else {
      const above = operator === '>' || operator === '>='
      if (
        recoveryValue !== undefined &&
        (above ? recoveryValue > threshold : recoveryValue < threshold)
      )
        problems.push(
          `recoveryValue: must be ${above ? 'at most' : 'at least'} the value (${threshold}) for "${operator}": ` +
            `the alert resolves once the value is ${above ? 'below' : 'above'} it`,
        )
      else {
        judge = numberJudge(operator as Ordering, threshold, recoveryValue)
        const judgeNumber = judge
        compare = (raw) => {
          const number = toNumber(raw)
          return number === undefined ? undefined : judgeNumber(number)
        }
      }
    }
  } else {
    if (recoveryValue !== undefined)
      problems.push('recoveryValue: applies only to the operators >, >=, < and <=')
    if (operator === 'matches') {
      const compiled = compileTextMatcher(String(expected))
      if (compiled.ok) compare = matching(compiled.matcher)
      else problems.push(`value: ${compiled.message}`)
    } else if (operator === 'contains') compare = containing(expected)
    else compare = equality(operator === '==', expected)
  }
  if (problems.length > 0 || !path || !compare) return { ok: false, problems }
  const fieldPath = path
  const check = compare
  return {
    ok: true,
    condition: {
      path: fieldPath,
      judge,
      evaluate(root) {
        const raw = readPath(root, fieldPath)
        return raw === undefined ? undefined : check(raw)
      },
    },
  }
}

/**
 * The reading of a number against `operator threshold`; with a recovery value, a firing alert
 * resolves only once the number is back past it.
 */
export function numberJudge(
  operator: Ordering,
  threshold: number,
  recoveryValue: number | undefined = undefined,
): (number: number) => Reading {
  const holdsFor = {
    '>': (n: number) => n > threshold,
    '>=': (n: number) => n >= threshold,
    '<': (n: number) => n < threshold,
    '<=': (n: number) => n <= threshold,
  }[operator]
  const above = operator === '>' || operator === '>='
  return (number) => {
    const holds = holdsFor(number)
    const recovered =
      recoveryValue === undefined ? !holds : above ? number < recoveryValue : number > recoveryValue
    return { holds, recovered, value: number }
  }
}

function equality(
  equal: boolean,
  expected: number | string,
): (raw: unknown) => Reading | undefined {
  return (raw) => {
    const same = equals(raw, expected)
    if (same === undefined) return undefined
    const holds = same === equal
    return { holds, recovered: !holds, value: alertValue(raw) }
  }
}

function containing(expected: number | string): (raw: unknown) => Reading | undefined {
  const needle = String(expected)
  return (raw) => {
    let holds: boolean
    if (typeof raw === 'string') holds = raw.includes(needle)
    else if (Array.isArray(raw)) holds = raw.some((item) => equals(item, expected) === true)
    else return undefined
    return { holds, recovered: !holds, value: alertValue(raw) }
  }
}

function matching(matcher: TextMatcher): (raw: unknown) => Reading | Untested | undefined {
  return (raw) => {
    const text = scalarText(raw)
    if (text === undefined) return undefined
    const holds = matcher.test(text)
    if (holds === undefined)
      return {
        untested: `a value of ${text.length} characters was not tested: "matches" tests values of up to ${MATCH_INPUT_MAX_CHARS}`,
      }
    return { holds, recovered: !holds, value: alertValue(raw) }
  }
}

/** `==` on a JSON value: undefined when `raw` is an object or array. */
function equals(raw: unknown, expected: number | string): boolean | undefined {
  const text = scalarText(raw)
  if (text === undefined) return undefined
  const a = toNumber(raw)
  const b = toNumber(expected)
  return a !== undefined && b !== undefined ? a === b : text === String(expected)
}

/** The text of a JSON scalar; undefined for objects and arrays. */
function scalarText(raw: unknown): string | undefined {
  if (typeof raw === 'string') return raw
  if (typeof raw === 'number' || typeof raw === 'boolean' || raw === null) return String(raw)
  return undefined
}

/** Array elements an alert's value shows; stringifying a huge array on every event would be waste. */
const ARRAY_ITEMS_SHOWN = 20

/** A field value as an alert shows it: scalars as they are, long text cut, arrays as JSON text. */
export function alertValue(raw: unknown): AlertValue {
  if (typeof raw === 'number' || typeof raw === 'boolean' || raw === null) return raw
  const text =
    typeof raw === 'string'
      ? raw
      : Array.isArray(raw) && raw.length > ARRAY_ITEMS_SHOWN
        ? `${JSON.stringify(raw.slice(0, ARRAY_ITEMS_SHOWN)).slice(0, -1)},…]`
        : (JSON.stringify(raw) ?? String(raw))
  return text.length > ALERT_VALUE_MAX_CHARS ? `${text.slice(0, ALERT_VALUE_MAX_CHARS - 1)}…` : text
}
