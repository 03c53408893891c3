import type { Chart } from '../../../../shared/profile'

/** A chart's time window: `1m`, `5m`, `15m` or `1h`. */
export type ChartWindow = Chart['window']

export const CHART_WINDOWS: readonly ChartWindow[] = ['1m', '5m', '15m', '1h']

export const CHART_WINDOW_MS: Readonly<Record<ChartWindow, number>> = {
  '1m': 60_000,
  '5m': 5 * 60_000,
  '15m': 15 * 60_000,
  '1h': 60 * 60_000,
}

/** Words for a window: `1 minute`, `1 hour`. */
export const CHART_WINDOW_WORDS: Readonly<Record<ChartWindow, string>> = {
  '1m': '1 minute',
  '5m': '5 minutes',
  '15m': '15 minutes',
  '1h': '1 hour',
}

/** Time between x-axis ticks, on round clock times. */
export const TICK_STEP_MS: Readonly<Record<ChartWindow, number>> = {
  '1m': 10_000,
  '5m': 60_000,
  '15m': 3 * 60_000,
  '1h': 10 * 60_000,
}
