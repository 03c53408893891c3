// @vitest-environment happy-dom
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { installCanvasContext, type RecordingContext } from './canvas-context'
import {
  CARD_LOOK,
  liveChartConfig,
  niceBounds,
  roundTimeTicks,
  WALL_LOOK,
} from '../../../src/renderer/src/components/charts/chart-setup'
import type { ChartTheme } from '../../../src/renderer/src/components/charts/chart-theme'
import {
  onThemeChange,
  readChartTheme,
} from '../../../src/renderer/src/components/charts/chart-theme'
import { LiveLineChart } from '../../../src/renderer/src/components/charts/live-line-chart'
import type { Drawable } from '../../../src/renderer/src/components/charts/redraw-scheduler'
import {
  cancelDraw,
  requestDraw,
} from '../../../src/renderer/src/components/charts/redraw-scheduler'
import { SeriesBuffer } from '../../../src/renderer/src/components/charts/series-buffer'
import { thresholdPlugin } from '../../../src/renderer/src/components/charts/threshold-plugin'
import type { Threshold } from '../../../src/renderer/src/components/charts/thresholds'

const theme: ChartTheme = {
  text: '#000',
  muted: '#555',
  grid: '#ccc',
  surface: '#fff',
  series: ['#111', '#222', '#333'],
  severity: { critical: '#f00', warning: '#fa0', info: '#00f' },
  font: 'sans-serif',
}

let recording: RecordingContext
let canvas: HTMLCanvasElement

beforeEach(() => {
  recording = installCanvasContext()
  canvas = document.createElement('canvas')
  const box = document.createElement('div')
  // happy-dom lays nothing out: the chart's box says how big it is.
  for (const element of [box, canvas]) {
    Object.defineProperty(element, 'clientWidth', { value: 600 })
    Object.defineProperty(element, 'clientHeight', { value: 300 })
    element.getBoundingClientRect = () =>
      ({ x: 0, y: 0, top: 0, left: 0, right: 600, bottom: 300, width: 600, height: 300 }) as DOMRect
  }
  box.style.width = '600px'
  box.style.height = '300px'
  box.append(canvas)
  document.body.append(box)
})

afterEach(() => {
  document.body.innerHTML = ''
})

test('the y axis gets 5 % room and round steps, never crossing zero for positive values', () => {
  expect(niceBounds(10, 90)).toEqual({ min: 0, max: 100 })
  expect(niceBounds(-5, -1)).toEqual({ min: -6, max: -0 })
  const flat = niceBounds(3, 3)
  expect(flat.min).toBeCloseTo(2.6)
  expect(flat.max).toBeCloseTo(3.4)
  expect(niceBounds(0, 0)).toEqual({ min: 0, max: 1 })
})

test('time ticks fall on multiples of the step', () => {
  const ticks = roundTimeTicks(1_000, 61_000, 10_000).map((tick) => tick.value)
  expect(ticks.length).toBeGreaterThanOrEqual(6)
  for (let i = 1; i < ticks.length; i++) expect((ticks[i] ?? 0) - (ticks[i - 1] ?? 0)).toBe(10_000)
})

test('an axis with no time window yet (0 to now) gets no time ticks rather than millions', () => {
  const started = Date.now()
  expect(roundTimeTicks(0, Date.now(), 10_000)).toEqual([])
  expect(Date.now() - started).toBeLessThan(100)
  expect(roundTimeTicks(0, Number.NaN, 10_000)).toEqual([])
})

test('ticks and tooltips give values in the chart unit', () => {
  const config = liveChartConfig(
    [{ label: 'CPU', points: [] }],
    '1m',
    { unit: 'percentunit' },
    theme,
    CARD_LOOK,
  )
  const y = config.options?.scales?.['y'] as {
    ticks: { callback: (value: number, index: number, ticks: { value: number }[]) => string }
  }
  expect(y.ticks.callback(0.5, 1, [{ value: 0.45 }, { value: 0.5 }])).toBe('50 %')
  const x = config.options?.scales?.['x'] as { ticks: { callback: (value: number) => string } }
  expect(x.ticks.callback(new Date(2026, 0, 1, 14, 3, 20).getTime())).toMatch(/03:20/)
  const tooltip = config.options?.plugins?.tooltip?.callbacks as unknown as {
    label: (item: { dataset: { label: string }; parsed: { y: number } }) => string
    title: (items: { parsed: { x: number } }[]) => string
  }
  expect(tooltip.label({ dataset: { label: 'CPU' }, parsed: { y: 0.46 } })).toBe('CPU: 46 %')
  expect(tooltip.title([])).toBe('')
  expect(liveChartConfig([], '5m', { unit: '' }, theme, WALL_LOOK).options?.events).toEqual([])
})

test('a live chart draws in full first, then appends new points between full draws', () => {
  vi.useFakeTimers()
  try {
    const buffer = new SeriesBuffer()
    let now = 100_000
    for (let i = 1; i <= 20; i++) buffer.append(i, now - (20 - i) * 1000, i)
    const frames: number[] = []
    const chart = new LiveLineChart(canvas, {
      buffers: [buffer],
      labels: ['value'],
      window: '1m',
      format: { unit: 'ms' },
      theme,
      look: CARD_LOOK,
      thresholds: () => [
        { ruleId: 'r', value: 15, operator: '>', severity: 'warning', label: 'High (> 15 ms)' },
      ],
      now: () => now,
      requestFrame: () => frames.push(now),
    })
    chart.draw()
    expect(recording.texts).toContain('High (> 15 ms)')
    const before = recording.calls.length
    buffer.append(21, now + 1, 12)
    chart.draw()
    // An append strokes the new point only: a handful of calls, not a whole redraw.
    expect(recording.calls.slice(before)).toContain('lineTo')
    now += 60_000
    chart.invalidate()
    chart.draw()
    chart.destroy()
  } finally {
    vi.useRealTimers()
  }
})

test('a one-minute chart appends for half a second after a full draw, then draws in full', () => {
  const buffer = new SeriesBuffer()
  let now = 100_000
  for (let i = 1; i <= 20; i++) buffer.append(i, now - (20 - i) * 1000, i)
  const label = 'High (> 15 ms)'
  const fullDraws = (): number => recording.texts.filter((text) => text === label).length
  const chart = new LiveLineChart(canvas, {
    buffers: [buffer],
    labels: ['value'],
    window: '1m',
    format: { unit: 'ms' },
    theme,
    look: CARD_LOOK,
    thresholds: () => [{ ruleId: 'r', value: 15, operator: '>', severity: 'warning', label }],
    now: () => now,
    requestFrame: () => undefined,
  })
  chart.draw()
  const afterFirst = fullDraws()
  // 400 ms is several pixels of a one-minute window, but still within the lead of the last full draw.
  now += 400
  buffer.append(21, now, 12)
  chart.draw()
  expect(fullDraws()).toBe(afterFirst)
  now += 200
  buffer.append(22, now, 13)
  chart.draw()
  expect(fullDraws()).toBeGreaterThan(afterFirst)
  chart.destroy()
})

test('a full draw due in a frame already spent waits for a later frame, two frames at most', () => {
  let clock = 0
  vi.spyOn(performance, 'now').mockImplementation(() => clock)
  let frames: FrameRequestCallback[] = []
  vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => frames.push(callback))
  const runFrame = (): void => {
    const due = frames
    frames = []
    for (const frame of due) frame(clock)
  }
  const buffer = new SeriesBuffer()
  for (let i = 1; i <= 20; i++) buffer.append(i, 100_000 - (20 - i) * 1000, i)
  const label = 'High (> 15 ms)'
  const fullDraws = (): number => recording.texts.filter((text) => text === label).length
  // Another panel that spends every frame's budget before this chart's turn.
  const hog: Drawable = {
    visible: true,
    draw: () => {
      clock += 20
      requestDraw(hog)
    },
  }
  const panel: Drawable = { visible: true, draw: () => chart.draw() }
  const chart = new LiveLineChart(canvas, {
    buffers: [buffer],
    labels: ['value'],
    window: '5m',
    format: { unit: 'ms' },
    theme,
    look: CARD_LOOK,
    thresholds: () => [{ ruleId: 'r', value: 15, operator: '>', severity: 'warning', label }],
    now: () => 100_000,
    requestFrame: () => requestDraw(panel),
  })
  try {
    const before = fullDraws()
    requestDraw(hog)
    requestDraw(panel)
    runFrame()
    runFrame()
    expect(fullDraws()).toBe(before)
    runFrame()
    expect(fullDraws()).toBeGreaterThan(before)
  } finally {
    cancelDraw(hog)
    cancelDraw(panel)
    chart.destroy()
    vi.unstubAllGlobals()
    vi.restoreAllMocks()
  }
})

test('thresholds outside the y range are not drawn', () => {
  const plugin = thresholdPlugin(
    () =>
      [
        { ruleId: 'a', value: 5, operator: '>', severity: 'critical', label: 'in range' },
        { ruleId: 'b', value: 500, operator: '>', severity: 'info', label: 'out of range' },
      ] satisfies Threshold[],
    () => theme,
    () => 12,
  )
  const ctx = canvas.getContext('2d') as unknown as CanvasRenderingContext2D
  const chart = {
    ctx,
    chartArea: { left: 0, right: 100, top: 0, bottom: 100 },
    scales: { y: { min: 0, max: 10, getPixelForValue: (value: number) => 100 - value * 10 } },
  }
  plugin.afterDatasetsDraw?.(chart as never, {} as never, {} as never, {} as never)
  expect(recording.texts).toEqual(['in range'])
  thresholdPlugin(
    () => [],
    () => theme,
    () => 12,
  ).afterDatasetsDraw?.(chart as never, {} as never, {} as never, {} as never)
  expect(recording.texts).toEqual(['in range'])
})

test('the chart theme reads the page colours with fallbacks and follows theme changes', async () => {
  document.documentElement.style.setProperty('--fw-text', '#123456')
  const read = readChartTheme(document.documentElement)
  expect(read.text).toBe('#123456')
  expect(read.series).toHaveLength(6)
  const changed = vi.fn()
  const stop = onThemeChange(changed)
  document.documentElement.dataset['theme'] = 'dark'
  await new Promise((resolve) => setTimeout(resolve, 0))
  expect(changed).toHaveBeenCalled()
  stop()
})
