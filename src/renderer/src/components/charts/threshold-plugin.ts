import type { Chart, Plugin } from 'chart.js'
import type { ChartTheme } from './chart-theme'
import type { Threshold } from './thresholds'

/** Line styles per severity, so the lines differ by more than colour. */
const DASHES: Readonly<Record<Threshold['severity'], number[]>> = {
  critical: [],
  warning: [8, 5],
  info: [2, 4],
}

/**
 * A Chart.js plugin that draws alert thresholds as horizontal lines across the plot, each labelled
 * with the rule's name, severity and value. The lines and theme are read on every draw, so a rule
 * edit or a theme change shows without rebuilding the chart.
 */
export function thresholdPlugin(
  lines: () => readonly Threshold[],
  theme: () => ChartTheme,
  fontSize: () => number,
): Plugin<'line'> {
  return {
    id: 'feedwatchThresholds',
    afterDatasetsDraw(chart: Chart<'line'>) {
      const thresholds = lines()
      if (thresholds.length === 0) return
      const { ctx, chartArea } = chart
      const y = chart.scales['y']
      if (y === undefined) return
      const colors = theme()
      const size = fontSize()
      ctx.save()
      ctx.font = `600 ${size}px ${colors.font}`
      ctx.textAlign = 'right'
      ctx.textBaseline = 'bottom'
      for (const threshold of thresholds) {
        if (threshold.value < y.min || threshold.value > y.max) continue
        const pixel = Math.round(y.getPixelForValue(threshold.value)) + 0.5
        const color = colors.severity[threshold.severity]
        ctx.strokeStyle = color
        ctx.lineWidth = threshold.severity === 'critical' ? 2 : 1.5
        ctx.setLineDash(DASHES[threshold.severity])
        ctx.beginPath()
        ctx.moveTo(chartArea.left, pixel)
        ctx.lineTo(chartArea.right, pixel)
        ctx.stroke()
        // The label sits just above its line, on a patch of background so the data cannot hide it.
        const text = threshold.label
        const width = Math.min(ctx.measureText(text).width, chartArea.right - chartArea.left - 8)
        const top = Math.max(chartArea.top, pixel - size - 4)
        ctx.fillStyle = colors.surface
        ctx.globalAlpha = 0.85
        ctx.fillRect(chartArea.right - width - 8, top, width + 6, size + 3)
        ctx.globalAlpha = 1
        ctx.fillStyle = color
        ctx.fillText(
          text,
          chartArea.right - 4,
          top + size + 2,
          chartArea.right - chartArea.left - 8,
        )
      }
      ctx.restore()
    },
  }
}
