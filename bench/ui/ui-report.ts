/**
 * Turns what the two pages recorded into the benchmark's table: case | Chart.js | uPlot anchor |
 * ratio | target met?
 */

/** What one page recorded over one measurement. */
export interface PageMeasurement {
  /** Share of wall time the renderer's main thread was busy (CDP TaskDuration delta / time). */
  readonly busyShare: number
  /** Share of wall time spent in script (CDP ScriptDuration delta / time). */
  readonly scriptShare: number
  /** Tasks over 50 ms (Long Tasks API), their durations. */
  readonly longTasks: readonly number[]
  /** requestAnimationFrame deltas, ms. */
  readonly frames: readonly number[]
  /** Draw time minus `receivedAt` for every point drawn for the first time, ms. */
  readonly latencies: readonly number[]
  readonly seconds: number
}

/** The value at quantile `q` (0…1) of `values`, nearest rank; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[rank] as number
}

/** The median of several rounds' values. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5)
}

interface Row {
  readonly label: string
  readonly ours: number
  readonly anchor: number
  readonly format: (value: number) => string
  /** Words for the target and whether Chart.js met it; absent for rows without a target. */
  readonly target?: { readonly text: string; readonly met: boolean }
}

const percent = (value: number): string => `${(value * 100).toFixed(1)} %`
const ms = (value: number): string => (Number.isNaN(value) ? 'n/a' : `${value.toFixed(1)} ms`)
const count = (value: number): string => value.toFixed(0)
const perSecond = (value: number): string => `${value.toFixed(0)}/s`

/** The rows of the table from the medians over rounds of each page. */
export function reportRows(
  ours: readonly PageMeasurement[],
  anchor: readonly PageMeasurement[],
): Row[] {
  const pick = (list: readonly PageMeasurement[], read: (m: PageMeasurement) => number): number =>
    median(list.map(read))
  const row = (
    label: string,
    read: (m: PageMeasurement) => number,
    format: (value: number) => string,
    target?: (value: number) => { text: string; met: boolean },
  ): Row => {
    const value = pick(ours, read)
    return {
      label,
      ours: value,
      anchor: pick(anchor, read),
      format,
      ...(target === undefined ? {} : { target: target(value) }),
    }
  }
  return [
    row(
      'main-thread busy',
      (m) => m.busyShare,
      percent,
      (v) => ({ text: '< 35 %', met: v < 0.35 }),
    ),
    row('  of which script', (m) => m.scriptShare, percent),
    row(
      'long tasks > 50 ms',
      (m) => m.longTasks.length,
      count,
      (v) => ({ text: 'none', met: v === 0 }),
    ),
    row('longest task', (m) => Math.max(0, ...m.longTasks), ms),
    row('frame time p95', (m) => quantile(m.frames, 0.95), ms),
    row('frames per second', (m) => m.frames.length / m.seconds, perSecond),
    row('event-to-screen p50', (m) => quantile(m.latencies, 0.5), ms),
    row(
      'event-to-screen p99',
      (m) => quantile(m.latencies, 0.99),
      ms,
      (v) => ({
        text: '< 100 ms',
        met: v < 100,
      }),
    ),
    row('points drawn', (m) => m.latencies.length / m.seconds, perSecond),
  ]
}

/** The table as text, one row per line, columns padded. */
export function formatTable(rows: readonly Row[]): string {
  const header = ['case', 'Chart.js (Feedwatch)', 'uPlot anchor', 'ratio', 'target met?']
  const lines = rows.map((row) => [
    row.label,
    row.format(row.ours),
    row.format(row.anchor),
    row.anchor > 0 && Number.isFinite(row.ours / row.anchor)
      ? `${(row.ours / row.anchor).toFixed(2)}×`
      : 'n/a',
    row.target === undefined ? '—' : `${row.target.met ? 'yes' : 'NO'} (${row.target.text})`,
  ])
  const widths = header.map((title, i) =>
    Math.max(title.length, ...lines.map((line) => (line[i] as string).length)),
  )
  const format = (cells: readonly string[]): string =>
    `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(' | ')} |`
  return [
    format(header),
    `|${widths.map((width, i) => (i === 0 ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`,
    ...lines.map(format),
  ].join('\n')
}
