/**
 * No-data and feed-down across real reconnects: a server (or proxy) that ends idle streams, a silent
 * server whose streams are aborted as stale, and "Retry now" on a feed that is down. Real time, real
 * SSE servers on 127.0.0.1.
 */
import { afterEach, expect, test } from 'vitest'
import { AlertEngine } from '../../src/main/alerts/alert-engine'
import { SseConnection, type ConnectionDeps } from '../../src/main/engine/sse-connection'
import type { AlertNotice } from '../../src/shared/alerts'
import type { ConnectionOptions } from '../../src/shared/connection'
import type { AlertRule } from '../../src/shared/profile'
import { sleep, waitFor } from '../support/connection-probe'
import { openEventStream, refusingOrigin, startServer } from '../support/http-server'

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

/** An engine with the rules above, fed by one connection (feed id `api`) to `url`. */
function watch(
  url: string,
  options: Partial<ConnectionOptions>,
  deps: ConnectionDeps,
): { notices: AlertNotice[]; connection: SseConnection; engine: AlertEngine } {
  const notices: AlertNotice[] = []
  const engine = new AlertEngine({
    notifier: { notify: (notice) => notices.push(notice) },
    tickMs: 10,
    stableConnectionMs: 1000,
  })
  engine.setRules(rules)
  const connection = new SseConnection(
    { url, ...options },
    {
      onEvent: (event) => engine.handleEvent('api', event),
      onState: (state) => engine.handleFeedState('api', state),
    },
    { env: {}, random: () => 0.5, ...deps },
  )
  cleanups.push(
    () => engine.dispose(),
    () => connection.disconnect(),
  )
  connection.connect()
  return { notices, connection, engine }
}

const described = (notices: readonly AlertNotice[]): string[] =>
  notices.map((notice) => `${notice.ruleId} ${notice.kind}`).sort()

test('a silent server whose streams are aborted as stale fires no-data 1 s after the rule was set', async () => {
  const server = await startServer((_req, res) => openEventStream(res))
  cleanups.push(() => server.close())
  const started = Date.now()
  const { notices, connection } = watch(
    server.origin,
    { staleTimeout: 250, reconnectDelay: 20, maxReconnectAttempts: 'unlimited' },
    {},
  )
  const quiet = await waitFor(() => notices.find((notice) => notice.ruleId === 'quiet'), 5000)
  // Stale aborts at about 0.25, 0.52 and 0.79 s reopened the feed; none restarted the clock.
  expect(connection.stats().reconnects).toBeGreaterThanOrEqual(3)
  expect(quiet.at).toBeGreaterThanOrEqual(started + 1000)
  expect(quiet.at).toBeLessThan(started + 1000 + 100)
})

test('retry now on a feed that is down keeps its feed-down alert firing without a resolve', async () => {
  const { notices, connection, engine } = watch(
    await refusingOrigin(),
    { reconnectDelay: 50, maxReconnectAttempts: 'unlimited' },
    {},
  )
  await waitFor(() => notices.some((notice) => notice.ruleId === 'down'), 5000)
  const [firing] = engine.active().filter((alert) => alert.ruleId === 'down')
  // What the service's "Retry now" does: drop the pending backoff and start a fresh attempt.
  connection.disconnect()
  connection.connect()
  await sleep(300)
  connection.disconnect()
  connection.connect()
  await sleep(300)
  expect(notices.filter((notice) => notice.ruleId === 'down').map((n) => n.kind)).toEqual([
    'firing',
  ])
  expect(engine.active().find((alert) => alert.ruleId === 'down')).toMatchObject({
    id: firing?.id,
    state: 'firing',
  })
})

test('a server that ends idle streams every 150 ms fires no-data and feed-down on time and resolves neither until data flows', async () => {
  let sendData = false
  const server = await startServer((_req, res) => {
    openEventStream(res)
    if (sendData) res.write('data: {"ok":true}\n\n')
    else setTimeout(() => res.end(), 150)
  })
  cleanups.push(() => server.close())
  const started = Date.now()
  const { notices, connection } = watch(
    server.origin,
    { reconnectDelay: 100, maxReconnectAttempts: 'unlimited', staleTimeout: 0 },
    // Each stream lasts long enough for the engine to reset its backoff: reconnects stay 100 ms apart.
    { stableConnectionMs: 100 },
  )

  await waitFor(() => notices.length >= 2, 5000)
  await sleep(1000)
  // Several reconnects went by, none of them a resolve.
  expect(connection.stats().reconnects).toBeGreaterThan(4)
  expect(described(notices)).toEqual(['down firing', 'quiet firing'])
  const quiet = notices.find((notice) => notice.ruleId === 'quiet')
  // Fired 1 s after the rule was set, not 1 s after some reconnect; a tick of slack.
  expect(quiet?.at).toBeGreaterThanOrEqual(started + 1000)
  expect(quiet?.at).toBeLessThan(started + 1000 + 100)

  sendData = true
  await waitFor(() => notices.length === 4, 5000)
  expect(described(notices.slice(2))).toEqual(['down resolved', 'quiet resolved'])
})
