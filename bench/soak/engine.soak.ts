/**
 * Soak run of the engine: the long versions of the fuzz and forced-drop tests in `npm test`.
 *
 *   node --import tsx bench/soak/engine.soak.ts [--streams 50000] [--socket-streams 2000]
 *                                                [--cuts 1000] [--tail-events 300000] [--seed N]
 *
 * (`npm run soak` runs it with the defaults, then the serve soak.) Cases:
 * - decoder fuzz: seeded random streams (random fields, CR/LF/CRLF mixes, BOMs, NUL, control
 *   characters, invalid UTF-8) in random chunks, each compared with the WHATWG reference parser;
 * - socket fuzz: random streams through a real server and `SseConnection`, compared the same way;
 * - forced drops: a server that resumes from Last-Event-ID cuts the connection at every kind of
 *   point; every event must arrive exactly once, in order;
 * - tail, slow reader: `feedwatch tail --max-events N` (from source, through tsx) piped into a reader
 *   that keeps stopping, fed as fast as the server can write: exactly N event lines, in order, and
 *   the peak RSS of the tail process.
 *
 * Prints one row per case: count, lost, doubled, differences (any other mismatch or a throw) and
 * time. Exit status 1 when any of those is not 0.
 */
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { isDeepStrictEqual, parseArgs } from 'node:util'
import { createEventStreamDecoder } from '../../src/main/engine/event-stream-decoder'
import { SseConnection } from '../../src/main/engine/sse-connection'
import type { ConnectionState } from '../../src/shared/connection'
import { openEventStream, startServer } from '../../test/support/http-server'
import {
  randomChunks,
  randomEventStream,
  seededRandom,
  showBytes,
} from '../../test/support/random-event-streams'
import {
  buildResumableStream,
  chooseCuts,
  resumableFeed,
  type ExpectedEvent,
} from '../../test/support/resumable-feed'
import {
  parseEventStreamReference,
  type ReferenceOutput,
} from '../../test/support/whatwg-event-stream'

const { values } = parseArgs({
  options: {
    streams: { type: 'string', default: '50000' },
    'socket-streams': { type: 'string', default: '2000' },
    cuts: { type: 'string', default: '1000' },
    'tail-events': { type: 'string', default: '300000' },
    seed: { type: 'string', default: '1' },
  },
})
const streams = Number(values.streams)
const socketStreams = Number(values['socket-streams'])
const cuts = Number(values.cuts)
const tailEvents = Number(values['tail-events'])
const seed = Number(values.seed)

/** One row of the table. */
interface CaseResult {
  readonly name: string
  readonly count: number
  readonly lost: number
  readonly doubled: number
  readonly differences: number
  readonly ms: number
  /** The first difference, shown below the table so it can be reproduced. */
  readonly firstDifference?: string
}

type EventOutput = Extract<ReferenceOutput, { kind: 'event' }>

function eventsOf(outputs: readonly ReferenceOutput[]): EventOutput[] {
  return outputs.filter((output): output is EventOutput => output.kind === 'event')
}

/**
 * Events `expected` has that `received` lacks (lost), and extra copies `received` has (doubled),
 * counted by content; order is checked separately, as a difference.
 */
function lostAndDoubled(
  expected: readonly object[],
  received: readonly object[],
): { lost: number; doubled: number } {
  const counts = new Map<string, number>()
  for (const item of expected) {
    const key = JSON.stringify(item)
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  let doubled = 0
  for (const item of received) {
    const key = JSON.stringify(item)
    const left = counts.get(key) ?? 0
    if (left > 0) counts.set(key, left - 1)
    else doubled++
  }
  let lost = 0
  for (const left of counts.values()) lost += left
  return { lost, doubled }
}

function decoderFuzz(): CaseResult {
  const started = performance.now()
  const random = seededRandom(seed)
  let lost = 0
  let doubled = 0
  let differences = 0
  let firstDifference: string | undefined
  for (let n = 0; n < streams; n++) {
    const body = randomEventStream(random)
    const chunks = randomChunks(random, body)
    const expected = parseEventStreamReference(body)
    const outputs: ReferenceOutput[] = []
    let lastEventId = ''
    try {
      const decoder = createEventStreamDecoder({
        lastEventId: '',
        maxEventBytes: 1024 * 1024,
        onEvent: (event, id, data) => outputs.push({ kind: 'event', event, id, data }),
        onRetry: (ms) => outputs.push({ kind: 'retry', ms }),
        onTooLarge: (message) => {
          throw new Error(message)
        },
      })
      for (const chunk of chunks) decoder.push(chunk)
      lastEventId = decoder.lastEventId
    } catch (error) {
      outputs.push({ kind: 'event', event: 'THREW', id: '', data: String(error) })
    }
    const counted = lostAndDoubled(eventsOf(expected.outputs), eventsOf(outputs))
    lost += counted.lost
    doubled += counted.doubled
    if (!isDeepStrictEqual({ outputs, lastEventId }, expected)) {
      differences++
      firstDifference ??= `decoder fuzz, seed ${seed}, stream #${n}: "${showBytes(body)}"`
    }
  }
  return {
    name: 'decoder fuzz (streams)',
    count: streams,
    lost,
    doubled,
    differences,
    ms: performance.now() - started,
    ...(firstDifference === undefined ? {} : { firstDifference }),
  }
}

/** Resolves with the connection's events once it reports `closed` or `failed`. */
function runToEnd(
  url: string,
  options: { readonly autoReconnect: boolean },
): Promise<{ events: EventOutput[]; end: ConnectionState; lastEventId: string }> {
  return new Promise((resolve) => {
    const events: EventOutput[] = []
    const connection: SseConnection = new SseConnection(
      { url, staleTimeout: 0, ...options },
      {
        onEvent: ({ event, id, data }) => events.push({ kind: 'event', event, id, data }),
        onState: (state) => {
          if (state.state === 'closed' || state.state === 'failed')
            resolve({ events, end: state, lastEventId: connection.lastEventId })
        },
      },
      { env: {} },
    )
    connection.connect()
  })
}

async function socketFuzz(): Promise<CaseResult> {
  const started = performance.now()
  const random = seededRandom(seed + 1)
  const cases = Array.from({ length: socketStreams }, () => {
    const body = randomEventStream(random)
    return { body, chunks: randomChunks(random, body).filter((chunk) => chunk.length > 0) }
  })
  const server = await startServer((req, res) => {
    const chunks = cases[Number(req.url?.slice(1))]?.chunks ?? []
    openEventStream(res)
    void (async () => {
      for (const [i, chunk] of chunks.entries()) {
        res.write(chunk)
        if (i % 3 === 0) await new Promise((resolve) => setImmediate(resolve))
      }
      res.end()
    })()
  })
  let lost = 0
  let doubled = 0
  let differences = 0
  let firstDifference: string | undefined
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < socketStreams) {
      const n = next++
      const { body } = cases[n] as (typeof cases)[number]
      const expected = parseEventStreamReference(body)
      const result = await runToEnd(`${server.origin}/${n}`, { autoReconnect: false })
      const expectedEvents = eventsOf(expected.outputs)
      const counted = lostAndDoubled(expectedEvents, result.events)
      lost += counted.lost
      doubled += counted.doubled
      const same =
        result.end.state === 'closed' &&
        isDeepStrictEqual(result.events, expectedEvents) &&
        result.lastEventId === expected.lastEventId
      if (!same) {
        differences++
        firstDifference ??= `socket fuzz, seed ${seed + 1}, stream #${n}: "${showBytes(body)}"`
      }
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker))
  await server.close()
  return {
    name: 'socket fuzz (streams)',
    count: socketStreams,
    lost,
    doubled,
    differences,
    ms: performance.now() - started,
    ...(firstDifference === undefined ? {} : { firstDifference }),
  }
}

async function forcedDrops(): Promise<CaseResult> {
  const started = performance.now()
  const random = seededRandom(seed + 2)
  // Enough blocks that every kind of cut point has more candidates than it needs.
  const stream = buildResumableStream(random, Math.max(150, cuts))
  const chosen = chooseCuts(random, stream, cuts)
  const feed = resumableFeed(stream, chosen)
  const server = await startServer((req, res) => feed.handle(req, res))
  const received: ExpectedEvent[] = []
  const connection = new SseConnection(
    { url: server.origin, reconnectDelay: 0, maxReconnectAttempts: 'unlimited', staleTimeout: 0 },
    { onEvent: ({ event, id, data }) => received.push({ event, id, data }) },
    { env: {} },
  )
  connection.connect()
  const deadline = Date.now() + 120_000
  while (
    (feed.made.length < chosen.length || received.length < stream.expected.length) &&
    Date.now() < deadline
  ) {
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  // Anything doubled would come with or after the last expected event.
  await new Promise((resolve) => setTimeout(resolve, 100))
  connection.disconnect()
  await server.close()
  const { lost, doubled } = lostAndDoubled(stream.expected, received)
  const complete = feed.made.length === chosen.length && feed.unknownIds.length === 0
  const same = complete && isDeepStrictEqual(received, stream.expected)
  return {
    name: `forced drops (cuts; ${stream.expected.length} events)`,
    count: feed.made.length,
    lost,
    doubled,
    differences: same ? 0 : 1,
    ms: performance.now() - started,
    ...(same
      ? {}
      : {
          firstDifference: `forced drops, seed ${seed + 2}: ${feed.made.length}/${chosen.length} cuts made, ${feed.unknownIds.length} unknown ids`,
        }),
  }
}

/** The process's resident set in MB, from /proc (Linux); undefined elsewhere or once it has exited. */
async function rssMb(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8')
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1]
    return kb === undefined ? undefined : Number(kb) / 1024
  } catch {
    return undefined
  }
}

async function tailSlowReader(): Promise<CaseResult & { peakRssMb: number | undefined }> {
  const started = performance.now()
  const payload = 'x'.repeat(200)
  let written = 0
  const server = await startServer((_req, res) => {
    openEventStream(res)
    const writeMore = (): void => {
      while (written < tailEvents + 1000) {
        const ok = res.write(`id: ${written}\ndata: ${written} ${payload}\n\n`)
        written++
        if (!ok) return void res.once('drain', writeMore)
      }
    }
    writeMore()
  })
  const cli = resolve(import.meta.dirname, '../../src/main/cli/main.ts')
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', cli, 'tail', '--max-events', String(tailEvents), server.origin],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  let peakRssMb: number | undefined
  const sampler = setInterval(() => {
    void rssMb(child.pid ?? 0).then((mb) => {
      if (mb !== undefined) peakRssMb = Math.max(peakRssMb ?? 0, mb)
    })
  }, 100)
  let next = 0
  let doubled = 0
  let differences = 0
  let partial = ''
  let chunks = 0
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (text: string) => {
    const lines = (partial + text).split('\n')
    partial = lines.pop() ?? ''
    for (const line of lines) {
      const parsed = JSON.parse(line) as { type: string; id?: string; data?: string }
      if (parsed.type !== 'event') continue
      const id = Number(parsed.id)
      if (id < next) doubled++
      else if (id !== next || parsed.data !== `${id} ${payload}`) differences++
      next = Math.max(next, id + 1)
    }
    // A reader slower than the feed: it keeps stopping for a moment.
    if (++chunks % 200 === 0) {
      child.stdout.pause()
      setTimeout(() => child.stdout.resume(), 50)
    }
  })
  const code = await new Promise<number | null>((done) => child.on('close', done))
  clearInterval(sampler)
  await server.close()
  return {
    name: 'tail, slow reader (events)',
    count: tailEvents,
    lost: Math.max(0, tailEvents - next),
    doubled,
    differences: differences + (code === 0 && next <= tailEvents ? 0 : 1),
    ms: performance.now() - started,
    peakRssMb,
  }
}

function printTable(rows: readonly CaseResult[]): void {
  const cells = [
    ['case', 'count', 'lost', 'doubled', 'differences', 'time'],
    ...rows.map((row) => [
      row.name,
      row.count.toLocaleString('en-US'),
      String(row.lost),
      String(row.doubled),
      String(row.differences),
      `${(row.ms / 1000).toFixed(1)} s`,
    ]),
  ]
  const widths = (cells[0] as string[]).map((_, column) =>
    Math.max(...cells.map((row) => (row[column] as string).length)),
  )
  const line = (row: readonly string[]): string =>
    `| ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] as number) : cell.padStart(widths[column] as number))).join(' | ')} |`
  const rule = `|${widths.map((width, column) => (column === 0 ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`
  const [header, ...body] = cells
  console.log([line(header as string[]), rule, ...body.map(line)].join('\n'))
}

async function main(): Promise<void> {
  console.log(
    `Engine soak: ${streams} decoder streams, ${socketStreams} socket streams, ${cuts} cuts (seed ${seed})\n`,
  )
  const tail = await tailSlowReader()
  const rows = [decoderFuzz(), await socketFuzz(), await forcedDrops(), tail]
  printTable(rows)
  const rss = tail.peakRssMb === undefined ? 'n/a' : `${tail.peakRssMb.toFixed(0)} MB`
  console.log(`\nPeak RSS of feedwatch tail with the slow reader: ${rss}`)
  const failures = rows.filter((row) => row.lost + row.doubled + row.differences > 0)
  for (const row of failures) if (row.firstDifference) console.log(`\n${row.firstDifference}`)
  process.exitCode = failures.length === 0 ? 0 : 1
}

void main()
