/**
 * A server (or proxy) that ends idle streams: the connection keeps reopening, and the alert engine
 * must still see a feed with no data and a feed that is down. Real time, real SSE server.
 */
import { afterEach, expect, test } from 'vitest'
import { AlertEngine } from '../../src/main/alerts/alert-engine'
import { SseConnection } from '../../src/main/engine/sse-connection'
import type { AlertNotice } from '../../src/shared/alerts'
import type { AlertRule } from '../../src/shared/profile'
import { sleep, waitFor } from '../support/connection-probe'
import { openEventStream, startServer } from '../support/http-server'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const rules: AlertRule[] = [
  {
    id: 'quiet',
    name: 'API quiet',
    enabled: true,
    severity: 'warning',
    repeatIntervalSeconds: 0,
    kind: 'no-data',
    feedId: 'api',
    forSeconds: 1,
  },
  {
    id: 'down',
    name: 'API down',
    enabled: true,
    severity: 'critical',
    repeatIntervalSeconds: 0,
    kind: 'feed-down',
    feedId: 'api',
    forSeconds: 0.5,
  },
]

test('a server that ends idle streams every 150 ms fires no-data and feed-down on time and resolves neither until data flows', async () => {
  let sendData = false
  const server = await startServer((_req, res) => {
    openEventStream(res)
    if (sendData) res.write('data: {"ok":true}\n\n')
    else setTimeout(() => res.end(), 150)
  })
  cleanups.push(() => server.close())
  const notices: AlertNotice[] = []
  const engine = new AlertEngine({
    notifier: { notify: (notice) => notices.push(notice) },
    tickMs: 10,
    stableConnectionMs: 1000,
  })
  const started = Date.now()
  engine.setRules(rules)
  const connection = new SseConnection(
    { url: server.origin, reconnectDelay: 100, maxReconnectAttempts: 'unlimited', staleTimeout: 0 },
    {
      onEvent: (event) => engine.handleEvent('api', event),
      onState: (state) => engine.handleFeedState('api', state),
    },
    // Each stream lasts long enough for the engine to reset its backoff: reconnects stay 100 ms apart.
    { env: {}, random: () => 0.5, stableConnectionMs: 100 },
  )
  cleanups.push(
    () => engine.dispose(),
    () => connection.disconnect(),
  )
  connection.connect()

  await waitFor(() => notices.length >= 2, 5000)
  await sleep(1000)
  // Several reconnects went by, none of them a resolve.
  expect(connection.stats().reconnects).toBeGreaterThan(4)
  expect(notices.map((notice) => `${notice.ruleId} ${notice.kind}`).sort()).toEqual([
    'down firing',
    'quiet firing',
  ])
  const quiet = notices.find((notice) => notice.ruleId === 'quiet')
  // Fired 1 s after the rule was set, not 1 s after some reconnect; a tick of slack.
  expect(quiet?.at).toBeGreaterThanOrEqual(started + 1000)
  expect(quiet?.at).toBeLessThan(started + 1000 + 100)

  sendData = true
  await waitFor(() => notices.length === 4, 5000)
  expect(
    notices
      .slice(2)
      .map((notice) => `${notice.ruleId} ${notice.kind}`)
      .sort(),
  ).toEqual(['down resolved', 'quiet resolved'])
})
