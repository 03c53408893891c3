/**
 * README "SSE behaviour" → "Outcomes": one test per row of the table, against real servers.
 */
import { afterEach, describe, expect, test } from 'vitest'
import type { ServerResponse } from 'node:http'
import {
  openEventStream,
  refusingOrigin,
  startServer,
  type TestServer,
} from '../support/http-server'
import { disconnectAll, sleep, watchConnection } from '../support/connection-probe'

/** Long enough for any wrongly scheduled retry (reconnectDelay 20 ms) to have reached the server. */
const NO_RETRY_WINDOW_MS = 150

const servers: TestServer[] = []
afterEach(async () => {
  disconnectAll()
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function serve(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const server = await startServer(handler)
  servers.push(server)
  return server
}

/** Answers the first request with `status` (and `body`), every later one with an open event stream. */
function statusOnceThenStream(status: number, headers: Record<string, string> = {}) {
  let answered = 0
  return (_req: unknown, res: ServerResponse): void => {
    if (answered++ === 0) {
      res.writeHead(status, { 'Content-Type': 'text/plain', ...headers })
      res.end(`status ${status}`)
    } else {
      openEventStream(res)
    }
  }
}

describe('200 with an event stream', () => {
  test('opens with the status and the content type', async () => {
    const server = await serve((_req, res) => openEventStream(res))
    const feed = watchConnection({ url: server.origin })
    feed.connection.connect()
    const open = await feed.waitForState('open')
    expect(open.status).toBe(200)
    expect(open.contentType.toLowerCase()).toContain('text/event-stream')
    expect(feed.names()).toEqual(['connecting', 'open'])
  })

  test('the content type is recognised in any case and with parameters', async () => {
    const server = await serve((_req, res) =>
      openEventStream(res, { 'Content-Type': 'Text/Event-Stream; charset=utf-8' }),
    )
    const feed = watchConnection({ url: server.origin })
    feed.connection.connect()
    const open = await feed.waitForState('open')
    expect(open.contentType).toBe('Text/Event-Stream; charset=utf-8')
    expect(feed.connection.state.state).toBe('open')
  })
})

describe('200 with another content type', () => {
  test('fails with "expected text/event-stream, got application/json" after one request', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end('{"not":"a stream"}')
    })
    const feed = watchConnection({ url: server.origin, reconnectDelay: 20 })
    feed.connection.connect()
    const failed = await feed.waitForState('failed')
    expect(failed.reason).toContain('expected text/event-stream, got application/json')
    expect(failed.code).toBe('content-type')
    await sleep(NO_RETRY_WINDOW_MS)
    expect(server.requests).toHaveLength(1)
    expect(feed.names()).toEqual(['connecting', 'failed'])
  })

  test('a 200 without any content type fails the same way', async () => {
    const server = await serve((_req, res) => {
      res.removeHeader('Content-Type')
      res.writeHead(200)
      res.end('data: x\n\n')
    })
    const feed = watchConnection({ url: server.origin, reconnectDelay: 20 })
    feed.connection.connect()
    const failed = await feed.waitForState('failed')
    expect(failed.reason).toContain('expected text/event-stream')
    await sleep(NO_RETRY_WINDOW_MS)
    expect(server.requests).toHaveLength(1)
  })
})

describe('204', () => {
  test('closes because the server asked us to stop, and never retries', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(204)
      res.end()
    })
    const feed = watchConnection({ url: server.origin, reconnectDelay: 20 })
    feed.connection.connect()
    const closed = await feed.waitForState('closed')
    expect(closed.code).toBe('no-content')
    expect(closed.status).toBe(204)
    await sleep(NO_RETRY_WINDOW_MS)
    expect(server.requests).toHaveLength(1)
    expect(feed.names()).toEqual(['connecting', 'closed'])
  })
})

describe('statuses that fail at once', () => {
  test.each([400, 401, 403, 404, 405, 410, 418, 201])(
    '%i fails with the status and the body text after one request',
    async (status) => {
      const server = await serve((_req, res) => {
        res.writeHead(status, { 'Content-Type': 'text/plain' })
        res.end(`the body of a ${status}`)
      })
      const feed = watchConnection({ url: server.origin, reconnectDelay: 20 })
      feed.connection.connect()
      const failed = await feed.waitForState('failed')
      expect(failed.status).toBe(status)
      expect(failed.code).toBe('http-status')
      expect(failed.reason).toContain(String(status))
      expect(failed.reason).toContain(`the body of a ${status}`)
      await sleep(NO_RETRY_WINDOW_MS)
      expect(server.requests).toHaveLength(1)
      expect(feed.names()).toEqual(['connecting', 'failed'])
    },
  )

  test('the reason holds at most 512 bytes of a long body', async () => {
    const body = 'Z'.repeat(2000)
    const server = await serve((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/plain' })
      res.end(body)
    })
    const feed = watchConnection({ url: server.origin })
    feed.connection.connect()
    const failed = await feed.waitForState('failed')
    expect(failed.reason).toContain('Z'.repeat(100))
    expect(failed.reason).not.toContain('Z'.repeat(513))
  })

  test('an error body that never ends still fails with the status', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(403, { 'Content-Type': 'text/plain' })
      res.write('forbidden, and the body stays open')
    })
    const feed = watchConnection({ url: server.origin })
    feed.connection.connect()
    const failed = await feed.waitForState('failed', { timeoutMs: 5000 })
    expect(failed.status).toBe(403)
    expect(failed.reason).toContain('forbidden, and the body stays open')
  })
})

describe('statuses that are retried', () => {
  test.each([408, 429, 500, 503])(
    '%i reconnects with backoff and recovers to open',
    async (status) => {
      const server = await serve(statusOnceThenStream(status))
      const feed = watchConnection({ url: server.origin, reconnectDelay: 20 })
      feed.connection.connect()
      const reconnecting = await feed.waitForState('reconnecting')
      expect(reconnecting.status).toBe(status)
      expect(reconnecting.code).toBe('http-status')
      expect(reconnecting.reason).toContain(String(status))
      expect(reconnecting.attempt).toBe(1)
      await feed.waitForState('open')
      expect(feed.names()).toEqual(['connecting', 'reconnecting', 'connecting', 'open'])
      expect(server.requests).toHaveLength(2)
    },
  )

  test('Retry-After in seconds is honoured when longer than the backoff', async () => {
    const server = await serve(statusOnceThenStream(503, { 'Retry-After': '1' }))
    const feed = watchConnection({ url: server.origin, reconnectDelay: 20 })
    feed.connection.connect()
    const reconnecting = await feed.waitForState('reconnecting')
    expect(reconnecting.delayMs).toBeGreaterThanOrEqual(1000)
    await feed.waitForState('open')
    const second = server.requests[1]
    expect(second).toBeDefined()
    expect(second!.at - reconnecting.at).toBeGreaterThanOrEqual(1000 - 2)
  })

  test('Retry-After as an HTTP date is honoured when longer than the backoff', async () => {
    // HTTP dates have whole seconds, so this one lies between 1 and 2 s ahead.
    const retryAt = new Date(Date.now() + 2000).toUTCString()
    const server = await serve(statusOnceThenStream(429, { 'Retry-After': retryAt }))
    const feed = watchConnection({ url: server.origin, reconnectDelay: 20 })
    feed.connection.connect()
    const reconnecting = await feed.waitForState('reconnecting')
    expect(reconnecting.delayMs).toBeGreaterThanOrEqual(Date.parse(retryAt) - reconnecting.at - 5)
    await feed.waitForState('open', { timeoutMs: 4000 })
    expect(server.requests[1]!.at).toBeGreaterThanOrEqual(Date.parse(retryAt) - 5)
  })

  test('Retry-After shorter than the backoff leaves the backoff in place', async () => {
    const server = await serve(statusOnceThenStream(503, { 'Retry-After': '0' }))
    const feed = watchConnection({ url: server.origin, reconnectDelay: 300 }, { random: () => 0.5 })
    feed.connection.connect()
    const reconnecting = await feed.waitForState('reconnecting')
    expect(reconnecting.delayMs).toBe(300)
  })

  test('Retry-After is honoured up to one hour and no longer', async () => {
    const server = await serve(statusOnceThenStream(503, { 'Retry-After': '7200' }))
    const feed = watchConnection({ url: server.origin, reconnectDelay: 20 })
    feed.connection.connect()
    const reconnecting = await feed.waitForState('reconnecting')
    expect(reconnecting.delayMs).toBe(60 * 60 * 1000)
  })
})

describe('network failures and endings', () => {
  test('a refused connection reconnects with code network', async () => {
    const feed = watchConnection({ url: `${await refusingOrigin()}/events`, reconnectDelay: 20 })
    feed.connection.connect()
    const reconnecting = await feed.waitForState('reconnecting')
    expect(reconnecting.code).toBe('network')
    expect(reconnecting.reason).not.toBe('')
    expect(reconnecting.status).toBeUndefined()
  })

  test('a connection reset before any response reconnects with code network', async () => {
    let connection = 0
    const server = await serve((req, res) => {
      if (connection++ === 0) req.socket.destroy()
      else openEventStream(res)
    })
    const feed = watchConnection({ url: server.origin, reconnectDelay: 20 })
    feed.connection.connect()
    const reconnecting = await feed.waitForState('reconnecting')
    expect(reconnecting.code).toBe('network')
    await feed.waitForState('open')
  })

  test('a host name that does not resolve reconnects with code network', async () => {
    // .invalid never resolves (RFC 6761); resolvers answer it at once.
    const feed = watchConnection({ url: 'http://feedwatch-test.invalid/', reconnectDelay: 20 })
    feed.connection.connect()
    const reconnecting = await feed.waitForState('reconnecting', { timeoutMs: 15_000 })
    expect(reconnecting.code).toBe('network')
    expect(reconnecting.reason).toContain('feedwatch-test.invalid')
  })

  test('a body that ends reconnects with code ended', async () => {
    const server = await serve((_req, res) => {
      openEventStream(res)
      res.end('data: one\n\n')
    })
    const feed = watchConnection({ url: server.origin, reconnectDelay: 20 })
    feed.connection.connect()
    const reconnecting = await feed.waitForState('reconnecting')
    expect(reconnecting.code).toBe('ended')
    await feed.waitForState('open', { count: 2 })
    expect(server.requests.length).toBeGreaterThanOrEqual(2)
  })

  test('a connection reset by the server reconnects', async () => {
    const server = await serve((req, res) => {
      openEventStream(res)
      res.write('data: one\n\n')
      setTimeout(() => req.socket.destroy(), 20)
    })
    const feed = watchConnection({ url: server.origin, reconnectDelay: 20 })
    feed.connection.connect()
    await feed.waitForState('reconnecting')
    await feed.waitForState('open', { count: 2 })
    expect(feed.all('failed')).toEqual([])
  })
})

describe('with autoReconnect false', () => {
  test('a body that ends is closed, with no retry', async () => {
    const server = await serve((_req, res) => {
      openEventStream(res)
      res.end('data: one\n\n')
    })
    const feed = watchConnection({ url: server.origin, autoReconnect: false, reconnectDelay: 20 })
    feed.connection.connect()
    const closed = await feed.waitForState('closed')
    expect(closed.code).toBe('ended')
    await sleep(NO_RETRY_WINDOW_MS)
    expect(server.requests).toHaveLength(1)
    expect(feed.names()).toEqual(['connecting', 'open', 'closed'])
  })

  test('a 503 fails, with no retry', async () => {
    const server = await serve(statusOnceThenStream(503))
    const feed = watchConnection({ url: server.origin, autoReconnect: false, reconnectDelay: 20 })
    feed.connection.connect()
    const failed = await feed.waitForState('failed')
    expect(failed.status).toBe(503)
    await sleep(NO_RETRY_WINDOW_MS)
    expect(server.requests).toHaveLength(1)
    expect(feed.names()).toEqual(['connecting', 'failed'])
  })

  test('a refused connection fails, with no retry', async () => {
    const feed = watchConnection({
      url: await refusingOrigin(),
      autoReconnect: false,
      reconnectDelay: 20,
    })
    feed.connection.connect()
    const failed = await feed.waitForState('failed')
    expect(failed.code).toBe('network')
    await sleep(NO_RETRY_WINDOW_MS)
    expect(feed.names()).toEqual(['connecting', 'failed'])
  })
})

describe('a feed that goes quiet', () => {
  test('is aborted as stale after staleTimeout and reconnects', async () => {
    const server = await serve((_req, res) => openEventStream(res))
    const feed = watchConnection({ url: server.origin, staleTimeout: 200, reconnectDelay: 20 })
    feed.connection.connect()
    const open = await feed.waitForState('open')
    const reconnecting = await feed.waitForState('reconnecting')
    expect(reconnecting.code).toBe('stale')
    expect(reconnecting.reason).toMatch(/stale/i)
    expect(reconnecting.at - open.at).toBeGreaterThanOrEqual(190)
    // Generous above: a loaded machine runs timers late, never early.
    expect(reconnecting.at - open.at).toBeLessThan(600)
    await feed.waitForState('open', { count: 2 })
  })

  test('comments alone keep it open', async () => {
    const server = await serve((_req, res) => {
      openEventStream(res)
      const ping = setInterval(() => res.write(': ping\n\n'), 40)
      res.on('close', () => clearInterval(ping))
    })
    const feed = watchConnection({ url: server.origin, staleTimeout: 300, reconnectDelay: 20 })
    feed.connection.connect()
    await feed.waitForState('open')
    await sleep(900)
    expect(feed.names()).toEqual(['connecting', 'open'])
  })

  test('a server that accepts but never answers is stale too', async () => {
    const server = await serve(() => {})
    const feed = watchConnection({ url: server.origin, staleTimeout: 200, reconnectDelay: 20 })
    feed.connection.connect()
    const reconnecting = await feed.waitForState('reconnecting')
    expect(reconnecting.code).toBe('stale')
    expect(feed.names()).toEqual(['connecting', 'reconnecting'])
  })

  test('staleTimeout 0 disables the timer', async () => {
    const server = await serve((_req, res) => openEventStream(res))
    const feed = watchConnection({ url: server.origin, staleTimeout: 0, reconnectDelay: 20 })
    feed.connection.connect()
    await feed.waitForState('open')
    await sleep(400)
    expect(feed.names()).toEqual(['connecting', 'open'])
  })
})

describe('an event over maxEventBytes', () => {
  test('drops the connection with code too-large and reconnects', async () => {
    let dropped = 0
    const server = await serve((_req, res) => {
      res.on('close', () => dropped++)
      openEventStream(res)
      res.write(`data: ${'x'.repeat(5000)}\n\n`)
    })
    const feed = watchConnection({ url: server.origin, maxEventBytes: 1000, reconnectDelay: 20 })
    feed.connection.connect()
    const reconnecting = await feed.waitForState('reconnecting')
    expect(reconnecting.code).toBe('too-large')
    expect(reconnecting.reason).toMatch(/larger than/)
    expect(feed.events).toEqual([])
    await feed.waitForState('connecting', { count: 2 })
    expect(dropped).toBeGreaterThanOrEqual(1)
  })

  test('a line that never ends is dropped once it passes the cap', async () => {
    const server = await serve((_req, res) => {
      openEventStream(res)
      res.write(`data: ${'x'.repeat(5000)}`)
    })
    const feed = watchConnection({ url: server.origin, maxEventBytes: 1000, reconnectDelay: 20 })
    feed.connection.connect()
    const reconnecting = await feed.waitForState('reconnecting')
    expect(reconnecting.code).toBe('too-large')
  })

  test('an event under the cap is delivered', async () => {
    const data = 'y'.repeat(900)
    const server = await serve((_req, res) => {
      openEventStream(res)
      res.write(`data: ${data}\n\n`)
    })
    const feed = watchConnection({ url: server.origin, maxEventBytes: 1000, reconnectDelay: 20 })
    feed.connection.connect()
    const [event] = await feed.waitForEvents(1)
    expect(event?.data).toBe(data)
    expect(feed.names()).toEqual(['connecting', 'open'])
  })

  test('counts as an attempt, so a feed that always sends one ends failed', async () => {
    const server = await serve((_req, res) => {
      openEventStream(res)
      res.write(`data: ${'x'.repeat(5000)}\n\n`)
    })
    const feed = watchConnection({
      url: server.origin,
      maxEventBytes: 1000,
      reconnectDelay: 20,
      maxReconnectAttempts: 2,
    })
    feed.connection.connect()
    const failed = await feed.waitForState('failed')
    expect(failed.code).toBe('too-large')
    expect(feed.all('reconnecting').map((state) => state.attempt)).toEqual([1, 2])
    await sleep(NO_RETRY_WINDOW_MS)
    expect(server.requests).toHaveLength(3)
  })
})
