/**
 * Turns measurements into what the benchmark prints: one table (case | engine | eventsource pkg |
 * raw | engine/eventsource | engine/raw), then the targets, each marked met or missed.
 */
import { CLIENT_KINDS, CLIENT_NAMES, type ClientKind } from './clients/bench-client'

/** One row: a value per client, or the error that kept a client from producing one. */
export interface Row {
  readonly label: string
  readonly unit: 'events/s' | 'KB'
  readonly values: Readonly<Record<ClientKind, number | Error>>
}

/** A target on one row's engine/anchor ratio or on the engine's own value. */
export interface Target {
  readonly text: string
  readonly row: Row
  /** Which number the target is about. */
  readonly measure: 'engine/eventsource' | 'engine/raw' | 'engine'
  readonly comparison: '>=' | '<='
  readonly threshold: number
}

const HEADERS = [
  'case',
  CLIENT_NAMES.engine,
  CLIENT_NAMES.eventsource,
  CLIENT_NAMES.raw,
  'engine/eventsource',
  'engine/raw',
]

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** A client's value: the median of its runs, or the first error if it has no runs. */
export function summarize(runs: readonly number[], error: Error | undefined): number | Error {
  if (runs.length > 0) return median(runs)
  return error ?? new Error('no runs')
}

function formatValue(value: number | Error, unit: Row['unit']): string {
  if (value instanceof Error) return 'error'
  return unit === 'events/s' ? Math.round(value).toLocaleString('en-US') : value.toFixed(1)
}

function ratio(row: Row, anchor: ClientKind): number | undefined {
  const ours = row.values.engine
  const theirs = row.values[anchor]
  if (ours instanceof Error || theirs instanceof Error || theirs === 0) return undefined
  return ours / theirs
}

function formatRatio(value: number | undefined): string {
  return value === undefined ? 'n/a' : `${value.toFixed(2)}×`
}

function measured(target: Target): number | undefined {
  switch (target.measure) {
    case 'engine':
      return target.row.values.engine instanceof Error ? undefined : target.row.values.engine
    case 'engine/eventsource':
      return ratio(target.row, 'eventsource')
    case 'engine/raw':
      return ratio(target.row, 'raw')
  }
}

/** `met`, `missed`, or `n/a` when a value is missing. */
export function verdict(target: Target): 'met' | 'missed' | 'n/a' {
  const value = measured(target)
  if (value === undefined) return 'n/a'
  const met = target.comparison === '>=' ? value >= target.threshold : value <= target.threshold
  return met ? 'met' : 'missed'
}

function renderTable(rows: readonly string[][]): string {
  const widths = HEADERS.map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  )
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`
  const rule = `|${widths.map((width, column) => (column === 0 ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`
  const [header, ...body] = rows
  return [line(header!), rule, ...body.map(line)].join('\n')
}

/** The table, the targets (each with its measured value and verdict), and any client errors. */
export function formatReport(
  rows: readonly Row[],
  targets: readonly Target[],
  judgeTargets: boolean,
): string {
  const cells = [
    HEADERS,
    ...rows.map((row) => [
      row.label,
      formatValue(row.values.engine, row.unit),
      formatValue(row.values.eventsource, row.unit),
      formatValue(row.values.raw, row.unit),
      formatRatio(ratio(row, 'eventsource')),
      formatRatio(ratio(row, 'raw')),
    ]),
  ]
  const out = [
    renderTable(cells),
    '',
    judgeTargets ? 'Targets:' : 'Targets (not judged in --smoke mode):',
  ]
  for (const target of targets) {
    const value = measured(target)
    const shown =
      value === undefined
        ? 'n/a'
        : target.measure === 'engine'
          ? `${value.toFixed(1)} ${target.row.unit}`
          : `${value.toFixed(2)}×`
    out.push(`  ${judgeTargets ? `[${verdict(target)}]`.padEnd(9) : ''}${target.text}: ${shown}`)
  }
  // One line per distinct failure: a client that fails usually fails every row the same way.
  const errors = new Set<string>()
  for (const row of rows) {
    for (const kind of CLIENT_KINDS) {
      const value = row.values[kind]
      if (value instanceof Error)
        errors.add(`  ${CLIENT_NAMES[kind]}: ${value.message.replace(/\s*\n\s*/g, ' ')}`)
    }
  }
  if (errors.size > 0) out.push('', 'Errors:', ...errors)
  return out.join('\n')
}
