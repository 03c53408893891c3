/**
 * README "SSE behaviour": stats per feed — events, bytes (decoded body), reconnects, last event time,
 * connected since, and events per second over the last 10 s.
 */
import { afterEach, expect, test } from 'vitest'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { constants as zlib, createGzip } from 'node:zlib'
import { openEventStream, startServer, type TestServer } from '../support/http-server'
import { disconnectAll, waitFor, watchConnection } from '../support/connection-probe'

const servers: TestServer[] = []
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

/** Three events, a comment and multi-byte text, so bytes and characters differ. */
const BODY = ': hello\n\nid: 1\ndata: grüße\n\ndata: ✓\n\nevent: tick\ndata: 3\n\n'

test('before connect() every total is zero and nothing is connected', () => {
  const feed = watchConnection({ url: 'http://127.0.0.1:1/' })
  expect(feed.connection.stats()).toEqual({
    events: 0,
    bytes: 0,
    reconnects: 0,
    lastEventAt: null,
    connectedSince: null,
    eventsPerSecond: 0,
  })
})

test('events and bytes count every event and every body byte', async () => {
  const server = await serve((_req, res) => {
    openEventStream(res)
    res.write(BODY)
  })
  const feed = watchConnection({ url: server.origin })
  feed.connection.connect()
  await feed.waitForEvents(3)
  await waitFor(() => feed.connection.stats().bytes === Buffer.byteLength(BODY))
  expect(feed.connection.stats().events).toBe(3)
})

test('bytes counts the body after decompression', async () => {
  const server = await serve((_req, res) => {
    openEventStream(res, { 'Content-Encoding': 'gzip' })
    const gzip = createGzip()
    gzip.pipe(res)
    gzip.write(BODY)
    gzip.flush(zlib.Z_SYNC_FLUSH)
  })
  const feed = watchConnection({ url: server.origin })
  feed.connection.connect()
  await feed.waitForEvents(3)
  await waitFor(() => feed.connection.stats().bytes === Buffer.byteLength(BODY))
})

test('lastEventAt is the time the last event arrived', async () => {
  const server = await serve((_req, res) => {
    openEventStream(res)
    res.write('data: a\n\n')
    setTimeout(() => res.write('data: b\n\n'), 50)
  })
  const before = Date.now()
  const feed = watchConnection({ url: server.origin })
  feed.connection.connect()
  const events = await feed.waitForEvents(2)
  const { lastEventAt } = feed.connection.stats()
  expect(lastEventAt).toBe(events[1]?.receivedAt)
  expect(lastEventAt).toBeGreaterThanOrEqual(before + 50)
  expect(lastEventAt).toBeLessThanOrEqual(Date.now())
})

test('connectedSince is the time the connection opened, and null when it is not open', async () => {
  let connection = 0
  const server = await serve((_req, res) => {
    openEventStream(res)
    if (connection++ === 0) setTimeout(() => res.end(), 50)
  })
  const feed = watchConnection({ url: server.origin, reconnectDelay: 500 })
  expect(feed.connection.stats().connectedSince).toBeNull()
  feed.connection.connect()
  const open = await feed.waitForState('open')
  expect(feed.connection.stats().connectedSince).toBe(open.at)
  await feed.waitForState('reconnecting')
  expect(feed.connection.stats().connectedSince).toBeNull()
  const reopened = await feed.waitForState('open', { count: 2 })
  expect(feed.connection.stats().connectedSince).toBe(reopened.at)
  feed.connection.disconnect()
  expect(feed.connection.stats().connectedSince).toBeNull()
})

test('reconnects counts the reconnect attempts started', async () => {
  const server = await serve((_req, res) => {
    openEventStream(res)
    res.end()
  })
  const feed = watchConnection({ url: server.origin, reconnectDelay: 20, maxReconnectAttempts: 3 })
  feed.connection.connect()
  await feed.waitForState('failed')
  expect(feed.connection.stats().reconnects).toBe(3)
})

test('the totals run on across reconnects', async () => {
  let n = 0
  const server = await serve((_req, res) => {
    openEventStream(res)
    res.end(`id: ${++n}\ndata: x\n\n`)
  })
  const feed = watchConnection({ url: server.origin, reconnectDelay: 20 })
  feed.connection.connect()
  await feed.waitForEvents(3)
  feed.connection.disconnect()
  const stats = feed.connection.stats()
  expect(stats.events).toBe(feed.events.length)
  expect(stats.reconnects).toBe(feed.all('connecting').length - 1)
  expect(stats.bytes).toBe(feed.events.length * Buffer.byteLength('id: 1\ndata: x\n\n'))
})

test('eventsPerSecond averages the events of the last 10 s', async () => {
  const server = await serve((_req, res) => {
    openEventStream(res)
    res.write('data: x\n\n'.repeat(20))
  })
  const feed = watchConnection({ url: server.origin })
  feed.connection.connect()
  await feed.waitForEvents(20)
  expect(feed.connection.stats().eventsPerSecond).toBeCloseTo(20 / 10)
})
