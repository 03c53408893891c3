/**
 * The words of a notice. Short enough for an OS notification: the title says what and whether it is
 * firing, the body says where and the value.
 */
import type { AlertNotice, AlertValue, ResolveReason } from '../../shared/alerts'
import { formatAlertNumber } from '../../shared/alerts'
import type { FieldFormat } from '../../shared/field-unit'
import { formatValue as formatInUnit } from '../../shared/units'
import type { CompiledCondition, CompiledRule } from './compiled-rule'
import { WINDOW_SAMPLES_MAX } from './time-window'

/** What the text is about. */
export interface NoticeSubject {
  readonly rule: CompiledRule
  /** The feed as people know it (its name, or its id when the engine has no names). */
  readonly feed: string
  /** The unit of a condition rule's field, from the panels that show it: `95 %`, not `0.95`. */
  readonly format?: FieldFormat | undefined
  readonly value: AlertValue
  /** The value came from a time window over its sample cap: it describes the newest samples. */
  readonly truncated?: boolean
  /** When the alert started firing, epoch ms. */
  readonly firingSince: number
  /** When the notice is sent, epoch ms. */
  readonly at: number
  /** For `resolved`: why it ended. */
  readonly reason?: ResolveReason
}

/** How a resolved notice of an alert whose rule changed or went away starts. */
const ENDED: Record<Exclude<ResolveReason, 'cleared'>, string> = {
  'rule-changed': 'Ended because the rule was changed',
  'rule-removed': 'Ended because the rule was removed',
}

const TITLE_PREFIX: Record<AlertNotice['kind'], string> = {
  firing: 'Firing',
  repeat: 'Still firing',
  resolved: 'Resolved',
}

export function noticeText(
  kind: AlertNotice['kind'],
  subject: NoticeSubject,
): { readonly title: string; readonly body: string } {
  const {
    rule,
    feed,
    format,
    value,
    firingSince,
    at,
    reason = 'cleared',
    truncated = false,
  } = subject
  const title = `${TITLE_PREFIX[kind]}: ${rule.rule.name}`
  if (kind === 'resolved' && reason !== 'cleared') {
    // The condition may still hold: say why it ended and what it last was.
    const last =
      rule.kind === 'feed-down' || rule.kind === 'no-data'
        ? ''
        : `; ${describe(rule, value, feed, false, truncated, format)}`
    return { title, body: `${ENDED[reason]}${last}` }
  }
  const firingFor = kind === 'repeat' ? `; firing for ${formatDuration(at - firingSince)}` : ''
  let body: string
  switch (rule.kind) {
    case 'condition':
    case 'event-count':
      body = `${describe(rule, value, feed, kind !== 'resolved', truncated, format)}${firingFor}`
      break
    case 'feed-down':
      body =
        kind === 'resolved'
          ? `${feed} is no longer down`
          : `${feed} has been down for ${formatDuration(rule.forMs)} or more (${String(value)})${firingFor}`
      break
    case 'no-data': {
      const events = rule.rule.event === undefined ? 'events' : `"${rule.rule.event}" events`
      body =
        kind === 'resolved'
          ? `${feed} sends ${events} again`
          : `No ${events} from ${feed} for ${formatDuration(rule.forMs)}${firingFor}`
      break
    }
  }
  return { title, body }
}

/** Title and body of a resolved notice for a restored alert whose rule changed or went away. */
export function endedText(
  ruleName: string,
  reason: Exclude<ResolveReason, 'cleared'>,
): { readonly title: string; readonly body: string } {
  return { title: `${TITLE_PREFIX.resolved}: ${ruleName}`, body: ENDED[reason] }
}

/**
 * What a condition or event-count rule saw: `cpu is 95 (> 90) on api`, `avg cpu over 1 min is 0.93
 * (> 0.9) on api`, `cpu is 95 (> 90) in 3 of the last 5 samples on api`, `12 "incident" events in
 * 5 min (> 5) on api`.
 */
function describe(
  rule: CompiledCondition | Extract<CompiledRule, { kind: 'event-count' }>,
  value: AlertValue,
  feed: string,
  withComparison: boolean,
  truncated: boolean,
  format?: FieldFormat,
): string {
  // Over the cap the oldest samples left early: say the value is an estimate from the newest ones.
  const capped = truncated ? ` (from the newest ${WINDOW_SAMPLES_MAX} samples)` : ''
  if (rule.kind === 'event-count') {
    const { event, operator, count, windowSeconds } = rule.rule
    const events = event === undefined ? 'events' : `"${event}" events`
    const comparison = withComparison ? ` (${operator} ${count})` : ''
    return `${formatValue(value)} ${events} in ${formatDuration(windowSeconds * 1000)}${capped}${comparison} on ${feed}`
  }
  const { source, operator, value: expected, window } = rule.rule
  // A count of samples or a rate per second is not in the field's unit; the other reducers are.
  const inUnit =
    window?.kind === 'time' && (window.reducer === 'count' || window.reducer === 'rate')
      ? undefined
      : format
  const comparison = withComparison ? ` (${operator} ${formatValue(expected, inUnit)})` : ''
  if (window?.kind === 'time') {
    const per = window.reducer === 'rate' ? '/s' : ''
    return `${window.reducer} ${source.path} over ${formatDuration(window.seconds * 1000)}${capped} is ${formatValue(value, inUnit)}${per}${comparison} on ${feed}`
  }
  const samples =
    window?.kind === 'samples' ? ` in ${window.count} of the last ${window.of} samples` : ''
  return `${source.path} is ${formatValue(value, inUnit)}${comparison}${samples} on ${feed}`
}

/**
 * A value as text: strings quoted, numbers in the field's unit when it has one (`95 %`), else as
 * `formatAlertNumber` has them.
 */
function formatValue(value: AlertValue, format?: FieldFormat): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value !== 'number') return String(value)
  return format === undefined
    ? formatAlertNumber(value)
    : formatInUnit(value, format.unit, format.decimals)
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
