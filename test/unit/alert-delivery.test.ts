import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import type { AlertNotice } from '../../src/shared/alerts'
import { profileSchema, type Profile } from '../../src/shared/profile'
import { AlertDelivery } from '../../src/main/delivery/alert-delivery'
import type { PostRequest } from '../../src/main/delivery/http-post'

const START = Date.parse('2026-01-02T03:00:00.000Z')
let posts: { at: number; request: PostRequest }[]
let firing: Set<string>

beforeEach(() => {
  vi.useFakeTimers({ now: START })
  posts = []
  firing = new Set(['alert-1'])
})
afterEach(() => vi.useRealTimers())

function profile(url = 'http://am.test:9093/'): Profile {
  return profileSchema.parse({
    version: 1,
    name: 'Ops',
    feeds: [{ id: 'api', name: 'API', url: 'http://127.0.0.1:1/' }],
    rules: [
      { id: 'down', name: 'API down', kind: 'feed-down', feedId: 'api', severity: 'critical' },
    ],
    contactPoints: [{ id: 'am', name: 'AM', kind: 'alertmanager', url }],
  })
}

function delivery(): AlertDelivery {
  const created = new AlertDelivery({
    post: (request) => {
      posts.push({ at: Date.now(), request })
      return Promise.resolve({ ok: true, status: 200 })
    },
    resendIntervalMs: 60_000,
    firingAlertIds: () => firing,
  })
  return created
}

function notice(kind: AlertNotice['kind']): AlertNotice {
  return {
    kind,
    title: `${kind}: API down`,
    body: 'API has been down for 30 s or more',
    severity: 'critical',
    feedId: 'api',
    ruleId: 'down',
    alertId: 'alert-1',
    at: Date.now(),
  }
}

const bodies = () =>
  posts.map(({ at, request }) => ({
    at: at - START,
    url: request.url,
    alerts: (JSON.parse(request.body) as { startsAt: string; endsAt: string }[]).map((a) => [
      a.startsAt,
      a.endsAt,
    ]),
  }))

test('Alertmanager hears of a firing alert again every re-send interval, ending four intervals ahead', async () => {
  const sender = delivery()
  sender.configure(profile())
  sender.deliver(notice('firing'), 'Ops', 'failed: refused')
  await vi.advanceTimersByTimeAsync(120_000)
  firing = new Set()
  sender.deliver(notice('resolved'), 'Ops', null)
  await vi.advanceTimersByTimeAsync(60_000)
  expect(bodies()).toEqual([
    {
      at: 0,
      url: 'http://am.test:9093/api/v2/alerts',
      alerts: [['2026-01-02T03:00:00.000Z', '2026-01-02T03:04:00.000Z']],
    },
    {
      at: 60_000,
      url: 'http://am.test:9093/api/v2/alerts',
      alerts: [['2026-01-02T03:00:00.000Z', '2026-01-02T03:05:00.000Z']],
    },
    {
      at: 120_000,
      url: 'http://am.test:9093/api/v2/alerts',
      alerts: [['2026-01-02T03:00:00.000Z', '2026-01-02T03:06:00.000Z']],
    },
    {
      at: 120_000,
      url: 'http://am.test:9093/api/v2/alerts',
      alerts: [['2026-01-02T03:00:00.000Z', '2026-01-02T03:02:00.000Z']],
    },
  ])
  sender.close()
})

test('a changed Alertmanager address is told of the alerts firing at once', async () => {
  const sender = delivery()
  sender.configure(profile())
  sender.deliver(notice('firing'), 'Ops', 1)
  await vi.advanceTimersByTimeAsync(1000)
  sender.configure(profile('http://other-am.test:9093'))
  await vi.advanceTimersByTimeAsync(0)
  expect(posts.map((p) => [p.at - START, p.request.url])).toEqual([
    [0, 'http://am.test:9093/api/v2/alerts'],
    [1000, 'http://other-am.test:9093/api/v2/alerts'],
  ])
  sender.close()
})

test('an unchanged profile keeps its contact points and their totals', async () => {
  const sender = delivery()
  sender.configure(profile())
  sender.deliver(notice('firing'), 'Ops', 1)
  await vi.advanceTimersByTimeAsync(0)
  sender.configure(profileSchema.parse({ ...profile(), rules: [] }))
  expect(sender.stats('Ops')).toEqual([
    { contactPointId: 'am', name: 'AM', delivered: 1, failed: 0, dropped: 0, queued: 0 },
  ])
  sender.close()
})

test('a stopped profile stops its re-sends', async () => {
  const sender = delivery()
  sender.configure(profile())
  sender.deliver(notice('firing'), 'Ops', 1)
  sender.sync([])
  await vi.advanceTimersByTimeAsync(600_000)
  expect(posts).toHaveLength(1)
  expect(sender.stats('Ops')).toEqual([])
})

test('a contact point switched off while an alert fires sends nothing more', async () => {
  const sender = delivery()
  sender.configure(profile())
  sender.deliver(notice('firing'), 'Ops', 1)
  await vi.advanceTimersByTimeAsync(1000)
  const off = profile()
  sender.configure({
    ...off,
    contactPoints: off.contactPoints.map((point) => ({ ...point, enabled: false })),
  })
  sender.deliver(notice('repeat'), 'Ops', 1)
  await vi.advanceTimersByTimeAsync(600_000)
  expect(posts).toHaveLength(1)
  sender.close()
})
