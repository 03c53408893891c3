/**
 * README "SSE behaviour": an `id:` that cannot be a header is kept but not sent; unusable options are
 * refused up front; nothing thrown inside a timer or socket callback ends the process; the 100 ms
 * minimum a `retry:` leads to wins over `maxReconnectDelay`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { afterEach, describe, expect, test } from 'vitest'
import { InvalidConnectionOptionsError, SseConnection } from '../../src/main/engine/sse-connection'
import type { ConnectionState } from '../../src/shared/connection'
import { disconnectAll, sleep, watchConnection, waitFor } from '../support/connection-probe'
import { openEventStream, startServer, type TestServer } from '../support/http-server'

const servers: TestServer[] = []
const connections: SseConnection[] = []
afterEach(async () => {
  disconnectAll()
  for (const connection of connections.splice(0)) connection.disconnect()
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TestServer> {
  const server = await startServer(handler)
  servers.push(server)
  return server
}

/** A server that answers each connection with `bodies[i]` (the last one repeats) and ends it. */
function answersInTurn(...bodies: string[]) {
  let i = 0
  return (_req: IncomingMessage, res: ServerResponse): void => {
    openEventStream(res)
    res.end(bodies[Math.min(i++, bodies.length - 1)])
  }
}

describe('an id that cannot be sent as Last-Event-ID', () => {
  test('an id-only block with a control character, then a close: the reconnect goes without the header and says why', async () => {
    const server = await serve(answersInTurn('id: a\u0001b\n\n', ': quiet\n'))
    const feed = watchConnection({ url: server.origin, reconnectDelay: 0 })
    feed.connection.connect()
    const connecting = await feed.waitForState('connecting', { count: 2 })

    expect(connecting.notice).toBe(
      'Last-Event-ID not sent: the last event ID contains the control character U+0001 at position 2',
    )
    await waitFor(() => server.requests.length >= 2)
    expect(server.requests[1]?.headers['last-event-id']).toBeUndefined()
    expect(feed.connection.lastEventId).toBe('a\u0001b')
    expect(feed.names()).not.toContain('failed')
  })

  test('the id stays on the events it belongs to', async () => {
    const server = await serve(answersInTurn('id: x\u007f1\ndata: one\n\n', ''))
    const feed = watchConnection({ url: server.origin, reconnectDelay: 0 })
    feed.connection.connect()
    const [event] = await feed.waitForEvents(1)

    expect(event).toMatchObject({ id: 'x\u007f1', data: 'one' })
  })

  test('once a usable id arrives the header is sent again, without a notice', async () => {
    const server = await serve(answersInTurn('id: a\u0001b\n\n', 'id: 7\n\n', ''))
    const feed = watchConnection({ url: server.origin, reconnectDelay: 0 })
    feed.connection.connect()
    const third = await feed.waitForState('connecting', { count: 3 })

    expect(third.notice).toBeUndefined()
    await waitFor(() => server.requests.length >= 3)
    expect(server.requests[2]?.headers['last-event-id']).toBe('7')
  })

  test('an id with a tab or non-latin-1 characters is sent as its UTF-8 bytes, without a notice', async () => {
    const server = await serve(answersInTurn('id: a\tb-€\n\n', ''))
    const feed = watchConnection({ url: server.origin, reconnectDelay: 0 })
    feed.connection.connect()
    const second = await feed.waitForState('connecting', { count: 2 })
    await waitFor(() => server.requests.length >= 2)

    expect(second.notice).toBeUndefined()
    const sent = server.requests[1]?.headers['last-event-id']
    expect(Buffer.from(String(sent), 'latin1').toString('utf8')).toBe('a\tb-€')
  })
})

describe('unusable options', () => {
  test('a control character in a header value or the initial last event ID is refused naming it', () => {
    const url = 'http://127.0.0.1:1/'
    expect(() => new SseConnection({ url, headers: { 'X-A': 'a\u0001b' } }, {})).toThrow(
      new InvalidConnectionOptionsError(
        'headers.X-A: the value contains the control character U+0001 at position 2',
      ),
    )
    expect(() => new SseConnection({ url, lastEventId: 'a\u0001b' }, {})).toThrow(
      /^lastEventId: contains the control character U\+0001 at position 2/,
    )
  })

  test('with invalidOptions "fail" the connection starts failed with the reason and never connects', async () => {
    const server = await serve(answersInTurn('data: x\n\n'))
    const states: ConnectionState[] = []
    const connection = new SseConnection(
      { url: server.origin, headers: { 'X-A': 'a\u0001b' } },
      { onState: (state) => states.push(state) },
      { env: {}, invalidOptions: 'fail' },
    )
    connections.push(connection)
    connection.connect()
    await sleep(50)

    expect(connection.state).toMatchObject({
      state: 'failed',
      code: 'invalid-request',
      reason: 'headers.X-A: the value contains the control character U+0001 at position 2',
    })
    expect(states).toEqual([])
    expect(server.requests).toHaveLength(0)
  })
})

describe('a throw inside a callback', () => {
  test('an event handler that throws fails the connection with the error as the reason', async () => {
    const server = await serve(answersInTurn('data: one\n\ndata: two\n\n'))
    const states: ConnectionState[] = []
    let events = 0
    const connection = new SseConnection(
      { url: server.origin, reconnectDelay: 0 },
      {
        onEvent: () => {
          events++
          throw new Error('handler broke')
        },
        onState: (state) => states.push(state),
      },
      { env: {} },
    )
    connections.push(connection)
    connection.connect()
    await waitFor(() => connection.state.state === 'failed')
    await sleep(30)

    expect(connection.state).toMatchObject({
      state: 'failed',
      code: 'internal',
      reason: 'internal error: handler broke',
    })
    expect(events).toBe(1)
    expect(server.requests).toHaveLength(1)
  })

  test('a state handler that throws inside the reconnect timer fails the connection', async () => {
    const server = await serve(answersInTurn(''))
    const connection = new SseConnection(
      { url: server.origin, reconnectDelay: 0 },
      {
        onState: (state) => {
          if (state.state === 'connecting' && state.attempt === 1) throw new Error('state broke')
        },
      },
      { env: {} },
    )
    connections.push(connection)
    connection.connect()
    await waitFor(() => connection.state.state === 'failed')

    expect(connection.state).toMatchObject({
      state: 'failed',
      code: 'internal',
      reason: 'internal error: state broke',
    })
  })

  test('a state handler that throws again on failed leaves the connection failed and quiet', async () => {
    const server = await serve(answersInTurn('data: one\n\n'))
    const connection = new SseConnection(
      { url: server.origin, reconnectDelay: 0 },
      {
        onEvent: () => {
          throw new Error('first')
        },
        onState: (state) => {
          if (state.state === 'failed') throw new Error('second')
        },
      },
      { env: {} },
    )
    connections.push(connection)
    connection.connect()
    await waitFor(() => connection.state.state === 'failed')
    await sleep(30)

    expect(connection.state).toMatchObject({ code: 'internal', reason: 'internal error: first' })
    expect(server.requests).toHaveLength(1)
  })
})

describe('the retry: minimum', () => {
  test('wins over a maxReconnectDelay below it, so retry: 0 cannot give a 0 ms delay', async () => {
    const server = await serve(answersInTurn('retry: 0\n\n'))
    const low = watchConnection({ url: server.origin, maxReconnectDelay: 0 }, { random: () => 0 })
    low.connection.connect()
    const first = await low.waitForState('reconnecting')

    expect(first.delayMs).toBe(100)
  })

  test('holds after jitter, and jitter upwards still applies', async () => {
    const server = await serve(answersInTurn('retry: 0\n\n'))
    const feed = watchConnection(
      { url: server.origin, maxReconnectDelay: 50 },
      { random: () => 0.999_999 },
    )
    feed.connection.connect()
    const first = await feed.waitForState('reconnecting')

    expect(first.delayMs).toBe(120)
  })

  test('without a retry: field a reconnectDelay of 0 still means at once', async () => {
    const server = await serve(answersInTurn(''))
    const feed = watchConnection({ url: server.origin, reconnectDelay: 0 })
    feed.connection.connect()
    const first = await feed.waitForState('reconnecting')

    expect(first.delayMs).toBe(0)
  })
})
