import { expect, test } from 'vitest'
import { compileCondition, type Condition } from '../../src/main/alerts/condition'
import { compileRules } from '../../src/main/alerts/compiled-rule'
import { AlertRuleError } from '../../src/main/alerts/alert-rule-error'
import { compileTextMatcher, MATCH_INPUT_MAX_CHARS } from '../../src/main/alerts/text-matcher'
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

/** The reading for `{ v: raw }`, which must not be an untested value. */
function reading(condition: Condition, raw: unknown) {
  const result = condition.evaluate({ v: raw })
  if (result !== undefined && 'untested' in result) throw new Error(result.untested)
  return result
}

/** Whether the condition holds for `{ v: raw }`; undefined when the event gives no reading. */
function holds(operator: Comparison, value: number | string, raw: unknown): boolean | undefined {
  return reading(condition(operator, value), raw)?.holds
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

test('matches tests the whole of a 2,000-character value', () => {
  const text = `${'x'.repeat(1995)}ERROR`
  expect(text).toHaveLength(2000)
  expect(holds('matches', 'ERROR$', text)).toBe(true)
  expect(holds('matches', 'ERROR$', `${text}.`)).toBe(false)
})

test('a catastrophic pattern answers correctly and at once on a long value', () => {
  const started = performance.now()
  expect(holds('matches', '(a+)+$', `${'a'.repeat(5000)}b`)).toBe(false)
  expect(holds('matches', '^(a+)+$', `${'a'.repeat(40)}!`)).toBe(false)
  expect(holds('matches', '^(a+)+$', 'aaaa')).toBe(true)
  expect(performance.now() - started).toBeLessThan(100)
})

test('a value over the length limit is reported as untested instead of half-tested', () => {
  const long = condition('matches', 'NEEDLE').evaluate({
    v: `${'a'.repeat(MATCH_INPUT_MAX_CHARS)}NEEDLE`,
  })
  expect(long).toEqual({
    untested: `a value of ${MATCH_INPUT_MAX_CHARS + 6} characters was not tested: "matches" tests values of up to ${MATCH_INPUT_MAX_CHARS}`,
  })
  expect(holds('matches', 'NEEDLE', `${'a'.repeat(MATCH_INPUT_MAX_CHARS - 6)}NEEDLE`)).toBe(true)
})

test('backreferences are refused with the reason when the rule is set', () => {
  for (const pattern of ['(a)\\1', '(?<x>a)\\k<x>'])
    expect(problems({ operator: 'matches', value: pattern }), pattern).toEqual([
      'value: backreferences (\\1, \\k<name>) are not supported: patterns run on RE2, which never backtracks',
    ])
})

test('lookahead and lookbehind are refused with the reason when the rule is set', () => {
  for (const pattern of ['foo(?=bar)', '(?!x)y', '(?<=a)b', '(?<!a)b'])
    expect(problems({ operator: 'matches', value: pattern }), pattern).toEqual([
      expect.stringMatching(
        /^value: lookahead and lookbehind .* are not supported: patterns run on RE2/,
      ) as unknown as string,
    ])
})

test('escaped parentheses and classes holding lookaround characters are not mistaken for lookaround', () => {
  for (const pattern of ['\\(?=', '[(?=]', '[]1]\\d'])
    expect(compileTextMatcher(pattern).ok, pattern).toBe(true)
})

test('an invalid regex is a clear error when the rule is set', () => {
  expect(problems({ operator: 'matches', value: '(unclosed' })).toEqual([
    expect.stringMatching(
      /^value: invalid regular expression \(RE2 syntax\): .*unclosed/i,
    ) as unknown as string,
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
  const value = reading(condition('contains', 'x'), `x${'y'.repeat(500)}`)?.value
  expect(typeof value === 'string' && value.length).toBe(200)
  expect(String(value).endsWith('…')).toBe(true)
})
