import { headerValueProblem } from '../../shared/http-header'
import { quoteText } from '../../shared/safe-text'
import { corruptPath, type ProfileFiles } from './file-names'
import { summariseIssues } from './profile-document'
import type { ProfileNotice } from './profile-notice'
import {
  EMPTY_RUNTIME_STATE,
  decodeRuntimeState,
  encodeRuntimeState,
  type RuntimeState,
} from './runtime-state'
import { moveWithoutReplacing, readTextIfExists, writeAtomically } from './safe-files'

/** A profile's runtime state as read from disk, with what the person should know about it. */
export interface LoadedRuntimeState {
  readonly state: RuntimeState
  readonly notices: ProfileNotice[]
}

/**
 * Reads the runtime state beside a profile. A missing file is the empty state (a profile that never
 * ran); a damaged one is moved aside, never overwritten, and the empty state returned with a notice.
 * Throws only when the file system refuses (a `ProfileError` with code `io`).
 */
export async function readRuntimeStateFile(
  files: ProfileFiles,
  name: string,
  now: () => number,
): Promise<LoadedRuntimeState> {
  const text = await readTextIfExists(files.statePath)
  if (text === undefined) return { state: EMPTY_RUNTIME_STATE, notices: [] }
  const decoded = decodeRuntimeState(text)
  if (decoded.ok) return withSendableIds(files, decoded.state, name)
  const moved = await moveWithoutReplacing(files.statePath, corruptPath(files.statePath, now()))
  return {
    state: EMPTY_RUNTIME_STATE,
    notices: [
      {
        code: 'runtime-state-reset',
        message: `The runtime state of profile ${quoteText(name)} (last event IDs and alert state) could not be read (${summariseIssues(decoded.issues)}). It was moved to ${moved} and started afresh; feeds resume without a last event ID.`,
        path: moved,
      },
    ],
  }
}

/**
 * The state without last event IDs that cannot go into a `Last-Event-ID` header (a control
 * character, as an older Feedwatch saved from any `id:` field), written back with one notice per
 * feed: resuming that feed without an id beats a process that cannot start.
 */
async function withSendableIds(
  files: ProfileFiles,
  state: RuntimeState,
  name: string,
): Promise<LoadedRuntimeState> {
  const notices: ProfileNotice[] = []
  const lastEventIds: Record<string, string> = {}
  for (const [feedId, id] of Object.entries(state.lastEventIds)) {
    const problem = headerValueProblem(id)
    if (problem === undefined) {
      lastEventIds[feedId] = id
      continue
    }
    notices.push({
      code: 'last-event-id-dropped',
      message: `The saved last event ID of feed ${quoteText(feedId)} in profile ${quoteText(name)} ${problem}, so no request can carry it; it was dropped and the feed resumes without one.`,
    })
  }
  if (notices.length === 0) return { state, notices }
  const repaired = { ...state, lastEventIds }
  await writeRuntimeStateFile(files, repaired)
  return { state: repaired, notices }
}

/** Replaces the runtime state file atomically. */
export async function writeRuntimeStateFile(
  files: ProfileFiles,
  state: RuntimeState,
): Promise<void> {
  await writeAtomically(files.statePath, encodeRuntimeState(state))
}
