import { expect, test } from 'vitest'
import {
  breaches,
  comparisonWords,
  thresholdsFor,
  worstBreach,
  type Threshold,
} from '../../../src/renderer/src/components/charts/thresholds'
import type { AlertRule, Comparison } from '../../../src/shared/profile'

const cpu = { feedId: 'demo', event: 'metrics', path: 'cpu' }

function rule(id: string, change: Partial<AlertRule> = {}): AlertRule {
  return {
    id,
    kind: 'condition',
    name: 'CPU above 90 %',
    enabled: true,
    severity: 'warning',
    repeatIntervalSeconds: 0,
    source: cpu,
    operator: '>',
    value: 0.9,
    pendingSeconds: 0,
    ...change,
  } as AlertRule
}

test('a rule on the same field gives a threshold labelled in the panel unit', () => {
  const [threshold] = thresholdsFor([cpu], [rule('a')], 'percentunit')
  expect(threshold?.label).toBe('CPU above 90 % (warning: > 90 %)')
  expect(threshold?.value).toBe(0.9)
})

test('without a unit the label shows the rule value as it is', () => {
  expect(thresholdsFor([cpu], [rule('a')])[0]?.label).toBe('CPU above 90 % (warning: > 0.9)')
})

test('disabled, textual and other-field rules give no threshold', () => {
  const rules = [
    rule('off', { enabled: false }),
    rule('text', { operator: 'contains', value: 'x' } as Partial<AlertRule>),
    rule('string', { value: '5' } as Partial<AlertRule>),
    rule('other', { source: { ...cpu, path: 'mem' } } as Partial<AlertRule>),
    rule('event', { source: { ...cpu, event: 'other' } } as Partial<AlertRule>),
    {
      id: 'down',
      kind: 'feed-down',
      name: 'down',
      enabled: true,
      severity: 'critical',
      repeatIntervalSeconds: 0,
      feedId: 'demo',
      forSeconds: 10,
    } as AlertRule,
  ]
  expect(thresholdsFor([cpu], rules)).toEqual([])
})

test('a rule for every event applies to a series of one event name', () => {
  const anyEvent = rule('any', { source: { feedId: 'demo', path: 'cpu' } } as Partial<AlertRule>)
  expect(thresholdsFor([cpu], [anyEvent])).toHaveLength(1)
})

test('thresholds come most severe first and the worst breach wins', () => {
  const thresholds = thresholdsFor(
    [cpu],
    [rule('warn', { value: 0.8 }), rule('crit', { severity: 'critical', value: 0.95 })],
  )
  expect(thresholds.map((t) => t.ruleId)).toEqual(['crit', 'warn'])
  expect(worstBreach(0.97, thresholds)?.ruleId).toBe('crit')
  expect(worstBreach(0.85, thresholds)?.ruleId).toBe('warn')
  expect(worstBreach(0.5, thresholds)).toBeUndefined()
})

test('each comparison breaches as its operator says and has words', () => {
  const at = (operator: Comparison): Threshold => ({
    ruleId: 'r',
    value: 5,
    operator,
    severity: 'info',
    label: '',
  })
  const cases: [Comparison, number, boolean, string][] = [
    ['>', 6, true, 'above'],
    ['>=', 5, true, 'at or above'],
    ['<', 5, false, 'below'],
    ['<=', 5, true, 'at or below'],
    ['==', 5, true, 'equal to'],
    ['!=', 5, false, 'not equal to'],
    ['contains', 5, false, 'contains'],
  ]
  for (const [operator, value, breached, words] of cases) {
    expect(breaches(value, at(operator))).toBe(breached)
    expect(comparisonWords(operator)).toBe(words)
  }
})
