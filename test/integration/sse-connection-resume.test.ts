/**
 * README "SSE behaviour": `Last-Event-ID` on every request while the last event ID is non-empty, as
 * UTF-8 bytes; `id:` in a block without data still counts; an empty `id:` resets it.
 */
import { afterEach, describe, expect, test } from 'vitest'
import type { IncomingMessage, ServerResponse } from 'node:http'
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

/** The Last-Event-ID a request carried, read back from the UTF-8 bytes on the wire. */
function lastEventIdOf(request: { headers: IncomingMessage['headers'] } | undefined) {
  const value = request?.headers['last-event-id']
  return typeof value === 'string' ? Buffer.from(value, 'latin1').toString('utf8') : undefined
}

/** A server that answers each connection with `bodies[i]` (the last one repeats) and ends it. */
function answersInTurn(...bodies: string[]) {
  let i = 0
  return (_req: IncomingMessage, res: ServerResponse): void => {
    openEventStream(res)
    res.end(bodies[Math.min(i++, bodies.length - 1)])
  }
}

describe('resuming after a dropped connection', () => {
  test('every event of the log arrives exactly once and in order, with seq 1..N', async () => {
    const total = 20
    const server = await serve((req, res) => {
      const after = Number(lastEventIdOf(req) ?? '0')
      openEventStream(res)
      let next = after + 1
      let sent = 0
      const timer = setInterval(() => {
        if (next > total) return
        res.write(`id: ${next}\ndata: event ${next}\n\n`)
        next++
        // Drop the socket outright every three events, as a crashing proxy would.
        if (++sent === 3) {
          clearInterval(timer)
          setTimeout(() => req.socket.destroy(), 5)
        }
      }, 2)
      res.on('close', () => clearInterval(timer))
    })
    const feed = watchConnection({
      url: server.origin,
      reconnectDelay: 20,
      maxReconnectAttempts: 'unlimited',
    })
    feed.connection.connect()
    const events = await feed.waitForEvents(total, 5000)
    expect(events.map((event) => event.id)).toEqual(
      Array.from({ length: total }, (_, i) => String(i + 1)),
    )
    expect(events.map((event) => event.data)).toEqual(
      Array.from({ length: total }, (_, i) => `event ${i + 1}`),
    )
    expect(events.map((event) => event.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1))
    expect(server.requests.length).toBeGreaterThanOrEqual(Math.ceil(total / 3))
    expect(lastEventIdOf(server.requests[0])).toBeUndefined()
    expect(lastEventIdOf(server.requests[1])).toBe('3')
  })

  test('an event cut off by the drop is discarded and arrives whole on the next connection', async () => {
    let connection = 0
    const server = await serve((req, res) => {
      openEventStream(res)
      if (connection++ === 0) {
        res.write('id: 1\ndata: first\n\nid: 2\ndata: sec')
        setTimeout(() => req.socket.destroy(), 20)
      } else {
        res.write('id: 2\ndata: second\n\n')
      }
    })
    const feed = watchConnection({ url: server.origin, reconnectDelay: 20 })
    feed.connection.connect()
    const events = await feed.waitForEvents(2)
    expect(events.map((event) => [event.id, event.data])).toEqual([
      ['1', 'first'],
      ['2', 'second'],
    ])
    expect(lastEventIdOf(server.requests[1])).toBe('1')
  })
})

describe('the Last-Event-ID header', () => {
  test('options.lastEventId is sent on the first request', async () => {
    const server = await serve((_req, res) => openEventStream(res))
    const feed = watchConnection({ url: server.origin, lastEventId: '41' })
    feed.connection.connect()
    await feed.waitForState('open')
    expect(lastEventIdOf(server.requests[0])).toBe('41')
    expect(feed.connection.lastEventId).toBe('41')
  })

  test('is not sent while the last event ID is empty', async () => {
    const server = await serve(answersInTurn('data: no id here\n\n'))
    const feed = watchConnection({ url: server.origin, reconnectDelay: 20 })
    feed.connection.connect()
    await feed.waitForState('open', { count: 2 })
    expect(server.requests.map((request) => 'last-event-id' in request.headers)).toEqual([
      false,
      false,
    ])
  })

  test('carries the id of the last event on the next request', async () => {
    const server = await serve(answersInTurn('id: a\ndata: 1\n\nid: b\ndata: 2\n\n', ''))
    const feed = watchConnection({ url: server.origin, reconnectDelay: 20 })
    feed.connection.connect()
    await feed.waitForState('open', { count: 2 })
    expect(lastEventIdOf(server.requests[1])).toBe('b')
  })

  test('is sent on every request, not only the first reconnect', async () => {
    const server = await serve(answersInTurn('id: 9\ndata: x\n\n', ''))
    const feed = watchConnection({ url: server.origin, reconnectDelay: 20 })
    feed.connection.connect()
    await feed.waitForState('open', { count: 4 })
    expect(server.requests.slice(1, 4).map(lastEventIdOf)).toEqual(['9', '9', '9'])
  })

  test('a non-ASCII id reaches the server as the same UTF-8 bytes', async () => {
    const server = await serve(answersInTurn('id: ü-✓-1\ndata: x\n\n', ''))
    const feed = watchConnection({ url: server.origin, reconnectDelay: 20 })
    feed.connection.connect()
    await feed.waitForState('open', { count: 2 })
    expect(feed.events[0]?.id).toBe('ü-✓-1')
    expect(lastEventIdOf(server.requests[1])).toBe('ü-✓-1')
  })

  test('a non-ASCII options.lastEventId is sent as UTF-8 bytes', async () => {
    const server = await serve((_req, res) => openEventStream(res))
    const feed = watchConnection({ url: server.origin, lastEventId: 'ü-✓-1' })
    feed.connection.connect()
    await feed.waitForState('open')
    expect(lastEventIdOf(server.requests[0])).toBe('ü-✓-1')
  })

  test('an id in a block without data updates it', async () => {
    let connection = 0
    const server = await serve((req, res) => {
      openEventStream(res)
      if (connection++ === 0) {
        res.write('id: 7\n\n')
        setTimeout(() => req.socket.destroy(), 20)
      }
    })
    const feed = watchConnection({ url: server.origin, reconnectDelay: 20 })
    feed.connection.connect()
    await feed.waitForState('open', { count: 2 })
    expect(feed.events).toEqual([])
    expect(lastEventIdOf(server.requests[1])).toBe('7')
  })

  test('an empty id resets it, so the next request has none', async () => {
    const server = await serve(answersInTurn('id: 5\ndata: a\n\nid:\ndata: b\n\n', ''))
    const feed = watchConnection({ url: server.origin, reconnectDelay: 20 })
    feed.connection.connect()
    await feed.waitForState('open', { count: 2 })
    expect(feed.events.map((event) => event.id)).toEqual(['5', ''])
    expect(server.requests[1]?.headers['last-event-id']).toBeUndefined()
  })

  test('the connection reports the last event ID it will resume from', async () => {
    const server = await serve((_req, res) => {
      openEventStream(res)
      res.write('id: 12\ndata: x\n\n')
    })
    const feed = watchConnection({ url: server.origin, lastEventId: '11' })
    expect(feed.connection.lastEventId).toBe('11')
    feed.connection.connect()
    await waitFor(() => feed.connection.lastEventId === '12')
  })
})
