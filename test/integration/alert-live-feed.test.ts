/**
 * The alert engine wired to a real SSE connection against a server on 127.0.0.1: values on the wire
 * fire and resolve condition alerts, and a server that goes away fires feed-down.
 */
import { afterEach, expect, test } from 'vitest'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { AlertEngine } from '../../src/main/alerts/alert-engine'
import { SseConnection } from '../../src/main/engine/sse-connection'
import type { AlertNotice } from '../../src/shared/alerts'
import type { ConnectionOptions } from '../../src/shared/connection'
import type { AlertRule } from '../../src/shared/profile'
import { waitFor } from '../support/connection-probe'
import { openEventStream, startServer, type TestServer } from '../support/http-server'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TestServer> {
  const server = await startServer(handler)
  cleanups.push(() => server.close())
  return server
}

/** An engine with `rules` fed by one connection (feed id `api`); the notices it sent. */
function watch(rules: AlertRule[], options: ConnectionOptions) {
  const notices: AlertNotice[] = []
  const engine = new AlertEngine({ notifier: { notify: (n) => notices.push(n) }, tickMs: 20 })
  engine.setRules(rules)
  const connection = new SseConnection(
    options,
    {
      onEvent: (event) => engine.handleEvent('api', event),
      onState: (state) => engine.handleFeedState('api', state),
    },
    { env: {} },
  )
  cleanups.push(
    () => engine.dispose(),
    () => connection.disconnect(),
  )
  connection.connect()
  return { engine, notices, kinds: () => notices.map((notice) => notice.kind) }
}

test('values on a live feed fire and resolve a condition alert', async () => {
  const server = await serve((_req, res) => {
    openEventStream(res)
    const values = [40, 95, 96, 97, 30]
    values.forEach((cpu, i) =>
      setTimeout(() => res.write(`event: metrics\ndata: {"cpu":${cpu}}\n\n`), 40 * (i + 1)),
    )
  })
  const { kinds, notices } = watch(
    [
      {
        id: 'cpu-high',
        name: 'CPU high',
        enabled: true,
        severity: 'critical',
        repeatIntervalSeconds: 0,
        kind: 'condition',
        source: { feedId: 'api', event: 'metrics', path: 'cpu' },
        operator: '>',
        value: 90,
        pendingSeconds: 0.05,
      },
    ],
    { url: server.origin },
  )
  await waitFor(() => kinds().includes('resolved'))
  expect(kinds()).toEqual(['firing', 'resolved'])
  expect(notices[0]?.body).toMatch(/^cpu is 9\d \(> 90\) on api$/)
})

test('a server that goes away fires feed-down, and coming back resolves it', async () => {
  let up = true
  let firstResponse = true
  const server = await serve((_req, res) => {
    if (!up) {
      res.writeHead(503).end()
      return
    }
    openEventStream(res)
    res.write('data: {}\n\n')
    if (!firstResponse) return
    firstResponse = false
    setTimeout(() => {
      up = false
      res.end()
    }, 30)
  })
  const { engine, kinds } = watch(
    [
      {
        id: 'api-down',
        name: 'API down',
        enabled: true,
        severity: 'critical',
        repeatIntervalSeconds: 0,
        kind: 'feed-down',
        feedId: 'api',
        forSeconds: 0.15,
      },
    ],
    {
      url: server.origin,
      reconnectDelay: 20,
      maxReconnectDelay: 40,
      maxReconnectAttempts: 'unlimited',
    },
  )
  await waitFor(() => kinds().includes('firing'))
  expect(engine.active()[0]?.lastValue).toMatch(/^reconnecting: /)
  up = true
  await waitFor(() => kinds().includes('resolved'))
  expect(kinds()).toEqual(['firing', 'resolved'])
})
