/**
 * README "SSE behaviour", flow control: `pause()` stops reading the socket so TCP holds the server
 * back, `resume()` carries on with nothing lost, and time spent paused never counts toward
 * `staleTimeout`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { afterEach, expect, test } from 'vitest'
import { disconnectAll, sleep, waitFor, watchConnection } from '../support/connection-probe'
import { openEventStream, startServer, type TestServer } from '../support/http-server'

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

/** A server that writes `count` numbered events as fast as the client reads them, honouring drain. */
async function serveNumbered(
  count: number,
): Promise<{ server: TestServer; written: () => number }> {
  let written = 0
  const server = await serve((_req, res) => {
    openEventStream(res)
    const pad = 'x'.repeat(1000)
    const writeMore = (): void => {
      while (written < count) {
        const ok = res.write(`id: ${written}\ndata: ${written} ${pad}\n\n`)
        written++
        if (!ok) {
          res.once('drain', writeMore)
          return
        }
      }
    }
    writeMore()
  })
  return { server, written: () => written }
}

test('a paused connection stops reading, the server is held back, and resume delivers every event in order', async () => {
  // About 20 MB: several times what the kernel's socket buffers on both ends can hold.
  const count = 20_000
  const { server, written } = await serveNumbered(count)
  const feed = watchConnection({ url: server.origin, autoReconnect: false, staleTimeout: 0 })
  feed.connection.connect()
  await feed.waitForEvents(1)
  feed.connection.pause()
  await sleep(300)
  const bytes = feed.connection.stats().bytes
  const held = written()
  await sleep(200)

  expect(feed.connection.isPaused()).toBe(true)
  expect(feed.connection.stats().bytes).toBe(bytes)
  expect(written()).toBe(held)
  expect(held).toBeLessThan(count)

  feed.connection.resume()
  const events = await feed.waitForEvents(count, 20_000)
  expect(events.map((event) => event.id)).toEqual(
    Array.from({ length: count }, (_, i) => String(i)),
  )
  expect(feed.names()).toEqual(['connecting', 'open'])
})

test('time spent paused never counts toward staleTimeout', async () => {
  const staleTimeout = 500
  const server = await serve((_req, res) => {
    openEventStream(res)
    res.write('data: one\n\n')
  })
  const feed = watchConnection({ url: server.origin, staleTimeout })
  feed.connection.connect()
  await feed.waitForEvents(1)
  feed.connection.pause()
  const statesBefore = feed.states.length
  await sleep(staleTimeout * 3)

  expect(feed.states.slice(statesBefore)).toEqual([])

  // On a busy machine the first connection may already have gone stale once before its event.
  const count = feed.all('reconnecting').length + 1
  const resumedAt = Date.now()
  feed.connection.resume()
  const stale = await feed.waitForState('reconnecting', { count, timeoutMs: 10_000 })
  expect(stale.code).toBe('stale')
  // The timer starts over at resume: the time before the pause does not count either.
  expect(stale.at - resumedAt).toBeGreaterThanOrEqual(staleTimeout - 2)
})

test('a connection paused before it opens delivers nothing until resumed', async () => {
  const server = await serve((_req, res) => {
    openEventStream(res)
    res.write('data: one\n\ndata: two\n\n')
  })
  const feed = watchConnection({ url: server.origin })
  feed.connection.pause()
  feed.connection.connect()
  await feed.waitForState('open')
  await sleep(100)

  expect(feed.events).toHaveLength(0)

  feed.connection.resume()
  const events = await feed.waitForEvents(2)
  expect(events.map((event) => event.data)).toEqual(['one', 'two'])
})

test('pause and resume twice in a row are harmless, and resume without pause does nothing', async () => {
  const server = await serve((_req, res) => {
    openEventStream(res)
    res.write('data: one\n\n')
  })
  const feed = watchConnection({ url: server.origin })
  feed.connection.resume()
  feed.connection.connect()
  await feed.waitForEvents(1)
  feed.connection.pause()
  feed.connection.pause()
  feed.connection.resume()
  feed.connection.resume()

  expect(feed.connection.isPaused()).toBe(false)
  await waitFor(() => feed.connection.state.state === 'open')
})

test('a connection dropped while paused reconnects and stays paused until resumed', async () => {
  let requests = 0
  const server = await serve((req, res) => {
    requests++
    openEventStream(res)
    if (requests === 1) {
      res.write('id: 1\ndata: one\n\n', () => setTimeout(() => req.socket.destroy(), 20))
    } else {
      res.write('id: 2\ndata: two\n\n')
    }
  })
  const feed = watchConnection({ url: server.origin, reconnectDelay: 0 })
  feed.connection.connect()
  await feed.waitForEvents(1)
  feed.connection.pause()
  await feed.waitForState('open', { count: 2 })
  await sleep(100)

  expect(feed.events.map((event) => event.data)).toEqual(['one'])

  feed.connection.resume()
  const events = await feed.waitForEvents(2)
  expect(events.map((event) => event.data)).toEqual(['one', 'two'])
})
