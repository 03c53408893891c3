import { expect, test } from 'vitest'
import { compileCondition, type Condition } from '../../src/main/alerts/condition'
import { compileRules } from '../../src/main/alerts/compiled-rule'
import { AlertRuleError } from '../../src/main/alerts/alert-rule-error'
import {
  compileTextMatcher,
  MATCH_INPUT_MAX_CHARS,
  mayBacktrackExponentially,
} from '../../src/main/alerts/text-matcher'
import type { AlertRule, Comparison, ConditionRule } from '../../src/shared/profile'

function rule(overrides: Partial<ConditionRule> = {}): ConditionRule {
  return {
    id: 'r1',
    name: 'Rule',
    enabled: true,
    severity: 'warning',
    repeatIntervalSeconds: 0,
    kind: 'condition',
    source: { feedId: 'api', path: 'v' },
    operator: '>',
    value: 90,
    pendingSeconds: 0,
    ...overrides,
  }
}

function condition(
  operator: Comparison,
  value: number | string,
  recoveryValue?: number,
): Condition {
  const compiled = compileCondition(rule({ operator, value, recoveryValue }))
  if (!compiled.ok) throw new Error(compiled.problems.join('; '))
  return compiled.condition
}

/** Whether the condition holds for `{ v: raw }`; undefined when the event gives no reading. */
function holds(operator: Comparison, value: number | string, raw: unknown): boolean | undefined {
  return condition(operator, value).evaluate({ v: raw })?.holds
}

/** The problems compileRules reports for one rule. */
function problems(overrides: Partial<ConditionRule>): string[] {
  try {
    compileRules([rule(overrides)])
  } catch (error) {
    expect(error).toBeInstanceOf(AlertRuleError)
    return (error as AlertRuleError).problems.map((problem) => problem.message)
  }
  return []
}

test('ordering operators compare numbers and numeric strings', () => {
  expect(holds('>', 90, 91)).toBe(true)
  expect(holds('>', 90, 90)).toBe(false)
  expect(holds('>=', 90, 90)).toBe(true)
  expect(holds('<', 10, '9.5')).toBe(true)
  expect(holds('<=', '10', 10)).toBe(true)
})

test('ordering operators give no reading for values that are not numbers', () => {
  for (const raw of ['busy', true, null, [1], { a: 1 }]) expect(holds('>', 90, raw)).toBeUndefined()
})

test('a missing field gives no reading', () => {
  expect(condition('==', 'down').evaluate({ other: 1 })).toBeUndefined()
  expect(condition('>', 1).evaluate('not an object')).toBeUndefined()
})

test('equality compares numbers numerically and everything else as text', () => {
  expect(holds('==', 42.5, '42.50')).toBe(true)
  expect(holds('==', '1e2', 100)).toBe(true)
  expect(holds('==', 'down', 'down')).toBe(true)
  expect(holds('==', 'down', 'Down')).toBe(false)
  expect(holds('==', 'false', false)).toBe(true)
  expect(holds('==', 'null', null)).toBe(true)
  expect(holds('==', 5, 'five')).toBe(false)
})

test('not-equal is the opposite of equal', () => {
  expect(holds('!=', 'up', 'down')).toBe(true)
  expect(holds('!=', 200, 200)).toBe(false)
})

test('equality gives no reading for objects and arrays', () => {
  expect(holds('==', 'x', { a: 1 })).toBeUndefined()
  expect(holds('!=', 'x', ['x'])).toBeUndefined()
})

test('contains finds a substring or an equal array element', () => {
  expect(holds('contains', 'err', 'an error occurred')).toBe(true)
  expect(holds('contains', 'ERR', 'an error occurred')).toBe(false)
  expect(holds('contains', 'db', ['api', 'db'])).toBe(true)
  expect(holds('contains', 3, ['1', '3'])).toBe(true)
  expect(holds('contains', 'x', [])).toBe(false)
})

test('contains gives no reading for numbers and objects', () => {
  expect(holds('contains', 1, 123)).toBeUndefined()
  expect(holds('contains', 'a', { a: 1 })).toBeUndefined()
})

test('matches tests the text of strings, numbers and booleans', () => {
  expect(holds('matches', '^5\\d\\d$', 503)).toBe(true)
  expect(holds('matches', '^5\\d\\d$', '200')).toBe(false)
  expect(holds('matches', 'tim(e|ed) ?out', 'request timed out')).toBe(true)
  expect(holds('matches', '^true$', true)).toBe(true)
  expect(holds('matches', 'x', { x: 1 })).toBeUndefined()
})

test('matches examines only the first 1024 characters of a value', () => {
  const text = `${'a'.repeat(MATCH_INPUT_MAX_CHARS)}NEEDLE`
  expect(holds('matches', 'NEEDLE', text)).toBe(false)
  expect(holds('matches', 'NEEDLE', text.slice(10))).toBe(true)
})

test('a catastrophic pattern gives no reading instead of hanging', () => {
  const started = performance.now()
  expect(holds('matches', '^(a+)+$', `${'a'.repeat(40)}!`)).toBeUndefined()
  expect(performance.now() - started).toBeLessThan(1000)
  expect(holds('matches', '^(a+)+$', 'aaaa')).toBe(true)
})

test('patterns with a repeated group that repeats or alternates are run guarded', () => {
  for (const pattern of ['(a+)+', '(a|aa)*$', '(\\.\\d+)*', '((ab)*c)+', '(?:x+){2,}', '(a*)*?'])
    expect(mayBacktrackExponentially(pattern), pattern).toBe(true)
  for (const pattern of ['a+b*', '(ab)+', '(a|b)?', '[(a+)+]', '\\(a+\\)+', '(a+){1}', 'x{2}(ab)*'])
    expect(mayBacktrackExponentially(pattern), pattern).toBe(false)
  const guarded = compileTextMatcher('(a+)+')
  expect(guarded.ok && guarded.matcher.guarded).toBe(true)
})

test('an invalid regex is a clear error when the rule is set', () => {
  expect(problems({ operator: 'matches', value: '(unclosed' })).toEqual([
    expect.stringMatching(/^value: invalid regular expression: .*unclosed/i) as unknown as string,
  ])
})

test('a malformed path is an error with its position', () => {
  expect(problems({ source: { feedId: 'api', path: 'a..b' } })).toEqual([
    'source.path: path "a..b": empty segment at position 2',
  ])
})

test('an ordering operator needs a numeric value', () => {
  expect(problems({ operator: '>=', value: 'high' })).toEqual(['value: must be a number for ">="'])
})

test('a recovery threshold on the firing side of the value is refused', () => {
  expect(problems({ operator: '>', value: 90, recoveryValue: 95 })).toEqual([
    'recoveryValue: must be at most the value (90) for ">": the alert resolves once the value is below it',
  ])
  expect(problems({ operator: '<', value: 10, recoveryValue: 5 })).toHaveLength(1)
  expect(problems({ operator: '<', value: 10, recoveryValue: 15 })).toEqual([])
})

test('a recovery threshold is refused for operators that do not order', () => {
  expect(problems({ operator: '==', value: 1, recoveryValue: 0 })).toEqual([
    'recoveryValue: applies only to the operators >, >=, < and <=',
  ])
})

test('with a recovery threshold a value between it and the value neither holds nor recovers', () => {
  const cpu = condition('>', 90, 80)
  expect(cpu.evaluate({ v: 95 })).toEqual({ holds: true, recovered: false, value: 95 })
  expect(cpu.evaluate({ v: 85 })).toEqual({ holds: false, recovered: false, value: 85 })
  expect(cpu.evaluate({ v: 79 })).toEqual({ holds: false, recovered: true, value: 79 })
})

test('every problem of every rule is reported at once, duplicate ids included', () => {
  const rules: AlertRule[] = [
    rule({ id: 'a', operator: 'matches', value: '[' }),
    rule({ id: 'a' }),
    rule({ id: 'b', pendingSeconds: -1 }),
  ]
  expect(() => compileRules(rules)).toThrow(AlertRuleError)
  try {
    compileRules(rules)
  } catch (error) {
    expect((error as AlertRuleError).problems.map((problem) => problem.ruleId)).toEqual([
      'a',
      'a',
      'b',
    ])
    expect((error as Error).message).toMatch(/^rule "a": value: invalid regular expression/)
  }
})

test('long string values are cut in what the alert shows', () => {
  const value = condition('contains', 'x').evaluate({ v: `x${'y'.repeat(500)}` })?.value
  expect(typeof value === 'string' && value.length).toBe(200)
  expect(String(value).endsWith('…')).toBe(true)
})
