import { join } from 'node:path'
import {
  HEARTBEAT_INTERVAL_MS,
  type ActiveProfile,
  type CommandResponses,
  type ProfileAlertHistoryEntry,
  type ProfileAlertNotice,
  type ProfileHealth,
  type ProfileSummary,
  type PushMessage,
  type RunningProfileStatus,
} from '../../shared/api'
import type { FeedStatus } from '../../shared/feed-status'
import { profileSchema, type Feed, type Profile, type ProfileInput } from '../../shared/profile'
import { keepWallPanels } from '../../shared/wall-layout'
import { AlertRuleError } from '../alerts/alert-engine'
import { compileRules } from '../alerts/compiled-rule'
import { CommandError, type CommandHandlers } from '../api/command-dispatch'
import { startDemoServer } from '../demo/demo-server'
import { createDemoProfile } from '../demo/demo-profile'
import { AlertDelivery, type AlertDeliveryOptions } from '../delivery/alert-delivery'
import { withContactPoint, withoutContactPoint } from '../delivery/contact-point-edits'
import { noticeValue } from '../delivery/delivery-notice'
import { UnknownFeedError } from '../feeds/feed-manager'
import type { ProfileMetrics } from '../metrics/metrics-source'
import { ProfileError } from '../profiles/profile-error'
import { ProfileStore } from '../profiles/profile-store'
import type { SecretCipher } from '../profiles/secret-cipher'
import {
  hideSecretsInPush,
  hideSecretsInReplies,
  withStoredSecrets,
} from '../profiles/secret-redaction'
import { readAppState, writeAppState } from './app-state'
import { newId, sameName, upsert, withoutFeed } from './profile-edits'
import { testConnection } from './connection-test'
import { RunningProfile } from './running-profile'

/** What the service needs from its shell (Electron or `feedwatch serve`). */
export interface FeedwatchServiceOptions {
  /** Folder for profiles and app state. */
  readonly dataDir: string
  /**
   * The profile windows open by default instead of the last one opened; it is started too (a person
   * asked for it by name).
   */
  readonly profileName?: string
  /**
   * Run exactly these profiles instead of those marked running (`feedwatch serve --profile A
   * --profile B`). Starting and stopping still update the marks for later runs.
   */
  readonly profileNames?: readonly string[]
  /** Encrypts secret header values at rest (Electron's safeStorage). */
  readonly cipher?: SecretCipher
  /** Shows alerts to a person: an OS notification, a log line. Each notice names its profile. */
  readonly notifier: { notify(notice: ProfileAlertNotice): void }
  /** Where operational messages go. @defaultValue `console.error` */
  readonly log?: (line: string) => void
  /** How alerts reach contact points (Alertmanager, webhooks); the defaults send for real. */
  readonly delivery?: Omit<AlertDeliveryOptions, 'firingAlertIds' | 'onLog'>
}

/** Profiles are told apart by name regardless of case, as the store compares them. */
function nameKey(name: string): string {
  return name.trim().toLowerCase()
}

/**
 * Everything the main process owns behind the API contract: the profile store and one
 * {@link RunningProfile} (connections, alert engine, runtime state) per running profile. A profile
 * runs or is stopped by explicit commands, remembered across restarts; which profile a window shows
 * changes nothing. Both transports (Electron IPC and `feedwatch serve`) call
 * {@link FeedwatchService.handlers} and {@link FeedwatchService.subscribe}; neither knows more.
 */
export class FeedwatchService {
  /** One function per command of the contract. */
  readonly handlers: CommandHandlers
  private readonly listeners = new Set<(message: PushMessage) => void>()
  /** Running profiles by {@link nameKey}. */
  private readonly running = new Map<string, RunningProfile>()
  /** What loading each running profile had to tell, by {@link nameKey}. */
  private readonly startNotices = new Map<string, readonly string[]>()
  private readonly housekeeping: NodeJS.Timeout
  private readonly log: (line: string) => void
  /** Contact points of every running profile; only ever queues, so alerts never wait for it. */
  private readonly delivery: AlertDelivery
  private demo: { url: string; close(): Promise<void> } | undefined
  /** The profile windows open when they name none. */
  private defaultName = ''
  /** The profiles marked running, as written to the app state. */
  private marked: string[] = []
  /** Profile changes run one at a time: each reads the profile the previous one wrote. */
  private queue: Promise<unknown> = Promise.resolve()
  /** The last `profiles:running` sent, to send it only when it changes. */
  private lastRunning = ''
  private closed = false

  private constructor(
    private readonly store: ProfileStore,
    private readonly options: FeedwatchServiceOptions,
  ) {
    this.log = options.log ?? ((line) => console.error(line))
    this.delivery = new AlertDelivery({
      ...options.delivery,
      firingAlertIds: (name) => {
        const alerts = this.running.get(nameKey(name))?.alertEngine.active()
        return alerts && new Set(alerts.filter((a) => a.state === 'firing').map((a) => a.id))
      },
      onLog: (profile, entry) =>
        this.push({ type: 'contacts:delivery', payload: { profile, entry } }),
    })
    this.housekeeping = setInterval(() => this.houseKeep(), HEARTBEAT_INTERVAL_MS)
    // Secret header values never leave the main process, whatever a command answers.
    this.handlers = hideSecretsInReplies(this.createHandlers(), ['events:query'])
  }

  /**
   * Opens the store (creating the Demo profile on first run) and starts the profiles to run: those
   * named in the options, else those marked running.
   */
  static async start(options: FeedwatchServiceOptions): Promise<FeedwatchService> {
    const store = new ProfileStore({
      directory: join(options.dataDir, 'profiles'),
      ...(options.cipher === undefined ? {} : { cipher: options.cipher }),
    })
    const service = new FeedwatchService(store, options)
    try {
      await service.startProfiles()
      return service
    } catch (error) {
      await service.close()
      throw error
    }
  }

  /**
   * The profile as JSON with its secret header values, for the desktop app's own export through a
   * save dialog. Only the main process can call this: no command of the API reaches it.
   */
  exportProfileWithSecrets(
    name: string,
  ): Promise<{ json: string; fileName: string; notices: string[] }> {
    return this.serial(async () => {
      const exported = await this.store.exportProfile(name, { includeSecrets: true })
      return {
        json: exported.json,
        fileName: exported.fileName,
        notices: exported.notices.map((notice) => notice.message),
      }
    })
  }

  /** Receives every push; returns the unsubscribe function. */
  subscribe(listener: (message: PushMessage) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Every running profile, by name, with its health and firing alerts (the tray). */
  runningProfiles(): RunningProfileStatus[] {
    return [...this.running.values()]
      .map((running) => ({
        profile: running.name,
        health: running.health(),
        firing: running.firing(),
      }))
      .sort((a, b) => a.profile.localeCompare(b.profile, undefined, { sensitivity: 'base' }))
  }

  /**
   * Calls `listener` with {@link FeedwatchService.runningProfiles} whenever it changes: a profile
   * started, stopped or renamed, its health or its number of firing alerts changed (the tray).
   * Returns the unsubscribe function.
   */
  onRunningChange(listener: (running: RunningProfileStatus[]) => void): () => void {
    return this.subscribe((message) => {
      if (message.type === 'profiles:running') listener(message.payload.running)
    })
  }

  /** One word for the tray over every running profile: are their enabled feeds healthy? */
  overallHealth(): ProfileHealth {
    const healths = this.runningProfiles()
      .map((status) => status.health)
      .filter((health) => health !== 'idle')
    if (healths.length === 0) return 'idle'
    if (healths.every((health) => health === 'ok')) return 'ok'
    return healths.every((health) => health === 'down') ? 'down' : 'degraded'
  }

  /** The profile windows open when they name none. */
  get profileName(): string {
    return this.defaultName
  }

  /** Stops every running profile (writing its runtime state) and every timer. */
  async close(): Promise<void> {
    this.closed = true
    clearInterval(this.housekeeping)
    await this.queue.catch(() => undefined)
    for (const running of this.running.values()) await running.stop()
    this.running.clear()
    this.delivery.close()
    await this.demo?.close()
    this.demo = undefined
    this.listeners.clear()
  }

  private push(message: PushMessage): void {
    const shown = hideSecretsInPush(message)
    for (const listener of this.listeners) {
      // One transport failing (a window gone mid-send) must not keep the push from the others.
      try {
        listener(shown)
      } catch (error) {
        this.log(`feedwatch: a ${message.type} push could not be delivered: ${String(error)}`)
      }
    }
  }

  private announce(notice: ProfileAlertNotice): void {
    try {
      this.options.notifier.notify(notice)
    } finally {
      this.push({ type: 'alerts:fired', payload: notice })
      this.deliver(notice)
    }
  }

  /** Queues a notice for the profile's contact points; never throws into the alert engine. */
  private deliver(notice: ProfileAlertNotice): void {
    try {
      const running = this.running.get(nameKey(notice.profile))
      if (running === undefined) return
      this.delivery.configure(running.profile)
      const engine = running.alertEngine
      const value =
        notice.kind === 'resolved'
          ? noticeValue(notice.alertId, [], engine.history().entries)
          : noticeValue(notice.alertId, engine.active(), [])
      this.delivery.deliver(notice, running.name, value)
    } catch (error) {
      this.log(`feedwatch: the alert could not be queued for delivery: ${String(error)}`)
    }
  }

  /** What `/metrics` shows of every running profile, read now. */
  metrics(): ProfileMetrics[] {
    return [...this.running.values()].map((running) => ({
      profile: running.profile,
      feeds: running.feeds.statuses(),
      panelValues: running.panelValues.latest(),
      alerts: running.alertEngine.active(),
      deliveries: this.delivery.stats(running.name),
    }))
  }

  private houseKeep(): void {
    // A timer callback that throws would end the process: one failing step must not stop the rest,
    // least of all the heartbeat that tells every window the service still answers.
    const step = (what: string, work: () => void): void => {
      try {
        work()
      } catch (error) {
        this.log(`feedwatch: ${what} failed: ${String(error)}`)
      }
    }
    for (const running of this.running.values())
      step(`housekeeping of "${running.name}"`, () => running.houseKeep())
    step('notification delivery', () =>
      this.delivery.sync([...this.running.values()].map((running) => running.profile)),
    )
    step('the running profiles push', () => this.pushRunningIfChanged())
    step('the heartbeat', () =>
      this.push({ type: 'service:heartbeat', payload: { at: Date.now() } }),
    )
  }

  /** Sends `profiles:running` when a profile started or stopped, its health or firing count changed. */
  private pushRunningIfChanged(): void {
    const running = this.runningProfiles()
    const text = JSON.stringify(running)
    if (text === this.lastRunning) return
    this.lastRunning = text
    this.push({ type: 'profiles:running', payload: { running } })
  }

  /** Picks the default profile and starts the profiles to run (see {@link FeedwatchService.start}). */
  private async startProfiles(): Promise<void> {
    const { dataDir, profileName, profileNames } = this.options
    const state = await readAppState(dataDir)
    let profiles = await this.store.list()
    if (profiles.length === 0) {
      await this.store.ensureNothingUnrecovered()
      await this.createDemoProfile()
      profiles = await this.store.list()
    }
    const known = (name: string | undefined): string | undefined =>
      name === undefined ? undefined : profiles.find((p) => sameName(p.name, name))?.name
    const remembered = known(state.activeProfile)
    // Before profiles could be started and stopped, the profile that was open was the one running.
    this.marked = state.runningProfiles ?? [remembered ?? profiles[0]?.name ?? '']
    this.defaultName =
      profileName ?? profileNames?.[0] ?? remembered ?? profiles[0]?.name ?? this.defaultName
    const explicit = profileNames ?? (profileName === undefined ? undefined : [profileName])
    if (explicit !== undefined) {
      // Named by a person: a name that does not exist is an error for them to fix.
      for (const name of explicit) await this.startProfile(name)
      if (profileName !== undefined)
        for (const name of this.marked) if (known(name)) await this.startProfile(name)
    } else {
      for (const name of this.marked) {
        if (known(name) === undefined) continue
        // One damaged profile must not keep the others from running.
        await this.startProfile(name).catch((error: unknown) =>
          this.log(`feedwatch: profile "${name}" could not be started: ${String(error)}`),
        )
      }
    }
    const defaultProfile = await this.store.load(this.defaultName)
    this.defaultName = defaultProfile.profile.name
    // Write down what was assumed (a first start, an older data folder): a profile created later
    // must not take the running one's place at the next start.
    if (state.runningProfiles === undefined || state.activeProfile === undefined)
      await this.saveAppState()
    this.pushRunningIfChanged()
  }

  /** Starts profile `name` (a no-op when it runs); returns whether it was started now. */
  private async startProfile(name: string): Promise<boolean> {
    if (this.running.has(nameKey(name))) return false
    const loaded = await this.store.load(name)
    const runtime = await this.store.loadRuntimeState(loaded.profile.name)
    if (this.closed) return false
    const running = await RunningProfile.start(loaded.profile, runtime.state, {
      store: this.store,
      demoUrl: async () => (await this.demoSource()).url,
      notify: (notice) => this.announce(notice),
      push: (message) => this.push(message),
      onStatusChange: () => this.pushRunningIfChanged(),
      log: this.log,
    })
    const key = nameKey(loaded.profile.name)
    this.running.set(key, running)
    this.startNotices.set(key, [
      ...loaded.notices.map((n) => n.message),
      ...runtime.notices.map((n) => n.message),
    ])
    // A repair at start (a header taken out, a state file reset) is told where a headless run looks.
    for (const notice of [...loaded.notices, ...runtime.notices])
      this.log(`feedwatch: ${notice.message}`)
    return true
  }

  /** Writes which profiles are marked running and which one windows open by default. */
  private async saveAppState(): Promise<void> {
    await writeAppState(this.options.dataDir, {
      activeProfile: this.defaultName,
      runningProfiles: this.marked,
    })
  }

  /** Makes the Demo profile, wired to the built-in demo source. */
  private async createDemoProfile(): Promise<string> {
    const demo = await this.demoSource()
    // The store sets the version and takes the name separately.
    const { version, name, ...content } = createDemoProfile(demo.url)
    return (await this.store.create(name, content)).profile.name
  }

  /** Starts the demo source once, on demand. */
  private async demoSource(): Promise<{ url: string }> {
    this.demo ??= await startDemoServer()
    return this.demo
  }

  /** The profile a command names, or the default one. */
  private nameOf(profile: string | undefined): string {
    return profile ?? this.defaultName
  }

  private runningOf(profile: string | undefined): RunningProfile | undefined {
    return this.running.get(nameKey(this.nameOf(profile)))
  }

  /** The running profile a command names; a stopped one is a conflict the person can resolve. */
  private requireRunning(profile: string | undefined): RunningProfile {
    const running = this.runningOf(profile)
    if (running === undefined) {
      throw new CommandError(
        'conflict',
        `profile "${this.nameOf(profile)}" is stopped: start it to connect its feeds and evaluate its rules`,
      )
    }
    return running
  }

  /** A profile as a window shows it; a running one as it runs. */
  private async describe(name: string, notices?: readonly string[]): Promise<ActiveProfile> {
    const running = this.running.get(nameKey(name))
    if (running !== undefined) {
      return describeProfile(
        running.profile,
        notices ?? this.startNotices.get(nameKey(name)) ?? [],
        running,
      )
    }
    const loaded = await this.store.load(name)
    return describeProfile(
      loaded.profile,
      notices ?? loaded.notices.map((n) => n.message),
      undefined,
    )
  }

  /** The profile `name` as stored, or as it runs. */
  private async profileOf(name: string): Promise<Profile> {
    return this.running.get(nameKey(name))?.profile ?? (await this.store.load(name)).profile
  }

  /**
   * Runs `change` on the profile a command names, saves the result, applies it when the profile
   * runs and tells every window.
   */
  private mutate<T>(
    profileName: string | undefined,
    change: (profile: Profile) => { next: ProfileInput; result: (saved: Profile) => T },
  ): Promise<T> {
    return this.serial(async () => {
      const name = this.nameOf(profileName)
      const { next, result } = change(await this.profileOf(name))
      rejectUncompilableRules(next)
      const saved = await this.store.save(next)
      const running = this.running.get(nameKey(saved.profile.name))
      await running?.apply(saved.profile)
      this.push({
        type: 'profiles:changed',
        payload: describeProfile(
          saved.profile,
          saved.notices.map((n) => n.message),
          running,
        ),
      })
      return result(saved.profile)
    })
  }

  /** Runs a store operation one at a time with profile changes, mapping its errors. */
  private serial<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.queue.then(operation)
    this.queue = run.catch(() => undefined)
    return run.catch((error: unknown) => {
      throw toCommandError(error)
    })
  }

  private async summaries(): Promise<ProfileSummary[]> {
    return (await this.store.list()).map((p) => this.toSummary(p))
  }

  private async summary(name: string): Promise<ProfileSummary> {
    const found = (await this.store.list()).find((p) => sameName(p.name, name))
    if (found === undefined) throw new CommandError('not-found', `no profile named "${name}"`)
    return this.toSummary(found)
  }

  private toSummary(summary: {
    name: string
    feeds: number
    panels: number
    rules: number
    updatedAt: number
  }): ProfileSummary {
    const { name, feeds, panels, rules, updatedAt } = summary
    return {
      name,
      feeds,
      panels,
      rules,
      updatedAt,
      active: sameName(name, this.defaultName),
      running: this.running.has(nameKey(name)),
    }
  }

  /** Tells every window the list of profiles changed (and what a rename became). */
  private async pushListed(renamed?: { name: string; newName: string }): Promise<void> {
    const profiles = await this.summaries()
    this.push({
      type: 'profiles:listed',
      payload: renamed === undefined ? { profiles } : { profiles, renamed },
    })
  }

  /** Start or stop: marks the profile, tells every window and the tray. */
  private async afterRunningChange(name: string): Promise<ProfileSummary> {
    await this.saveAppState()
    this.push({ type: 'profiles:changed', payload: await this.describe(name) })
    await this.pushListed()
    this.pushRunningIfChanged()
    return this.summary(name)
  }

  private setFeedEnabled(
    profileName: string | undefined,
    id: string,
    enabled: boolean,
  ): Promise<Feed> {
    return this.mutate(profileName, (profile) => {
      requireFeedIn(profile, id)
      return {
        next: {
          ...profile,
          feeds: profile.feeds.map((feed) => (feed.id === id ? { ...feed, enabled } : feed)),
        },
        result: (saved) => requireFeedIn(saved, id),
      }
    })
  }

  /** The status of a running feed, after checking the profile has that feed. */
  private runningFeed(profileName: string | undefined, feedId: string): RunningProfile {
    const running = this.requireRunning(profileName)
    requireFeedIn(running.profile, feedId)
    return running
  }

  private createHandlers(): CommandHandlers {
    return {
      'profiles:list': () => this.serial(() => this.summaries()),
      'profiles:active': ({ name }) => this.serial(() => this.describe(this.nameOf(name))),
      'profiles:switch': ({ name }) =>
        this.serial(async () => {
          const described = await this.describe(name)
          this.defaultName = described.profile.name
          await this.saveAppState()
          return described
        }),
      'profiles:start': ({ name }) =>
        this.serial(async () => {
          await this.startProfile(name)
          const stored = (await this.profileOf(name)).name
          if (!this.marked.some((marked) => sameName(marked, stored))) this.marked.push(stored)
          return this.afterRunningChange(stored)
        }),
      'profiles:stop': ({ name }) =>
        this.serial(async () => {
          const stored = (await this.profileOf(name)).name
          const running = this.running.get(nameKey(stored))
          this.running.delete(nameKey(stored))
          this.startNotices.delete(nameKey(stored))
          await running?.stop()
          this.marked = this.marked.filter((marked) => !sameName(marked, stored))
          return this.afterRunningChange(stored)
        }),
      'profiles:running': () => this.runningProfiles(),
      'profiles:create': ({ name }) =>
        this.serial(async () => {
          const created = await this.store.create(name)
          await this.pushListed()
          return this.summary(created.profile.name)
        }),
      'profiles:duplicate': ({ name, newName }) =>
        this.serial(async () => {
          const copy = await this.store.duplicate(name, newName)
          await this.pushListed()
          return this.summary(copy.profile.name)
        }),
      'profiles:rename': ({ name, newName }) =>
        this.serial(async () => {
          const running = this.running.get(nameKey(name))
          const renamed =
            running === undefined
              ? await this.store.rename(name, newName)
              : await running.whileRenaming(() => this.store.rename(name, newName))
          const to = renamed.profile.name
          const from = this.marked.find((marked) => sameName(marked, name)) ?? name
          if (running !== undefined) {
            this.running.delete(nameKey(name))
            this.running.set(nameKey(to), running)
            const notices = this.startNotices.get(nameKey(name))
            this.startNotices.delete(nameKey(name))
            if (notices !== undefined) this.startNotices.set(nameKey(to), notices)
          }
          this.marked = this.marked.map((marked) => (sameName(marked, name) ? to : marked))
          if (sameName(this.defaultName, name)) this.defaultName = to
          await this.saveAppState()
          await this.pushListed({ name: from, newName: to })
          this.push({ type: 'profiles:changed', payload: await this.describe(to) })
          this.pushRunningIfChanged()
          return this.summary(to)
        }),
      'profiles:delete': ({ name }) =>
        this.serial(async () => {
          if (this.running.has(nameKey(name))) {
            throw new CommandError(
              'conflict',
              'this profile is running: stop it before deleting it',
            )
          }
          await this.store.delete(name)
          this.marked = this.marked.filter((marked) => !sameName(marked, name))
          if (sameName(this.defaultName, name)) {
            const next = [...this.running.values()][0]?.name ?? (await this.store.list())[0]?.name
            this.defaultName = next ?? ''
          }
          await this.saveAppState()
          await this.pushListed()
          return null
        }),
      'profiles:export': ({ name }) =>
        this.serial(async () => {
          // Never with secrets, whatever the request says: see exportProfileWithSecrets.
          const { json } = await this.store.exportProfile(name, { includeSecrets: false })
          return {
            json,
            fileName: `${name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-|-$/g, '') || 'profile'}.feedwatch.json`,
          }
        }),
      'profiles:import': ({ json, name }) =>
        this.serial(async () => {
          const imported = await this.store.importProfile(json, name === undefined ? {} : { name })
          await this.pushListed()
          return this.summary(imported.profile.name)
        }),
      'settings:save': ({ profile: target, ...settings }) =>
        this.mutate(target, (profile) => ({
          next: { ...profile, settings },
          result: (saved) => saved.settings,
        })),
      'feeds:list': ({ profile }) =>
        this.serial(async () => {
          const running = this.runningOf(profile)
          if (running !== undefined) return running.feeds.statuses()
          return (await this.profileOf(this.nameOf(profile))).feeds.map(stoppedStatus)
        }),
      'feeds:add': ({ profile: target, ...draft }) =>
        this.mutate(target, (profile) => {
          const id = draft.id ?? newId('feed')
          if (profile.feeds.some((feed) => feed.id === id))
            throw new CommandError('conflict', `a feed with id "${id}" already exists`)
          return {
            next: { ...profile, feeds: [...profile.feeds, { ...draft, id }] },
            result: (saved) => requireFeedIn(saved, id),
          }
        }),
      'feeds:update': ({ profile: target, ...feed }) =>
        this.mutate(target, (profile) => {
          requireFeedIn(profile, feed.id)
          return {
            next: {
              ...profile,
              // A secret sent back empty by a form that never saw it keeps its stored value.
              feeds: profile.feeds.map((existing) =>
                existing.id === feed.id ? withStoredSecrets(feed, existing) : existing,
              ),
            },
            result: (saved) => requireFeedIn(saved, feed.id),
          }
        }),
      'feeds:remove': ({ profile: target, id }) =>
        this.mutate(target, (profile) => {
          requireFeedIn(profile, id)
          return { next: withoutFeed(profile, id), result: () => null }
        }),
      'feeds:enable': ({ profile, id }) => this.setFeedEnabled(profile, id, true),
      'feeds:disable': ({ profile, id }) => this.setFeedEnabled(profile, id, false),
      'feeds:connect': ({ profile, id }) => {
        const { feeds } = this.runningFeed(profile, id)
        feeds.connect(id)
        return feeds.status(id)
      },
      'feeds:disconnect': ({ profile, id }) => {
        const { feeds } = this.runningFeed(profile, id)
        feeds.disconnect(id)
        return feeds.status(id)
      },
      'feeds:retry': ({ profile, id }) => {
        const { feeds } = this.runningFeed(profile, id)
        feeds.retryNow(id)
        return feeds.status(id)
      },
      'feeds:test': async ({ profile, ...draft }) => {
        // Testing a saved feed from its form: secrets sent empty are the stored ones.
        const stored =
          draft.id === undefined
            ? undefined
            : await this.profileOf(this.nameOf(profile)).then(
                (found) => found.feeds.find((feed) => feed.id === draft.id),
                () => undefined,
              )
        return testConnection({ ...withStoredSecrets(draft, stored), id: draft.id ?? 'test' })
      },
      'events:query': async ({ profile, feedId, ...query }) => {
        const running = this.runningOf(profile)
        if (running === undefined) {
          // A stopped profile buffers nothing; its feeds still have to exist.
          requireFeedIn(await this.profileOf(this.nameOf(profile)), feedId)
          return { events: [], dropped: 0 }
        }
        requireFeedIn(running.profile, feedId)
        const { dropped } = running.feeds.status(feedId)
        return { events: running.feeds.events(feedId, query), dropped }
      },
      'panels:save': ({ profile: target, ...panel }) =>
        this.mutate(target, (profile) => ({
          next: { ...profile, panels: upsert(profile.panels, panel) },
          result: (saved) => saved.panels.find((p) => p.id === panel.id) ?? panel,
        })),
      'panels:remove': ({ profile: target, id }) =>
        this.mutate(target, (profile) => {
          if (!profile.panels.some((panel) => panel.id === id))
            throw new CommandError('not-found', `no panel with id "${id}"`)
          return {
            next: {
              ...profile,
              panels: profile.panels.filter((panel) => panel.id !== id),
              layout: keepWallPanels(profile.layout, (panelId) => panelId !== id),
            },
            result: () => null,
          }
        }),
      'layout:save': ({ profile: target, ...layout }) =>
        this.mutate(target, (profile) => ({
          next: { ...profile, layout },
          result: (saved) => saved.layout,
        })),
      'rules:save': ({ profile: target, ...rule }) =>
        this.mutate(target, (profile) => ({
          next: { ...profile, rules: upsert(profile.rules, rule) },
          result: (saved) => saved.rules.find((r) => r.id === rule.id) ?? rule,
        })),
      'rules:remove': ({ profile: target, id }) =>
        this.mutate(target, (profile) => {
          if (!profile.rules.some((rule) => rule.id === id))
            throw new CommandError('not-found', `no rule with id "${id}"`)
          return {
            next: { ...profile, rules: profile.rules.filter((rule) => rule.id !== id) },
            result: () => null,
          }
        }),
      'rules:preview': ({ profile, ...rule }) => {
        const running = this.requireRunning(profile)
        const feedId = rule.kind === 'condition' ? rule.source.feedId : rule.feedId
        try {
          return running.alertEngine.preview(
            rule,
            running.feeds.has(feedId) ? running.feeds.events(feedId) : [],
          )
        } catch (error) {
          throw toCommandError(error)
        }
      },
      'alerts:list': ({ profile }) => {
        const profiles =
          profile === undefined
            ? [...this.running.values()]
            : [this.runningOf(profile)].filter((p) => p !== undefined)
        const entries: ProfileAlertHistoryEntry[] = []
        let dropped = 0
        for (const running of profiles) {
          const history = running.history()
          entries.push(...history.entries)
          dropped += history.dropped
        }
        entries.sort((a, b) => a.at - b.at)
        return {
          active: profiles.flatMap((running) => running.activeAlerts()),
          history: { entries, dropped },
        }
      },
      'alerts:ack': ({ profile, alertId }) => {
        const running = this.runningOf(profile)
        if (running === undefined || !running.alertEngine.acknowledge(alertId))
          throw new CommandError('not-found', `no active alert with id "${alertId}"`)
        return running
          .activeAlerts()
          .find((alert) => alert.id === alertId) as CommandResponses['alerts:ack']
      },
      'alerts:silence': ({ profile, ruleId, until }) => {
        if (until <= Date.now())
          throw new CommandError('invalid-request', 'until: must be in the future')
        const running = this.requireRunning(profile)
        if (!running.alertEngine.silence(ruleId, until))
          throw new CommandError('not-found', `no enabled rule with id "${ruleId}"`)
        running.markRuntimeDirty()
        return null
      },
      'alerts:unsilence': ({ profile, ruleId }) => {
        const running = this.requireRunning(profile)
        if (!running.alertEngine.unsilence(ruleId))
          throw new CommandError('not-found', `rule "${ruleId}" is not silenced`)
        running.markRuntimeDirty()
        return null
      },
      'contacts:save': ({ profile: target, ...point }) =>
        this.mutate(target, (profile) => ({
          next: withContactPoint(profile, point),
          result: (saved) => saved.contactPoints.find((p) => p.id === point.id) ?? point,
        })),
      'contacts:remove': ({ profile: target, id }) =>
        this.mutate(target, (profile) => {
          if (!profile.contactPoints.some((point) => point.id === id))
            throw new CommandError('not-found', `no contact point with id "${id}"`)
          return { next: withoutContactPoint(profile, id), result: () => null }
        }),
      'contacts:test': ({ profile, id }) => {
        const running = this.requireRunning(profile)
        this.delivery.configure(running.profile)
        if (!this.delivery.test(running.name, id))
          throw new CommandError('not-found', `no contact point with id "${id}"`)
        return null
      },
      'contacts:log': ({ profile }) => {
        const name = this.runningOf(profile)?.name ?? this.nameOf(profile)
        return { log: this.delivery.log(name), stats: this.delivery.stats(name) }
      },
    }
  }
}

/** What every window is told about a profile, and about its run when it runs. */
function describeProfile(
  profile: Profile,
  notices: readonly string[],
  running: RunningProfile | undefined,
): ActiveProfile {
  return running === undefined
    ? { profile, notices, running: false }
    : { profile, notices, running: true, startedAt: running.startedAt }
}

/** A feed of a stopped profile: not connected, nothing received. */
function stoppedStatus(feed: Feed): FeedStatus {
  return {
    feedId: feed.id,
    state: { state: 'idle', at: 0 },
    stats: {
      events: 0,
      bytes: 0,
      reconnects: 0,
      lastEventAt: null,
      connectedSince: null,
      eventsPerSecond: 0,
    },
    lastEventId: '',
    buffered: 0,
    dropped: 0,
  }
}

function requireFeedIn(profile: Profile, id: string): Feed {
  const feed = profile.feeds.find((candidate) => candidate.id === id)
  if (feed === undefined) throw new CommandError('not-found', `no feed with id "${id}"`)
  return feed
}

/**
 * Refuses a profile whose rules the alert engine could not evaluate (an invalid regex, a recovery
 * value on the wrong side) before anything is written, naming each rule by its place in the profile.
 * Schema errors are left to the store, which reports them path by path.
 */
function rejectUncompilableRules(next: ProfileInput): void {
  const parsed = profileSchema.safeParse(next)
  if (!parsed.success) return
  try {
    compileRules(parsed.data.rules)
  } catch (error) {
    if (!(error instanceof AlertRuleError)) throw error
    const index = (ruleId: string): number =>
      parsed.data.rules.findIndex((rule) => rule.id === ruleId)
    const issues = error.problems.map(({ ruleId, message }) => `rules[${index(ruleId)}].${message}`)
    throw new CommandError('invalid-request', issues.join('; '), issues)
  }
}

/** Maps store, feed and rule errors to the contract's error codes. */
function toCommandError(error: unknown): unknown {
  if (error instanceof CommandError) return error
  if (error instanceof AlertRuleError) {
    const issues = error.problems.map((problem) => problem.message)
    return new CommandError('invalid-request', issues.join('; '), issues)
  }
  if (error instanceof UnknownFeedError) return new CommandError('not-found', error.message)
  if (error instanceof ProfileError) {
    switch (error.code) {
      case 'not-found':
        return new CommandError('not-found', error.message)
      case 'exists':
        return new CommandError('conflict', error.message)
      case 'invalid':
        return new CommandError('invalid-request', error.message, error.issues)
      case 'newer-version':
      case 'io':
        return new CommandError('storage', error.message)
    }
  }
  return error
}
