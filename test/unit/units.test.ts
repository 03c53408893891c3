import { expect, test } from 'vitest'
import { fieldFormat } from '../../src/shared/field-unit'
import type { Panel } from '../../src/shared/profile'
import {
  UNIT_IDS,
  UNIT_LABELS,
  autoDecimals,
  formatNumber,
  formatParts,
  formatTick,
  formatValue,
  isUnitId,
  unitName,
} from '../../src/shared/units'

test('a fraction in percent (0.0–1.0) reads as a whole percentage', () => {
  expect(formatValue(0.46, 'percentunit')).toBe('46 %')
  expect(formatValue(0.4612, 'percentunit', 1)).toBe('46.1 %')
})

test('percent (0–100) keeps the number and adds the sign', () => {
  expect(formatValue(46, 'percent')).toBe('46 %')
})

test('milliseconds scale to seconds, minutes and hours as they grow', () => {
  expect(formatValue(45, 'ms')).toBe('45 ms')
  expect(formatValue(1500, 'ms')).toBe('1.5 s')
  expect(formatValue(90_000, 'ms')).toBe('1.5 min')
  expect(formatValue(7_200_000, 'ms')).toBe('2 h')
  expect(formatValue(2 * 86_400_000, 'ms')).toBe('2 day')
})

test('seconds scale to minutes and hours', () => {
  expect(formatValue(12, 's')).toBe('12 s')
  expect(formatValue(120, 's')).toBe('2 min')
  expect(formatValue(5400, 's')).toBe('1.5 h')
})

test('bytes scale by 1024 with IEC names', () => {
  expect(formatValue(512, 'bytes')).toBe('512 B')
  expect(formatValue(2048, 'bytes')).toBe('2 KiB')
  expect(formatValue(3 * 1024 ** 2, 'bytes')).toBe('3 MiB')
  expect(formatValue(1.5 * 1024 ** 3, 'bytes')).toBe('1.5 GiB')
})

test('bits per second scale by 1000', () => {
  expect(formatValue(800, 'bps')).toBe('800 b/s')
  expect(formatValue(12_500_000, 'bps')).toBe('12.5 Mb/s')
})

test('requests per second and a unit of ones own are written after the number', () => {
  expect(formatValue(120, 'reqps')).toBe('120 req/s')
  expect(formatValue(21.5, '°C')).toBe('21.5 °C')
})

test('no unit gives the number alone', () => {
  expect(formatValue(0.43, 'none')).toBe('0.43')
  expect(formatValue(0.43)).toBe('0.43')
})

test('decimals fix the digits after the point', () => {
  expect(formatValue(2, 'ms', 2)).toBe('2.00 ms')
  expect(formatNumber(1234.5678, 0)).toBe('1,235')
})

test('automatic decimals follow the size of the value', () => {
  expect(formatNumber(1234.4)).toBe('1,234')
  expect(formatNumber(45.67)).toBe('45.7')
  expect(formatNumber(1.234)).toBe('1.23')
  expect(formatNumber(0.4312)).toBe('0.43')
  expect(formatNumber(0.0012)).toBe('0.0012')
  expect(autoDecimals(7)).toBe(0)
})

test('numbers that are not finite read as symbols', () => {
  expect(formatNumber(Number.NaN)).toBe('NaN')
  expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('∞')
  expect(formatNumber(Number.NEGATIVE_INFINITY)).toBe('−∞')
})

test('a value in parts gives the number and the suffix apart', () => {
  expect(formatParts(0.46, 'percentunit')).toEqual({ number: '46', suffix: '%' })
  expect(formatParts(5)).toEqual({ number: '5', suffix: '' })
})

test('axis ticks get the decimals their step needs in the scaled unit', () => {
  expect(formatTick(0.495, 0.005, 'percentunit')).toBe('49.5 %')
  expect(formatTick(0.5, 0.005, 'percentunit')).toBe('50 %')
  expect(formatTick(1500, 500, 'ms')).toBe('1.5 s')
  expect(formatTick(0, 500, 'ms')).toBe('0 ms')
  expect(formatTick(0.495, 0.005)).toBe('0.495')
  expect(formatTick(3, 0)).toBe('3')
})

test('short unit names fit a panel header', () => {
  expect(unitName('percentunit')).toBe('%')
  expect(unitName('percent')).toBe('%')
  expect(unitName('reqps')).toBe('req/s')
  expect(unitName('bps')).toBe('b/s')
  expect(unitName('none')).toBe('')
  expect(unitName('ms')).toBe('ms')
})

test('every unit of the list has a label and is known', () => {
  for (const id of UNIT_IDS) {
    expect(UNIT_LABELS[id]).not.toBe('')
    expect(isUnitId(id)).toBe(true)
  }
  expect(isUnitId('req/s')).toBe(false)
})

test("a field's unit comes from the first panel with a unit that shows it", () => {
  const cpu = { feedId: 'demo', event: 'metrics', path: 'cpu' }
  const panels: Panel[] = [
    { id: 't', kind: 'tile', title: 'Raw', unit: '', source: cpu },
    {
      id: 'c',
      kind: 'chart',
      title: 'CPU',
      window: '5m',
      unit: 'percentunit',
      decimals: 1,
      series: [{ feedId: 'demo', path: 'cpu' }],
    },
  ]
  expect(fieldFormat(panels, cpu)).toEqual({ unit: 'percentunit', decimals: 1 })
  expect(fieldFormat(panels, { ...cpu, path: 'mem' })).toBeUndefined()
  expect(fieldFormat(panels, { ...cpu, feedId: 'other' })).toBeUndefined()
})
