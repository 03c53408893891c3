/**
 * README "SSE behaviour" → "Requests": method, body and headers; redirects; compressed bodies decoded
 * as they stream; proxies from the environment.
 */
import { afterEach, describe, expect, test } from 'vitest'
import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  constants as zlib,
  createBrotliCompress,
  createDeflate,
  createGzip,
  type BrotliCompress,
  type Deflate,
  type Gzip,
} from 'node:zlib'
import {
  openEventStream,
  readBody,
  startServer,
  startTlsServer,
  type TestServer,
} from '../support/http-server'
import { startProxy, type TestProxy } from '../support/proxy-server'
import { disconnectAll, sleep, watchConnection } from '../support/connection-probe'
import { serverTls, testCa } from '../support/tls-fixtures'
import { InvalidConnectionOptionsError, SseConnection } from '../../src/main/engine/sse-connection'
import type { ConnectionOptions } from '../../src/shared/connection'

const servers: (TestServer | TestProxy)[] = []
afterEach(async () => {
  disconnectAll()
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TestServer> {
  const server = await startServer(handler)
  servers.push(server)
  return server
}

async function proxy(): Promise<TestProxy> {
  const started = await startProxy()
  servers.push(started)
  return started
}

/** A request as the stream endpoint saw it, body included. */
interface Received {
  readonly url: string
  readonly method: string
  readonly body: string
  readonly headers: IncomingMessage['headers']
}

/** What `/start` answers on a {@link recordingServer}. */
interface Redirect {
  readonly status: number
  /** The Location; `/events` unless given. */
  readonly location?: (server: TestServer) => string
}

/**
 * A server whose every path but `/start` reads the body and opens an event stream, listing what it
 * received; `/start` answers with `redirect` when one is given.
 */
async function recordingServer(
  redirect?: Redirect,
): Promise<{ server: TestServer; received: Received[] }> {
  const received: Received[] = []
  const server: TestServer = await serve((req, res) => {
    if (redirect !== undefined && req.url === '/start') {
      res.writeHead(redirect.status, { Location: redirect.location?.(server) ?? '/events' })
      res.end()
      return
    }
    void readBody(req).then((body) => {
      received.push({ url: req.url ?? '', method: req.method ?? '', body, headers: req.headers })
      openEventStream(res)
    })
  })
  return { server, received }
}

function constructing(options: ConnectionOptions): () => SseConnection {
  return () => new SseConnection(options, {})
}

describe('headers', () => {
  test('Accept, Cache-Control and Accept-Encoding are sent by default', async () => {
    const server = await serve((_req, res) => openEventStream(res))
    const feed = watchConnection({ url: server.origin })
    feed.connection.connect()
    await feed.waitForState('open')
    const headers = server.requests[0]?.headers
    expect(headers?.accept).toBe('text/event-stream')
    expect(headers?.['cache-control']).toBe('no-cache')
    expect(headers?.['accept-encoding']).toBe('gzip, deflate, br')
  })

  test("the feed's own headers are sent", async () => {
    const server = await serve((_req, res) => openEventStream(res))
    const feed = watchConnection({
      url: server.origin,
      headers: { 'X-Feed-Token': 'abc123', Authorization: 'Bearer t0k3n' },
    })
    feed.connection.connect()
    await feed.waitForState('open')
    expect(server.requests[0]?.headers['x-feed-token']).toBe('abc123')
    expect(server.requests[0]?.headers.authorization).toBe('Bearer t0k3n')
  })

  test("the feed's Accept replaces the default one, whatever its case", async () => {
    const server = await serve((_req, res) => openEventStream(res))
    const feed = watchConnection({
      url: server.origin,
      headers: { accept: 'text/event-stream;q=1, */*;q=0.1', 'CACHE-CONTROL': 'max-age=0' },
    })
    feed.connection.connect()
    await feed.waitForState('open')
    const raw = server.requests[0]?.rawHeaders ?? []
    const values = (name: string): string[] =>
      raw.filter((_, i) => i % 2 === 1 && raw[i - 1]?.toLowerCase() === name)
    expect(values('accept')).toEqual(['text/event-stream;q=1, */*;q=0.1'])
    expect(values('cache-control')).toEqual(['max-age=0'])
  })
})

describe('method and body', () => {
  test('a POST with a body arrives with its body', async () => {
    const { server, received } = await recordingServer()
    const feed = watchConnection({
      url: `${server.origin}/llm`,
      method: 'POST',
      body: '{"prompt":"hi"}',
      headers: { 'Content-Type': 'application/json' },
    })
    feed.connection.connect()
    await feed.waitForState('open')
    expect(received).toEqual([expect.objectContaining({ method: 'POST', body: '{"prompt":"hi"}' })])
    expect(received[0]?.headers['content-type']).toBe('application/json')
  })

  test('a reconnect sends the method and the body again', async () => {
    const bodies: string[] = []
    const server = await serve((req, res) => {
      void readBody(req).then((body) => {
        bodies.push(`${req.method} ${body}`)
        openEventStream(res)
        res.end('data: answer\n\n')
      })
    })
    const feed = watchConnection({
      url: server.origin,
      method: 'POST',
      body: 'prompt',
      reconnectDelay: 20,
    })
    feed.connection.connect()
    await feed.waitForState('open', { count: 2 })
    expect(bodies.slice(0, 2)).toEqual(['POST prompt', 'POST prompt'])
  })

  test('a GET with a body is refused by the constructor', () => {
    expect(constructing({ url: 'http://127.0.0.1:1/', body: 'x' })).toThrow(
      InvalidConnectionOptionsError,
    )
    expect(constructing({ url: 'http://127.0.0.1:1/', method: 'GET', body: '' })).toThrow(
      InvalidConnectionOptionsError,
    )
  })

  test('a HEAD with a body is refused by the constructor', () => {
    expect(constructing({ url: 'http://127.0.0.1:1/', method: 'HEAD', body: 'x' })).toThrow(
      InvalidConnectionOptionsError,
    )
  })

  test('a URL that is not absolute is refused by the constructor', () => {
    expect(constructing({ url: 'not a url' })).toThrow(InvalidConnectionOptionsError)
    expect(constructing({ url: '/events' })).toThrow(InvalidConnectionOptionsError)
  })

  test('a URL that is not http or https is refused by the constructor', () => {
    expect(constructing({ url: 'ftp://127.0.0.1/events' })).toThrow(InvalidConnectionOptionsError)
    expect(constructing({ url: 'file:///etc/passwd' })).toThrow(InvalidConnectionOptionsError)
  })
})

describe('redirects', () => {
  test.each([301, 302, 303, 307, 308])('a GET follows %i to the stream', async (status) => {
    const { server, received } = await recordingServer({ status })
    const feed = watchConnection({ url: `${server.origin}/start` })
    feed.connection.connect()
    const open = await feed.waitForState('open')
    expect(open.status).toBe(200)
    expect(server.requests.map((request) => request.url)).toEqual(['/start', '/events'])
    expect(received[0]?.method).toBe('GET')
  })

  test.each([301, 302, 303])(
    'a POST redirected with %i continues as a GET without the body',
    async (status) => {
      const { server, received } = await recordingServer({ status })
      const feed = watchConnection({
        url: `${server.origin}/start`,
        method: 'POST',
        body: 'prompt',
      })
      feed.connection.connect()
      await feed.waitForState('open')
      expect(received).toEqual([expect.objectContaining({ method: 'GET', body: '' })])
      expect(received[0]?.headers['content-length'] ?? '0').toBe('0')
      expect(received[0]?.headers['content-type']).toBeUndefined()
    },
  )

  test.each([307, 308])('a POST redirected with %i stays a POST with its body', async (status) => {
    const { server, received } = await recordingServer({ status })
    const feed = watchConnection({ url: `${server.origin}/start`, method: 'POST', body: 'prompt' })
    feed.connection.connect()
    await feed.waitForState('open')
    expect(received).toEqual([expect.objectContaining({ method: 'POST', body: 'prompt' })])
  })

  test('Last-Event-ID is sent again after a redirect', async () => {
    const { server, received } = await recordingServer({ status: 307 })
    const feed = watchConnection({ url: `${server.origin}/start`, lastEventId: '42' })
    feed.connection.connect()
    await feed.waitForState('open')
    expect(server.requests[0]?.headers['last-event-id']).toBe('42')
    expect(received[0]?.headers['last-event-id']).toBe('42')
  })

  test('Authorization and Cookie stay on a same-origin redirect', async () => {
    const { server, received } = await recordingServer({ status: 302 })
    const feed = watchConnection({
      url: `${server.origin}/start`,
      headers: { Authorization: 'Bearer secret', Cookie: 'session=1' },
    })
    feed.connection.connect()
    await feed.waitForState('open')
    expect(received[0]?.headers.authorization).toBe('Bearer secret')
    expect(received[0]?.headers.cookie).toBe('session=1')
  })

  test('Authorization and Cookie are dropped on a redirect from 127.0.0.1 to localhost', async () => {
    const { server, received } = await recordingServer({
      status: 302,
      location: (self) => `http://localhost:${self.port}/events`,
    })
    const feed = watchConnection({
      url: `${server.origin}/start`,
      headers: { Authorization: 'Bearer secret', Cookie: 'session=1' },
    })
    feed.connection.connect()
    await feed.waitForState('open')
    expect(server.requests[0]?.headers.authorization).toBe('Bearer secret')
    expect(received[0]?.headers.host).toBe(`localhost:${server.port}`)
    expect(received[0]?.headers.authorization).toBeUndefined()
    expect(received[0]?.headers.cookie).toBeUndefined()
  })

  test('Authorization is dropped on a redirect to another port', async () => {
    const target = await recordingServer()
    const { server } = await recordingServer({
      status: 307,
      location: () => `${target.server.origin}/events`,
    })
    const feed = watchConnection({
      url: `${server.origin}/start`,
      headers: { Authorization: 'Bearer secret' },
    })
    feed.connection.connect()
    await feed.waitForState('open')
    expect(target.received).toHaveLength(1)
    expect(target.received[0]?.headers.authorization).toBeUndefined()
  })

  test('reconnects start again from the feed URL, not the redirect target', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/start') {
        res.writeHead(302, { Location: '/events' })
        res.end()
      } else {
        openEventStream(res)
        res.end('data: x\n\n')
      }
    })
    const feed = watchConnection({ url: `${server.origin}/start`, reconnectDelay: 20 })
    feed.connection.connect()
    await feed.waitForState('open', { count: 2 })
    expect(server.requests.slice(0, 4).map((request) => request.url)).toEqual([
      '/start',
      '/events',
      '/start',
      '/events',
    ])
  })

  /** A server where `/hop/n` redirects to `/hop/n+1` up to `/hop/hops`, which is the stream. */
  async function chainOf(hops: number): Promise<TestServer> {
    return serve((req, res) => {
      const n = Number(req.url?.split('/')[2] ?? '0')
      if (n < hops) {
        res.writeHead(302, { Location: `/hop/${n + 1}` })
        res.end()
      } else {
        openEventStream(res)
      }
    })
  }

  test('twenty redirects in a row are followed', async () => {
    const server = await chainOf(20)
    const feed = watchConnection({ url: `${server.origin}/hop/0` })
    feed.connection.connect()
    await feed.waitForState('open')
    expect(server.requests).toHaveLength(21)
  })

  test('a twenty-first redirect fails with code redirect and no retry', async () => {
    const server = await chainOf(21)
    const feed = watchConnection({ url: `${server.origin}/hop/0`, reconnectDelay: 20 })
    feed.connection.connect()
    const failed = await feed.waitForState('failed')
    expect(failed.code).toBe('redirect')
    await sleep(150)
    expect(server.requests).toHaveLength(21)
    expect(feed.names()).toEqual(['connecting', 'failed'])
  })

  /** A server whose every answer is `status` with `location` (if any) and a short text body. */
  async function unfollowable(status: number, location?: string): Promise<TestServer> {
    return serve((_req, res) => {
      res.writeHead(status, {
        'Content-Type': 'text/plain',
        ...(location === undefined ? {} : { Location: location }),
      })
      res.end('cannot follow this')
    })
  }

  test('a redirect without a Location fails with its status and body, and no retry', async () => {
    const server = await unfollowable(302)
    const feed = watchConnection({ url: server.origin, reconnectDelay: 20 })
    feed.connection.connect()
    const failed = await feed.waitForState('failed')
    expect(failed.status).toBe(302)
    expect(failed.reason).toContain('cannot follow this')
    await sleep(150)
    expect(server.requests).toHaveLength(1)
  })

  test('a redirect without a Location reports code redirect', async () => {
    const server = await unfollowable(302)
    const feed = watchConnection({ url: server.origin, reconnectDelay: 20 })
    feed.connection.connect()
    const failed = await feed.waitForState('failed')
    expect(failed.code).toBe('redirect')
  })

  test('a redirect to a URL that is not http or https fails with code redirect and no retry', async () => {
    const server = await unfollowable(301, 'ftp://127.0.0.1/events')
    const feed = watchConnection({ url: server.origin, reconnectDelay: 20 })
    feed.connection.connect()
    const failed = await feed.waitForState('failed')
    expect(failed.code).toBe('redirect')
    await sleep(150)
    expect(server.requests).toHaveLength(1)
  })

  test('a redirect to a URL that is not http or https fails with its status and body', async () => {
    const server = await unfollowable(301, 'ftp://127.0.0.1/events')
    const feed = watchConnection({ url: server.origin, reconnectDelay: 20 })
    feed.connection.connect()
    const failed = await feed.waitForState('failed')
    expect(failed.status).toBe(301)
    expect(failed.reason).toContain('cannot follow this')
  })
})

describe('compressed bodies are decoded as they stream', () => {
  type Compressor = Gzip | Deflate | BrotliCompress
  const encodings: [string, () => Compressor, number][] = [
    ['gzip', () => createGzip(), zlib.Z_SYNC_FLUSH],
    ['deflate', () => createDeflate(), zlib.Z_SYNC_FLUSH],
    ['br', () => createBrotliCompress(), zlib.BROTLI_OPERATION_FLUSH],
  ]

  test.each(encodings)(
    '%s: each flushed event arrives while the stream stays open',
    async (encoding, compressor, flushKind) => {
      let stream: Compressor | undefined
      const server = await serve((_req, res) => {
        openEventStream(res, { 'Content-Encoding': encoding })
        stream = compressor()
        stream.pipe(res)
        stream.write('id: 1\ndata: first ü\n\n')
        stream.flush(flushKind)
      })
      const feed = watchConnection({ url: server.origin })
      feed.connection.connect()
      const [first] = await feed.waitForEvents(1)
      expect(first).toMatchObject({ id: '1', data: 'first ü' })
      stream?.write(`: padding ${'p'.repeat(50)}\n\nid: 2\ndata: second\n\n`)
      stream?.flush(flushKind)
      const events = await feed.waitForEvents(2)
      expect(events[1]).toMatchObject({ id: '2', data: 'second' })
      expect(feed.names()).toEqual(['connecting', 'open'])
    },
  )
})

describe('proxies from the environment', () => {
  test('an http: feed goes through HTTP_PROXY', async () => {
    const server = await serve((_req, res) => openEventStream(res))
    const via = await proxy()
    const feed = watchConnection(
      { url: `${server.origin}/events` },
      { env: { HTTP_PROXY: via.origin } },
    )
    feed.connection.connect()
    await feed.waitForState('open')
    expect(via.forwarded).toEqual([`${server.origin}/events`])
    expect(server.requests).toHaveLength(1)
  })

  test('http_proxy in lower case works too', async () => {
    const server = await serve((_req, res) => openEventStream(res))
    const via = await proxy()
    const feed = watchConnection(
      { url: `${server.origin}/events` },
      { env: { http_proxy: via.origin } },
    )
    feed.connection.connect()
    await feed.waitForState('open')
    expect(via.forwarded).toEqual([`${server.origin}/events`])
  })

  test('NO_PROXY naming the host bypasses the proxy', async () => {
    const server = await serve((_req, res) => openEventStream(res))
    const via = await proxy()
    const feed = watchConnection(
      { url: `${server.origin}/events` },
      { env: { HTTP_PROXY: via.origin, NO_PROXY: 'example.com,127.0.0.1' } },
    )
    feed.connection.connect()
    await feed.waitForState('open')
    expect(via.forwarded).toEqual([])
    expect(server.requests).toHaveLength(1)
  })

  test('HTTPS_PROXY is not used for an http: feed', async () => {
    const server = await serve((_req, res) => openEventStream(res))
    const via = await proxy()
    const feed = watchConnection(
      { url: `${server.origin}/events` },
      { env: { HTTPS_PROXY: via.origin } },
    )
    feed.connection.connect()
    await feed.waitForState('open')
    expect(via.forwarded).toEqual([])
    expect(via.tunnels).toEqual([])
  })

  test('an https: feed tunnels through HTTPS_PROXY with CONNECT', async () => {
    const server = await startTlsServer((_req, res) => openEventStream(res), serverTls)
    servers.push(server)
    const via = await proxy()
    const feed = watchConnection(
      { url: `${server.origin}/events`, ca: testCa },
      { env: { HTTPS_PROXY: via.origin } },
    )
    feed.connection.connect()
    await feed.waitForState('open')
    expect(via.tunnels).toEqual([`127.0.0.1:${server.port}`])
    expect(server.requests).toHaveLength(1)
  })
})
