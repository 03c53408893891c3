import {
  Chart,
  Decimation,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js'
import { formatTick, formatValue } from '../../../../shared/units'
import type { ChartWindow } from './chart-window'
import { TICK_STEP_MS } from './chart-window'
import type { ChartTheme } from './chart-theme'
import type { SeriesPoint } from './series-buffer'
import { formatClock } from './value-format'

// Only what a live line chart needs, so the bundle carries no other controller or plugin.
Chart.register(LineController, LineElement, PointElement, LinearScale, Decimation, Tooltip)

/** Line patterns by series index; the legend's swatches repeat them with CSS border styles. */
export const LINE_DASHES: readonly number[][] = [[], [6, 3], [2, 3]]

/** One line of a chart. */
export interface LineSpec {
  readonly label: string
  readonly points: SeriesPoint[]
}

/** How a chart looks where it is shown: a card in the charts view, or a panel on the wall. */
export interface ChartLook {
  readonly fontSize: number
  readonly lineWidth: number
  /** Tooltips on hover; the wall has no pointer, so no event listeners there. */
  readonly interactive: boolean
}

export const CARD_LOOK: ChartLook = { fontSize: 12, lineWidth: 1.5, interactive: true }
export const WALL_LOOK: ChartLook = { fontSize: 18, lineWidth: 3, interactive: false }

/** Labels of recent ticks: the same few values recur on every draw, and Intl formatting is slow. */
const labelCache = new Map<string, string>()

function cached(key: string, make: () => string): string {
  let label = labelCache.get(key)
  if (label === undefined) {
    if (labelCache.size >= 2000) labelCache.clear()
    label = make()
    labelCache.set(key, label)
  }
  return label
}

const clockLabel = (value: number, seconds: boolean): string =>
  cached(`c${value}${seconds ? 's' : ''}`, () => formatClock(value, seconds))
const tickLabel = (value: number, step: number, unit: string): string =>
  cached(`t${value}|${step}|${unit}`, () => formatTick(value, step, unit))

/** 1, 2 or 5 times a power of ten, at least `raw`: a step people read easily. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw))
  const fraction = raw / power
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power
}

/**
 * The y axis around values from `min` to `max`: 5 % room on both sides (not across zero), widened
 * to round steps of about a fifth of the range. Setting the bounds spares Chart.js a pass over every point per draw.
 */
export function niceBounds(min: number, max: number): { min: number; max: number } {
  let low = min
  let high = max
  if (low === high) {
    const pad = Math.abs(low) * 0.1 || 1
    low -= pad
    high += pad
  }
  const room = (high - low) * 0.05
  // The room never crosses zero: a latency axis must not go negative because of it.
  low = min >= 0 ? Math.max(0, low - room) : low - room
  high = max <= 0 ? Math.min(0, high + room) : high + room
  // A series of zeros only: both rules above pinned the range to 0; give it a unit above.
  if (high <= low) high = low + 1
  const step = niceStep((high - low) / 5)
  return { min: Math.floor(low / step) * step, max: Math.ceil(high / step) * step }
}

/**
 * More time ticks than this means the axis has no time window yet: a chart is built before its first
 * draw sets one, and Chart.js's own range (from 0 when a series is empty) would ask for a tick every
 * 10 s since 1970, hundreds of millions, and hang the page.
 */
const MAX_TIME_TICKS = 500

/** Ticks at multiples of `step` in local time (a zone may be offset by half an hour). */
export function roundTimeTicks(min: number, max: number, step: number): { value: number }[] {
  if (!((max - min) / step <= MAX_TIME_TICKS)) return []
  const zone = -new Date(min).getTimezoneOffset() * 60_000
  const ticks: { value: number }[] = []
  for (let t = Math.ceil((min + zone) / step) * step - zone; t <= max; t += step)
    ticks.push({ value: t })
  return ticks
}

/** How a chart's values read: a unit of `src/shared/units.ts` and, optionally, fixed decimals. */
export interface ValueFormat {
  readonly unit: string
  readonly decimals?: number | undefined
}

/**
 * A line chart set up for live data: no animation, `parsing: false` with sorted `{x, y}` points the
 * buffers hand over as they are (`normalized`), min-max decimation down to the pixels there are, no
 * point markers, and fixed x bounds that the owner moves on every draw. Ticks and tooltips give
 * values in the chart's unit.
 */
export function liveChartConfig(
  lines: readonly LineSpec[],
  window: ChartWindow,
  format: ValueFormat,
  theme: ChartTheme,
  look: ChartLook,
): ChartConfiguration<'line', SeriesPoint[]> {
  const font = { family: theme.font, size: look.fontSize }
  const withUnit = (value: number): string => formatValue(value, format.unit, format.decimals)
  return {
    type: 'line',
    data: {
      datasets: lines.map((line, index) => ({
        label: line.label,
        data: line.points,
        borderColor: theme.series[index % theme.series.length],
        backgroundColor: theme.series[index % theme.series.length],
        borderWidth: look.lineWidth,
        // Dashes set lines apart by more than colour (the legend shows the same: solid, dashed, dotted).
        borderDash: LINE_DASHES[index % LINE_DASHES.length],
        pointRadius: 0,
        pointHoverRadius: look.interactive ? 3 : 0,
        pointHitRadius: look.interactive ? 6 : 0,
        tension: 0,
        spanGaps: true,
      })),
    },
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      responsive: true,
      maintainAspectRatio: false,
      events: look.interactive ? ['mousemove', 'mouseout', 'touchstart', 'touchmove'] : [],
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      plugins: {
        decimation: { enabled: true, algorithm: 'min-max' },
        tooltip: {
          enabled: look.interactive,
          callbacks: {
            title: (items) => (items[0] ? formatClock(items[0].parsed.x ?? 0) : ''),
            label: (item) => `${item.dataset.label ?? ''}: ${withUnit(item.parsed.y ?? 0)}`,
          },
        },
      },
      scales: {
        x: {
          type: 'linear',
          border: { color: theme.grid },
          grid: { color: theme.grid, lineWidth: 0.5 },
          // Ticks on round times of day (every 10 s, minute, 3 or 10 minutes), not at the window's
          // edges: Chart.js would start them at `min` when the window is a whole number of steps.
          afterBuildTicks: (axis) => {
            axis.ticks = roundTimeTicks(axis.min, axis.max, TICK_STEP_MS[window])
          },
          ticks: {
            color: theme.muted,
            font,
            maxRotation: 0,
            autoSkipPadding: 16,
            callback: (value) => clockLabel(Number(value), window === '1m'),
          },
        },
        y: {
          // min and max are set on every draw (see niceBounds).
          type: 'linear',
          border: { color: theme.grid },
          grid: { color: theme.grid, lineWidth: 0.5 },
          ticks: {
            color: theme.muted,
            font,
            maxTicksLimit: 6,
            callback: (value, index, ticks) => {
              const step = Math.abs((ticks[1]?.value ?? 0) - (ticks[0]?.value ?? 0))
              return tickLabel(Number(value), step, format.unit)
            },
          },
        },
      },
    },
  }
}
