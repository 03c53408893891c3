import type { ProfileNotice } from './profile-notice'
import type { ProfileStore } from './profile-store'
import { mergeRuntimeStateUpdates, type RuntimeStateUpdate } from './runtime-state'

/** Coalesces runtime state updates for one profile into at most one write per interval. */
export interface RuntimeStateWriter {
  /** Records changes; they are written within `intervalMs`, together with any others made meanwhile. */
  update(changes: RuntimeStateUpdate): void
  /**
   * Writes pending changes now (waiting for a write in progress first). Rejects when that write
   * fails; the changes stay pending and are tried again by the next write.
   */
  flush(): Promise<void>
  /** Flushes and stops: later updates are ignored. Rejects when the final write fails. */
  close(): Promise<void>
}

export interface RuntimeStateWriterOptions {
  /**
   * The shortest time between two scheduled writes; the first update after a quiet spell is written
   * this long after it arrives.
   * @defaultValue `1000`
   */
  readonly intervalMs?: number
  /**
   * Told about a scheduled write that failed (no one awaits it). The changes stay pending and are
   * retried by the next update, `flush()` or `close()`.
   * @defaultValue none
   */
  readonly onError?: (error: unknown) => void
  /**
   * Told about notices from a write, such as a damaged state file that was moved aside.
   * @defaultValue none
   */
  readonly onNotice?: (notice: ProfileNotice) => void
}

/**
 * A writer for the runtime state of the profile `name`: the engine calls `update` on every event
 * (last event IDs) and alert change; the file is written at most once per `intervalMs`, so a busy feed
 * costs one small atomic write a second. Each write re-reads the stored state and applies the changes
 * to it, so ids of feeds not mentioned are kept.
 *
 * Close the writer before renaming or deleting its profile: writes find the profile by name.
 */
export function createRuntimeStateWriter(
  store: Pick<ProfileStore, 'updateRuntimeState'>,
  name: string,
  options: RuntimeStateWriterOptions = {},
): RuntimeStateWriter {
  const intervalMs = options.intervalMs ?? 1000
  let pending: RuntimeStateUpdate | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let writing: Promise<void> | undefined
  let closed = false

  function schedule(): void {
    if (timer !== undefined || writing !== undefined || pending === undefined || closed) return
    timer = setTimeout(() => {
      timer = undefined
      writeNow().catch((error: unknown) => options.onError?.(error))
    }, intervalMs)
  }

  async function writeNow(): Promise<void> {
    while (writing !== undefined) await writing.catch(() => undefined)
    if (pending === undefined) return
    const changes = pending
    pending = undefined
    const write = (async () => {
      try {
        const { notices } = await store.updateRuntimeState(name, changes)
        for (const notice of notices) options.onNotice?.(notice)
      } catch (error) {
        // Keep the changes, under any made meanwhile, for the next write.
        pending = pending === undefined ? changes : mergeRuntimeStateUpdates(changes, pending)
        throw error
      }
    })()
    writing = write
    let written = false
    try {
      await write
      written = true
    } finally {
      writing = undefined
      // Updates that arrived during the write wait a full interval from now. After a failure the
      // changes wait for the next update, flush or close instead of retrying on their own.
      if (written) schedule()
    }
  }

  async function flush(): Promise<void> {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    await writeNow()
  }

  return {
    update(changes) {
      if (closed) return
      // Merging copies the ids, so a caller may reuse its object for the next update.
      pending = mergeRuntimeStateUpdates(pending ?? {}, changes)
      schedule()
    },
    flush,
    async close() {
      closed = true
      await flush()
    },
  }
}
