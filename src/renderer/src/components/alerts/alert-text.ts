/**
 * The words the alert views show: severities, rule kinds, rule summaries, values, times and
 * durations. Severity is always text plus a shape, never colour alone (WCAG 1.4.1).
 */
import type { AlertHistoryEntry, AlertValue } from '../../../../shared/alerts'
import { formatAlertNumber } from '../../../../shared/alerts'
import { fieldFormat, type FieldFormat } from '../../../../shared/field-unit'
import type { AlertRule, Comparison, Panel, Severity } from '../../../../shared/profile'
import { formatValue as formatInUnit } from '../../../../shared/units'
import type { Reducer } from '../../../../shared/rule-window'

/** How each severity reads: a word and a shape that differs even without colour. */
export const SEVERITY: Record<Severity, { readonly label: string; readonly icon: string }> = {
  critical: { label: 'Critical', icon: '⬣' },
  warning: { label: 'Warning', icon: '▲' },
  info: { label: 'Info', icon: 'ℹ' },
}

/** Severities from most to least urgent, for sorting and for the editor's select. */
export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'warning', 'info']

export const RULE_KIND_LABEL: Record<AlertRule['kind'], string> = {
  condition: 'Condition',
  'feed-down': 'Feed down',
  'no-data': 'No data',
  'event-count': 'Event count',
}

/** The reducers of a time window, as the editor offers them. */
export const REDUCER_LABEL: Record<Reducer, string> = {
  last: 'last (newest value)',
  avg: 'avg (average)',
  min: 'min',
  max: 'max',
  sum: 'sum',
  count: 'count (samples)',
  rate: 'rate (samples per second)',
  p50: 'p50 (median)',
  p90: 'p90',
  p99: 'p99',
}

/** How an operator reads before a count: `more than 5 events`. */
const COUNT_WORDS: Record<'>' | '>=' | '<' | '<=', string> = {
  '>': 'more than',
  '>=': 'at least',
  '<': 'fewer than',
  '<=': 'at most',
}

/** The operators in the editor, with words for people who do not read `>=` at a glance. */
export const OPERATOR_LABEL: Record<Comparison, string> = {
  '>': '> (above)',
  '>=': '>= (at least)',
  '<': '< (below)',
  '<=': '<= (at most)',
  '==': '== (equals)',
  '!=': '!= (differs from)',
  contains: 'contains',
  matches: 'matches (regular expression)',
}

/** Operators that compare numbers; only these take a recovery value. */
export const NUMERIC_OPERATORS: ReadonlySet<Comparison> = new Set(['>', '>=', '<', '<='])

export const HISTORY_KIND_LABEL: Record<AlertHistoryEntry['kind'], string> = {
  fired: 'Fired',
  resolved: 'Resolved',
  acknowledged: 'Acknowledged',
  silenced: 'Silenced',
  unsilenced: 'Unsilenced',
}

/** Symbols from fonts every desktop has (DejaVu, Segoe UI Symbol): emoji fonts are not a given. */
export const HISTORY_KIND_ICON: Record<AlertHistoryEntry['kind'], string> = {
  fired: '●',
  resolved: '✓',
  acknowledged: '☑',
  silenced: '⊘',
  unsilenced: '○',
}

/** The symbol of a silenced rule. */
export const SILENCED_ICON = '⊘'

/**
 * An alert's value as it appears in a sentence: text quoted, `none` for a rule without one, a number
 * in the unit of the panels that show its field (`46 %`) when there is one.
 */
export function formatValue(value: AlertValue | undefined, format?: FieldFormat): string {
  if (value === null || value === undefined) return 'none'
  if (typeof value === 'number')
    return format === undefined
      ? formatAlertNumber(value)
      : formatInUnit(value, format.unit, format.decimals)
  return typeof value === 'string' ? JSON.stringify(value) : String(value)
}

/**
 * `cpu > 0.9 for 5 s, resolves below 0.8`, `avg cpu over 1 min > 0.9`, `p99 > 400 in 3 of the last 5
 * samples`, `more than 5 "incident" events in 5 min`: what a rule watches, in one line.
 */
export function ruleSummary(rule: AlertRule, format?: FieldFormat): string {
  switch (rule.kind) {
    case 'condition': {
      const { source, operator, value, pendingSeconds, recoveryValue, window } = rule
      const on = source.event === undefined ? '' : ` on "${source.event}" events`
      const pending = pendingSeconds > 0 ? ` for ${formatSeconds(pendingSeconds)}` : ''
      const recovery =
        recoveryValue === undefined
          ? ''
          : `, resolves ${operator === '>' || operator === '>=' ? 'below' : 'above'} ${formatValue(recoveryValue, format)}`
      const subject =
        window?.kind === 'time'
          ? `${window.reducer} ${source.path} over ${formatSeconds(window.seconds)}`
          : source.path
      const samples =
        window?.kind === 'samples' ? ` in ${window.count} of the last ${window.of} samples` : ''
      return `${subject} ${operator} ${formatValue(value, format)}${samples}${on}${pending}${recovery}`
    }
    case 'event-count': {
      const events = rule.event === undefined ? 'events' : `"${rule.event}" events`
      const pending = rule.pendingSeconds > 0 ? ` for ${formatSeconds(rule.pendingSeconds)}` : ''
      return `${COUNT_WORDS[rule.operator]} ${rule.count} ${events} in ${formatSeconds(rule.windowSeconds)}${pending}`
    }
    case 'feed-down':
      return `failed or reconnecting for ${formatSeconds(rule.forSeconds)}`
    case 'no-data':
      return `no ${rule.event === undefined ? '' : `"${rule.event}" `}events for ${formatSeconds(rule.forSeconds)}`
  }
}

/** The unit a condition rule's values read in: that of the panels showing its field, if any. */
export function ruleFormat(
  rule: AlertRule | undefined,
  panels: readonly Panel[],
): FieldFormat | undefined {
  return rule?.kind === 'condition' ? fieldFormat(panels, rule.source) : undefined
}

/** The feed a rule reads. */
export function ruleFeedId(rule: AlertRule): string {
  return rule.kind === 'condition' ? rule.source.feedId : rule.feedId
}

/** `45 s`, `2 min`, `1 h 30 min`. */
export function formatSeconds(seconds: number): string {
  return formatDuration(seconds * 1000)
}

/** `0.5 s`, `45 s`, `12 min`, `3 h 5 min`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, ms) / 1000
  if (seconds < 10) return `${Number(seconds.toFixed(1))} s`
  if (seconds < 60) return `${Math.round(seconds)} s`
  const minutes = Math.round(seconds / 60)
  if (minutes < 60) return `${minutes} min`
  const rest = minutes % 60
  return rest === 0 ? `${Math.floor(minutes / 60)} h` : `${Math.floor(minutes / 60)} h ${rest} min`
}

/** A time of day, with the date when it is not today: `14:02:11` or `3 Mar, 14:02`. */
export function formatTime(at: number, now: number): string {
  const date = new Date(at)
  const sameDay = new Date(now).toDateString() === date.toDateString()
  return sameDay
    ? date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : date.toLocaleString(undefined, {
        day: 'numeric',
        month: 'short',
        hour: '2-digit',
        minute: '2-digit',
      })
}

/** `3 min ago`, `just now`. */
export function formatAgo(at: number, now: number): string {
  const ms = now - at
  return ms < 1000 ? 'just now' : `${formatDuration(ms)} ago`
}

/** "in the last 10 minutes" for the span a preview looked at. */
export function formatSpan(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000))
  if (seconds < 60) return seconds === 1 ? 'second' : `${seconds} seconds`
  const minutes = Math.round(seconds / 60)
  if (minutes < 120) return minutes === 1 ? 'minute' : `${minutes} minutes`
  const hours = Math.round(minutes / 60)
  return `${hours} hours`
}

/** `1 time`, `3 times`. */
export function times(count: number): string {
  return count === 1 ? '1 time' : `${count} times`
}

/** The value a `datetime-local` input shows for an epoch ms, in local time (`2025-03-01T14:05`). */
export function toDateTimeLocal(at: number): string {
  const date = new Date(at)
  const pad = (n: number): string => String(n).padStart(2, '0')
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  )
}

/** Epoch ms of a `datetime-local` input's value (local time), or undefined when it is not a time. */
export function fromDateTimeLocal(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return undefined
  const at = new Date(text).getTime()
  return Number.isFinite(at) ? at : undefined
}
