/**
 * Soak run of `feedwatch serve`: many feeds at a steady rate from real SSE servers on 127.0.0.1,
 * through a real `feedwatch serve` process, to real push-stream clients. Prints events sent and
 * received, lost, the server's RSS once every feed buffer is full, memory per buffered event, and
 * push-stream latency from the source's write to a client's parse. Memory is measured twice: as RSS,
 * which includes garbage V8 has not collected yet, and as the live heap after a forced collection
 * (`heap-probe.cjs`, loaded into the serve process), which is what the buffers really hold.
 *
 *   node --import tsx bench/soak/serve.soak.ts [--minutes 5] [--feeds 500] [--rate 10]
 *                                               [--buffer 2000] [--clients 2]
 *
 * (`npm run soak` runs it with the defaults.) The buffers fill after `buffer / rate` seconds, 200 s
 * with the defaults; a shorter run with `--buffer` small enough to fill still measures memory per
 * event. The anchor of the memory row is the event's own size on the wire.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, request, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import type { EventBatch, Result } from '../../src/shared/api'
import type { FeedStatus } from '../../src/shared/feed-status'
import { PROFILE_VERSION } from '../../src/shared/profile'
import { openPushStream, type PushStreamClient } from '../../test/support/push-stream-client'

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    feeds: { type: 'string', default: '500' },
    rate: { type: 'string', default: '10' },
    buffer: { type: 'string', default: '2000' },
    clients: { type: 'string', default: '2' },
  },
})
const minutes = Number(values.minutes)
const feedCount = Number(values.feeds)
const rate = Number(values.rate)
const bufferSize = Number(values.buffer)
const clientCount = Number(values.clients)
for (const [name, value] of Object.entries({ minutes, feedCount, rate, bufferSize, clientCount })) {
  if (!Number.isFinite(value) || value <= 0) {
    process.stderr.write(`serve.soak: ${name} must be a positive number\n`)
    process.exit(2)
  }
}

/** One SSE source per feed on one server; a tick writes the next event of every connected feed. */
class Sources {
  readonly sent = new Array<number>(feedCount).fill(0)
  private readonly streams = new Map<number, ServerResponse>()
  private readonly server = createServer((req, res) => {
    const feed = Number(/^\/feed\/(\d+)$/.exec(req.url ?? '')?.[1] ?? -1)
    if (!(feed >= 0 && feed < feedCount)) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' })
    res.flushHeaders()
    this.streams.set(feed, res)
    res.on('close', () => {
      if (this.streams.get(feed) === res) this.streams.delete(feed)
    })
  })
  private timer: NodeJS.Timeout | undefined
  /** Bytes of the last event's `data:`, for the anchor. */
  dataBytes = 0

  async listen(): Promise<string> {
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done))
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  get connected(): number {
    return this.streams.size
  }

  start(): void {
    const perTick = Math.max(1, Math.round(rate / 10))
    this.timer = setInterval(
      () => {
        for (const [feed, res] of this.streams) {
          for (let k = 0; k < perTick; k++) {
            const n = ++this.sent[feed]!
            const data = JSON.stringify({
              feed: `feed-${feed}`,
              n,
              t: performance.now(),
              cpu: Math.round(Math.random() * 1000) / 1000,
              status: 'ok',
            })
            this.dataBytes = data.length
            res.write(`id: ${n}\ndata: ${data}\n\n`)
          }
        }
      },
      100 / Math.min(1, rate / 10),
    )
  }

  stop(): void {
    clearInterval(this.timer)
  }

  close(): void {
    this.stop()
    for (const res of this.streams.values()) res.destroy()
    this.server.close()
  }
}

/** What one push-stream client saw. */
class ClientTally {
  received = 0
  outOfOrder = 0
  reportedDropped = 0
  resyncs = 0
  readonly latencies: number[] = []
  private readonly last = new Map<string, number>()

  batch(batch: EventBatch, at: number): void {
    // Events the display stream left out of this batch, said in the batch itself.
    this.reportedDropped += batch.dropped
    for (const { feedId, events } of batch.feeds) {
      for (const event of events) {
        this.received++
        const { n, t } = JSON.parse(event.data) as { n: number; t: number }
        if (n <= (this.last.get(feedId) ?? 0)) this.outOfOrder++
        this.last.set(feedId, n)
        // Every 10th, to keep the tally's own memory and time small.
        if (n % 10 === 0) this.latencies.push(at - t)
      }
    }
  }
}

function rssMb(pid: number): Promise<number> {
  return readFile(`/proc/${pid}/status`, 'utf8').then(
    (status) => Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024,
  )
}

function call<T>(base: string, command: string, body: unknown = {}): Promise<T> {
  const [domain, verb] = command.split(':')
  return new Promise((done, fail) => {
    const req = request(
      `${base}/api/${domain}/${verb}`,
      { method: 'POST', headers: { 'Content-Type': 'application/json' } },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => {
          const result = JSON.parse(text) as Result<T>
          if (result.ok) done(result.value)
          else fail(new Error(`${command}: ${result.error.message}`))
        })
      },
    )
    req.on('error', fail)
    req.end(JSON.stringify(body))
  })
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms))

/** The serve process, and its live heap and RSS after a forced collection, in MB. */
interface Serve {
  readonly child: ChildProcess
  readonly url: string
  probeHeap(): Promise<{ heapMb: number; rssMb: number }>
}

async function startServe(profileFile: string, dataDir: string): Promise<Serve> {
  const cli = resolve(__dirname, '../../src/main/cli/main.ts')
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      '--require',
      resolve(__dirname, 'heap-probe.cjs'),
      '--import',
      'tsx',
      cli,
      'serve',
      '--profile',
      profileFile,
      '--data-dir',
      dataDir,
      '--port',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const probes: ((line: string) => void)[] = []
  createInterface({ input: child.stderr! }).on('line', (line) => {
    if (line.startsWith('heap-probe ')) probes.shift()?.(line.slice('heap-probe '.length))
    else process.stderr.write(`${line}\n`)
  })
  const url = await new Promise<string>((done, fail) => {
    child.once('exit', (code) => fail(new Error(`feedwatch serve exited with ${code}`)))
    createInterface({ input: child.stdout! }).once('line', (line) => done(line.replace(/\/$/, '')))
  })
  return {
    child,
    url,
    probeHeap: () =>
      new Promise((done) => {
        probes.push((json) => {
          const { heapUsed, rss } = JSON.parse(json) as { heapUsed: number; rss: number }
          done({ heapMb: heapUsed / 2 ** 20, rssMb: rss / 2 ** 20 })
        })
        child.kill('SIGUSR2')
      }),
  }
}

async function main(): Promise<void> {
  const sources = new Sources()
  const origin = await sources.listen()
  const dataDir = await mkdtemp(join(tmpdir(), 'feedwatch-soak-'))
  const profileFile = join(dataDir, 'soak.json')
  await writeFile(
    profileFile,
    JSON.stringify({
      version: PROFILE_VERSION,
      name: 'Soak',
      feeds: Array.from({ length: feedCount }, (_, i) => ({
        id: `feed-${i}`,
        name: `Feed ${i}`,
        url: `${origin}/feed/${i}`,
        bufferSize,
      })),
    }),
  )
  const serve = await startServe(profileFile, join(dataDir, 'data'))
  const { child, url } = serve
  // Interrupted, the serve process must not outlive the run.
  const interrupted = (): void => {
    child.kill('SIGKILL')
    rmSync(dataDir, { recursive: true, force: true })
    process.exit(130)
  }
  process.once('SIGINT', interrupted)
  process.once('SIGTERM', interrupted)
  const clients: PushStreamClient[] = []
  try {
    while (sources.connected < feedCount) await sleep(100)
    await sleep(2000)
    const rssIdle = await rssMb(child.pid!)
    const idle = await serve.probeHeap()
    const tallies = Array.from({ length: clientCount }, () => new ClientTally())
    for (const tally of tallies) {
      clients.push(
        await openPushStream(`${url}/api/stream`, {
          keep: false,
          onPush: (push) => {
            if (push.event === 'events:batch') tally.batch(push.payload as EventBatch, push.at)
            else if (push.event === 'events:dropped')
              tally.reportedDropped += (push.payload as { dropped: number }).dropped
            else if (push.event === 'resync') tally.resyncs++
          },
        }),
      )
    }
    process.stderr.write(
      `serve.soak: ${feedCount} feeds × ${rate} events/s for ${minutes} min, buffers of ${bufferSize}, ${clientCount} clients\n`,
    )
    sources.start()
    const endAt = Date.now() + minutes * 60_000
    let rssPeak = rssIdle
    let rssFull: number | undefined
    let fullAfterS: number | undefined
    const startedAt = Date.now()
    while (Date.now() < endAt) {
      await sleep(Math.min(5000, endAt - Date.now()))
      const rss = await rssMb(child.pid!)
      rssPeak = Math.max(rssPeak, rss)
      if (rssFull === undefined) {
        const statuses = await call<FeedStatus[]>(url, 'feeds:list')
        if (statuses.every((status) => status.buffered >= bufferSize)) {
          rssFull = rss
          fullAfterS = Math.round((Date.now() - startedAt) / 1000)
        }
      }
      const received = tallies[0]?.received ?? 0
      const sent = sources.sent.reduce((a, b) => a + b, 0)
      process.stderr.write(
        `serve.soak: ${Math.round((Date.now() - startedAt) / 1000)} s, sent ${sent}, client 1 received ${received}, RSS ${rss.toFixed(0)} MB\n`,
      )
    }
    sources.stop()
    const sent = sources.sent.reduce((a, b) => a + b, 0)
    // Wait for what is in flight (a loaded machine may lag seconds), at most 30 s.
    let statuses: FeedStatus[] = []
    let engineEvents = 0
    for (const settleBy = Date.now() + 30_000; Date.now() < settleBy; await sleep(500)) {
      statuses = await call<FeedStatus[]>(url, 'feeds:list')
      engineEvents = statuses.reduce((sum, status) => sum + status.stats.events, 0)
      const clientsDone = tallies.every((tally) => tally.received + tally.reportedDropped >= sent)
      if (engineEvents >= sent && clientsDone) break
    }
    const buffered = statuses.reduce((sum, status) => sum + status.buffered, 0)
    const rssEnd = await rssMb(child.pid!)
    rssPeak = Math.max(rssPeak, rssEnd)
    const memoryAt = rssFull ?? rssEnd
    // Collected once the sources stopped (the buffers stay full): a forced collection of a large heap
    // stalls the process, which would show in the latency and the batches.
    const heapAt = await serve.probeHeap()
    const perEventKb = ((memoryAt - rssIdle) * 1024) / buffered
    const livePerEventKb = ((heapAt.heapMb - idle.heapMb) * 1024) / buffered
    const wireKb = (sources.dataBytes + 20) / 1024
    const allLatencies = tallies.flatMap((tally) => tally.latencies)
    const rows: [string, string, string][] = [
      ['events sent by the sources', String(sent), ''],
      ['events received by serve (engine)', String(engineEvents), ''],
      ['lost between sources and serve', String(sent - engineEvents), 'target 0'],
      ...tallies.map((tally, i): [string, string, string] => [
        `push client ${i + 1}: received / lost / reported dropped / resyncs / out of order`,
        `${tally.received} / ${sent - tally.received - tally.reportedDropped} / ${tally.reportedDropped} / ${tally.resyncs} / ${tally.outOfOrder}`,
        'lost target 0',
      ]),
      ['events buffered in serve', `${buffered} (${feedCount} × ${bufferSize})`, ''],
      ['RSS idle (feeds connected, no events)', `${rssIdle.toFixed(0)} MB`, ''],
      [
        rssFull === undefined
          ? 'RSS at the end (buffers not full yet)'
          : `RSS at full buffers (after ${fullAfterS} s)`,
        `${memoryAt.toFixed(0)} MB`,
        `peak ${rssPeak.toFixed(0)} MB`,
      ],
      [
        'memory per buffered event (RSS growth / events buffered)',
        `${perEventKb.toFixed(3)} KB`,
        `event on the wire ${wireKb.toFixed(3)} KB: ratio ${(perEventKb / wireKb).toFixed(2)}`,
      ],
      [
        'after a forced GC, idle → at the end: live heap / RSS',
        `${idle.heapMb.toFixed(0)} → ${heapAt.heapMb.toFixed(0)} MB / ${idle.rssMb.toFixed(0)} → ${heapAt.rssMb.toFixed(0)} MB`,
        `RSS per buffered event ${(((heapAt.rssMb - idle.rssMb) * 1024) / buffered).toFixed(3)} KB`,
      ],
      [
        'live memory per buffered event (heap growth / events buffered)',
        `${livePerEventKb.toFixed(3)} KB`,
        `event on the wire ${wireKb.toFixed(3)} KB: ratio ${(livePerEventKb / wireKb).toFixed(2)}`,
      ],
      [
        'push-stream latency p50 / p99 (source write → client parse)',
        `${percentile(allLatencies, 50).toFixed(1)} / ${percentile(allLatencies, 99).toFixed(1)} ms`,
        `${allLatencies.length} samples`,
      ],
    ]
    printTable(['case', 'measured', 'anchor / note'], rows)
  } finally {
    for (const client of clients) client.close()
    child.kill('SIGTERM')
    sources.close()
    await new Promise((done) => child.once('exit', done))
    await rm(dataDir, { recursive: true, force: true })
  }
}

function printTable(headers: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
  )
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`
  process.stdout.write(
    [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n') +
      '\n',
  )
}

main().catch((error: unknown) => {
  process.stderr.write(
    `serve.soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  )
  process.exitCode = 1
})
