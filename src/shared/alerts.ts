import { z } from 'zod'
import { severitySchema, type Severity } from './profile'

/**
 * What the alert engine shows and keeps: active alerts, their history, the notices it sends, rule
 * previews, and the state it persists across restarts. Everything here is plain JSON so it can cross
 * IPC and be written to disk; the persisted shape is a zod schema because it is read back from a file.
 */

/** Pending: the condition holds but not yet for the rule's pending period. Firing: it has. */
export const alertStateSchema = z.enum(['pending', 'firing'])
export type AlertState = z.infer<typeof alertStateSchema>

/**
 * The value that made an alert what it is: a condition rule's field value (strings cut to
 * {@link ALERT_VALUE_MAX_CHARS}, arrays and objects as truncated JSON text), a feed-down rule's
 * connection state (`"reconnecting: stream ended"`), or null for a no-data rule.
 */
export const alertValueSchema = z.union([z.number(), z.string(), z.boolean(), z.null()])
export type AlertValue = z.infer<typeof alertValueSchema>

/** Longest string kept as an alert's value; longer ones end with `…`. */
export const ALERT_VALUE_MAX_CHARS = 200

/**
 * A number as alert texts show it: whole numbers as they are, others to four significant digits
 * without cutting the whole part (a window's average 0.9312… reads `0.9312`, 1234.56 reads `1235`).
 */
export function formatAlertNumber(value: number): string {
  if (Number.isInteger(value) || !Number.isFinite(value)) return String(value)
  const digits = Math.max(4, Math.floor(Math.log10(Math.abs(value))) + 1)
  return String(Number(value.toPrecision(Math.min(digits, 21))))
}

/** One alert per rule at most (dedupe): pending or firing. */
export interface ActiveAlert {
  /** Unique per alert instance: a rule that fires, resolves and fires again gets a new id. */
  readonly id: string
  readonly ruleId: string
  readonly ruleName: string
  readonly feedId: string
  readonly severity: Severity
  readonly state: AlertState
  /** When the alert entered its current state (pending since, or firing since), epoch ms. */
  readonly since: number
  readonly lastValue: AlertValue
  /** A person acknowledged it: no repeat notices until it resolves. */
  readonly acknowledged: boolean
  /** The rule is silenced until this time (epoch ms): no notices at all. Null when not silenced. */
  readonly silencedUntil: number | null
}

const historyBase = {
  /** Epoch ms. */
  at: z.number(),
  ruleId: z.string().min(1),
  ruleName: z.string(),
  feedId: z.string().min(1),
  severity: severitySchema,
}

/** Why an alert stopped being active. */
export const resolveReasonSchema = z.enum([
  'cleared', // the condition no longer holds (or the feed is back, or data arrived)
  'rule-changed', // the rule's definition changed, so its state started over
  'rule-removed', // the rule was removed or disabled
])
export type ResolveReason = z.infer<typeof resolveReasonSchema>

/** One line of the alert history. `notified` says whether a notice went out (false while silenced). */
export const alertHistoryEntrySchema = z.discriminatedUnion('kind', [
  z.object({
    ...historyBase,
    kind: z.literal('fired'),
    alertId: z.string().min(1),
    value: alertValueSchema,
    notified: z.boolean(),
  }),
  z.object({
    ...historyBase,
    kind: z.literal('resolved'),
    alertId: z.string().min(1),
    value: alertValueSchema,
    notified: z.boolean(),
    reason: resolveReasonSchema,
  }),
  z.object({ ...historyBase, kind: z.literal('acknowledged'), alertId: z.string().min(1) }),
  z.object({ ...historyBase, kind: z.literal('silenced'), until: z.number() }),
  z.object({ ...historyBase, kind: z.literal('unsilenced') }),
])
export type AlertHistoryEntry = z.infer<typeof alertHistoryEntrySchema>
export type AlertHistoryKind = AlertHistoryEntry['kind']

/** The bounded history: oldest first, and how many older entries were dropped to keep it bounded. */
export interface AlertHistory {
  readonly entries: readonly AlertHistoryEntry[]
  readonly dropped: number
}

/** What a notifier is asked to show (an OS notification, a line on stderr, a webhook). */
export interface AlertNotice {
  /** `firing` once per alert, `repeat` every repeat interval while firing, `resolved` when it clears. */
  readonly kind: 'firing' | 'repeat' | 'resolved'
  readonly title: string
  readonly body: string
  readonly severity: Severity
  readonly feedId: string
  readonly ruleId: string
  readonly alertId: string
  /** Epoch ms. */
  readonly at: number
  /** For `resolved`: why it ended (the condition cleared, or its rule was changed or removed). */
  readonly reason?: ResolveReason
}

/** One time a rule would have fired. */
export interface PreviewFiring {
  /** Epoch ms: when the condition had held for the pending period. */
  readonly at: number
  readonly value: AlertValue
}

/** "Would have fired 3 times in the last 10 minutes." */
export interface AlertPreview {
  /** False for feed-down rules: they depend on connection states, which events do not carry. */
  readonly supported: boolean
  readonly firings: readonly PreviewFiring[]
  /** Epoch ms of the first event looked at, or null when there were none. */
  readonly from: number | null
  /** Epoch ms the preview ran up to. */
  readonly to: number
}

/** A firing alert as persisted, so a restart neither repeats its firing notice nor forgets its ack. */
export const persistedAlertSchema = z.object({
  id: z.string().min(1),
  ruleId: z.string().min(1),
  ruleName: z.string(),
  feedId: z.string().min(1),
  severity: severitySchema,
  /** The rule's definition when it fired: the alert is restored only if the rule is unchanged. */
  fingerprint: z.string(),
  since: z.number(),
  lastValue: alertValueSchema,
  acknowledged: z.boolean(),
  /** Whether its firing notice went out (false if it fired while silenced). */
  notified: z.boolean(),
})
export type PersistedAlert = z.infer<typeof persistedAlertSchema>

/** Version of {@link AlertEngineState} written by this build. */
export const ALERT_STATE_VERSION = 1

/** What the alert engine persists across restarts. */
export const alertEngineStateSchema = z.object({
  version: z.literal(ALERT_STATE_VERSION),
  history: z.array(alertHistoryEntrySchema),
  droppedHistory: z.number().int().min(0),
  silences: z.array(z.object({ ruleId: z.string().min(1), until: z.number() })),
  alerts: z.array(persistedAlertSchema),
})
export type AlertEngineState = z.infer<typeof alertEngineStateSchema>
