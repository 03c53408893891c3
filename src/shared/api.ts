import { z } from 'zod'
import type { ActiveAlert, AlertHistory, AlertNotice, AlertPreview } from './alerts'
import type { FeedEvent } from './feed-event'
import type { FeedStatus } from './feed-status'
import {
  alertRuleSchema,
  feedSchema,
  idSchema,
  layoutSchema,
  panelSchema,
  settingsSchema,
  type Feed,
  type Panel,
  type Profile,
  type AlertRule,
} from './profile'

/**
 * The one API contract between the engine and every UI: commands (request/response, always async)
 * and pushes (engine to UI), named `domain:verb`. The Electron preload, the IPC handlers, the HTTP
 * transport and the renderer's api adapter all type against this module; no channel name is written
 * anywhere else.
 */

const profileName = z.string().trim().min(1, 'must not be empty').max(120)
const byId = z.object({ id: idSchema })
const nothing = z.object({}).strict()

/** A feed as the add/edit form sends it: the app assigns the id of a new feed. */
export const feedDraftSchema = feedSchema.extend({ id: idSchema.optional() })

/** Request schemas of every command; `mutates` says whether `--read-only` refuses it. */
export const commands = {
  'profiles:list': { request: nothing, mutates: false },
  'profiles:active': { request: nothing, mutates: false },
  'profiles:switch': { request: z.object({ name: profileName }), mutates: true },
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
  'profiles:export': {
    request: z.object({ name: profileName, includeSecrets: z.boolean().default(false) }),
    mutates: false,
  },
  'profiles:import': {
    request: z.object({ json: z.string().max(20_000_000), name: profileName.optional() }),
    mutates: true,
  },
  'settings:save': { request: settingsSchema, mutates: true },
  'feeds:list': { request: nothing, mutates: false },
  'feeds:add': { request: feedDraftSchema, mutates: true },
  'feeds:update': { request: feedSchema, mutates: true },
  'feeds:remove': { request: byId, mutates: true },
  'feeds:enable': { request: byId, mutates: true },
  'feeds:disable': { request: byId, mutates: true },
  'feeds:connect': { request: byId, mutates: true },
  'feeds:disconnect': { request: byId, mutates: true },
  'feeds:retry': { request: byId, mutates: true },
  'feeds:test': { request: feedDraftSchema, mutates: false },
  'events:query': {
    request: z.object({
      feedId: idSchema,
      event: z.string().optional(),
      text: z.string().max(1000).optional(),
      beforeSeq: z.number().int().optional(),
      limit: z.number().int().min(1).max(100_000).optional(),
    }),
    mutates: false,
  },
  'panels:save': { request: panelSchema, mutates: true },
  'panels:remove': { request: byId, mutates: true },
  'layout:save': { request: layoutSchema, mutates: true },
  'rules:save': { request: alertRuleSchema, mutates: true },
  'rules:remove': { request: byId, mutates: true },
  'rules:preview': { request: alertRuleSchema, mutates: false },
  'alerts:list': { request: nothing, mutates: false },
  'alerts:ack': { request: z.object({ alertId: z.string().min(1) }), mutates: true },
  'alerts:silence': {
    request: z.object({ ruleId: idSchema, until: z.number().int().positive() }),
    mutates: true,
  },
  'alerts:unsilence': { request: z.object({ ruleId: idSchema }), mutates: true },
} as const

/** The name of a command, `domain:verb`. */
export type CommandName = keyof typeof commands

/** What a caller sends for command `N` (defaults may be left out). */
export type CommandRequest<N extends CommandName> = z.input<(typeof commands)[N]['request']>

/** The request after validation, defaults filled in. */
export type ValidCommandRequest<N extends CommandName> = z.output<(typeof commands)[N]['request']>

/** The active profile as the UI sees it, with what the store had to tell about loading it. */
export interface ActiveProfile {
  readonly profile: Profile
  /** For example "profiles/ops.json was corrupt; moved to … and the backup was loaded". */
  readonly notices: readonly string[]
}

/** One saved profile in the switcher. */
export interface ProfileSummary {
  readonly name: string
  readonly feeds: number
  readonly panels: number
  readonly rules: number
  readonly updatedAt: number
  readonly active: boolean
}

/** What "Test connection" shows before a feed is saved. */
export interface ConnectionTestResult {
  readonly status: number | null
  readonly contentType: string | null
  readonly outcome: 'open' | 'closed' | 'failed' | 'timeout'
  readonly reason: string | null
  /** The first events, at most 5. */
  readonly events: readonly FeedEvent[]
}

/** What each command answers with. */
export interface CommandResponses {
  'profiles:list': ProfileSummary[]
  'profiles:active': ActiveProfile
  'profiles:switch': ActiveProfile
  'profiles:create': ProfileSummary
  'profiles:duplicate': ProfileSummary
  'profiles:rename': ProfileSummary
  'profiles:delete': null
  'profiles:export': { json: string; fileName: string }
  'profiles:import': ProfileSummary
  'settings:save': Profile['settings']
  'feeds:list': FeedStatus[]
  'feeds:add': Feed
  'feeds:update': Feed
  'feeds:remove': null
  'feeds:enable': Feed
  'feeds:disable': Feed
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
  'alerts:list': { active: ActiveAlert[]; history: AlertHistory }
  'alerts:ack': ActiveAlert
  'alerts:silence': null
  'alerts:unsilence': null
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

/** What each push carries. */
export interface PushPayloads {
  /** A feed's state or stats changed. */
  'feeds:state': FeedStatus
  /** Events for display, about one push per 50 ms. */
  'events:batch': EventBatch
  /** An alert fired, repeated or resolved. */
  'alerts:fired': AlertNotice
  /** The set of active alerts changed. */
  'alerts:changed': { active: ActiveAlert[] }
  /** The active profile changed (edited, switched, imported). */
  'profiles:changed': ActiveProfile
}

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
