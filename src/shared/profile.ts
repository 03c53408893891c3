import { z } from 'zod'
import { headerNameProblem, headerValueProblem } from './http-header'
import { eventCountFields, ruleWindowSchema } from './rule-window'
import { MAX_DECIMALS } from './units'

/**
 * A profile: the feeds, charts, alert rules, wall layout and settings a person keeps. Stored as one
 * versioned JSON document; these schemas are the only definition of its shape, used by the store, the
 * API boundary and the UI alike.
 */

/** Version written by this build; older documents are migrated on load. */
export const PROFILE_VERSION = 1

/** Longest name we accept for anything a person names. */
const NAME_MAX = 120

const name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(NAME_MAX, `must be at most ${NAME_MAX} characters`)

/** Ids are short, URL- and file-name-safe strings chosen by the app. */
export const idSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, "-" or "_"')

/** An absolute http: or https: URL. */
export const httpUrlSchema = z.string().refine((text) => {
  try {
    const { protocol } = new URL(text)
    return protocol === 'http:' || protocol === 'https:'
  } catch {
    return false
  }
}, 'must be an http(s) URL')

const wholeMs = z
  .number()
  .int('must be a whole number')
  .min(0, 'must not be negative')
  .max(2 ** 31 - 1)

/** One request header; a secret one is left out of exports and encrypted at rest where the OS allows. */
export const headerSchema = z.object({
  name: z.string(),
  value: z.string(),
  secret: z.boolean().default(false),
})

/** Where in a feed's `headers` a problem is, and what it is. */
export interface HeaderProblem {
  /** Relative to the `headers` array: `[0, 'name']`, or the header's name for a bad value. */
  readonly path: readonly (string | number)[]
  readonly message: string
}

/**
 * Why the header at `index` cannot be sent by Node's HTTP client (which would throw
 * `ERR_INVALID_CHAR` from inside a reconnect), or `undefined` when it can. A bad value is reported
 * under the header's name, `headers["X-A"]`, so a person finds it in the file; the value itself is
 * never quoted (it may be a secret).
 */
export function headerProblem(
  header: { readonly name: string; readonly value: string },
  index: number,
): HeaderProblem | undefined {
  const nameProblem = headerNameProblem(header.name)
  if (nameProblem !== undefined) return { path: [index, 'name'], message: nameProblem }
  const valueProblem = headerValueProblem(header.value)
  if (valueProblem !== undefined) return { path: [header.name], message: valueProblem }
  return undefined
}

/** A feed's request headers: each must be one Node's HTTP client can send. */
const headersSchema = z.array(headerSchema).superRefine((headers, context) => {
  headers.forEach((header, index) => {
    const problem = headerProblem(header, index)
    if (problem !== undefined)
      context.addIssue({ code: 'custom', path: [...problem.path], message: problem.message })
  })
})

/** A feed: what to connect to and how. Optional policy fields fall back to the engine's defaults. */
export const feedSchema = z.object({
  id: idSchema,
  name,
  url: httpUrlSchema,
  enabled: z.boolean().default(true),
  method: z
    .string()
    .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be an HTTP method')
    .default('GET'),
  headers: headersSchema.default([]),
  body: z.string().optional(),
  /** Keep only events with these names; empty keeps all. */
  eventFilter: z.array(z.string().min(1)).default([]),
  autoReconnect: z.boolean().optional(),
  reconnectDelay: wholeMs.optional(),
  maxReconnectAttempts: z.union([z.number().int().min(0), z.literal('unlimited')]).optional(),
  maxReconnectDelay: wholeMs.optional(),
  staleTimeout: wholeMs.optional(),
  maxEventBytes: z.number().int().min(1).optional(),
  /** Recent events kept in memory for the log, charts and rule previews. */
  bufferSize: z.number().int().min(10).max(100_000).default(2000),
  /** PEM text of extra certificate authorities. */
  ca: z.string().optional(),
  insecure: z.boolean().default(false),
  /** Served by the built-in demo source: its URL is filled in when the app starts the source. */
  demo: z.boolean().default(false),
})

/** Where a value comes from: a field of an event's JSON data on one feed. */
export const fieldSourceSchema = z.object({
  feedId: idSchema,
  /** Only events of this name; absent means every event. */
  event: z.string().min(1).optional(),
  /** Path into the event's JSON data: `cpu`, `latency.p99`, `items[0].value`. */
  path: z.string().min(1, 'must name a field'),
})

export const chartWindowSchema = z.enum(['1m', '5m', '15m', '1h'])

/** A line chart of one or more numeric series. */
export const chartSchema = z.object({
  id: idSchema,
  kind: z.literal('chart'),
  title: name,
  window: chartWindowSchema.default('5m'),
  /** A unit id of `src/shared/units.ts` (`percentunit`, `ms`, `bytes` …) or a suffix of one's own. */
  unit: z.string().max(16).default(''),
  /** Digits after the point; absent: as many as each value needs. */
  decimals: z.number().int().min(0).max(MAX_DECIMALS).optional(),
  series: z
    .array(fieldSourceSchema.extend({ label: z.string().max(NAME_MAX).optional() }))
    .min(1, 'needs at least one series'),
})

/** A value tile: the current value, its trend and a threshold colour. */
export const tileSchema = z.object({
  id: idSchema,
  kind: z.literal('tile'),
  title: name,
  /** As a chart's. */
  unit: z.string().max(16).default(''),
  decimals: z.number().int().min(0).max(MAX_DECIMALS).optional(),
  source: fieldSourceSchema,
})

export const panelSchema = z.discriminatedUnion('kind', [chartSchema, tileSchema])

export const severitySchema = z.enum(['info', 'warning', 'critical'])

export const comparisonSchema = z.enum(['>', '>=', '<', '<=', '==', '!=', 'contains', 'matches'])

const ruleBase = {
  id: idSchema,
  name,
  enabled: z.boolean().default(true),
  severity: severitySchema.default('warning'),
  /** Notify again this often while firing; 0 notifies once. */
  repeatIntervalSeconds: z.number().int().min(0).default(0),
  /** Contact points its notices go to, by id; absent or `"all"`: every contact point. */
  contactPoints: z.union([z.literal('all'), z.array(idSchema)]).optional(),
}

/** Fires when a field of an event's JSON data meets a condition for `pendingSeconds`. */
export const conditionRuleSchema = z.object({
  ...ruleBase,
  kind: z.literal('condition'),
  source: fieldSourceSchema,
  operator: comparisonSchema,
  value: z.union([z.number(), z.string()]),
  /** How long the condition must hold before the alert fires. */
  pendingSeconds: z.number().min(0).default(0),
  /**
   * For numeric comparisons: the alert resolves only once the value is back past this threshold
   * (hysteresis against flapping). Absent: it resolves as soon as the condition no longer holds.
   */
  recoveryValue: z.number().optional(),
  /** Judge a reduced value over a time window, or N of the last M samples; absent: each sample alone. */
  window: ruleWindowSchema.optional(),
})

/** Fires when the feed has been failed or reconnecting for `forSeconds`. */
export const feedDownRuleSchema = z.object({
  ...ruleBase,
  kind: z.literal('feed-down'),
  feedId: idSchema,
  forSeconds: z.number().min(0).default(30),
})

/** Fires when the feed has dispatched no event for `forSeconds`. */
export const noDataRuleSchema = z.object({
  ...ruleBase,
  kind: z.literal('no-data'),
  feedId: idSchema,
  event: z.string().min(1).optional(),
  forSeconds: z.number().min(1).default(60),
})

/** Fires when the count of events (of one name, if given) over a time window passes a threshold. */
export const eventCountRuleSchema = z.object({
  ...ruleBase,
  kind: z.literal('event-count'),
  feedId: idSchema,
  ...eventCountFields,
})

export const alertRuleSchema = z.discriminatedUnion('kind', [
  conditionRuleSchema,
  feedDownRuleSchema,
  noDataRuleSchema,
  eventCountRuleSchema,
])

/** How much of the wall's grid a panel takes, columns × rows. */
export const wallSizeSchema = z.enum(['1x1', '2x1', '2x2'])

/** A further page of the ops wall, shown in turn with the first (Grafana's playlists). */
export const wallPageSchema = z.object({
  title: name,
  panels: z.array(idSchema).default([]),
})

/** The ops wall: which panels, in what order and size, and the pages it rotates through. */
export const layoutSchema = z.object({
  /** The first page of the wall, in order. */
  wallPanels: z.array(idSchema).default([]),
  /** Panel id to its size on the wall; a panel not listed is 1×1. */
  wallSizes: z.record(idSchema, wallSizeSchema).default({}),
  /** Pages after the first. */
  wallPages: z.array(wallPageSchema).max(20).default([]),
  /** With more than one page, show each this many seconds; 0 stays on the first page. */
  wallRotateSeconds: z.number().int().min(0).max(86_400).default(0),
})

export const settingsSchema = z.object({
  theme: z.enum(['system', 'light', 'dark']).default('system'),
  notifications: z.boolean().default(true),
  /** Play a sound with notifications of these severities. */
  soundSeverities: z.array(severitySchema).default(['critical']),
})

const contactPointBase = {
  id: idSchema,
  name,
  enabled: z.boolean().default(true),
  url: httpUrlSchema,
  /** Sent with every request; secret values are kept like feed secrets. */
  headers: headersSchema.default([]),
  /** Only notices of rules with this severity or a higher one. */
  minSeverity: severitySchema.default('info'),
  /** How long one request may take before it counts as failed and is retried. */
  timeoutMs: z.number().int().min(100).max(120_000).default(5000),
}

/** Alertmanager: alerts are posted to `<url>/api/v2/alerts`, re-sent while firing. */
export const alertmanagerContactPointSchema = z.object({
  ...contactPointBase,
  kind: z.literal('alertmanager'),
})

/** A webhook: every notice is posted as JSON, in Feedwatch's format or as Slack's `{"text": …}`. */
export const webhookContactPointSchema = z.object({
  ...contactPointBase,
  kind: z.literal('webhook'),
  format: z.enum(['json', 'slack']).default('json'),
})

/** Where alert notices are delivered besides the desktop (Grafana's contact points). */
export const contactPointSchema = z.discriminatedUnion('kind', [
  alertmanagerContactPointSchema,
  webhookContactPointSchema,
])

export const profileSchema = z
  .object({
    version: z.literal(PROFILE_VERSION),
    name,
    feeds: z.array(feedSchema).default([]),
    panels: z.array(panelSchema).default([]),
    rules: z.array(alertRuleSchema).default([]),
    layout: layoutSchema.default({
      wallPanels: [],
      wallSizes: {},
      wallPages: [],
      wallRotateSeconds: 0,
    }),
    contactPoints: z.array(contactPointSchema).default([]),
    settings: settingsSchema.default({
      theme: 'system',
      notifications: true,
      soundSeverities: ['critical'],
    }),
  })
  .superRefine((profile, context) => {
    // References must point at something that exists: a dangling id is an error, not a silent no-op.
    const feedIds = new Set(profile.feeds.map((feed) => feed.id))
    const panelIds = new Set(profile.panels.map((panel) => panel.id))
    const unique = (ids: string[], path: string): void => {
      const seen = new Set<string>()
      ids.forEach((id, index) => {
        if (seen.has(id))
          context.addIssue({
            code: 'custom',
            path: [path, index, 'id'],
            message: `duplicate id "${id}"`,
          })
        seen.add(id)
      })
    }
    unique(
      profile.feeds.map((feed) => feed.id),
      'feeds',
    )
    unique(
      profile.panels.map((panel) => panel.id),
      'panels',
    )
    unique(
      profile.rules.map((rule) => rule.id),
      'rules',
    )
    const needFeed = (feedId: string, path: (string | number)[]): void => {
      if (!feedIds.has(feedId))
        context.addIssue({ code: 'custom', path, message: `no feed with id "${feedId}"` })
    }
    profile.panels.forEach((panel, index) => {
      if (panel.kind === 'tile')
        needFeed(panel.source.feedId, ['panels', index, 'source', 'feedId'])
      else
        panel.series.forEach((s, i) => needFeed(s.feedId, ['panels', index, 'series', i, 'feedId']))
    })
    profile.rules.forEach((rule, index) => {
      if (rule.kind === 'condition')
        needFeed(rule.source.feedId, ['rules', index, 'source', 'feedId'])
      else needFeed(rule.feedId, ['rules', index, 'feedId'])
    })
    unique(
      profile.contactPoints.map((point) => point.id),
      'contactPoints',
    )
    const contactPointIds = new Set(profile.contactPoints.map((point) => point.id))
    profile.rules.forEach((rule, index) => {
      if (!Array.isArray(rule.contactPoints)) return
      rule.contactPoints.forEach((id, i) => {
        if (!contactPointIds.has(id))
          context.addIssue({
            code: 'custom',
            path: ['rules', index, 'contactPoints', i],
            message: `no contact point with id "${id}"`,
          })
      })
    })
    const needPanel = (id: string, path: (string | number)[]): void => {
      if (!panelIds.has(id))
        context.addIssue({ code: 'custom', path, message: `no panel with id "${id}"` })
    }
    profile.layout.wallPanels.forEach((id, index) => needPanel(id, ['layout', 'wallPanels', index]))
    profile.layout.wallPages.forEach((page, p) =>
      page.panels.forEach((id, index) =>
        needPanel(id, ['layout', 'wallPages', p, 'panels', index]),
      ),
    )
    for (const id of Object.keys(profile.layout.wallSizes))
      needPanel(id, ['layout', 'wallSizes', id])
  })

export type Header = z.infer<typeof headerSchema>
export type Feed = z.infer<typeof feedSchema>
export type FieldSource = z.infer<typeof fieldSourceSchema>
export type Chart = z.infer<typeof chartSchema>
export type Tile = z.infer<typeof tileSchema>
export type Panel = z.infer<typeof panelSchema>
export type Severity = z.infer<typeof severitySchema>
export type Comparison = z.infer<typeof comparisonSchema>
export type ConditionRule = z.infer<typeof conditionRuleSchema>
export type FeedDownRule = z.infer<typeof feedDownRuleSchema>
export type NoDataRule = z.infer<typeof noDataRuleSchema>
export type EventCountRule = z.infer<typeof eventCountRuleSchema>
export type AlertRule = z.infer<typeof alertRuleSchema>
export type ContactPoint = z.infer<typeof contactPointSchema>
export type AlertmanagerContactPoint = z.infer<typeof alertmanagerContactPointSchema>
export type WebhookContactPoint = z.infer<typeof webhookContactPointSchema>
export type Layout = z.infer<typeof layoutSchema>
export type WallSize = z.infer<typeof wallSizeSchema>
export type WallPage = z.infer<typeof wallPageSchema>
export type Settings = z.infer<typeof settingsSchema>
export type Profile = z.infer<typeof profileSchema>
/** A profile as written by a person or an older build: defaults not yet filled in. */
export type ProfileInput = z.input<typeof profileSchema>
