/**
 * README "SSE behaviour": `disconnect()` stops at once in any state, leaving no timer, socket or
 * reconnect behind, and reports `closed` with reason "disconnected"; `connect()` afterwards resumes
 * from the last event ID with a fresh attempt counter.
 */
import { afterEach, describe, expect, test } from 'vitest'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { openEventStream, startServer, type TestServer } from '../support/http-server'
import { disconnectAll, sleep, waitFor, watchConnection } from '../support/connection-probe'
import { SseConnection } from '../../src/main/engine/sse-connection'
import type { ConnectionState } from '../../src/shared/connection'
import type { FeedEvent } from '../../src/shared/feed-event'

/** How long "nothing more happens" is watched for after a disconnect. */
const QUIET_WINDOW_MS = 200

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

/** Counts requests whose socket the client has let go of. */
function closedSockets(): {
  count: () => number
  track: (req: IncomingMessage) => void
} {
  let closed = 0
  return {
    count: () => closed,
    track: (req) => req.socket.on('close', () => closed++),
  }
}

describe('disconnect()', () => {
  test('while connecting: closed with reason disconnected, and the request is abandoned', async () => {
    const sockets = closedSockets()
    const server = await serve((req) => sockets.track(req))
    const feed = watchConnection({ url: server.origin, reconnectDelay: 20 })
    feed.connection.connect()
    await waitFor(() => server.requests.length === 1)
    expect(feed.connection.state.state).toBe('connecting')
    feed.connection.disconnect()
    expect(feed.connection.state).toMatchObject({
      state: 'closed',
      code: 'disconnected',
      reason: 'disconnected',
    })
    await waitFor(() => sockets.count() === 1)
    await sleep(QUIET_WINDOW_MS)
    expect(feed.names()).toEqual(['connecting', 'closed'])
    expect(server.requests).toHaveLength(1)
  })

  test('while open: closed, the socket is released and no event follows', async () => {
    const sockets = closedSockets()
    const server = await serve((req, res) => {
      sockets.track(req)
      openEventStream(res)
      let n = 0
      const timer = setInterval(() => res.write(`id: ${++n}\ndata: tick\n\n`), 10)
      res.on('close', () => clearInterval(timer))
    })
    const feed = watchConnection({ url: server.origin, reconnectDelay: 20 })
    feed.connection.connect()
    await feed.waitForEvents(1)
    feed.connection.disconnect()
    const eventsAtDisconnect = feed.events.length
    expect(feed.connection.state).toMatchObject({ state: 'closed', code: 'disconnected' })
    await waitFor(() => sockets.count() === 1)
    await sleep(QUIET_WINDOW_MS)
    expect(feed.events).toHaveLength(eventsAtDisconnect)
    expect(feed.names()).toEqual(['connecting', 'open', 'closed'])
    expect(server.requests).toHaveLength(1)
  })

  test('while reconnecting: closed, and the reconnect never happens', async () => {
    const server = await serve((_req, res) => {
      openEventStream(res)
      res.end()
    })
    const feed = watchConnection({ url: server.origin, reconnectDelay: 300 })
    feed.connection.connect()
    await feed.waitForState('reconnecting')
    feed.connection.disconnect()
    expect(feed.connection.state).toMatchObject({ state: 'closed', code: 'disconnected' })
    // Longer than the reconnect delay with the most jitter (360 ms).
    await sleep(500)
    expect(feed.names()).toEqual(['connecting', 'open', 'reconnecting', 'closed'])
    expect(server.requests).toHaveLength(1)
  })

  test('from an event handler, the rest of the same chunk is not delivered', async () => {
    const server = await serve((_req, res) => {
      openEventStream(res)
      res.write('data: one\n\ndata: two\n\ndata: three\n\n')
    })
    const events: FeedEvent[] = []
    const connection: SseConnection = new SseConnection(
      { url: server.origin },
      {
        onEvent: (event) => {
          events.push(event)
          connection.disconnect()
        },
      },
      { env: {} },
    )
    connection.connect()
    await waitFor(() => connection.state.state === 'closed')
    await sleep(QUIET_WINDOW_MS)
    expect(events.map((event) => event.data)).toEqual(['one'])
  })

  test('from the handler of the connecting state, no request is made', async () => {
    const server = await serve((_req, res) => openEventStream(res))
    const states: ConnectionState[] = []
    const connection: SseConnection = new SseConnection(
      { url: server.origin },
      {
        onState: (state) => {
          states.push(state)
          if (state.state === 'connecting') connection.disconnect()
        },
      },
      { env: {} },
    )
    connection.connect()
    await sleep(QUIET_WINDOW_MS)
    expect(states.map((state) => state.state)).toEqual(['connecting', 'closed'])
    expect(server.requests).toHaveLength(0)
    connection.disconnect()
  })

  test.each(['connecting', 'open', 'reconnecting'])(
    'while %s leaves nothing that keeps the process alive',
    async (when) => {
      const server = await serve((_req, res) => {
        if (when === 'connecting') return
        openEventStream(res)
        if (when === 'reconnecting') res.end()
      })
      const script = fileURLToPath(new URL('../fixtures/disconnect-and-exit.ts', import.meta.url))
      const child = spawn(process.execPath, ['--import', 'tsx', script, server.origin, when], {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let stdout = ''
      let stderr = ''
      let disconnectedAt = 0
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString()
        if (disconnectedAt === 0 && stdout.includes('disconnected\n')) disconnectedAt = Date.now()
      })
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
      try {
        const code = await Promise.race([exited, sleep(10_000).then(() => 'still running')])
        expect(code, `child output:\n${stdout}\n${stderr}`).toBe(0)
        expect(stdout.trim().split('\n')).toContain('closed')
        expect(Date.now() - disconnectedAt).toBeLessThan(2000)
      } finally {
        child.kill()
      }
    },
  )
})

describe('connect() after disconnect()', () => {
  test('resumes from the last event ID', async () => {
    const server = await serve((req, res) => {
      openEventStream(res)
      if (req.headers['last-event-id'] === undefined) res.write('id: 3\ndata: x\n\n')
    })
    const feed = watchConnection({ url: server.origin })
    feed.connection.connect()
    await feed.waitForEvents(1)
    feed.connection.disconnect()
    feed.connection.connect()
    await feed.waitForState('open', { count: 2 })
    expect(server.requests[1]?.headers['last-event-id']).toBe('3')
    expect(feed.connection.lastEventId).toBe('3')
  })

  test('starts with a fresh attempt counter', async () => {
    // The first connection ends at once; later ones are held unanswered, so reconnect attempt 1
    // is still in flight when disconnect() comes.
    const server = await serve((_req, res) => {
      if (server.requests.length > 1) return
      openEventStream(res)
      res.end()
    })
    const feed = watchConnection({ url: server.origin, reconnectDelay: 20 })
    feed.connection.connect()
    await waitFor(() => server.requests.length === 2)
    expect(feed.connection.state).toMatchObject({ state: 'connecting', attempt: 1 })
    feed.connection.disconnect()
    feed.connection.connect()
    expect(feed.connection.state).toMatchObject({ state: 'connecting', attempt: 0 })
  })

  test('after failed, starts over with a fresh attempt counter', async () => {
    const server = await serve((_req, res) => {
      openEventStream(res)
      res.end()
    })
    const feed = watchConnection({
      url: server.origin,
      reconnectDelay: 20,
      maxReconnectAttempts: 1,
    })
    feed.connection.connect()
    await feed.waitForState('failed')
    feed.connection.connect()
    await feed.waitForState('failed', { count: 2 })
    expect(feed.all('connecting').map((state) => state.attempt)).toEqual([0, 1, 0, 1])
    expect(server.requests).toHaveLength(4)
  })

  test('continues the seq numbering of the events', async () => {
    let n = 0
    const server = await serve((_req, res) => {
      openEventStream(res)
      res.write(`id: ${++n}\ndata: x\n\n`)
    })
    const feed = watchConnection({ url: server.origin })
    feed.connection.connect()
    await feed.waitForEvents(1)
    feed.connection.disconnect()
    feed.connection.connect()
    const events = await feed.waitForEvents(2)
    expect(events.map((event) => event.seq)).toEqual([1, 2])
  })
})

describe('connect()', () => {
  test('starts from idle', async () => {
    const server = await serve((_req, res) => openEventStream(res))
    const feed = watchConnection({ url: server.origin })
    expect(feed.connection.state.state).toBe('idle')
    await sleep(50)
    expect(server.requests).toHaveLength(0)
    feed.connection.connect()
    await feed.waitForState('open')
  })

  test('while open makes no second request', async () => {
    const server = await serve((_req, res) => openEventStream(res))
    const feed = watchConnection({ url: server.origin })
    feed.connection.connect()
    await feed.waitForState('open')
    feed.connection.connect()
    await sleep(100)
    expect(server.requests).toHaveLength(1)
    expect(feed.names()).toEqual(['connecting', 'open'])
  })

  test('every state carries the time it was entered', async () => {
    const before = Date.now()
    const server = await serve((_req, res) => openEventStream(res))
    const feed = watchConnection({ url: server.origin })
    feed.connection.connect()
    await feed.waitForState('open')
    feed.connection.disconnect()
    const times = feed.states.map((state) => state.at)
    expect(times).toEqual([...times].sort((a, b) => a - b))
    expect(times[0]).toBeGreaterThanOrEqual(before)
    expect(times.at(-1)).toBeLessThanOrEqual(Date.now())
  })
})
