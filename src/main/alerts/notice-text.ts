/**
 * The words of a notice. Short enough for an OS notification: the title says what and whether it is
 * firing, the body says where and the value.
 */
import type { AlertNotice, AlertValue } from '../../shared/alerts'
import type { CompiledRule } from './compiled-rule'

/** What the text is about. */
export interface NoticeSubject {
  readonly rule: CompiledRule
  /** The feed as people know it (its name, or its id when the engine has no names). */
  readonly feed: string
  readonly value: AlertValue
  /** When the alert started firing, epoch ms. */
  readonly firingSince: number
  /** When the notice is sent, epoch ms. */
  readonly at: number
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
  const { rule, feed, value, firingSince, at } = subject
  const title = `${TITLE_PREFIX[kind]}: ${rule.rule.name}`
  const firingFor = kind === 'repeat' ? `; firing for ${formatDuration(at - firingSince)}` : ''
  let body: string
  switch (rule.kind) {
    case 'condition': {
      const { source, operator, value: expected } = rule.rule
      const comparison = kind === 'resolved' ? '' : ` (${operator} ${formatValue(expected)})`
      body = `${source.path} is ${formatValue(value)}${comparison} on ${feed}${firingFor}`
      break
    }
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

function formatValue(value: AlertValue): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value)
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
