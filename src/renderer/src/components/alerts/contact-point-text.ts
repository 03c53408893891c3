import type { DeliveryLogEntry } from '../../../../shared/delivery'
import { formatTime } from './alert-text'

/** What a contact point is, in a word. */
export const CONTACT_POINT_KIND_LABEL = {
  alertmanager: 'Alertmanager',
  webhook: 'Webhook',
} as const

/** Seconds as the log says them: `8 s`, `1 min 30 s`. */
function formatDelay(ms: number): string {
  const seconds = Math.round(ms / 1000)
  if (seconds < 60) return `${seconds} s`
  const rest = seconds % 60
  return `${Math.floor(seconds / 60)} min${rest === 0 ? '' : ` ${rest} s`}`
}

/**
 * One line of the delivery log as a person reads it: "delivered 14:02:11", "failed: 503 Service
 * Unavailable, retrying in 8 s", "failed: 400 Bad Request", "dropped: the queue was full".
 */
export function deliveryText(entry: DeliveryLogEntry, now: number): string {
  switch (entry.outcome) {
    case 'delivered':
      return `delivered ${formatTime(entry.at, now)}`
    case 'retrying':
      return `failed: ${entry.reason ?? 'unknown error'}, retrying in ${formatDelay(entry.retryInMs ?? 0)}`
    case 'failed':
      return `failed: ${entry.reason ?? 'unknown error'}`
    case 'dropped':
      return `dropped: ${entry.reason ?? 'the queue was full'}`
  }
}
