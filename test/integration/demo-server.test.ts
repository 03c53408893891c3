import { request, type IncomingMessage } from 'node:http'
import { afterEach, describe, expect, test } from 'vitest'
import {
  startDemoServer,
  type DemoServer,
  type DemoServerOptions,
} from '../../src/main/demo/demo-server'
import type { FeedEvent } from '../../src/shared/feed-event'
import { disconnectAll, sleep, waitFor, watchConnection } from '../support/connection-probe'

/** Short enough that tests see many events quickly. */
const INTERVAL_MS = 20

const servers: DemoServer[] = []

afterEach(async () => {
  disconnectAll()
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function demo(options: DemoServerOptions = {}): Promise<DemoServer> {
  const server = await startDemoServer({ metricsIntervalMs: INTERVAL_MS, ...options })
  servers.push(server)
  return server
}

function ids(events: readonly FeedEvent[]): number[] {
  return events.map((event) => Number(event.id))
}

/** True when `list` is n, n + 1, n + 2, ... */
function consecutive(list: readonly number[]): boolean {
  return list.every((id, index) => index === 0 || id === (list[index - 1] ?? NaN) + 1)
}

/** A raw GET that collects the body as text, for what the SSE client hides (comments, `retry:`). */
function rawGet(
  url: string,
  headers: Record<string, string> = {},
): { response: Promise<IncomingMessage>; body: () => string; abort: () => void } {
  let body = ''
  const req = request(url, { headers })
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', (res) => {
      res.setEncoding('utf8')
      res.on('data', (text: string) => (body += text))
      resolve(res)
    })
    req.on('error', reject)
  })
  req.end()
  return { response, body: () => body, abort: () => req.destroy() }
}

/** A GET of a whole (non-stream) response. */
function getText(url: string): Promise<{ status: number; type: string; text: string }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', text }),
      )
    })
      .on('error', reject)
      .end()
  })
}

describe('GET /events', () => {
  test('is an event stream', async () => {
    const server = await demo()
    const feed = watchConnection({ url: server.url })
    feed.connection.connect()
    const open = await feed.waitForState('open')
    expect(open.contentType).toMatch(/^text\/event-stream/)
  })

  test('metrics events carry cpu, mem, rps and latency percentiles as JSON', async () => {
    const server = await demo()
    const feed = watchConnection({ url: server.url })
    feed.connection.connect()
    await feed.waitForEvents(5)
    const metrics = feed.events.filter((event) => event.event === 'metrics')
    expect(metrics.length).toBeGreaterThanOrEqual(5)
    for (const event of metrics) {
      const data = JSON.parse(event.data) as Record<string, unknown>
      expect(data).toEqual({
        cpu: expect.any(Number),
        mem: expect.any(Number),
        rps: expect.any(Number),
        latencyMs: { p50: expect.any(Number), p99: expect.any(Number) },
      })
      const { cpu, mem, rps, latencyMs } = data as {
        cpu: number
        mem: number
        rps: number
        latencyMs: { p50: number; p99: number }
      }
      expect(cpu >= 0 && cpu <= 1 && mem >= 0 && mem <= 1).toBe(true)
      expect(Number.isInteger(rps) && rps >= 0).toBe(true)
      expect(latencyMs.p99).toBeGreaterThanOrEqual(latencyMs.p50)
    }
  })

  test('metrics arrive about every metricsIntervalMs', async () => {
    const server = await demo({ metricsIntervalMs: 50 })
    const feed = watchConnection({ url: server.url })
    feed.connection.connect()
    await feed.waitForEvents(1)
    const start = feed.events.length
    const startedAt = Date.now()
    await sleep(500)
    const elapsed = Date.now() - startedAt
    const metrics = feed.events.slice(start).filter((event) => event.event === 'metrics')
    // Timers may fire late on a busy machine, never early.
    expect(metrics.length).toBeGreaterThanOrEqual(5)
    expect(metrics.length).toBeLessThanOrEqual(Math.ceil(elapsed / 50) + 1)
  })

  test('event ids are whole numbers going up by one', async () => {
    const server = await demo()
    const feed = watchConnection({ url: server.url })
    feed.connection.connect()
    const events = await feed.waitForEvents(10)
    const list = ids(events)
    expect(list.every((id) => Number.isSafeInteger(id) && id > 0)).toBe(true)
    expect(consecutive(list), list.join(',')).toBe(true)
  })

  test('every connected client sees the same events with the same ids', async () => {
    const server = await demo()
    const first = watchConnection({ url: server.url })
    const second = watchConnection({ url: server.url })
    first.connection.connect()
    second.connection.connect()
    await Promise.all([first.waitForEvents(10), second.waitForEvents(10)])
    const byId = new Map(first.events.map((event) => [event.id, event]))
    const shared = second.events.filter((event) => byId.has(event.id))
    expect(shared.length).toBeGreaterThanOrEqual(5)
    for (const event of shared) {
      expect(event.data).toBe(byId.get(event.id)?.data)
      expect(event.event).toBe(byId.get(event.id)?.event)
    }
  })

  test('a client that reconnects with Last-Event-ID gets exactly the events it missed', async () => {
    const server = await demo()
    // Stays connected throughout: the record of what the server sent.
    const witness = watchConnection({ url: server.url })
    witness.connection.connect()
    await witness.waitForEvents(1)
    const feed = watchConnection({ url: server.url })
    feed.connection.connect()
    await feed.waitForEvents(3)
    feed.connection.disconnect()
    const before = feed.events.length
    const lastSeen = Number(feed.connection.lastEventId)
    await waitFor(() => Number(witness.events.at(-1)?.id) >= lastSeen + 5)

    feed.connection.connect() // resumes from the last event ID
    await feed.waitForEvents(before + 10)
    const after = feed.events.slice(before)
    expect(Number(after[0]?.id)).toBe(lastSeen + 1)
    const all = ids(feed.events)
    expect(consecutive(all), all.join(',')).toBe(true)
    const sent = new Map(witness.events.map((event) => [event.id, event.data]))
    for (const event of after.slice(0, 5)) expect(event.data).toBe(sent.get(event.id))
  })

  test('a Last-Event-ID older than the replay log gets what is kept, after a comment', async () => {
    const server = await demo({ replayLogSize: 5 })
    const feed = watchConnection({ url: server.url })
    feed.connection.connect()
    await waitFor(() => Number(feed.events.at(-1)?.id) >= 12)
    feed.connection.disconnect()
    const raw = rawGet(server.url, { 'Last-Event-ID': '1' })
    await raw.response
    await waitFor(() => raw.body().includes('\nid: '))
    raw.abort()
    expect(raw.body()).toMatch(/^retry: 2000\n\n: \d+ events after 1 are no longer kept;/)
    const firstId = Number(/\nid: (\d+)\n/.exec(raw.body())?.[1])
    expect(firstId).toBeGreaterThan(2)
  })

  test('a Last-Event-ID this server never sent gets new events only', async () => {
    const server = await demo()
    const feed = watchConnection({ url: server.url, lastEventId: '999999' })
    feed.connection.connect()
    const events = await feed.waitForEvents(3)
    expect(Number(events[0]?.id)).toBeLessThan(999_999)
    expect(consecutive(ids(events))).toBe(true)
  })

  test('the stream starts with retry: 2000', async () => {
    const server = await demo()
    const raw = rawGet(server.url)
    const res = await raw.response
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/)
    await waitFor(() => raw.body().length > 0)
    raw.abort()
    expect(raw.body()).toMatch(/^retry: 2000\n\n/)
  })

  test('heartbeats arrive as comments', async () => {
    // Metrics rarely, so the heartbeats are what arrives.
    const server = await demo({ metricsIntervalMs: 60_000, heartbeatMs: INTERVAL_MS })
    const raw = rawGet(server.url)
    await raw.response
    await waitFor(() => raw.body().split('\n: heartbeat\n').length > 3)
    raw.abort()
    expect(raw.body()).not.toContain('data:')
  })

  test('heartbeatMs 0 sends no heartbeats', async () => {
    const server = await demo({ heartbeatMs: 0 })
    const raw = rawGet(server.url)
    await raw.response
    await sleep(10 * INTERVAL_MS)
    raw.abort()
    expect(raw.body()).toContain('event: metrics')
    expect(raw.body()).not.toContain('heartbeat')
  })

  test('more streams than maxClients are answered 503 with Retry-After', async () => {
    const server = await demo({ maxClients: 1 })
    const first = rawGet(server.url)
    expect((await first.response).statusCode).toBe(200)
    const second = rawGet(server.url)
    const res = await second.response
    first.abort()
    second.abort()
    expect(res.statusCode).toBe(503)
    expect(res.headers['retry-after']).toBe('5')
  })
})

describe('other requests', () => {
  test('GET / says what the server is, in plain text', async () => {
    const server = await demo()
    const { status, type, text } = await getText(server.url.replace(/\/events$/, '/'))
    expect(status).toBe(200)
    expect(type).toMatch(/^text\/plain/)
    expect(text).toContain('Feedwatch demo server')
    expect(text).toContain('/events')
  })

  test('an unknown path is 404', async () => {
    const server = await demo()
    expect((await getText(server.url.replace(/\/events$/, '/nope'))).status).toBe(404)
  })

  test('POST /events is 405', async () => {
    const server = await demo()
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(server.url, { method: 'POST' }, resolve)
      req.on('error', reject)
      req.end('x')
    })
    res.resume()
    expect(res.statusCode).toBe(405)
    expect(res.headers.allow).toBe('GET, HEAD')
  })
})

describe('startDemoServer', () => {
  test('listens on 127.0.0.1 by default', async () => {
    const server = await demo()
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/events`)
    expect(server.port).toBeGreaterThan(0)
  })

  test('refuses options out of range', async () => {
    await expect(startDemoServer({ metricsIntervalMs: 0 })).rejects.toThrow(RangeError)
    await expect(startDemoServer({ port: 70_000 })).rejects.toThrow(RangeError)
  })

  test('rejects when the port is taken', async () => {
    const server = await demo()
    await expect(startDemoServer({ port: server.port })).rejects.toMatchObject({
      code: 'EADDRINUSE',
    })
  })

  test('close() ends open streams and stops listening', async () => {
    const server = await demo()
    const feed = watchConnection({ url: server.url, autoReconnect: false })
    feed.connection.connect()
    await feed.waitForEvents(2)
    await server.close()
    const closed = await feed.waitForState('closed')
    expect(closed.reason).toBe('the stream ended')
    await expect(getText(server.url)).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  })

  test('close() can be called twice', async () => {
    const server = await demo()
    await Promise.all([server.close(), server.close()])
    await server.close()
  })
})
