import type { DeliveryNotice } from './delivery-notice'
import { valueText } from './delivery-notice'

/**
 * One alert as Alertmanager's `POST /api/v2/alerts` takes it (the `postableAlert` of its OpenAPI
 * spec). Alertmanager tells alerts apart by their labels, so the labels are fixed words and names
 * from the profile, never event data.
 * @see https://github.com/prometheus/alertmanager/blob/main/api/v2/openapi.yaml
 */
export interface PostableAlert {
  readonly labels: Readonly<Record<string, string>>
  readonly annotations: Readonly<Record<string, string>>
  readonly startsAt: string
  readonly endsAt?: string
  readonly generatorURL?: string
}

/** What is kept of a firing alert between notices, so re-sends carry its original `startsAt`. */
export interface FiringAlert {
  readonly labels: Readonly<Record<string, string>>
  readonly annotations: Readonly<Record<string, string>>
  /** Epoch ms. */
  readonly startsAt: number
  readonly generatorUrl: string | undefined
}

/** The labels and annotations of a notice, and when it started. */
export function firingAlert(notice: DeliveryNotice, startsAt: number): FiringAlert {
  const value = valueText(notice.value)
  return {
    labels: {
      alertname: notice.ruleName,
      severity: notice.severity,
      profile: notice.profile,
      feed: notice.feedName,
    },
    annotations: {
      summary: notice.title,
      description: notice.body,
      ...(value === undefined ? {} : { value }),
    },
    startsAt,
    generatorUrl: notice.generatorUrl,
  }
}

/**
 * The alert as posted: a firing one ends at `endsAt` unless re-sent before (so Alertmanager resolves
 * it by itself if Feedwatch stops, as it does for Prometheus), a resolved one ended at `endsAt`.
 */
export function postableAlert(alert: FiringAlert, endsAt: number): PostableAlert {
  return {
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: new Date(alert.startsAt).toISOString(),
    endsAt: new Date(endsAt).toISOString(),
    ...(alert.generatorUrl === undefined ? {} : { generatorURL: alert.generatorUrl }),
  }
}
