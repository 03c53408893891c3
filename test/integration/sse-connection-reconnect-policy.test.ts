/**
 * README "SSE behaviour" → "Reconnect policy": backoff with jitter, the cap, the server's `retry:`,
 * the attempt limit and when the attempt counter resets.
 */
import { afterEach, describe, expect, test } from 'vitest'
import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  openEventStream,
  refusingOrigin,
  startServer,
  type TestServer,
} from '../support/http-server'
import { disconnectAll, sleep, watchConnection } from '../support/connection-probe'

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

/** A server that accepts with 200 and an event stream, sends `body`, and ends at once. */
function acceptAndEnd(body = ''): (req: IncomingMessage, res: ServerResponse) => void {
  return (_req, res) => {
    openEventStream(res)
    res.end(body)
  }
}

/** The `delayMs` of every reconnect a feed on a refusing port announced before it failed. */
async function delaysAgainstRefusingPort(
  policy: { reconnectDelay: number; maxReconnectDelay: number; maxReconnectAttempts: number },
  random?: () => number,
): Promise<number[]> {
  const feed = watchConnection(
    { url: await refusingOrigin(), ...policy },
    random === undefined ? {} : { random },
  )
  feed.connection.connect()
  await feed.waitForState('failed')
  return feed.all('reconnecting').map((state) => state.delayMs)
}

/** Delays are whole milliseconds; allow the rounding either way. */
function expectDelays(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length)
  actual.forEach((delay, i) => expect(Math.abs(delay - expected[i]!)).toBeLessThanOrEqual(1))
}

describe('backoff', () => {
  const policy = { reconnectDelay: 20, maxReconnectDelay: 10_000, maxReconnectAttempts: 4 }

  test('doubles from the base delay, without jitter when random is 0.5', async () => {
    expectDelays(await delaysAgainstRefusingPort(policy, () => 0.5), [20, 40, 80, 160])
  })

  test('jitter of random 0 takes 20% off', async () => {
    expectDelays(await delaysAgainstRefusingPort(policy, () => 0), [16, 32, 64, 128])
  })

  test('jitter of random near 1 adds 20%', async () => {
    expectDelays(await delaysAgainstRefusingPort(policy, () => 0.999999), [24, 48, 96, 192])
  })

  test('with real randomness every delay stays within 20% of base × 2^(n−1)', async () => {
    const delays = await delaysAgainstRefusingPort(policy)
    expect(delays).toHaveLength(4)
    delays.forEach((delay, i) => {
      const nominal = 20 * 2 ** i
      expect(delay).toBeGreaterThanOrEqual(Math.floor(nominal * 0.8))
      expect(delay).toBeLessThanOrEqual(Math.ceil(nominal * 1.2))
    })
  })

  test('maxReconnectDelay caps the backoff before jitter', async () => {
    const capped = { reconnectDelay: 20, maxReconnectDelay: 50, maxReconnectAttempts: 5 }
    expectDelays(await delaysAgainstRefusingPort(capped, () => 0.5), [20, 40, 50, 50, 50])
    expectDelays(await delaysAgainstRefusingPort(capped, () => 0.999999), [24, 48, 60, 60, 60])
    expectDelays(await delaysAgainstRefusingPort(capped, () => 0), [16, 32, 40, 40, 40])
  })

  test('the server sees no request sooner than the announced delay', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(503)
      res.end()
    })
    const feed = watchConnection({
      url: server.origin,
      reconnectDelay: 30,
      maxReconnectAttempts: 3,
    })
    feed.connection.connect()
    await feed.waitForState('failed')
    const reconnects = feed.all('reconnecting')
    expect(reconnects).toHaveLength(3)
    expect(server.requests).toHaveLength(4)
    reconnects.forEach((reconnecting, i) => {
      const next = server.requests[i + 1]!
      // Date.now() has whole milliseconds on both sides; 2 ms covers the rounding.
      expect(next.at - reconnecting.at).toBeGreaterThanOrEqual(reconnecting.delayMs - 2)
    })
  })
})

describe("the server's retry field", () => {
  test('replaces the base delay, for later reconnects too', async () => {
    let connections = 0
    const server = await serve((_req, res) => {
      openEventStream(res)
      res.end(connections++ === 0 ? 'retry: 150\n\n' : '')
    })
    const feed = watchConnection(
      { url: server.origin, reconnectDelay: 20, maxReconnectAttempts: 2 },
      { random: () => 0.5 },
    )
    feed.connection.connect()
    await feed.waitForState('failed', { timeoutMs: 3000 })
    expect(feed.all('reconnecting').map((state) => state.delayMs)).toEqual([150, 300])
  })

  test('retry: 0 is raised to a 100 ms base', async () => {
    const server = await serve(acceptAndEnd('retry: 0\n\n'))
    const feed = watchConnection(
      { url: server.origin, reconnectDelay: 20, maxReconnectAttempts: 2 },
      { random: () => 0.5 },
    )
    feed.connection.connect()
    await feed.waitForState('failed')
    expect(feed.all('reconnecting').map((state) => state.delayMs)).toEqual([100, 200])
  })

  test('a retry above maxReconnectDelay is lowered to it', async () => {
    const server = await serve(acceptAndEnd('retry: 100000\n\n'))
    const feed = watchConnection(
      { url: server.origin, reconnectDelay: 20, maxReconnectDelay: 250, maxReconnectAttempts: 1 },
      { random: () => 0.5 },
    )
    feed.connection.connect()
    const reconnecting = await feed.waitForState('reconnecting')
    expect(reconnecting.delayMs).toBe(250)
  })

  test('a retry that is not all digits is ignored', async () => {
    const server = await serve(acceptAndEnd('retry: 1.5e3\n\nretry: -300\n\n'))
    const feed = watchConnection(
      { url: server.origin, reconnectDelay: 20, maxReconnectAttempts: 1 },
      { random: () => 0.5 },
    )
    feed.connection.connect()
    const reconnecting = await feed.waitForState('reconnecting')
    expect(reconnecting.delayMs).toBe(20)
  })
})

describe('the attempt limit', () => {
  test('a server that accepts and ends at once fails after maxReconnectAttempts reconnects', async () => {
    const server = await serve(acceptAndEnd())
    const feed = watchConnection({
      url: server.origin,
      reconnectDelay: 20,
      maxReconnectAttempts: 3,
    })
    feed.connection.connect()
    const failed = await feed.waitForState('failed')
    const reconnects = feed.all('reconnecting')
    expect(reconnects.map((state) => [state.attempt, state.maxAttempts])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ])
    expect(failed.code).toBe('ended')
    expect(failed.reason).toContain(reconnects[2]!.reason)
    await sleep(150)
    expect(server.requests).toHaveLength(1 + 3)
  })

  test('each connecting state reports the number of its attempt', async () => {
    const server = await serve(acceptAndEnd())
    const feed = watchConnection({
      url: server.origin,
      reconnectDelay: 20,
      maxReconnectAttempts: 3,
    })
    feed.connection.connect()
    await feed.waitForState('failed')
    expect(feed.all('connecting').map((state) => state.attempt)).toEqual([0, 1, 2, 3])
  })

  test('0 attempts fails at the first loss', async () => {
    const server = await serve(acceptAndEnd())
    const feed = watchConnection({
      url: server.origin,
      reconnectDelay: 20,
      maxReconnectAttempts: 0,
    })
    feed.connection.connect()
    await feed.waitForState('failed')
    expect(feed.names()).toEqual(['connecting', 'open', 'failed'])
    await sleep(100)
    expect(server.requests).toHaveLength(1)
  })

  test('"unlimited" keeps reconnecting', async () => {
    const server = await serve(acceptAndEnd())
    const feed = watchConnection({
      url: server.origin,
      reconnectDelay: 20,
      maxReconnectDelay: 40,
      maxReconnectAttempts: 'unlimited',
    })
    feed.connection.connect()
    const eighth = await feed.waitForState('reconnecting', { count: 8 })
    expect(eighth.attempt).toBe(8)
    expect(eighth.maxAttempts).toBe('unlimited')
    expect(feed.all('failed')).toEqual([])
    feed.connection.disconnect()
  })
})

describe('the attempt counter', () => {
  test('resets when a connection dispatches an event, so such a server never fails', async () => {
    let n = 0
    const server = await serve((_req, res) => {
      openEventStream(res)
      res.end(`id: ${++n}\ndata: tick\n\n`)
    })
    const feed = watchConnection({
      url: server.origin,
      reconnectDelay: 20,
      maxReconnectAttempts: 1,
    })
    feed.connection.connect()
    await feed.waitForState('reconnecting', { count: 5 })
    expect(feed.all('reconnecting').map((state) => state.attempt)).toEqual([1, 1, 1, 1, 1])
    expect(feed.all('failed')).toEqual([])
  })

  test('resets when a connection stays open for stableConnectionMs', async () => {
    const server = await serve((_req, res) => {
      openEventStream(res)
      res.write(': hello\n\n')
      setTimeout(() => res.end(), 300)
    })
    const feed = watchConnection(
      { url: server.origin, reconnectDelay: 20, maxReconnectAttempts: 1 },
      { stableConnectionMs: 100 },
    )
    feed.connection.connect()
    await feed.waitForState('reconnecting', { count: 3 })
    expect(feed.all('reconnecting').map((state) => state.attempt)).toEqual([1, 1, 1])
    expect(feed.all('failed')).toEqual([])
  })

  test('does not reset for a connection that opens and closes sooner with no event', async () => {
    const server = await serve((_req, res) => {
      openEventStream(res)
      res.write(': hello\n\n')
      setTimeout(() => res.end(), 30)
    })
    const feed = watchConnection(
      { url: server.origin, reconnectDelay: 20, maxReconnectAttempts: 2 },
      { stableConnectionMs: 300 },
    )
    feed.connection.connect()
    await feed.waitForState('failed')
    expect(feed.all('reconnecting').map((state) => state.attempt)).toEqual([1, 2])
    expect(server.requests).toHaveLength(3)
  })
})
