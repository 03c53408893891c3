/**
 * Feedwatch engine benchmark: the engine's `SseConnection` against the `eventsource` package (the
 * anchor) and a raw `node:http` + `eventsource-parser` client (the floor), over loopback.
 *
 * Run:   npm run bench                 (full: about a minute)
 *        npm run bench -- --smoke      (a few seconds; numbers meaningless, checks it still runs)
 *        node --import tsx bench/engine.bench.ts [--smoke] [--runs N] [--events N] [--connections N]
 *          [--case events|idle]
 * Profile: add `--cpu-prof --cpu-prof-dir=prof` after `node` (and `--case events` to profile just
 * the throughput runs): every child writes its own profile.
 *
 * Layout: this process only builds, orchestrates and prints. It first builds the server, the
 * measurement scripts and each client with Vite, as the app is built (`bundle.ts` says why tsx is
 * not used for them). The SSE server runs in its own child process (`sse-server.ts`), and every
 * measurement runs in a fresh child (`throughput.child.ts`, `idle-memory.child.ts`), so no client
 * shares CPU time, heap or RSS with the server or with another client.
 *
 * Exit status: 0 when every client produced its numbers, whether or not the targets were met (they
 * are ratios on one machine, for people to read); 1 when a client or the harness failed.
 */
import { createRequire } from 'node:module'
import { availableParallelism, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { bundleBench, type BenchBundle } from './bundle'
import { firstMessage, killAllChildren, runChild, startChild, stopChild } from './children'
import { CLIENT_KINDS, CLIENT_NAMES, type ClientKind } from './clients/bench-client'
import type { IdleMemoryResult, IdleMemoryTask } from './idle-memory.child'
import { formatReport, summarize, type Row, type Target } from './report'
import type { ServerReady, ServerTask } from './sse-server'
import type { ThroughputResult, ThroughputTask } from './throughput.child'

interface BenchConfig {
  readonly smoke: boolean
  /** Events in the measured burst. */
  readonly events: number
  /** Events on each child's warm-up connection. */
  readonly warmupEvents: number
  /** Throughput runs per client, and idle-memory runs per client. */
  readonly runs: number
  /** Idle connections per idle-memory run. */
  readonly connections: number
  /** Deadline for one child, from fork to report. */
  readonly childTimeoutMs: number
  /** Deadline for the whole benchmark. */
  readonly totalTimeoutMs: number
  /** Which measurements to run: both by default; one alone is handy when profiling. */
  readonly cases: ReadonlySet<BenchCase>
}

const BENCH_CASES = ['events', 'idle'] as const

type BenchCase = (typeof BENCH_CASES)[number]

function readConfig(): BenchConfig {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      runs: { type: 'string' },
      events: { type: 'string' },
      connections: { type: 'string' },
      case: { type: 'string', multiple: true },
    },
  })
  const count = (name: string, raw: string | undefined, fallback: number): number => {
    if (raw === undefined) return fallback
    const value = Number(raw)
    if (!Number.isSafeInteger(value) || value < 1)
      throw new Error(`--${name} must be a positive integer`)
    return value
  }
  const smoke = values.smoke === true
  const cases = new Set<BenchCase>()
  for (const name of values.case ?? BENCH_CASES) {
    if (!(BENCH_CASES as readonly string[]).includes(name))
      throw new Error(`--case must be one of ${BENCH_CASES.join(', ')}`)
    cases.add(name as BenchCase)
  }
  return {
    smoke,
    events: count('events', values.events, smoke ? 2_000 : 500_000),
    warmupEvents: smoke ? 200 : 20_000,
    runs: count('runs', values.runs, smoke ? 1 : 5),
    connections: count('connections', values.connections, smoke ? 5 : 200),
    childTimeoutMs: smoke ? 20_000 : 120_000,
    totalTimeoutMs: smoke ? 90_000 : 20 * 60_000,
    cases,
  }
}

/** The installed version of `name`, as resolved from `from` (a module URL or path). */
function packageVersion(name: string, from: string = import.meta.url): string {
  const require = createRequire(from)
  return (require(`${name}/package.json`) as { version: string }).version
}

function describe(config: BenchConfig): string {
  const events = config.events.toLocaleString('en-US')
  const warmup = config.warmupEvents.toLocaleString('en-US')
  // The anchor bundles its own copy of the parser; say which, since it is not the engine's.
  const anchorParser = packageVersion(
    'eventsource-parser',
    createRequire(import.meta.url).resolve('eventsource'),
  )
  const n = config.connections
  return [
    `Feedwatch SSE engine benchmark${config.smoke ? ' (--smoke: tiny sizes, one run; numbers are not meaningful)' : ''}`,
    '',
    'What it measures, over HTTP on 127.0.0.1. The server is its own process and writes pre-serialized',
    'events in 256 KiB slices. Every measurement is a fresh Node process running code built with Vite,',
    'as the app is (not through tsx, whose keepNames adds an Object.defineProperty per closure).',
    `- events/s: ${events} small events ('id: i' + 'data: {"n":i}') on a fresh connection, from`,
    `  opening the client to the last event, after a ${warmup}-event warm-up connection;`,
    `  median of ${config.runs} run(s), client order rotated each run. Higher is better. The CPU-second`,
    "  row divides by the client process's CPU time instead: it barely moves when the machine is busy.",
    `- KB (KiB) RSS per idle connection: in a process started with --expose-gc and one warm-up`,
    `  connection open, RSS after gc(), then ${n} idle connections opened at once (headers and one`,
    `  comment, then nothing), RSS after gc() again: (after - before) / ${n}. Median of ${config.runs} run(s).`,
    '  Lower is better. It includes one-off process growth (V8 young generation, allocator arenas), so',
    `  it falls as the count rises; the "next ${n}" row opens ${n} more in the same process and shows`,
    '  the marginal cost. The JS heap row (heapUsed + external, first batch) is the JavaScript part.',
    '',
    'Clients: engine = SseConnection (src/main/engine, default options);',
    `eventsource pkg = eventsource ${packageVersion('eventsource')} (with eventsource-parser ${anchorParser}) on Node's fetch;`,
    `raw = node:http GET + one streaming TextDecoder + eventsource-parser ${packageVersion('eventsource-parser')}.`,
    `Node ${process.version}. Ratios are what matter; absolute numbers vary with the machine.`,
    '',
    'Rerun: npm run bench   (or: node --import tsx bench/engine.bench.ts [--smoke] [--runs N]',
    '       [--events N] [--connections N] [--case events|idle])',
    '',
  ].join('\n')
}

/**
 * The machine's load, start and end: events/s measured while other work (builds, tests) shares
 * the cores is not comparable from run to run. The benchmark itself keeps about two processes busy.
 */
function machineLoad(atStart: number): string {
  const cpus = availableParallelism()
  const atEnd = loadavg()[0]!
  const note = atStart > cpus / 2 ? ' (busy before the run started: events/s may be skewed)' : ''
  return `Load average (1 min) at start ${atStart.toFixed(2)}, at end ${atEnd.toFixed(2)}, on ${cpus} CPUs${note}.`
}

/** The client order for run `run`: rotated, so each client is first, middle and last in turn. */
function orderFor(run: number): ClientKind[] {
  return CLIENT_KINDS.map((_, i) => CLIENT_KINDS[(i + run) % CLIENT_KINDS.length]!)
}

/** Per-client runs and the first error of a client that failed (it is not run again). */
class Tally {
  readonly runs: Record<ClientKind, number[]> = { engine: [], eventsource: [], raw: [] }
  readonly errors: Partial<Record<ClientKind, Error>> = {}

  /** Starts with the clients that did not build already failed. */
  constructor(bundle: BenchBundle) {
    for (const kind of CLIENT_KINDS) {
      const built = bundle.clients[kind]
      if (built instanceof Error) this.errors[kind] = built
    }
  }

  fail(kind: ClientKind, error: unknown): void {
    this.errors[kind] = error instanceof Error ? error : new Error(String(error))
  }

  failed(kind: ClientKind): boolean {
    return this.errors[kind] !== undefined
  }

  value(kind: ClientKind): number | Error {
    return summarize(this.runs[kind], this.errors[kind])
  }

  values(): Record<ClientKind, number | Error> {
    return {
      engine: this.value('engine'),
      eventsource: this.value('eventsource'),
      raw: this.value('raw'),
    }
  }

  describeRuns(format: (value: number) => string): string {
    return CLIENT_KINDS.map(
      (kind) => `${CLIENT_NAMES[kind]} ${this.runs[kind].map(format).join(', ') || '-'}`,
    ).join('; ')
  }
}

/** The built module of a client that has not failed. */
function clientModule(bundle: BenchBundle, kind: ClientKind): string {
  const built = bundle.clients[kind]
  if (built instanceof Error) throw built
  return built
}

async function measureThroughput(
  config: BenchConfig,
  bundle: BenchBundle,
  origin: string,
): Promise<{ wall: Tally; cpu: Tally }> {
  const wall = new Tally(bundle)
  const cpu = new Tally(bundle)
  for (let run = 0; run < config.runs; run++) {
    for (const kind of orderFor(run)) {
      if (wall.failed(kind)) continue
      const task: ThroughputTask = {
        kind,
        clientModule: clientModule(bundle, kind),
        origin,
        events: config.events,
        warmupEvents: config.warmupEvents,
      }
      try {
        const result = await runChild<ThroughputResult>(bundle.throughputChild, task, {
          label: `throughput ${kind} run ${run + 1}`,
          timeoutMs: config.childTimeoutMs,
        })
        wall.runs[kind].push(result.eventsPerSecond)
        cpu.runs[kind].push(result.eventsPerCpuSecond)
      } catch (error) {
        wall.fail(kind, error)
        cpu.fail(kind, error)
      }
    }
  }
  return { wall, cpu }
}

async function measureIdleMemory(
  config: BenchConfig,
  bundle: BenchBundle,
  origin: string,
): Promise<{ rss: Tally; heap: Tally; marginal: Tally }> {
  const rss = new Tally(bundle)
  const heap = new Tally(bundle)
  const marginal = new Tally(bundle)
  for (let run = 0; run < config.runs; run++) {
    for (const kind of orderFor(run)) {
      if (rss.failed(kind)) continue
      const task: IdleMemoryTask = {
        kind,
        clientModule: clientModule(bundle, kind),
        origin,
        connections: config.connections,
        openTimeoutMs: 10_000,
      }
      try {
        const result = await runChild<IdleMemoryResult>(bundle.idleMemoryChild, task, {
          label: `idle memory ${kind} run ${run + 1}`,
          timeoutMs: config.childTimeoutMs,
          nodeFlags: ['--expose-gc'],
        })
        rss.runs[kind].push(result.rssKbPerConnection)
        heap.runs[kind].push(result.heapKbPerConnection)
        marginal.runs[kind].push(result.marginalRssKbPerConnection)
      } catch (error) {
        for (const tally of [rss, heap, marginal]) tally.fail(kind, error)
      }
    }
  }
  return { rss, heap, marginal }
}

async function main(): Promise<number> {
  const config = readConfig()
  const watchdog = setTimeout(() => {
    console.error(`bench: gave up after ${config.totalTimeoutMs} ms`)
    killAllChildren()
    process.exit(1)
  }, config.totalTimeoutMs)
  watchdog.unref()

  process.stdout.write(describe(config) + '\n')

  const loadAtStart = loadavg()[0]!
  const bundle = await bundleBench()
  const serverTask: ServerTask = { bursts: [config.events, config.warmupEvents] }
  const server = startChild(bundle.server, serverTask)
  try {
    const { port } = await firstMessage<ServerReady>(server, 'server', 30_000)
    const origin = `http://127.0.0.1:${port}`

    const rows: Row[] = []
    const targets: Target[] = []
    const runs: string[] = []
    const tallies: Tally[] = []

    if (config.cases.has('events')) {
      const { wall, cpu } = await measureThroughput(config, bundle, origin)
      const row: Row = {
        label: `events/s, ${config.events.toLocaleString('en-US')} events (median of ${config.runs})`,
        unit: 'events/s',
        values: wall.values(),
      }
      rows.push(row, {
        label: 'events per CPU-second of the client process (info)',
        unit: 'events/s',
        values: cpu.values(),
      })
      targets.push(
        {
          text: 'engine events/s >= 2x eventsource pkg',
          row,
          measure: 'engine/eventsource',
          comparison: '>=',
          threshold: 2,
        },
        {
          text: 'engine events/s >= 70% of raw baseline',
          row,
          measure: 'engine/raw',
          comparison: '>=',
          threshold: 0.7,
        },
      )
      const perSecond = (value: number): string => Math.round(value).toLocaleString('en-US')
      runs.push(
        `  events/s: ${wall.describeRuns(perSecond)}`,
        `  events per CPU-second: ${cpu.describeRuns(perSecond)}`,
      )
      tallies.push(wall)
    }

    if (config.cases.has('idle')) {
      const { rss, heap, marginal } = await measureIdleMemory(config, bundle, origin)
      const rssRow: Row = {
        label: `KB RSS per idle connection, ${config.connections} opened (median of ${config.runs})`,
        unit: 'KB',
        values: rss.values(),
      }
      rows.push(
        rssRow,
        {
          label: `KB RSS per idle connection, next ${config.connections} (info)`,
          unit: 'KB',
          values: marginal.values(),
        },
        {
          label: `KB JS heap per idle connection, first ${config.connections} (info)`,
          unit: 'KB',
          values: heap.values(),
        },
      )
      targets.push({
        text: 'engine RSS per idle connection <= 60 KB',
        row: rssRow,
        measure: 'engine',
        comparison: '<=',
        threshold: 60,
      })
      runs.push(
        `  KB RSS per idle connection: ${rss.describeRuns((value) => value.toFixed(1))}`,
        `  KB RSS per idle connection, next ${config.connections}: ${marginal.describeRuns((value) => value.toFixed(1))}`,
        `  KB JS heap per idle connection: ${heap.describeRuns((value) => value.toFixed(1))}`,
      )
      tallies.push(rss)
    }

    process.stdout.write(formatReport(rows, targets, !config.smoke) + '\n')
    process.stdout.write(['', 'Runs:', ...runs, '', machineLoad(loadAtStart), ''].join('\n'))
    const failed = tallies.some((tally) => CLIENT_KINDS.some((kind) => tally.failed(kind)))
    return failed ? 1 : 0
  } finally {
    await stopChild(server)
    killAllChildren()
    bundle.remove()
  }
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`)
    killAllChildren()
    process.exitCode = 1
  },
)
