import { z } from 'zod'
import { headerValueProblem } from '../../shared/http-header'
import { safeText } from '../../shared/safe-text'
import { describeIssues } from '../../shared/validation'

/**
 * What a profile remembers between runs that is not configuration: the last event ID of each feed
 * (to resume with `Last-Event-ID`) and the alert engine's state, which the store keeps without
 * looking inside. Stored beside the profile as `<stem>.state.json`; losing it costs a resume, never
 * configuration, so a damaged file is moved aside and replaced by an empty state.
 */

const RUNTIME_STATE_VERSION = 1

const runtimeStateSchema = z.object({
  version: z.literal(RUNTIME_STATE_VERSION),
  lastEventIds: z.record(z.string(), z.string()).default({}),
  alertState: z.unknown().optional(),
})

export interface RuntimeState {
  /** Last event ID per feed id. */
  readonly lastEventIds: Readonly<Record<string, string>>
  /** Opaque to the store: any JSON value, `null` when there is none. */
  readonly alertState: unknown
}

/** Changes to a {@link RuntimeState}. */
export interface RuntimeStateUpdate {
  /** Merged into the stored ids feed by feed; `null` forgets a feed's id. */
  readonly lastEventIds?: Readonly<Record<string, string | null>>
  /** Replaces the alert state when present. */
  readonly alertState?: unknown
}

export const EMPTY_RUNTIME_STATE: RuntimeState = { lastEventIds: {}, alertState: null }

/** The state in a state file's text, or the problems that make it unusable. Never throws. */
export function decodeRuntimeState(
  text: string,
): { ok: true; state: RuntimeState } | { ok: false; issues: string[] } {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    return { ok: false, issues: [`not valid JSON (${safeText((error as Error).message)})`] }
  }
  const result = runtimeStateSchema.safeParse(parsed)
  if (!result.success) return { ok: false, issues: describeIssues(result.error) }
  const { lastEventIds, alertState } = result.data
  return { ok: true, state: { lastEventIds, alertState: alertState ?? null } }
}

export function encodeRuntimeState(state: RuntimeState): string {
  return `${JSON.stringify({ version: RUNTIME_STATE_VERSION, ...state })}\n`
}

/** The state after `update`. A last event ID that no header can carry forgets the feed's id. */
export function applyRuntimeStateUpdate(
  state: RuntimeState,
  update: RuntimeStateUpdate,
): RuntimeState {
  const lastEventIds: Record<string, string> = { ...state.lastEventIds }
  for (const [feedId, id] of Object.entries(update.lastEventIds ?? {})) {
    // An id no header can carry is not resumed from; keeping an older one would replay events.
    if (id === null || headerValueProblem(id) !== undefined) delete lastEventIds[feedId]
    else lastEventIds[feedId] = id
  }
  return {
    lastEventIds,
    alertState: 'alertState' in update ? (update.alertState ?? null) : state.alertState,
  }
}

/** One update with the effect of `older` followed by `newer`. */
export function mergeRuntimeStateUpdates(
  older: RuntimeStateUpdate,
  newer: RuntimeStateUpdate,
): RuntimeStateUpdate {
  const merged: { lastEventIds: Record<string, string | null>; alertState?: unknown } = {
    lastEventIds: { ...older.lastEventIds, ...newer.lastEventIds },
  }
  if ('alertState' in newer) merged.alertState = newer.alertState
  else if ('alertState' in older) merged.alertState = older.alertState
  return merged
}
