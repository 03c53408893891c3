import { expect, test } from 'vitest'
import {
  CHART_WINDOW_MS,
  CHART_WINDOW_WORDS,
  CHART_WINDOWS,
} from '../../../src/renderer/src/components/charts/chart-window'
import { SeriesBuffer } from '../../../src/renderer/src/components/charts/series-buffer'
import { TREND_ARROWS, trendOf } from '../../../src/renderer/src/components/charts/trend'
import {
  formatAge,
  formatClock,
  formatDuration,
} from '../../../src/renderer/src/components/charts/value-format'

function buffer(points: [number, number][]): SeriesBuffer {
  const result = new SeriesBuffer()
  points.forEach(([x, y], index) => result.append(index + 1, x, y))
  return result
}

test('a trend needs a minute of history', () => {
  expect(trendOf(new SeriesBuffer()).direction).toBe('unknown')
  expect(
    trendOf(
      buffer([
        [0, 1],
        [30_000, 2],
      ]),
    ).direction,
  ).toBe('unknown')
})

test('a trend compares the latest value with the one a minute before', () => {
  expect(
    trendOf(
      buffer([
        [0, 10],
        [60_000, 12],
      ]),
    ),
  ).toEqual({
    direction: 'up',
    previous: 10,
    change: 2,
  })
  expect(
    trendOf(
      buffer([
        [0, 10],
        [60_000, 8],
      ]),
    ).direction,
  ).toBe('down')
  expect(
    trendOf(
      buffer([
        [0, 100],
        [60_000, 100.5],
      ]),
    ).direction,
  ).toBe('flat')
})

test('an unknown trend has no arrow, so no stray symbol starts its words', () => {
  expect(TREND_ARROWS.unknown).toBe('')
  expect(TREND_ARROWS.up).toBe('▲')
})

test('ages read in the largest whole unit', () => {
  expect(formatAge(500)).toBe('just now')
  expect(formatAge(4000)).toBe('4 s ago')
  expect(formatAge(180_000)).toBe('3 min ago')
  expect(formatAge(2 * 3_600_000)).toBe('2 h ago')
  expect(formatAge(72 * 3_600_000)).toBe('3 days ago')
})

test('durations read in seconds or minutes', () => {
  expect(formatDuration(500)).toBe('0.5 s')
  expect(formatDuration(12_000)).toBe('12 s')
  expect(formatDuration(180_000)).toBe('3 min')
})

test('clock times have seconds unless asked not to', () => {
  const at = new Date(2026, 0, 1, 14, 3, 20).getTime()
  expect(formatClock(at)).toMatch(/14:03:20|2:03:20/)
  expect(formatClock(at, false)).not.toMatch(/:20/)
})

test('every chart window has a length and words', () => {
  for (const window of CHART_WINDOWS) {
    expect(CHART_WINDOW_MS[window]).toBeGreaterThan(0)
    expect(CHART_WINDOW_WORDS[window]).not.toBe('')
  }
})
