import { join } from 'node:path'
import type {
  ActiveProfile,
  CommandResponses,
  ProfileSummary,
  PushMessage,
  PushName,
  PushPayloads,
} from '../../shared/api'
import type { AlertNotice } from '../../shared/alerts'
import type { FeedStatus } from '../../shared/feed-status'
import { profileSchema, type Feed, type Profile, type ProfileInput } from '../../shared/profile'
import { AlertEngine, AlertRuleError, type Notifier } from '../alerts/alert-engine'
import { compileRules } from '../alerts/compiled-rule'
import { CommandError, type CommandHandlers } from '../api/command-dispatch'
import { EventBatcher } from '../api/event-batcher'
import { startDemoServer } from '../demo/demo-server'
import { createDemoProfile } from '../demo/demo-profile'
import { FeedManager, UnknownFeedError } from '../feeds/feed-manager'
import { ProfileError } from '../profiles/profile-error'
import { ProfileStore, type ProfileResult } from '../profiles/profile-store'
import { createRuntimeStateWriter, type RuntimeStateWriter } from '../profiles/runtime-state-writer'
import type { SecretCipher } from '../profiles/secret-cipher'
import { readAppState, writeAppState } from './app-state'
import { newId, sameName, upsert, withoutFeed } from './profile-edits'
import { testConnection } from './connection-test'

/** What the service needs from its shell (Electron or `feedwatch serve`). */
export interface FeedwatchServiceOptions {
  /** Folder for profiles and app state. */
  readonly dataDir: string
  /** Profile to open instead of the last one used. */
  readonly profileName?: string
  /** Encrypts secret header values at rest (Electron's safeStorage). */
  readonly cipher?: SecretCipher
  /** Shows alerts to a person: an OS notification, a log line. */
  readonly notifier: Notifier
  /** Where operational messages go. @defaultValue `console.error` */
  readonly log?: (line: string) => void
}

/** How often stats are pushed and runtime state (last event IDs, alert state) is written. */
const HOUSEKEEPING_MS = 1000

/**
 * Everything the main process owns behind the API contract: the profile store, one connection per
 * feed, the alert engine and the push stream. Both transports (Electron IPC and `feedwatch serve`)
 * call {@link FeedwatchService.handlers} and {@link FeedwatchService.subscribe}; neither knows more.
 */
export class FeedwatchService {
  /** One function per command of the contract. */
  readonly handlers: CommandHandlers
  private readonly listeners = new Set<(message: PushMessage) => void>()
  private readonly manager: FeedManager
  private readonly alerts: AlertEngine
  private readonly batcher: EventBatcher
  private readonly housekeeping: NodeJS.Timeout
  private readonly log: (line: string) => void
  private demo: { url: string; close(): Promise<void> } | undefined
  private active!: ProfileResult
  /** Profile changes run one at a time: each reads the profile the previous one wrote. */
  private queue: Promise<unknown> = Promise.resolve()
  private runtimeDirty = false
  private runtimeWriter: RuntimeStateWriter | undefined

  private constructor(
    private readonly store: ProfileStore,
    private readonly options: FeedwatchServiceOptions,
  ) {
    this.log = options.log ?? ((line) => console.error(line))
    this.batcher = new EventBatcher((batch) => this.push('events:batch', batch))
    this.alerts = new AlertEngine({
      notifier: { notify: (notice) => this.announce(notice) },
      feedName: (feedId) => this.active?.profile.feeds.find((feed) => feed.id === feedId)?.name,
      // Pending alerts and alerts firing while silenced change what is shown without any notice.
      onActiveChange: () => {
        this.push('alerts:changed', { active: this.alerts.active() })
        this.runtimeDirty = true
      },
    })
    this.manager = new FeedManager({
      onEvent: (feedId, event) => {
        this.alerts.handleEvent(feedId, event)
        this.batcher.add(feedId, event)
        this.runtimeDirty = true
      },
      onState: (feedId, state) => {
        this.alerts.handleFeedState(feedId, state)
        if (this.manager.has(feedId)) this.push('feeds:state', this.manager.status(feedId))
      },
    })
    this.housekeeping = setInterval(() => this.houseKeep(), HOUSEKEEPING_MS)
    this.handlers = this.createHandlers()
  }

  /** Opens the store and the profile to use (creating the Demo profile on first run) and connects its feeds. */
  static async start(options: FeedwatchServiceOptions): Promise<FeedwatchService> {
    const store = new ProfileStore({
      directory: join(options.dataDir, 'profiles'),
      ...(options.cipher === undefined ? {} : { cipher: options.cipher }),
    })
    const service = new FeedwatchService(store, options)
    try {
      const profiles = await store.list()
      const remembered = (await readAppState(options.dataDir)).activeProfile
      const name =
        options.profileName ??
        profiles.find((p) => p.name === remembered)?.name ??
        profiles[0]?.name ??
        (await service.createDemoProfile())
      await service.activate(name)
      return service
    } catch (error) {
      await service.close()
      throw error
    }
  }

  /** Receives every push; returns the unsubscribe function. */
  subscribe(listener: (message: PushMessage) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** One word for the tray: are the enabled feeds healthy? */
  overallHealth(): 'ok' | 'degraded' | 'down' | 'idle' {
    const states = this.manager
      .statuses()
      .filter((status) => this.feed(status.feedId)?.enabled)
      .map((status) => status.state.state)
    if (states.length === 0) return 'idle'
    const healthy = states.filter((state) => state === 'open' || state === 'connecting').length
    if (healthy === states.length) return 'ok'
    return healthy === 0 ? 'down' : 'degraded'
  }

  /** The active profile's name. */
  get profileName(): string {
    return this.active.profile.name
  }

  /** Disconnects every feed, writes the runtime state and stops every timer. */
  async close(): Promise<void> {
    clearInterval(this.housekeeping)
    await this.queue.catch(() => undefined)
    await this.closeRuntimeWriter()
    this.manager.close()
    this.alerts.dispose()
    this.batcher.close()
    await this.demo?.close()
    this.demo = undefined
    this.listeners.clear()
  }

  private push<N extends PushName>(type: N, payload: PushPayloads[N]): void {
    const message = { type, payload } as PushMessage
    for (const listener of this.listeners) listener(message)
  }

  private announce(notice: AlertNotice): void {
    try {
      this.options.notifier.notify(notice)
    } finally {
      this.push('alerts:fired', notice)
    }
  }

  private houseKeep(): void {
    for (const status of this.manager.statuses()) this.push('feeds:state', status)
    if (this.runtimeDirty) this.recordRuntimeState()
  }

  /** Hands the current last event IDs and alert state to the writer, which writes at most once a second. */
  private recordRuntimeState(): void {
    this.runtimeDirty = false
    this.runtimeWriter?.update({
      lastEventIds: this.manager.lastEventIds(),
      alertState: this.alerts.exportState(),
    })
  }

  /** Writes what is pending for the active profile and stops its writer (before a switch, rename or close). */
  private async closeRuntimeWriter(): Promise<void> {
    if (this.runtimeWriter === undefined) return
    this.recordRuntimeState()
    const writer = this.runtimeWriter
    this.runtimeWriter = undefined
    await writer
      .close()
      .catch((error: unknown) =>
        this.log(`feedwatch: could not save the runtime state: ${String(error)}`),
      )
  }

  /** Starts writing runtime state for the profile `name`. */
  private openRuntimeWriter(name: string): void {
    this.runtimeWriter = createRuntimeStateWriter(this.store, name, {
      onError: (error) => this.log(`feedwatch: could not save the runtime state: ${String(error)}`),
      onNotice: (notice) => this.log(`feedwatch: ${notice.message}`),
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

  /** Switches to profile `name`: the old profile's connections close and the new one's open. */
  private async activate(name: string): Promise<ActiveProfile> {
    const loaded = await this.store.load(name)
    await this.closeRuntimeWriter()
    this.manager.close()
    const runtime = await this.store.loadRuntimeState(loaded.profile.name)
    this.active = loaded
    this.openRuntimeWriter(loaded.profile.name)
    // The alert history, silences and acknowledgements belong to the profile being left.
    this.alerts.reset()
    this.alerts.setRules(loaded.profile.rules)
    try {
      if (runtime.state.alertState !== null) this.alerts.importState(runtime.state.alertState)
    } catch (error) {
      this.log(`feedwatch: the saved alert state was not usable and was reset: ${String(error)}`)
    }
    await this.applyFeeds(runtime.state.lastEventIds)
    await writeAppState(this.options.dataDir, { activeProfile: loaded.profile.name })
    const active = this.describeActive([
      ...loaded.notices.map((n) => n.message),
      ...runtime.notices.map((n) => n.message),
    ])
    this.push('profiles:changed', active)
    return active
  }

  /** Connects the active profile's feeds, pointing demo feeds at the running demo source. */
  private async applyFeeds(lastEventIds: Readonly<Record<string, string>> = {}): Promise<void> {
    const feeds = this.active.profile.feeds
    const demoUrl = feeds.some((feed) => feed.demo) ? (await this.demoSource()).url : undefined
    this.manager.apply(
      feeds.map((feed) => (feed.demo && demoUrl !== undefined ? { ...feed, url: demoUrl } : feed)),
      lastEventIds,
    )
  }

  private describeActive(notices: readonly string[] = []): ActiveProfile {
    return { profile: this.active.profile, notices }
  }

  /** Runs `change` on the active profile, saves the result and applies it to the running services. */
  private mutate<T>(
    change: (profile: Profile) => { next: ProfileInput; result: (saved: Profile) => T },
  ): Promise<T> {
    const run = this.queue.then(async () => {
      const { next, result } = change(this.active.profile)
      rejectUncompilableRules(next)
      const saved = await this.store.save(next)
      this.active = saved
      this.alerts.setRules(saved.profile.rules)
      await this.applyFeeds()
      this.push('profiles:changed', this.describeActive(saved.notices.map((n) => n.message)))
      return result(saved.profile)
    })
    this.queue = run.catch(() => undefined)
    return run.catch((error: unknown) => {
      throw toCommandError(error)
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

  private feed(feedId: string): Feed | undefined {
    return this.active.profile.feeds.find((feed) => feed.id === feedId)
  }

  private requireFeed(feedId: string): Feed {
    const feed = this.feed(feedId)
    if (feed === undefined) throw new CommandError('not-found', `no feed with id "${feedId}"`)
    return feed
  }

  private status(feedId: string): FeedStatus {
    this.requireFeed(feedId)
    return this.manager.status(feedId)
  }

  private async summary(name: string): Promise<ProfileSummary> {
    const found = (await this.store.list()).find((p) => p.name === name)
    if (found === undefined) throw new CommandError('not-found', `no profile named "${name}"`)
    return toSummary(found, this.active.profile.name)
  }

  private setFeedEnabled(id: string, enabled: boolean): Promise<Feed> {
    return this.mutate((profile) => {
      this.requireFeedIn(profile, id)
      return {
        next: {
          ...profile,
          feeds: profile.feeds.map((feed) => (feed.id === id ? { ...feed, enabled } : feed)),
        },
        result: (saved) => this.requireFeedIn(saved, id),
      }
    })
  }

  private requireFeedIn(profile: Profile, id: string): Feed {
    const feed = profile.feeds.find((candidate) => candidate.id === id)
    if (feed === undefined) throw new CommandError('not-found', `no feed with id "${id}"`)
    return feed
  }

  private createHandlers(): CommandHandlers {
    return {
      'profiles:list': async () => {
        const current = this.active.profile.name
        return (await this.store.list()).map((p) => toSummary(p, current))
      },
      'profiles:active': () => this.describeActive(this.active.notices.map((n) => n.message)),
      'profiles:switch': ({ name }) => this.serial(() => this.activate(name)),
      'profiles:create': ({ name }) =>
        this.serial(async () => this.summary((await this.store.create(name)).profile.name)),
      'profiles:duplicate': ({ name, newName }) =>
        this.serial(async () =>
          this.summary((await this.store.duplicate(name, newName)).profile.name),
        ),
      'profiles:rename': ({ name, newName }) =>
        this.serial(async () => {
          if (!sameName(this.active.profile.name, name)) {
            return this.summary((await this.store.rename(name, newName)).profile.name)
          }
          // The writer addresses the state file by profile name: finish it before the name changes.
          await this.closeRuntimeWriter()
          let renamed: ProfileResult | undefined
          try {
            renamed = await this.store.rename(name, newName)
          } finally {
            this.openRuntimeWriter((renamed ?? this.active).profile.name)
          }
          this.active = renamed
          await writeAppState(this.options.dataDir, { activeProfile: renamed.profile.name })
          this.push('profiles:changed', this.describeActive())
          return this.summary(renamed.profile.name)
        }),
      'profiles:delete': ({ name }) =>
        this.serial(async () => {
          if (sameName(this.active.profile.name, name)) {
            throw new CommandError(
              'conflict',
              'this profile is in use: switch to another profile before deleting it',
            )
          }
          await this.store.delete(name)
          return null
        }),
      'profiles:export': ({ name, includeSecrets }) =>
        this.serial(async () => {
          const { json } = await this.store.exportProfile(name, { includeSecrets })
          return {
            json,
            fileName: `${name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-|-$/g, '') || 'profile'}.feedwatch.json`,
          }
        }),
      'profiles:import': ({ json, name }) =>
        this.serial(async () => {
          const imported = await this.store.importProfile(json, name === undefined ? {} : { name })
          return this.summary(imported.profile.name)
        }),
      'settings:save': (settings) =>
        this.mutate((profile) => ({
          next: { ...profile, settings },
          result: (saved) => saved.settings,
        })),
      'feeds:list': () => this.manager.statuses(),
      'feeds:add': (draft) =>
        this.mutate((profile) => {
          const id = draft.id ?? newId('feed')
          if (profile.feeds.some((feed) => feed.id === id))
            throw new CommandError('conflict', `a feed with id "${id}" already exists`)
          return {
            next: { ...profile, feeds: [...profile.feeds, { ...draft, id }] },
            result: (saved) => this.requireFeedIn(saved, id),
          }
        }),
      'feeds:update': (feed) =>
        this.mutate((profile) => {
          this.requireFeedIn(profile, feed.id)
          return {
            next: {
              ...profile,
              feeds: profile.feeds.map((existing) => (existing.id === feed.id ? feed : existing)),
            },
            result: (saved) => this.requireFeedIn(saved, feed.id),
          }
        }),
      'feeds:remove': ({ id }) =>
        this.mutate((profile) => {
          this.requireFeedIn(profile, id)
          return { next: withoutFeed(profile, id), result: () => null }
        }),
      'feeds:enable': ({ id }) => this.setFeedEnabled(id, true),
      'feeds:disable': ({ id }) => this.setFeedEnabled(id, false),
      'feeds:connect': ({ id }) => {
        this.status(id)
        this.manager.connect(id)
        return this.manager.status(id)
      },
      'feeds:disconnect': ({ id }) => {
        this.status(id)
        this.manager.disconnect(id)
        return this.manager.status(id)
      },
      'feeds:retry': ({ id }) => {
        this.status(id)
        this.manager.retryNow(id)
        return this.manager.status(id)
      },
      'feeds:test': async (draft) => testConnection({ ...draft, id: draft.id ?? 'test' }),
      'events:query': ({ feedId, ...query }) => {
        const { dropped } = this.status(feedId)
        return { events: this.manager.events(feedId, query), dropped }
      },
      'panels:save': (panel) =>
        this.mutate((profile) => ({
          next: { ...profile, panels: upsert(profile.panels, panel) },
          result: (saved) => saved.panels.find((p) => p.id === panel.id) ?? panel,
        })),
      'panels:remove': ({ id }) =>
        this.mutate((profile) => {
          if (!profile.panels.some((panel) => panel.id === id))
            throw new CommandError('not-found', `no panel with id "${id}"`)
          return {
            next: {
              ...profile,
              panels: profile.panels.filter((panel) => panel.id !== id),
              layout: {
                ...profile.layout,
                wallPanels: profile.layout.wallPanels.filter((panelId) => panelId !== id),
              },
            },
            result: () => null,
          }
        }),
      'layout:save': (layout) =>
        this.mutate((profile) => ({
          next: { ...profile, layout },
          result: (saved) => saved.layout,
        })),
      'rules:save': (rule) =>
        this.mutate((profile) => ({
          next: { ...profile, rules: upsert(profile.rules, rule) },
          result: (saved) => saved.rules.find((r) => r.id === rule.id) ?? rule,
        })),
      'rules:remove': ({ id }) =>
        this.mutate((profile) => {
          if (!profile.rules.some((rule) => rule.id === id))
            throw new CommandError('not-found', `no rule with id "${id}"`)
          return {
            next: { ...profile, rules: profile.rules.filter((rule) => rule.id !== id) },
            result: () => null,
          }
        }),
      'rules:preview': (rule) => {
        const feedId = rule.kind === 'condition' ? rule.source.feedId : rule.feedId
        try {
          return this.alerts.preview(
            rule,
            this.manager.has(feedId) ? this.manager.events(feedId) : [],
          )
        } catch (error) {
          throw toCommandError(error)
        }
      },
      'alerts:list': () => ({ active: this.alerts.active(), history: this.alerts.history() }),
      'alerts:ack': ({ alertId }) => {
        if (!this.alerts.acknowledge(alertId))
          throw new CommandError('not-found', `no active alert with id "${alertId}"`)
        return this.alerts
          .active()
          .find((alert) => alert.id === alertId) as CommandResponses['alerts:ack']
      },
      'alerts:silence': ({ ruleId, until }) => {
        if (until <= Date.now())
          throw new CommandError('invalid-request', 'until: must be in the future')
        if (!this.alerts.silence(ruleId, until))
          throw new CommandError('not-found', `no enabled rule with id "${ruleId}"`)
        this.runtimeDirty = true
        return null
      },
      'alerts:unsilence': ({ ruleId }) => {
        if (!this.alerts.unsilence(ruleId))
          throw new CommandError('not-found', `rule "${ruleId}" is not silenced`)
        this.runtimeDirty = true
        return null
      },
    }
  }
}

function toSummary(
  summary: { name: string; feeds: number; panels: number; rules: number; updatedAt: number },
  activeName: string,
): ProfileSummary {
  const { name, feeds, panels, rules, updatedAt } = summary
  return { name, feeds, panels, rules, updatedAt, active: name === activeName }
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
