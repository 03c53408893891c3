/**
 * One throughput measurement, in a fresh process: how fast one client receives a burst of small
 * events over one fresh connection.
 *
 * A short warm-up connection runs first (and is closed) so that every client is measured with its
 * code compiled, not while V8 is still tiering it up. The measured time runs from just before the
 * client is opened (so it includes connecting) until the last event's data has been handed over.
 * The process's CPU time over the same span is reported too: unlike wall-clock time, it hardly
 * moves when other work on the machine takes the client's core away.
 */
import { performance } from 'node:perf_hooks'
import { childTask, reportFromChild } from './child-report'
import { loadClient, type ClientKind, type OpenClient } from './clients/bench-client'

export interface ThroughputTask {
  readonly kind: ClientKind
  /** `file:` URL of the built client module. */
  readonly clientModule: string
  /** `http://127.0.0.1:PORT` of the bench server. */
  readonly origin: string
  readonly events: number
  /** Events on the warm-up connection; 0 skips it. */
  readonly warmupEvents: number
}

export interface ThroughputResult {
  readonly kind: ClientKind
  readonly events: number
  readonly elapsedMs: number
  readonly eventsPerSecond: number
  /** Events per second of this process's CPU time (user + system, all threads). */
  readonly eventsPerCpuSecond: number
}

/** Wall-clock and CPU time one burst took. */
interface BurstTiming {
  readonly elapsedMs: number
  readonly cpuMs: number
}

/** Receives a burst of `events` on a fresh connection; resolves with the time it took. */
function receiveBurst(
  kind: ClientKind,
  openClient: OpenClient,
  origin: string,
  events: number,
): Promise<BurstTiming> {
  return new Promise<BurstTiming>((resolve, reject) => {
    const expectedLast = `{"n":${events - 1}}`
    let received = 0
    let settled = false
    const start = performance.now()
    const cpuStart = process.cpuUsage()
    const client = openClient(`${origin}/burst?n=${events}`, {
      onOpen: () => {},
      onEvent: (data) => {
        if (++received !== events) return
        const elapsedMs = performance.now() - start
        const cpu = process.cpuUsage(cpuStart)
        settled = true
        client.close()
        if (data === expectedLast) resolve({ elapsedMs, cpuMs: (cpu.user + cpu.system) / 1000 })
        else
          reject(
            new Error(`${kind}: last event was ${JSON.stringify(data)}, expected ${expectedLast}`),
          )
      },
      onFailure: (reason) => {
        if (settled) return
        settled = true
        client.close()
        reject(new Error(`${reason} (after ${received} of ${events} events)`))
      },
    })
  })
}

reportFromChild<ThroughputResult>(async () => {
  const task = childTask<ThroughputTask>()
  const openClient = await loadClient(task.clientModule)
  if (task.warmupEvents > 0)
    await receiveBurst(task.kind, openClient, task.origin, task.warmupEvents)
  const { elapsedMs, cpuMs } = await receiveBurst(task.kind, openClient, task.origin, task.events)
  return {
    kind: task.kind,
    events: task.events,
    elapsedMs,
    eventsPerSecond: task.events / (elapsedMs / 1000),
    eventsPerCpuSecond: task.events / (cpuMs / 1000),
  }
})
