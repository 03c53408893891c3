import type { IncomingMessage } from 'node:http'
import { afterEach, expect, test } from 'vitest'
import type { AlertNotice } from '../../src/shared/alerts'
import type { DeliveryLogEntry } from '../../src/shared/delivery'
import { profileSchema, type ProfileInput } from '../../src/shared/profile'
import { AlertDelivery, type AlertDeliveryOptions } from '../../src/main/delivery/alert-delivery'
import { createPostJson } from '../../src/main/delivery/http-post'
import { readBody, refusingOrigin, startServer, type TestServer } from '../support/http-server'
import { eventually } from '../support/ops-binaries'
import { startProxy } from '../support/proxy-server'

const cleanups: (() => Promise<void> | void)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

interface Received {
  readonly headers: IncomingMessage['headers']
  readonly body: unknown
}

/** A receiver answering each request with the next status of `statuses` (then 200). */
async function receiver(
  statuses: number[] = [],
): Promise<{ server: TestServer; received: Received[] }> {
  const received: Received[] = []
  const server = await startServer((req, res) => {
    void readBody(req).then((body) => {
      const status = statuses.shift() ?? 200
      if (status === 200) received.push({ headers: req.headers, body: JSON.parse(body) })
      res.writeHead(status, { 'Content-Type': 'text/plain' })
      res.end(status === 200 ? 'ok' : 'try later')
    })
  })
  cleanups.push(() => server.close())
  return { server, received }
}

function profile(
  contactPoints: ProfileInput['contactPoints'],
  picks?: string[],
): ReturnType<typeof profileSchema.parse> {
  return profileSchema.parse({
    version: 1,
    name: 'Ops',
    feeds: [{ id: 'api', name: 'API', url: 'http://127.0.0.1:1/events' }],
    rules: [
      {
        id: 'cpu-high',
        name: 'CPU high',
        kind: 'condition',
        severity: 'warning',
        source: { feedId: 'api', path: 'cpu' },
        operator: '>',
        value: 0.9,
        ...(picks === undefined ? {} : { contactPoints: picks }),
      },
    ],
    contactPoints,
  })
}

const firing: AlertNotice = {
  kind: 'firing',
  title: 'Firing: CPU high',
  body: 'cpu is 0.97 (> 0.9) on API',
  severity: 'warning',
  feedId: 'api',
  ruleId: 'cpu-high',
  alertId: 'alert-1',
  at: Date.parse('2026-01-02T03:04:05.000Z'),
}

function delivery(options: AlertDeliveryOptions = {}): {
  delivery: AlertDelivery
  log: DeliveryLogEntry[]
} {
  const log: DeliveryLogEntry[] = []
  const created = new AlertDelivery({
    onLog: (_profile, entry) => log.push(entry),
    queue: { baseDelayMs: 50 },
    random: () => 0.5,
    ...options,
  })
  cleanups.push(() => created.close())
  return { delivery: created, log }
}

test('a webhook receives the documented JSON body with its custom headers', async () => {
  const { server, received } = await receiver()
  const { delivery: sender } = delivery({ generatorUrl: () => 'http://127.0.0.1:4000/' })
  sender.configure(
    profile([
      {
        id: 'hook',
        name: 'Ops hook',
        kind: 'webhook',
        url: `${server.origin}/hook`,
        headers: [
          { name: 'X-Team', value: 'sre' },
          { name: 'Authorization', value: 'Bearer s3cret', secret: true },
        ],
      },
    ]),
  )
  sender.deliver(firing, 'Ops', 0.97)
  const [request] = await eventually(
    async () => (received.length > 0 ? received : undefined),
    5000,
    'the webhook',
  )
  expect(request?.body).toEqual({
    version: 1,
    kind: 'firing',
    status: 'firing',
    title: 'Firing: CPU high',
    body: 'cpu is 0.97 (> 0.9) on API',
    severity: 'warning',
    profile: 'Ops',
    alert: {
      id: 'alert-1',
      ruleId: 'cpu-high',
      ruleName: 'CPU high',
      feedId: 'api',
      feedName: 'API',
      value: 0.97,
    },
    at: '2026-01-02T03:04:05.000Z',
    generatorURL: 'http://127.0.0.1:4000/',
  })
  expect(request?.headers['x-team']).toBe('sre')
  expect(request?.headers.authorization).toBe('Bearer s3cret')
  expect(request?.headers['content-type']).toBe('application/json')
})

test('a Slack-compatible webhook receives one text line with & < > escaped', async () => {
  const { server, received } = await receiver()
  const { delivery: sender } = delivery()
  sender.configure(
    profile([{ id: 'slack', name: 'Slack', kind: 'webhook', format: 'slack', url: server.origin }]),
  )
  sender.deliver(firing, 'Ops', 0.97)
  const [request] = await eventually(
    async () => (received.length > 0 ? received : undefined),
    5000,
    'the webhook',
  )
  expect(request?.body).toEqual({
    text: '[warning] Firing: CPU high — cpu is 0.97 (&gt; 0.9) on API (profile Ops)',
  })
})

test('a receiver that fails twice and then recovers gets the notice once, after two retries', async () => {
  const { server, received } = await receiver([503, 503])
  const { delivery: sender, log } = delivery()
  sender.configure(profile([{ id: 'hook', name: 'Ops hook', kind: 'webhook', url: server.origin }]))
  sender.deliver(firing, 'Ops', 0.97)
  await eventually(
    async () => (log.some((e) => e.outcome === 'delivered') ? true : undefined),
    5000,
    'delivery',
  )
  expect(received).toHaveLength(1)
  expect(server.requests).toHaveLength(3)
  expect(
    log.map(({ outcome, attempt, reason, retryInMs }) => ({ outcome, attempt, reason, retryInMs })),
  ).toEqual([
    {
      outcome: 'retrying',
      attempt: 1,
      reason: '503 Service Unavailable: try later',
      retryInMs: 50,
    },
    {
      outcome: 'retrying',
      attempt: 2,
      reason: '503 Service Unavailable: try later',
      retryInMs: 100,
    },
    { outcome: 'delivered', attempt: 3, reason: undefined, retryInMs: undefined },
  ])
  expect(sender.stats('Ops')).toEqual([
    { contactPointId: 'hook', name: 'Ops hook', delivered: 1, failed: 2, dropped: 0, queued: 0 },
  ])
})

test('a receiver that does not answer in time counts as a failed attempt', async () => {
  const silent = await startServer(() => undefined)
  cleanups.push(() => silent.close())
  const { delivery: sender, log } = delivery()
  sender.configure(
    profile([{ id: 'hook', name: 'Hook', kind: 'webhook', url: silent.origin, timeoutMs: 200 }]),
  )
  sender.deliver(firing, 'Ops', 0.97)
  const entry = await eventually(async () => log[0], 5000, 'the first attempt to time out')
  expect(entry).toMatchObject({ outcome: 'retrying', reason: 'timed out after 0.2 s' })
})

test('a notice goes only to the contact points its rule picks whose minimum severity it meets', async () => {
  const picked = await receiver()
  const other = await receiver()
  const strict = await receiver()
  const { delivery: sender } = delivery()
  sender.configure(
    profile(
      [
        { id: 'picked', name: 'Picked', kind: 'webhook', url: picked.server.origin },
        { id: 'other', name: 'Other', kind: 'webhook', url: other.server.origin },
        {
          id: 'strict',
          name: 'Critical only',
          kind: 'webhook',
          url: strict.server.origin,
          minSeverity: 'critical',
        },
      ],
      ['picked', 'strict'],
    ),
  )
  sender.deliver(firing, 'Ops', 0.97)
  // Test notifications go to one contact point whatever the rules: a marker that the firing went by.
  sender.test('Ops', 'other')
  sender.test('Ops', 'strict')
  const kinds = (r: { received: Received[] }): string[] =>
    r.received.map((request) => (request.body as { kind: string }).kind)
  await eventually(
    async () =>
      kinds(picked).length > 0 && kinds(other).length > 0 && kinds(strict).length > 0
        ? true
        : undefined,
    5000,
    'the test notifications',
  )
  expect(kinds(picked)).toEqual(['firing'])
  expect(kinds(other)).toEqual(['test'])
  expect(kinds(strict)).toEqual(['test'])
})

test('a receiver that refuses connections is retried, and the log says why', async () => {
  const { delivery: sender, log } = delivery()
  sender.configure(
    profile([{ id: 'hook', name: 'Hook', kind: 'webhook', url: await refusingOrigin() }]),
  )
  sender.deliver(firing, 'Ops', 0.97)
  const entry = await eventually(async () => log[0], 5000, 'the first attempt to fail')
  expect(entry).toMatchObject({ outcome: 'retrying', reason: 'connection refused', retryInMs: 50 })
})

test('a redirect is not followed, so secret headers never go to another address', async () => {
  const elsewhere = await receiver()
  const redirecting = await startServer((_req, res) => {
    res.writeHead(307, { Location: `${elsewhere.server.origin}/hook` }).end()
  })
  cleanups.push(() => redirecting.close())
  const { delivery: sender, log } = delivery()
  sender.configure(
    profile([
      {
        id: 'hook',
        name: 'Hook',
        kind: 'webhook',
        url: redirecting.origin,
        headers: [{ name: 'Authorization', value: 'Bearer s3cret', secret: true }],
      },
    ]),
  )
  sender.deliver(firing, 'Ops', 0.97)
  const entry = await eventually(async () => log[0], 5000, 'the attempt to end')
  expect(entry).toMatchObject({ outcome: 'failed', reason: '307 Temporary Redirect' })
  expect(elsewhere.server.requests).toHaveLength(0)
})

test('a webhook goes through the proxy HTTP_PROXY names, as feeds do', async () => {
  const { server, received } = await receiver()
  const proxy = await startProxy()
  cleanups.push(() => proxy.close())
  const { delivery: sender } = delivery({ post: createPostJson({ HTTP_PROXY: proxy.origin }) })
  sender.configure(
    profile([{ id: 'hook', name: 'Hook', kind: 'webhook', url: `${server.origin}/hook` }]),
  )
  sender.deliver(firing, 'Ops', 0.97)
  await eventually(async () => (received.length > 0 ? true : undefined), 5000, 'the webhook')
  expect(proxy.forwarded).toEqual([`${server.origin}/hook`])
})

test('a failing receiver that sends an endless body is cut off after its first characters', async () => {
  const endless = await startServer((_req, res) => {
    res.writeHead(500, { 'Content-Type': 'text/plain' })
    const timer = setInterval(() => res.write('x'.repeat(64 * 1024)), 1)
    res.on('close', () => clearInterval(timer))
  })
  cleanups.push(() => endless.close())
  const { delivery: sender, log } = delivery()
  sender.configure(profile([{ id: 'hook', name: 'Hook', kind: 'webhook', url: endless.origin }]))
  sender.deliver(firing, 'Ops', 0.97)
  const entry = await eventually(async () => log[0], 5000, 'the first attempt to fail')
  expect(entry?.outcome).toBe('retrying')
  expect(entry?.reason).toMatch(/^500 Internal Server Error: x{200}…$/)
})
