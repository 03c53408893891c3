import type {
  ProfileAlert,
  ProfileAlertHistoryEntry,
  ProfileAlertNotice,
  ProfileHealth,
  PushMessage,
} from '../../shared/api'
import type { AlertNotice } from '../../shared/alerts'
import type { FeedStatus } from '../../shared/feed-status'
import { fieldFormat } from '../../shared/field-unit'
import type { Feed, Profile } from '../../shared/profile'
import { AlertEngine } from '../alerts/alert-engine'
import { EventBatcher } from '../api/event-batcher'
import { StatusPushes } from '../api/status-pushes'
import { FeedManager } from '../feeds/feed-manager'
import { PanelValueTracker } from '../metrics/panel-values'
import type { ProfileStore } from '../profiles/profile-store'
import type { RuntimeState } from '../profiles/runtime-state'
import { createRuntimeStateWriter, type RuntimeStateWriter } from '../profiles/runtime-state-writer'

/** What a running profile needs from the service around it. */
export interface RunningProfileDeps {
  readonly store: Pick<ProfileStore, 'updateRuntimeState'>
  /** The URL of the built-in demo source, started on demand (for feeds marked `demo`). */
  readonly demoUrl: () => Promise<string>
  /** Shows an alert to a person; the notice names the profile. */
  readonly notify: (notice: ProfileAlertNotice) => void
  /** Sends a push; every payload already names this profile. */
  readonly push: (message: PushMessage) => void
  /** Told when the health or the number of firing alerts may have changed. */
  readonly onStatusChange: () => void
  readonly log: (line: string) => void
}

/**
 * One running profile: its own connections (a {@link FeedManager}), alert engine, display batcher
 * and runtime-state writer. It runs whichever profile windows show; the service holds one per
 * running profile and routes commands to it by name.
 */
export class RunningProfile {
  private readonly manager: FeedManager
  private readonly alerts: AlertEngine
  private readonly batcher: EventBatcher
  private readonly statusPushes = new StatusPushes()
  /** The latest value of every chart series and tile, for `/metrics`. */
  readonly panelValues = new PanelValueTracker()
  private writer: RuntimeStateWriter
  private runtimeDirty = false
  private closed = false
  /** When this run started (epoch ms): windows tell runs apart by it. */
  readonly startedAt = Date.now()

  private constructor(
    private current: Profile,
    private readonly deps: RunningProfileDeps,
  ) {
    this.batcher = new EventBatcher((batch) =>
      this.deps.push({ type: 'events:batch', payload: { ...batch, profile: this.name } }),
    )
    this.alerts = new AlertEngine({
      notifier: { notify: (notice) => this.announce(notice) },
      feedName: (feedId) => this.current.feeds.find((feed) => feed.id === feedId)?.name,
      fieldFormat: (source) => fieldFormat(this.current.panels, source),
      onRuleProblem: (ruleId, message) =>
        this.deps.log(`feedwatch: rule "${ruleId}" of "${this.name}": ${message}`),
      // Pending alerts and alerts firing while silenced change what is shown without any notice.
      onActiveChange: () => {
        this.deps.push({
          type: 'alerts:changed',
          payload: { profile: this.name, active: this.activeAlerts() },
        })
        this.runtimeDirty = true
        this.deps.onStatusChange()
      },
    })
    this.manager = new FeedManager({
      onEvent: (feedId, event) => {
        this.alerts.handleEvent(feedId, event)
        this.panelValues.handleEvent(feedId, event)
        this.batcher.add(feedId, event)
        this.runtimeDirty = true
      },
      onState: (feedId, state) => {
        this.alerts.handleFeedState(feedId, state)
        if (this.manager.has(feedId)) this.pushStatus(this.manager.status(feedId))
        this.deps.onStatusChange()
      },
    })
    this.writer = this.openWriter()
  }

  /**
   * Starts `profile`: restores its alert state and connects its enabled feeds, resuming each from
   * its saved last event ID.
   */
  static async start(
    profile: Profile,
    runtime: RuntimeState,
    deps: RunningProfileDeps,
  ): Promise<RunningProfile> {
    const running = new RunningProfile(profile, deps)
    running.alerts.setRules(profile.rules)
    running.panelValues.setPanels(profile.panels)
    try {
      if (runtime.alertState !== null) running.alerts.importState(runtime.alertState)
    } catch (error) {
      deps.log(
        `feedwatch: the saved alert state of "${profile.name}" was not usable and was reset: ${String(error)}`,
      )
    }
    await running.applyFeeds(runtime.lastEventIds)
    return running
  }

  /** The profile's name. */
  get name(): string {
    return this.current.name
  }

  /** The profile as it runs now. */
  get profile(): Profile {
    return this.current
  }

  /** Takes in a saved change: rules first (so new events meet them), then the feeds. */
  async apply(profile: Profile): Promise<void> {
    this.current = profile
    this.alerts.setRules(profile.rules)
    this.panelValues.setPanels(profile.panels)
    await this.applyFeeds()
  }

  /**
   * Finishes writing the runtime state under the old name, lets `rename` run, and writes under the
   * name the profile has afterwards (the writer finds the file by name).
   */
  async whileRenaming<T extends { profile: Profile }>(rename: () => Promise<T>): Promise<T> {
    await this.closeWriter()
    try {
      const renamed = await rename()
      this.current = renamed.profile
      return renamed
    } finally {
      this.writer = this.openWriter()
    }
  }

  /**
   * Pushes the feed stats that changed (and all of them now and then) and hands the runtime state to
   * its writer when it changed.
   */
  houseKeep(): void {
    for (const status of this.statusPushes.due(this.manager.statuses())) this.pushStatus(status)
    if (this.runtimeDirty) this.recordRuntimeState()
  }

  /** One word for the tray: are the enabled feeds healthy? */
  health(): ProfileHealth {
    const enabled = new Set(this.current.feeds.filter((feed) => feed.enabled).map((f) => f.id))
    const states = this.manager
      .statuses()
      .filter((status) => enabled.has(status.feedId))
      .map((status) => status.state.state)
    if (states.length === 0) return 'idle'
    const healthy = states.filter((state) => state === 'open' || state === 'connecting').length
    if (healthy === states.length) return 'ok'
    return healthy === 0 ? 'down' : 'degraded'
  }

  /** Alerts firing now. */
  firing(): number {
    return this.alerts.active().filter((alert) => alert.state === 'firing').length
  }

  /** Active alerts, each naming this profile. */
  activeAlerts(): ProfileAlert[] {
    return this.alerts.active().map((alert) => ({ ...alert, profile: this.name }))
  }

  /** The alert history, each entry naming this profile. */
  history(): { entries: ProfileAlertHistoryEntry[]; dropped: number } {
    const { entries, dropped } = this.alerts.history()
    return { entries: entries.map((entry) => ({ ...entry, profile: this.name })), dropped }
  }

  /** The alert engine, for acknowledging, silencing and previews. */
  get alertEngine(): AlertEngine {
    return this.alerts
  }

  /** The feeds' connections, for connect, disconnect, retry, statuses and buffered events. */
  get feeds(): FeedManager {
    return this.manager
  }

  /** Remembers that the alert state changed (a silence), so it is written with the next tick. */
  markRuntimeDirty(): void {
    this.runtimeDirty = true
  }

  /** Disconnects every feed, writes the runtime state and stops every timer. */
  async stop(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.closeWriter()
    this.manager.close()
    this.alerts.dispose()
    this.batcher.close()
  }

  private pushStatus(status: FeedStatus): void {
    this.deps.push({ type: 'feeds:state', payload: { ...status, profile: this.name } })
  }

  private announce(notice: AlertNotice): void {
    this.deps.notify({ ...notice, profile: this.name })
  }

  /** Connects the profile's feeds, pointing demo feeds at the running demo source. */
  private async applyFeeds(lastEventIds: Readonly<Record<string, string>> = {}): Promise<void> {
    const feeds = this.current.feeds
    const demoUrl = feeds.some((feed) => feed.demo) ? await this.deps.demoUrl() : undefined
    if (this.closed) return
    this.manager.apply(
      feeds.map((feed): Feed =>
        feed.demo && demoUrl !== undefined ? { ...feed, url: demoUrl } : feed,
      ),
      lastEventIds,
    )
  }

  /** Hands the current last event IDs and alert state to the writer, which writes at most once a second. */
  private recordRuntimeState(): void {
    this.runtimeDirty = false
    this.writer.update({
      lastEventIds: this.manager.lastEventIds(),
      alertState: this.alerts.exportState(),
    })
  }

  private openWriter(): RuntimeStateWriter {
    return createRuntimeStateWriter(this.deps.store, this.name, {
      onError: (error) =>
        this.deps.log(`feedwatch: could not save the runtime state: ${String(error)}`),
      onNotice: (notice) => this.deps.log(`feedwatch: ${notice.message}`),
    })
  }

  private async closeWriter(): Promise<void> {
    this.recordRuntimeState()
    await this.writer
      .close()
      .catch((error: unknown) =>
        this.deps.log(`feedwatch: could not save the runtime state: ${String(error)}`),
      )
  }
}
