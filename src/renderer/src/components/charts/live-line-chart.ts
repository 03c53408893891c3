import { Chart, type ChartConfiguration, type Plugin } from 'chart.js'
import {
  LINE_DASHES,
  liveChartConfig,
  niceBounds,
  type ChartLook,
  type ValueFormat,
} from './chart-setup'
import type { ChartTheme } from './chart-theme'
import { CHART_WINDOW_MS, type ChartWindow } from './chart-window'
import { drawProbe, frameHasTime } from './redraw-scheduler'
import type { SeriesBuffer, SeriesPoint } from './series-buffer'
import { thresholdPlugin } from './threshold-plugin'
import type { Threshold } from './thresholds'

/** What a {@link LiveLineChart} draws and how. */
export interface LiveLineChartOptions {
  readonly buffers: readonly SeriesBuffer[]
  readonly labels: readonly string[]
  readonly window: ChartWindow
  /** The unit and decimals of the values (axis ticks, tooltips). */
  readonly format: ValueFormat
  readonly theme: ChartTheme
  readonly look: ChartLook
  /** Read on every full draw, so rule edits show without a rebuild. */
  readonly thresholds: () => readonly Threshold[]
  /** The engine's clock: the right edge of the window. */
  readonly now: () => number
  /**
   * Asks for another frame: after Chart.js redrew by itself (hover, resize), and when a full draw
   * that was due waited for a frame with time left.
   */
  readonly requestFrame: () => void
}

/** A line breaks where points are further apart than this many usual intervals… */
const GAP_INTERVALS = 5
/** …and never for less than this. */
const GAP_FLOOR_MS = 5000
/** More new points than this since the last draw (a panel back in view) are drawn in full. */
const MAX_APPENDED_POINTS = 500
/**
 * The least time a full draw's window reaches ahead of now. On a short window a pixel is little
 * time (120 ms for 1 minute on 500 pixels), and a full draw per pixel would cost most of what
 * appending saves; a few pixels of lead keep full draws at most twice a second.
 */
const MIN_LEAD_MS = 500
/** Frames a due full draw may wait for one with time left (each about 17 ms of added latency). */
const MAX_DEFERRED_FRAMES = 2

/**
 * A Chart.js line chart over live buffers, drawn two ways:
 *
 * - **In full** (`chart.update('none')`: scales, ticks, decimation, every line) when the window has
 *   moved by a pixel, the y range no longer holds the new values, history was put in front of a
 *   series, or anything else changed. The
 *   window's right edge is then put one pixel of time (at least {@link MIN_LEAD_MS}) ahead of now,
 *   so the points of that much time land inside the plot.
 * - **By appending** in between: the few points that arrived since the last draw are stroked onto
 *   the canvas from the last drawn point, with the dataset's own colour, width and dash, clipped to
 *   the plot area, using the scales of the last full draw. A 5-minute window on a 500-pixel plot
 *   moves one pixel every 600 ms, so a feed with a batch every 50 ms costs one full draw in twelve.
 *
 * Chart.js's full update re-resolves every option and lays out every scale, which made 12 charts
 * at 20 updates a second cost most of a core; the append path keeps each new point on screen within
 * one frame of its batch for a fraction of that.
 */
export class LiveLineChart {
  private readonly chart: Chart<'line', SeriesPoint[]>
  private readonly config: ChartConfiguration<'line', SeriesPoint[]>
  /** Per series, `appended` of its buffer when its points were last drawn. */
  private readonly drawnUpTo: number[]
  /** Per series, `rewrites` of its buffer at the last full draw. */
  private readonly rewritesSeen: number[]
  /** The next draw must be a full one. */
  private fullPending = true
  /** Engine time until which the last full draw's window still holds. */
  private fullUntil = Number.NEGATIVE_INFINITY
  /** Frames the due full draw has waited so far (see {@link MAX_DEFERRED_FRAMES}). */
  private framesDeferred = 0
  /** True while our own update runs; any other render is Chart.js's (hover, resize). */
  private updating = false

  constructor(
    canvas: HTMLCanvasElement,
    private readonly options: LiveLineChartOptions,
  ) {
    this.config = liveChartConfig(
      options.buffers.map((buffer, index) => ({
        label: options.labels[index] ?? '',
        points: buffer.points,
      })),
      options.window,
      options.format,
      options.theme,
      options.look,
    )
    const watchRenders: Plugin<'line'> = {
      id: 'feedwatchForeignRender',
      afterRender: () => {
        if (this.updating) return
        this.fullPending = true
        options.requestFrame()
      },
    }
    this.config.plugins = [
      thresholdPlugin(
        options.thresholds,
        () => options.theme,
        () => options.look.fontSize - 1,
      ),
      watchRenders,
    ]
    this.drawnUpTo = options.buffers.map((buffer) => buffer.appended)
    this.rewritesSeen = options.buffers.map((buffer) => buffer.rewrites)
    this.updating = true
    this.chart = new Chart(canvas, this.config)
    this.updating = false
  }

  /**
   * Draws what changed: appends new points if it can, else draws in full. A full draw that is only
   * due because the window moved waits for a frame with time left, if appending can hold the fort.
   */
  draw(): void {
    const now = this.options.now()
    const rewritten = this.options.buffers.some(
      (buffer, index) => buffer.rewrites !== this.rewritesSeen[index],
    )
    const full =
      this.fullPending ||
      rewritten ||
      (now < this.fullUntil ? !this.append() : frameHasTime() || !this.append())
    if (full) {
      // Charts fed by one feed all need a full draw in the same frame (a value left every y range):
      // a frame already spent passes it on, a bounded number of times, so no frame draws them all.
      if (!frameHasTime() && this.framesDeferred < MAX_DEFERRED_FRAMES) {
        this.framesDeferred++
        this.options.requestFrame()
        return
      }
      this.drawFull(now)
      this.framesDeferred = 0
    } else if (now >= this.fullUntil) this.options.requestFrame()
    this.reportDrawn()
  }

  /** Makes the next draw a full one (thresholds or theme changed). */
  invalidate(): void {
    this.fullPending = true
  }

  destroy(): void {
    this.chart.destroy()
  }

  private drawFull(now: number): void {
    const { chart, options } = this
    const windowMs = CHART_WINDOW_MS[options.window]
    const area = chart.chartArea
    const plotWidth = area === undefined ? chart.width : Math.max(1, area.right - area.left)
    const pixelMs = windowMs / plotWidth
    const leadMs = Math.max(pixelMs, MIN_LEAD_MS)
    const max = now + leadMs
    const min = max - windowMs
    // Options are written to our own config object: Chart.js merges it afresh on every update.
    const scales = this.config.options?.scales ?? {}
    const x = scales['x']
    if (x !== undefined) {
      x.min = min
      x.max = max
    }
    const y = scales['y']
    if (y !== undefined) {
      // The y axis takes in what the window shows and the thresholds (you see how close a value is).
      let low = Number.POSITIVE_INFINITY
      let high = Number.NEGATIVE_INFINITY
      for (const buffer of options.buffers) {
        const range = buffer.rangeSince(min)
        if (range === undefined) continue
        low = Math.min(low, range.min)
        high = Math.max(high, range.max)
      }
      for (const threshold of options.thresholds()) {
        low = Math.min(low, threshold.value)
        high = Math.max(high, threshold.value)
      }
      const bounds = low <= high ? niceBounds(low, high) : undefined
      y.min = bounds?.min
      y.max = bounds?.max
    }
    // Break lines where data is missing (a feed that was down) instead of bridging the gap; the
    // break must be wider than what decimation leaves between neighbouring pixels.
    chart.data.datasets.forEach((dataset, index) => {
      const interval = options.buffers[index]?.typicalIntervalMs() ?? 0
      dataset.spanGaps = Math.max(GAP_FLOOR_MS, GAP_INTERVALS * interval, 4 * pixelMs)
    })
    this.updating = true
    try {
      chart.update('none')
    } finally {
      this.updating = false
    }
    this.fullPending = false
    this.fullUntil = now + leadMs
    options.buffers.forEach((buffer, index) => (this.rewritesSeen[index] = buffer.rewrites))
  }

  /** Strokes the points that arrived since the last draw; false when only a full draw will do. */
  private append(): boolean {
    const { chart, options } = this
    const xScale = chart.scales['x']
    const yScale = chart.scales['y']
    const area = chart.chartArea
    if (xScale === undefined || yScale === undefined || area === undefined) return false
    const strokes: { index: number; from: number }[] = []
    for (let index = 0; index < options.buffers.length; index++) {
      const buffer = options.buffers[index] as SeriesBuffer
      const fresh = buffer.appended - (this.drawnUpTo[index] ?? 0)
      if (fresh === 0) continue
      const points = buffer.points
      const from = points.length - fresh - 1
      if (fresh > MAX_APPENDED_POINTS || from < 0) return false
      const gap = chart.data.datasets[index]?.spanGaps
      let previous = points[from] as SeriesPoint
      for (let i = from + 1; i < points.length; i++) {
        const point = points[i] as SeriesPoint
        if (point.x > xScale.max || point.y < yScale.min || point.y > yScale.max) return false
        if (typeof gap === 'number' && point.x - previous.x > gap) return false
        previous = point
      }
      strokes.push({ index, from })
    }
    if (strokes.length === 0) return true
    const { ctx } = chart
    ctx.save()
    ctx.beginPath()
    ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top)
    ctx.clip()
    for (const { index, from } of strokes) {
      const dataset = chart.data.datasets[index]
      const points = (options.buffers[index] as SeriesBuffer).points
      if (dataset === undefined) continue
      ctx.strokeStyle = String(dataset.borderColor)
      ctx.lineWidth = Number(dataset.borderWidth)
      ctx.setLineDash(LINE_DASHES[index % LINE_DASHES.length] ?? [])
      ctx.lineJoin = 'round'
      ctx.beginPath()
      const first = points[from] as SeriesPoint
      ctx.moveTo(xScale.getPixelForValue(first.x), yScale.getPixelForValue(first.y))
      for (let i = from + 1; i < points.length; i++) {
        const point = points[i] as SeriesPoint
        ctx.lineTo(xScale.getPixelForValue(point.x), yScale.getPixelForValue(point.y))
      }
      ctx.stroke()
    }
    ctx.restore()
    return true
  }

  /** Tells the benchmark's probe, if one is installed, which points reached the screen. */
  private reportDrawn(): void {
    const probe = drawProbe()
    const times: number[] = []
    this.options.buffers.forEach((buffer, index) => {
      const fresh = Math.min(buffer.appended - (this.drawnUpTo[index] ?? 0), buffer.points.length)
      this.drawnUpTo[index] = buffer.appended
      if (probe === undefined) return
      for (let i = buffer.points.length - fresh; i < buffer.points.length; i++)
        times.push((buffer.points[i] as SeriesPoint).x)
    })
    if (probe !== undefined && times.length > 0) probe.drawn(times)
  }
}
