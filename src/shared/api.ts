import { z } from 'zod'
import type { ActiveAlert, AlertHistoryEntry, AlertNotice, AlertPreview } from './alerts'
import type { ContactPointStats, DeliveryLog, DeliveryLogEntry } from './delivery'
import type { ConnectionErrorCode } from './connection'
import type { FeedEvent } from './feed-event'
import type { FeedStatus } from './feed-status'
import {
  alertRuleSchema,
  contactPointSchema,
  feedSchema,
  idSchema,
  layoutSchema,
  panelSchema,
  settingsSchema,
  type Feed,
  type Header,
  type Panel,
  type Profile,
  type AlertRule,
  type ContactPoint,
} from './profile'

/**
 * The one API contract between the engine and every UI: commands (request/response, always async)
 * and pushes (engine to UI), named `domain:verb`. The Electron preload, the IPC handlers, the HTTP
 * transport and the renderer's api adapter all type against this module; no channel name is written
 * anywhere else.
 */

const profileName = z.string().trim().min(1, 'must not be empty').max(120)
const nothing = z.object({}).strict()

/**
 * Which profile a command concerns. Every window shows a profile of its own and names it in each
 * command; left out, the command concerns the profile windows open by default.
 */
const profileScope = z.object({ profile: profileName.optional() })

/** `schema` with the {@link profileScope} field beside its own. */
function scoped<T extends z.ZodType>(schema: T): z.ZodIntersection<T, typeof profileScope> {
  return z.intersection(schema, profileScope)
}

const byId = scoped(z.object({ id: idSchema }))

/** A feed as the add/edit form sends it: the app assigns the id of a new feed. */
export const feedDraftSchema = feedSchema.extend({ id: idSchema.optional() })

/** Request schemas of every command; `mutates` says whether `--read-only` refuses it. */
export const commands = {
  'profiles:list': { request: nothing, mutates: false },
  /** One profile as a window shows it; without a name, the one windows open by default. */
  'profiles:active': { request: z.object({ name: profileName.optional() }), mutates: false },
  /** Remembers the profile windows open by default; starts and stops nothing. */
  'profiles:switch': { request: z.object({ name: profileName }), mutates: true },
  /** Connects the profile's feeds, evaluates its rules and notifies; remembered across restarts. */
  'profiles:start': { request: z.object({ name: profileName }), mutates: true },
  /** Disconnects the profile's feeds and stops its rules; remembered across restarts. */
  'profiles:stop': { request: z.object({ name: profileName }), mutates: true },
  'profiles:running': { request: nothing, mutates: false },
  'profiles:create': { request: z.object({ name: profileName }), mutates: true },
  'profiles:duplicate': {
    request: z.object({ name: profileName, newName: profileName }),
    mutates: true,
  },
  'profiles:rename': {
    request: z.object({ name: profileName, newName: profileName }),
    mutates: true,
  },
  'profiles:delete': { request: z.object({ name: profileName }), mutates: true },
  /**
   * Secret header values are always left out: only the desktop app's own menu exports them, in the
   * main process, through a save dialog; `includeSecrets: true` is refused here.
   */
  'profiles:export': {
    request: z.object({
      name: profileName,
      includeSecrets: z
        .boolean()
        .default(false)
        .refine(
          (include) => !include,
          'secret values never leave Feedwatch through the API; export them with File › Export Profile with Secrets… in the desktop app',
        ),
    }),
    mutates: false,
  },
  'profiles:import': {
    request: z.object({ json: z.string().max(20_000_000), name: profileName.optional() }),
    mutates: true,
  },
  'settings:save': { request: scoped(settingsSchema), mutates: true },
  'feeds:list': { request: profileScope.strict(), mutates: false },
  'feeds:add': { request: scoped(feedDraftSchema), mutates: true },
  'feeds:update': { request: scoped(feedSchema), mutates: true },
  'feeds:remove': { request: byId, mutates: true },
  'feeds:enable': { request: byId, mutates: true },
  'feeds:disable': { request: byId, mutates: true },
  'feeds:connect': { request: byId, mutates: true },
  'feeds:disconnect': { request: byId, mutates: true },
  'feeds:retry': { request: byId, mutates: true },
  /** A secret header sent empty uses the value stored for the profile's feed of that id. */
  'feeds:test': { request: scoped(feedDraftSchema), mutates: false },
  'events:query': {
    request: profileScope.extend({
      feedId: idSchema,
      event: z.string().optional(),
      text: z.string().max(1000).optional(),
      beforeSeq: z.number().int().optional(),
      limit: z.number().int().min(1).max(100_000).optional(),
    }),
    mutates: false,
  },
  'panels:save': { request: scoped(panelSchema), mutates: true },
  'panels:remove': { request: byId, mutates: true },
  'layout:save': { request: scoped(layoutSchema), mutates: true },
  'rules:save': { request: scoped(alertRuleSchema), mutates: true },
  'rules:remove': { request: byId, mutates: true },
  'rules:preview': { request: scoped(alertRuleSchema), mutates: false },
  /** Without a profile: the alerts of every running profile, each naming its profile. */
  'alerts:list': { request: profileScope.strict(), mutates: false },
  'alerts:ack': { request: profileScope.extend({ alertId: z.string().min(1) }), mutates: true },
  'alerts:silence': {
    request: profileScope.extend({ ruleId: idSchema, until: z.number().int().positive() }),
    mutates: true,
  },
  'alerts:unsilence': { request: profileScope.extend({ ruleId: idSchema }), mutates: true },
  /** Adds or replaces a contact point; a secret header sent empty keeps its stored value. */
  'contacts:save': { request: scoped(contactPointSchema), mutates: true },
  /** Removes a contact point, and its id from the rules that picked it. */
  'contacts:remove': { request: byId, mutates: true },
  /** "Send test notification": queues one for the contact point; the delivery log tells how it went. */
  'contacts:test': { request: byId, mutates: true },
  /** The delivery log of a running profile and its contact points' totals. */
  'contacts:log': { request: profileScope.strict(), mutates: false },
} as const

/** The name of a command, `domain:verb`. */
export type CommandName = keyof typeof commands

/** What a caller sends for command `N` (defaults may be left out). */
export type CommandRequest<N extends CommandName> = z.input<(typeof commands)[N]['request']>

/** The request after validation, defaults filled in. */
export type ValidCommandRequest<N extends CommandName> = z.output<(typeof commands)[N]['request']>

/**
 * A request header as replies and pushes show it. A secret one's value is always `""` there:
 * secret values never leave the main process. Sent back empty, the stored value is kept.
 */
export type ShownHeader = Header & {
  /** On a secret header: whether a value is stored. */
  readonly valueSet?: boolean
}

/** A feed as replies and pushes show it: secret header values left out. */
export type ShownFeed = Omit<Feed, 'headers'> & { headers: ShownHeader[] }

/** A contact point as replies and pushes show it: secret header values left out. */
export type ShownContactPoint = {
  [K in ContactPoint['kind']]: Omit<Extract<ContactPoint, { kind: K }>, 'headers'> & {
    headers: ShownHeader[]
  }
}[ContactPoint['kind']]

/** A profile as replies and pushes show it: secret header values left out. */
export type ShownProfile = Omit<Profile, 'feeds' | 'contactPoints'> & {
  feeds: ShownFeed[]
  contactPoints: ShownContactPoint[]
}

/** A profile as a window shows it, with what the store had to tell about loading it. */
export interface ActiveProfile {
  readonly profile: ShownProfile
  /** For example "profiles/ops.json was corrupt; moved to … and the backup was loaded". */
  readonly notices: readonly string[]
  /** Its feeds are connected and its rules evaluated, whichever profile windows show. */
  readonly running: boolean
  /**
   * When this run of the profile started (epoch ms); absent while it is stopped. A new value means
   * its feeds started over (event numbers from 1): a window drops what it kept of the last run.
   */
  readonly startedAt?: number
}

/** One saved profile in the switcher. */
export interface ProfileSummary {
  readonly name: string
  readonly feeds: number
  readonly panels: number
  readonly rules: number
  readonly updatedAt: number
  /** The profile windows open by default (the last one opened). */
  readonly active: boolean
  /** Its feeds are connected and its rules evaluated. */
  readonly running: boolean
}

/** One word for how a running profile's enabled feeds are doing. */
export type ProfileHealth = 'ok' | 'degraded' | 'down' | 'idle'

/** A running profile as the tray and the title count show it. */
export interface RunningProfileStatus {
  readonly profile: string
  readonly health: ProfileHealth
  /** Alerts firing now (pending ones not counted). */
  readonly firing: number
}

/** An active alert and the profile whose rule raised it. */
export type ProfileAlert = ActiveAlert & { readonly profile: string }

/** A line of the alert history and the profile it belongs to. */
export type ProfileAlertHistoryEntry = AlertHistoryEntry & { readonly profile: string }

/** An alert notice and the profile whose rule sent it. */
export type ProfileAlertNotice = AlertNotice & { readonly profile: string }

/** What "Test connection" shows before a feed is saved. */
export interface ConnectionTestResult {
  readonly status: number | null
  readonly contentType: string | null
  readonly outcome: 'open' | 'closed' | 'failed' | 'timeout'
  readonly reason: string | null
  /** Why it closed or failed, for the reason in words (`src/shared/reason-text.ts`). */
  readonly code?: ConnectionErrorCode
  /** The first events, at most 5. */
  readonly events: readonly FeedEvent[]
}

/** What each command answers with. */
export interface CommandResponses {
  'profiles:list': ProfileSummary[]
  'profiles:active': ActiveProfile
  'profiles:switch': ActiveProfile
  'profiles:start': ProfileSummary
  'profiles:stop': ProfileSummary
  'profiles:running': RunningProfileStatus[]
  'profiles:create': ProfileSummary
  'profiles:duplicate': ProfileSummary
  'profiles:rename': ProfileSummary
  'profiles:delete': null
  'profiles:export': { json: string; fileName: string }
  'profiles:import': ProfileSummary
  'settings:save': Profile['settings']
  'feeds:list': FeedStatus[]
  'feeds:add': ShownFeed
  'feeds:update': ShownFeed
  'feeds:remove': null
  'feeds:enable': ShownFeed
  'feeds:disable': ShownFeed
  'feeds:connect': FeedStatus
  'feeds:disconnect': FeedStatus
  'feeds:retry': FeedStatus
  'feeds:test': ConnectionTestResult
  'events:query': { events: FeedEvent[]; dropped: number }
  'panels:save': Panel
  'panels:remove': null
  'layout:save': Profile['layout']
  'rules:save': AlertRule
  'rules:remove': null
  'rules:preview': AlertPreview
  'alerts:list': {
    active: ProfileAlert[]
    history: { entries: ProfileAlertHistoryEntry[]; dropped: number }
  }
  'alerts:ack': ProfileAlert
  'alerts:silence': null
  'alerts:unsilence': null
  'contacts:save': ShownContactPoint
  'contacts:remove': null
  'contacts:test': null
  'contacts:log': { log: DeliveryLog; stats: ContactPointStats[] }
}

/** Why a command failed, as a value: an error thrown through Electron IPC keeps only its message. */
export interface ApiError {
  readonly code:
    | 'invalid-request' // the payload failed validation; `issues` says where
    | 'unknown-command'
    | 'not-found'
    | 'conflict' // a name or id already taken
    | 'read-only' // refused by `feedwatch serve --read-only`
    | 'forbidden' // the sender or origin is not allowed
    | 'storage' // the profile could not be read or written
    | 'too-large' // the request body is over its command's limit (HTTP 413)
    | 'busy' // too many large uploads at once: retry after `Retry-After` seconds (HTTP 503)
    | 'internal'
  readonly message: string
  /** Path-precise problems for `invalid-request`: `feeds[2].url: must be an http(s) URL`. */
  readonly issues?: readonly string[]
}

/** Every command answers with one of these. */
export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError }

/** One push of events: what arrived since the last one, per feed, and what was left out. */
export interface EventBatch {
  readonly feeds: readonly { readonly feedId: string; readonly events: readonly FeedEvent[] }[]
  /** Events left out of the display stream (oldest first) because more arrived than it may carry. */
  readonly dropped: number
}

/**
 * What each push carries. Every push about a profile names it (`profile`, or `profile.name` in
 * `profiles:changed`): a window shows what concerns the profile it shows and nothing else.
 */
export interface PushPayloads {
  /** A feed's state or stats changed. */
  'feeds:state': FeedStatus & { readonly profile: string }
  /** Events for display, about one push per 50 ms. */
  'events:batch': EventBatch & { readonly profile: string }
  /** An alert fired, repeated or resolved. */
  'alerts:fired': ProfileAlertNotice
  /** The set of active alerts of one profile changed. */
  'alerts:changed': { readonly profile: string; readonly active: ProfileAlert[] }
  /** A profile was edited, imported, started or stopped. */
  'profiles:changed': ActiveProfile
  /** Profiles were created, renamed, deleted, started or stopped. */
  'profiles:listed': {
    readonly profiles: ProfileSummary[]
    /** Set when a profile was renamed: windows showing it follow it to its new name. */
    readonly renamed?: { readonly name: string; readonly newName: string }
  }
  /** Which profiles run, their health and firing alerts (the tray, the title count). */
  'profiles:running': { readonly running: RunningProfileStatus[] }
  /** Sent every second: a window that hears nothing for 3 s says the connection is lost. */
  'service:heartbeat': { readonly at: number }
  /** A line was added to a profile's delivery log ("delivered", "failed: 503, retrying in 8 s"). */
  'contacts:delivery': { readonly profile: string; readonly entry: DeliveryLogEntry }
  /**
   * Events one `feedwatch serve` client was not sent because it read too slowly (its oldest batches
   * were dropped to bound the server's memory; the feed buffers still hold them). Sent as soon as
   * the client's connection takes it, not with the next batch.
   */
  'events:dropped': { readonly dropped: number }
}

/** How often the service sends `service:heartbeat`. */
export const HEARTBEAT_INTERVAL_MS = 1000

/**
 * A window that has heard nothing from the service (no push, no heartbeat) for this long says the
 * connection is lost: two heartbeats missed, well within the 3 s a person is promised.
 */
export const CONNECTION_LOST_AFTER_MS = 2500

/** The name of a push. */
export type PushName = keyof PushPayloads

/** One push as it travels. */
export type PushMessage = {
  [N in PushName]: { readonly type: N; readonly payload: PushPayloads[N] }
}[PushName]

/** True when `name` is one of our commands (untrusted input from IPC or HTTP). */
export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commands, name)
}
