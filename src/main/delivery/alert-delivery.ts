import type { AlertNotice, AlertValue } from '../../shared/alerts'
import type { ContactPointStats, DeliveryLog, DeliveryLogEntry } from '../../shared/delivery'
import { severitySchema, type ContactPoint, type Profile } from '../../shared/profile'
import { uniqueLabels } from '../metrics/label-names'
import { createTarget, type ContactPointTarget, type TargetDeps } from './contact-point-target'
import type { DeliveryNotice } from './delivery-notice'
import type { DeliveryReport, DeliveryTimers } from './delivery-queue'
import { postJson, type PostJson } from './http-post'

/** Options of {@link AlertDelivery}; everything defaults to the real thing. */
export interface AlertDeliveryOptions {
  /** @defaultValue {@link postJson} */
  readonly post?: PostJson
  /** @defaultValue the global timers */
  readonly timers?: DeliveryTimers
  /** @defaultValue `Math.random` */
  readonly random?: () => number
  /** @defaultValue `Date.now` */
  readonly now?: () => number
  /** Feedwatch's own address for `generatorURL`, when it is served over HTTP. */
  readonly generatorUrl?: () => string | undefined
  /** Ids of a profile's alerts firing now (see {@link TargetDeps.firingAlertIds}). */
  readonly firingAlertIds?: (profile: string) => ReadonlySet<string> | undefined
  /** Told about every new line of a profile's delivery log (the UI's push). */
  readonly onLog?: (profile: string, entry: DeliveryLogEntry) => void
  /** How often Alertmanager hears again of alerts still firing. @defaultValue `60000` (Prometheus' default) */
  readonly resendIntervalMs?: number
  /** Limits of each contact point's queue. */
  readonly queue?: TargetDeps['queue']
  /** Lines kept in each profile's delivery log. @defaultValue `200` */
  readonly logLimit?: number
}

/** One running profile's contact points. */
interface ProfileDelivery {
  profile: Profile
  targets: Map<string, { target: ContactPointTarget; key: string }>
  ruleNames: Map<string, string>
  feedNames: Map<string, string>
  log: DeliveryLogEntry[]
  droppedLog: number
}

/**
 * Delivers alert notices to the contact points of every running profile (Alertmanager, webhooks).
 * {@link AlertDelivery.deliver} only queues: the alert engine and the desktop notification it
 * calls beside never wait for a receiver. Each contact point has its own bounded queue with timeouts
 * and retries; what happens is kept in a bounded delivery log per profile.
 */
export class AlertDelivery {
  private readonly profiles = new Map<string, ProfileDelivery>()
  private readonly now: () => number
  private readonly logLimit: number

  constructor(private readonly options: AlertDeliveryOptions = {}) {
    this.now = options.now ?? Date.now
    this.logLimit = options.logLimit ?? 200
  }

  /**
   * Takes a running profile's contact points, rules and names. Contact points whose settings did not
   * change keep their queue; changed ones start a new queue and carry over what Alertmanager was
   * told is firing; removed ones stop.
   */
  configure(profile: Profile): void {
    const known = this.profiles.get(profile.name)
    if (known?.profile === profile) return
    const entry: ProfileDelivery = known ?? {
      profile,
      targets: new Map(),
      ruleNames: new Map(),
      feedNames: new Map(),
      log: [],
      droppedLog: 0,
    }
    entry.profile = profile
    entry.ruleNames = uniqueLabels(profile.rules, (rule) => rule.name)
    entry.feedNames = uniqueLabels(profile.feeds, (feed) => feed.name)
    const next = new Map<string, { target: ContactPointTarget; key: string }>()
    for (const point of profile.contactPoints) {
      const key = JSON.stringify(point)
      const old = entry.targets.get(point.id)
      if (old?.key === key) {
        next.set(point.id, old)
        continue
      }
      const target = createTarget(point, this.targetDeps(profile.name, point))
      if (old !== undefined) {
        target.adopt(old.target)
        old.target.close()
      }
      next.set(point.id, { target, key })
    }
    for (const [id, old] of entry.targets) if (!next.has(id)) old.target.close()
    entry.targets = next
    this.profiles.set(profile.name, entry)
  }

  /**
   * Makes the running profiles the ones delivered for: each is configured (a profile object seen
   * before costs nothing) and profiles no longer among them are forgotten.
   */
  sync(running: readonly Profile[]): void {
    for (const profile of running) this.configure(profile)
    const names = new Set(running.map((profile) => profile.name))
    for (const name of [...this.profiles.keys()]) if (!names.has(name)) this.forget(name)
  }

  /** Stops delivering for a profile that stopped running (or was renamed: configure the new name). */
  forget(profileName: string): void {
    const entry = this.profiles.get(profileName)
    if (entry === undefined) return
    for (const { target } of entry.targets.values()) target.close()
    this.profiles.delete(profileName)
  }

  /**
   * Queues a notice for every contact point its rule picks whose minimum severity it meets.
   * @param value - the alert's value, for the receivers that show it.
   */
  deliver(notice: AlertNotice, profileName: string, value?: AlertValue): void {
    const entry = this.profiles.get(profileName)
    if (entry === undefined) return
    const rule = entry.profile.rules.find((candidate) => candidate.id === notice.ruleId)
    const picked = rule?.contactPoints ?? 'all'
    const rank = severitySchema.options.indexOf(notice.severity)
    const delivery: DeliveryNotice = {
      kind: notice.kind,
      title: notice.title,
      body: notice.body,
      severity: notice.severity,
      profile: profileName,
      alertId: notice.alertId,
      ruleId: notice.ruleId,
      ruleName: entry.ruleNames.get(notice.ruleId) ?? notice.title,
      feedId: notice.feedId,
      feedName: entry.feedNames.get(notice.feedId) ?? notice.feedId,
      value,
      at: notice.at,
      generatorUrl: this.options.generatorUrl?.(),
    }
    for (const { target } of entry.targets.values()) {
      const { point } = target
      if (!point.enabled) continue
      if (picked !== 'all' && !picked.includes(point.id)) continue
      if (rank < severitySchema.options.indexOf(point.minSeverity)) continue
      target.notify(delivery)
    }
  }

  /** Queues "Send test notification" for one contact point; false when the profile has no such one. */
  test(profileName: string, contactPointId: string): boolean {
    const target = this.profiles.get(profileName)?.targets.get(contactPointId)?.target
    if (target === undefined) return false
    const at = this.now()
    target.notify({
      kind: 'test',
      title: 'Test notification',
      body: `Feedwatch can reach contact point "${target.point.name}" of profile "${profileName}".`,
      severity: 'info',
      profile: profileName,
      alertId: `test-${at}`,
      ruleId: 'test',
      ruleName: 'Feedwatch test notification',
      feedId: '',
      feedName: '',
      value: undefined,
      at,
      generatorUrl: this.options.generatorUrl?.(),
    })
    return true
  }

  /** A profile's delivery log, oldest first. */
  log(profileName: string): DeliveryLog {
    const entry = this.profiles.get(profileName)
    return { entries: [...(entry?.log ?? [])], dropped: entry?.droppedLog ?? 0 }
  }

  /** Totals of a profile's contact points, in profile order. */
  stats(profileName: string): ContactPointStats[] {
    const entry = this.profiles.get(profileName)
    return entry === undefined
      ? []
      : [...entry.targets.values()].map(({ target }) => target.stats())
  }

  /** Stops every queue and timer; waiting notices are not sent. */
  close(): void {
    for (const name of [...this.profiles.keys()]) this.forget(name)
  }

  private targetDeps(profileName: string, point: ContactPoint): TargetDeps {
    const { options } = this
    return {
      post: options.post ?? postJson,
      timers: options.timers ?? {
        setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
        clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
      },
      random: options.random ?? Math.random,
      now: this.now,
      resendIntervalMs: options.resendIntervalMs ?? 60_000,
      firingAlertIds: () => options.firingAlertIds?.(profileName),
      onReport: (report) => this.record(profileName, point, report),
      ...(options.queue === undefined ? {} : { queue: options.queue }),
    }
  }

  private record(profileName: string, point: ContactPoint, report: DeliveryReport): void {
    const entry = this.profiles.get(profileName)
    if (entry === undefined) return
    const line: DeliveryLogEntry = {
      at: this.now(),
      contactPointId: point.id,
      contactPoint: point.name,
      ...report,
    }
    entry.log.push(line)
    if (entry.log.length > this.logLimit) {
      entry.log.shift()
      entry.droppedLog++
    }
    this.options.onLog?.(profileName, line)
  }
}
