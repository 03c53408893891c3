import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What {@link startBenchFeed} sends. */
export interface BenchFeedOptions {
  /**
   * Numeric fields per event, `s0` … `s11`: one chart series each.
   * @defaultValue `12`
   */
  readonly series?: number
  /**
   * Events per second; each event carries one point of every series.
   * @defaultValue `50`
   */
  readonly eventsPerSecond?: number
}

/** A running feed. */
export interface BenchFeed {
  /** `http://127.0.0.1:PORT/events` */
  readonly url: string
  /** Events sent so far, to any client. */
  sent(): number
  close(): Promise<void>
}

/** How often the sender wakes; it sends every event that is due, so timer jitter does not lower the rate. */
const TICK_MS = 5

/**
 * A local SSE feed for the UI benchmark on 127.0.0.1: `event: metrics` with `{"s0": …, "s11": …}`
 * at a steady rate (one event per 20 ms by default), each series a smooth wave with noise so that
 * min-max decimation has real work to do. Events are paced by the clock, not by timer ticks.
 */
export async function startBenchFeed(options: BenchFeedOptions = {}): Promise<BenchFeed> {
  const series = options.series ?? 12
  const rate = options.eventsPerSecond ?? 50
  const clients = new Set<ServerResponse>()
  let sent = 0
  let seq = 0
  const started = performance.now()

  const server: Server = createServer((request, response) => {
    if (request.url !== '/events') {
      response.writeHead(404).end()
      return
    }
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
    response.write(': bench feed\n\n')
    clients.add(response)
    response.on('close', () => clients.delete(response))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })

  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - started) / 1000) * rate)
    let chunk = ''
    for (; seq < due; seq++) {
      const t = seq / rate
      const fields: string[] = []
      for (let i = 0; i < series; i++) {
        const value = 50 + 30 * Math.sin(t / (3 + i) + i) + 8 * (Math.random() - 0.5)
        fields.push(`"s${i}":${value.toFixed(3)}`)
      }
      chunk += `id: ${seq + 1}\nevent: metrics\ndata: {${fields.join(',')}}\n\n`
    }
    if (chunk === '') return
    for (const client of clients) client.write(chunk)
    if (clients.size > 0) sent = seq
  }, TICK_MS)

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`,
    sent: () => sent,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer)
        for (const client of clients) client.destroy()
        server.close(() => resolve())
      }),
  }
}
