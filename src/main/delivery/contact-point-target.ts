import type { ContactPointStats } from '../../shared/delivery'
import type {
  AlertmanagerContactPoint,
  ContactPoint,
  WebhookContactPoint,
} from '../../shared/profile'
import { firingAlert, postableAlert, type FiringAlert } from './alertmanager-alert'
import type { DeliveryNotice } from './delivery-notice'
import {
  DeliveryQueue,
  type DeliveryJob,
  type DeliveryQueueOptions,
  type DeliveryReport,
  type DeliveryTimers,
} from './delivery-queue'
import type { PostJson } from './http-post'
import { slackBody, webhookBody } from './webhook-body'

/** What a target needs from the dispatcher. */
export interface TargetDeps {
  readonly post: PostJson
  readonly timers: DeliveryTimers
  readonly random: () => number
  readonly now: () => number
  /** How often Alertmanager hears again of alerts still firing. */
  readonly resendIntervalMs: number
  /** Ids of the profile's alerts firing now, to resolve at Alertmanager what ended without a notice. */
  readonly firingAlertIds: () => ReadonlySet<string> | undefined
  readonly onReport: (report: DeliveryReport) => void
  readonly queue?: Pick<
    DeliveryQueueOptions,
    'maxJobs' | 'maxBytes' | 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs'
  >
}

/** One contact point: its queue, its totals and how a notice becomes a request body. */
export interface ContactPointTarget {
  readonly point: ContactPoint
  /** Queues a notice; returns at once. */
  notify(notice: DeliveryNotice): void
  stats(): ContactPointStats
  /** Takes over what a target for an earlier version of the same contact point knew. */
  adopt(previous: ContactPointTarget): void
  close(): void
}

/** The label of Alertmanager re-sends in the log; their successes are counted, not logged. */
export const RESEND_LABEL = 'Firing alerts re-sent'

/** Creates the target for a contact point. */
export function createTarget(point: ContactPoint, deps: TargetDeps): ContactPointTarget {
  return point.kind === 'alertmanager'
    ? new AlertmanagerTarget(point, deps)
    : new WebhookTarget(point, deps)
}

abstract class QueuedTarget<P extends ContactPoint> implements ContactPointTarget {
  protected readonly queue: DeliveryQueue
  private delivered = 0
  private failed = 0
  private dropped = 0

  constructor(
    readonly point: P,
    protected readonly deps: TargetDeps,
    url: string,
  ) {
    const headers = Object.fromEntries(point.headers.map((header) => [header.name, header.value]))
    this.queue = new DeliveryQueue({
      ...deps.queue,
      timers: deps.timers,
      random: deps.random,
      send: (body) => deps.post({ url, body, headers, timeoutMs: point.timeoutMs }),
      onReport: (report) => {
        if (report.outcome === 'delivered') this.delivered++
        else if (report.outcome === 'retrying') this.failed++
        else if (report.outcome === 'failed') {
          this.failed++
          this.dropped++
        } else this.dropped++
        if (!(report.outcome === 'delivered' && report.label === RESEND_LABEL))
          deps.onReport(report)
      },
    })
  }

  abstract notify(notice: DeliveryNotice): void

  stats(): ContactPointStats {
    return {
      contactPointId: this.point.id,
      name: this.point.name,
      delivered: this.delivered,
      failed: this.failed,
      dropped: this.dropped,
      queued: this.queue.length,
    }
  }

  adopt(previous: ContactPointTarget): void {
    if (!(previous instanceof QueuedTarget)) return
    this.delivered = previous.delivered
    this.failed = previous.failed
    this.dropped = previous.dropped
  }

  close(): void {
    this.queue.close()
  }
}

/** Posts every notice as JSON, Feedwatch's body or Slack's. */
class WebhookTarget extends QueuedTarget<WebhookContactPoint> {
  constructor(point: WebhookContactPoint, deps: TargetDeps) {
    super(point, deps, point.url)
  }

  notify(notice: DeliveryNotice): void {
    const body = JSON.stringify(
      this.point.format === 'slack' ? slackBody(notice) : webhookBody(notice),
    )
    this.queue.push({ label: notice.title, body: () => body })
  }
}

/**
 * Posts alerts to Alertmanager as Prometheus does: a firing alert with an `endsAt` a few re-send
 * intervals ahead, re-sent every interval while it fires, and once more with `endsAt` when it
 * resolves. An alert that stopped firing without a notice (its rule was removed or changed) is
 * resolved at the next re-send.
 */
class AlertmanagerTarget extends QueuedTarget<AlertmanagerContactPoint> {
  /** Alerts Alertmanager was told are firing, by alert id. */
  private firing = new Map<string, FiringAlert>()
  private resendTimer: unknown

  constructor(point: AlertmanagerContactPoint, deps: TargetDeps) {
    super(point, deps, `${point.url.replace(/\/+$/, '')}/api/v2/alerts`)
    this.scheduleResend()
  }

  notify(notice: DeliveryNotice): void {
    const now = this.deps.now()
    if (notice.kind === 'resolved') {
      const known = this.firing.get(notice.alertId)
      this.firing.delete(notice.alertId)
      const alert = firingAlert(notice, known?.startsAt ?? notice.at)
      this.send(notice.title, () => [postableAlert(alert, notice.at)])
      return
    }
    if (notice.kind === 'test') {
      // A real alert, routed like any other, that resolves by itself after a re-send interval.
      const alert = firingAlert(notice, now)
      this.send(notice.title, () => [postableAlert(alert, now + this.deps.resendIntervalMs)])
      return
    }
    const alert = firingAlert(notice, this.firing.get(notice.alertId)?.startsAt ?? notice.at)
    this.firing.set(notice.alertId, alert)
    this.send(notice.title, () => [postableAlert(alert, this.expiry())])
  }

  override adopt(previous: ContactPointTarget): void {
    super.adopt(previous)
    if (!(previous instanceof AlertmanagerTarget) || previous.firing.size === 0) return
    // Switched off: what Alertmanager was told ends by itself at its endsAt.
    if (!this.point.enabled) return
    // The address or headers changed: tell the (possibly new) Alertmanager at once.
    this.firing = new Map(previous.firing)
    this.resend()
  }

  override close(): void {
    if (this.resendTimer !== undefined) this.deps.timers.clearTimeout(this.resendTimer)
    this.resendTimer = undefined
    super.close()
  }

  /** Firing alerts stay firing at Alertmanager this long without a re-send (Prometheus: 4 ×). */
  private expiry(): number {
    return this.deps.now() + 4 * this.deps.resendIntervalMs
  }

  private send(label: string, alerts: () => ReturnType<typeof postableAlert>[]): void {
    const job: DeliveryJob = { label, body: () => JSON.stringify(alerts()) }
    this.queue.push(job)
  }

  private scheduleResend(): void {
    this.resendTimer = this.deps.timers.setTimeout(() => {
      this.resend()
      this.scheduleResend()
    }, this.deps.resendIntervalMs)
  }

  private resend(): void {
    const active = this.deps.firingAlertIds()
    const now = this.deps.now()
    const ended: FiringAlert[] = []
    if (active !== undefined) {
      for (const [id, alert] of this.firing) {
        if (active.has(id)) continue
        this.firing.delete(id)
        ended.push(alert)
      }
    }
    const firing = [...this.firing.values()]
    // A job still waiting or retrying carries its alerts already; the next re-send catches up.
    if ((firing.length === 0 && ended.length === 0) || this.queue.length > 0) {
      if (ended.length > 0) this.send(RESEND_LABEL, () => ended.map((a) => postableAlert(a, now)))
      return
    }
    this.send(RESEND_LABEL, () => [
      ...firing.map((alert) => postableAlert(alert, this.expiry())),
      ...ended.map((alert) => postableAlert(alert, now)),
    ])
  }
}
