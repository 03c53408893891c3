import type { ActiveAlert, AlertHistoryEntry, AlertNotice, AlertValue } from '../../shared/alerts'

/** A notice with the names a receiver needs: everything a contact point's body is made from. */
export interface DeliveryNotice {
  /** `test` is "Send test notification"; the others are the alert engine's notice kinds. */
  readonly kind: AlertNotice['kind'] | 'test'
  readonly title: string
  readonly body: string
  readonly severity: AlertNotice['severity']
  readonly profile: string
  readonly alertId: string
  readonly ruleId: string
  /** The rule's name, unique within the profile (a repeated name gets its id appended). */
  readonly ruleName: string
  readonly feedId: string
  readonly feedName: string
  /** The value that made the alert what it is, when known. */
  readonly value: AlertValue | undefined
  /** When the notice was sent, epoch ms. */
  readonly at: number
  /** A link back to Feedwatch, when it is served over HTTP. */
  readonly generatorUrl: string | undefined
}

/** An alert value as annotation text: numbers and booleans as JSON writes them, strings as they are. */
export function valueText(value: AlertValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined
  return typeof value === 'string' ? value : String(value)
}

/**
 * The value of the alert a notice is about: its active alert's last value, or for a resolved alert
 * the value its history recorded last.
 */
export function noticeValue(
  alertId: string,
  active: readonly ActiveAlert[],
  history: readonly AlertHistoryEntry[],
): AlertValue | undefined {
  const alert = active.find((candidate) => candidate.id === alertId)
  if (alert !== undefined) return alert.lastValue
  for (let index = history.length - 1; index >= 0; index--) {
    const entry = history[index]
    if (entry !== undefined && 'value' in entry && entry.alertId === alertId) return entry.value
  }
  return undefined
}
