import { expect, test } from 'vitest'
import {
  formatValue,
  ruleFormat,
  ruleSummary,
} from '../../../src/renderer/src/components/alerts/alert-text'
import type { AlertRule, Panel } from '../../../src/shared/profile'

const cpu = { feedId: 'demo', event: 'metrics', path: 'cpu' }
const rule = {
  id: 'cpu-high',
  kind: 'condition',
  name: 'CPU above 90 %',
  enabled: true,
  severity: 'warning',
  repeatIntervalSeconds: 0,
  source: cpu,
  operator: '>',
  value: 0.9,
  pendingSeconds: 5,
  recoveryValue: 0.8,
} as AlertRule
const cpuChart: Panel = {
  id: 'cpu-chart',
  kind: 'chart',
  title: 'CPU',
  window: '5m',
  unit: 'percentunit',
  series: [cpu],
}

test('a rule reads in the unit of the panels that show its field', () => {
  const format = ruleFormat(rule, [cpuChart])
  expect(ruleSummary(rule, format)).toBe(
    'cpu > 90 % on "metrics" events for 5 s, resolves below 80 %',
  )
  expect(formatValue(0.95, format)).toBe('95 %')
})

test('without such a panel a rule reads its numbers as they are', () => {
  expect(ruleFormat(rule, [])).toBeUndefined()
  expect(ruleSummary(rule)).toBe('cpu > 0.9 on "metrics" events for 5 s, resolves below 0.8')
  expect(formatValue('up', ruleFormat(rule, [cpuChart]))).toBe('"up"')
  expect(ruleFormat(undefined, [cpuChart])).toBeUndefined()
})
