/**
 * One idle-memory measurement, in a fresh process started with `--expose-gc`: how much resident
 * memory each open but quiet connection of one client costs.
 *
 * 1. Open one warm-up connection and keep it open, so that whatever a client loads or allocates
 *    once per process (Node 20 loads undici on the first `fetch`, agents, parser code) is already in
 *    "before" and not spread over the measured connections.
 * 2. `gc()`, then read RSS ("before").
 * 3. Open `connections` more to `/idle` (headers and one comment, then silence) and wait until all
 *    are open and the comment has been read.
 * 4. `gc()`, then read RSS ("after"). Per connection: (after − before) / connections.
 *
 * RSS includes native memory (socket handles, stream buffers, allocator slack) as well as the JS
 * heap; the heap figure (`heapUsed + external`) is reported beside it to tell the two apart. RSS
 * also moves with things that are not per connection (V8 growing its young generation, pages freed
 * but not yet returned), so one run can be off by tens of KB: take the median of several.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { childTask, reportFromChild } from './child-report'
import {
  loadClient,
  type BenchClient,
  type ClientKind,
  type OpenClient,
} from './clients/bench-client'

export interface IdleMemoryTask {
  readonly kind: ClientKind
  /** `file:` URL of the built client module. */
  readonly clientModule: string
  /** `http://127.0.0.1:PORT` of the bench server. */
  readonly origin: string
  readonly connections: number
  /** Longest wait for one connection to open. */
  readonly openTimeoutMs: number
}

export interface IdleMemoryResult {
  readonly kind: ClientKind
  readonly connections: number
  /** Resident set size per idle connection, KiB. */
  readonly rssKbPerConnection: number
  /** `heapUsed + external` per idle connection, KiB. */
  readonly heapKbPerConnection: number
  /** RSS per connection of a second batch of `connections`, opened after the first: KiB. */
  readonly marginalRssKbPerConnection: number
}

/** After "open", how long to let the first comment arrive and any per-connection setup finish. */
const SETTLE_MS = 500

/** Opens one idle connection, adding it to `opened`; resolves once it is open. */
function openIdle(
  task: IdleMemoryTask,
  openClient: OpenClient,
  opened: BenchClient[],
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${task.kind}: not open within ${task.openTimeoutMs} ms`)),
      task.openTimeoutMs,
    )
    const client = openClient(`${task.origin}/idle`, {
      onOpen: () => {
        clearTimeout(timer)
        resolve()
      },
      onEvent: () => {},
      onFailure: (reason) => {
        clearTimeout(timer)
        reject(new Error(reason))
      },
    })
    opened.push(client)
  })
}

/** Opens `task.connections` idle connections at once and waits until all are open and settled. */
async function openBatch(
  task: IdleMemoryTask,
  openClient: OpenClient,
  opened: BenchClient[],
): Promise<void> {
  const batch: Promise<void>[] = []
  for (let i = 0; i < task.connections; i++) batch.push(openIdle(task, openClient, opened))
  await Promise.all(batch)
  await sleep(SETTLE_MS)
}

/**
 * Full collections, each followed by a pause: V8 sweeps and releases pages on background threads
 * after a collection, so reading RSS straight after `gc()` can see memory that is about to go.
 */
async function collect(gc: () => void): Promise<NodeJS.MemoryUsage> {
  for (let i = 0; i < 3; i++) {
    gc()
    await sleep(100)
  }
  return process.memoryUsage()
}

reportFromChild<IdleMemoryResult>(async () => {
  const task = childTask<IdleMemoryTask>()
  const gc = globalThis.gc
  if (gc === undefined) throw new Error('run with --expose-gc')
  const openClient = await loadClient(task.clientModule)
  const opened: BenchClient[] = []
  try {
    await openIdle(task, openClient, opened)
    await sleep(SETTLE_MS)
    const before = await collect(gc)
    await openBatch(task, openClient, opened)
    const after = await collect(gc)
    await openBatch(task, openClient, opened)
    const afterSecond = await collect(gc)

    const perConnection = (bytes: number): number => bytes / task.connections / 1024
    return {
      kind: task.kind,
      connections: task.connections,
      rssKbPerConnection: perConnection(after.rss - before.rss),
      heapKbPerConnection: perConnection(
        after.heapUsed + after.external - (before.heapUsed + before.external),
      ),
      marginalRssKbPerConnection: perConnection(afterSecond.rss - after.rss),
    }
  } finally {
    for (const client of opened) client.close()
  }
})
