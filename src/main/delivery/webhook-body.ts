import type { DeliveryNotice } from './delivery-notice'

/**
 * The JSON a webhook contact point receives, version 1. Documented in the README; fields are only
 * ever added, so receivers written against it keep working.
 */
export interface WebhookBody {
  readonly version: 1
  /** `firing`, `repeat` (still firing), `resolved`, or `test` ("Send test notification"). */
  readonly kind: DeliveryNotice['kind']
  /** `firing` or `resolved`, as Alertmanager's webhook says it. */
  readonly status: 'firing' | 'resolved'
  readonly title: string
  readonly body: string
  readonly severity: DeliveryNotice['severity']
  readonly profile: string
  readonly alert: {
    readonly id: string
    readonly ruleId: string
    readonly ruleName: string
    readonly feedId: string
    readonly feedName: string
    readonly value: DeliveryNotice['value'] | null
  }
  /** ISO 8601. */
  readonly at: string
  readonly generatorURL?: string
}

/** Feedwatch's own webhook body. */
export function webhookBody(notice: DeliveryNotice): WebhookBody {
  return {
    version: 1,
    kind: notice.kind,
    status: notice.kind === 'resolved' ? 'resolved' : 'firing',
    title: notice.title,
    body: notice.body,
    severity: notice.severity,
    profile: notice.profile,
    alert: {
      id: notice.alertId,
      ruleId: notice.ruleId,
      ruleName: notice.ruleName,
      feedId: notice.feedId,
      feedName: notice.feedName,
      value: notice.value ?? null,
    },
    at: new Date(notice.at).toISOString(),
    ...(notice.generatorUrl === undefined ? {} : { generatorURL: notice.generatorUrl }),
  }
}

/**
 * The body Slack's incoming webhooks take (and Mattermost, Rocket.Chat, Teams workflows and others
 * that copy it): `{"text": "[critical] Firing: CPU high — cpu is 0.97 (> 0.9) on api (profile Ops)"}`.
 * `&`, `<` and `>` are escaped as Slack asks, so a value cannot turn into a link or a mention.
 * @see https://api.slack.com/reference/surfaces/formatting#escaping
 */
export function slackBody(notice: DeliveryNotice): { readonly text: string } {
  const state = notice.kind === 'resolved' ? 'resolved' : notice.severity
  const text = `[${state}] ${notice.title} — ${notice.body} (profile ${notice.profile})`
  return { text: text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') }
}
