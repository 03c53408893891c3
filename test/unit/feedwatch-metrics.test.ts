import { expect, test } from 'vitest'
import type { ActiveAlert } from '../../src/shared/alerts'
import type { FeedStatus } from '../../src/shared/feed-status'
import { profileSchema, type Profile } from '../../src/shared/profile'
import { createFeedwatchMetrics } from '../../src/main/metrics/feedwatch-metrics'
import type { ProfileMetrics } from '../../src/main/metrics/metrics-source'

const profile: Profile = profileSchema.parse({
  version: 1,
  name: 'Ops',
  feeds: [
    { id: 'api', name: 'API', url: 'http://127.0.0.1:1/a' },
    { id: 'db', name: 'DB', url: 'http://127.0.0.1:1/b' },
    { id: 'db2', name: 'DB', url: 'http://127.0.0.1:1/c' },
  ],
  panels: [
    { id: 'cpu', kind: 'tile', title: 'CPU', source: { feedId: 'api', path: 'cpu' } },
    {
      id: 'lat',
      kind: 'chart',
      title: 'Latency',
      series: [
        { feedId: 'api', path: 'p50', label: 'p50' },
        { feedId: 'api', path: 'p99' },
      ],
    },
  ],
})

function status(
  feedId: string,
  state: FeedStatus['state'],
  stats: Partial<FeedStatus['stats']> = {},
): FeedStatus {
  return {
    feedId,
    state,
    stats: {
      events: 0,
      bytes: 0,
      reconnects: 0,
      lastEventAt: null,
      connectedSince: null,
      eventsPerSecond: 0,
      ...stats,
    },
    lastEventId: '',
    buffered: 0,
    dropped: 0,
  }
}

const firing: ActiveAlert = {
  id: 'a1',
  ruleId: 'r1',
  ruleName: 'CPU high',
  feedId: 'api',
  severity: 'critical',
  state: 'firing',
  since: 0,
  lastValue: 0.97,
  acknowledged: false,
  silencedUntil: null,
}

function snapshot(overrides: Partial<ProfileMetrics> = {}): ProfileMetrics {
  return {
    profile,
    feeds: [
      status(
        'api',
        { state: 'open', at: 0, status: 200, contentType: 'text/event-stream' },
        {
          events: 42,
          bytes: 4200,
          reconnects: 2,
          lastEventAt: 1_700_000_000_500,
          connectedSince: 1_700_000_000_000,
          eventsPerSecond: 1.5,
        },
      ),
      status('db', { state: 'failed', at: 0, code: 'network', reason: 'refused' }),
      status('db2', { state: 'idle', at: 0 }),
    ],
    panelValues: [
      { panelId: 'cpu', seriesIndex: 0, value: 0.42 },
      { panelId: 'lat', seriesIndex: 1, value: 120 },
    ],
    alerts: [firing],
    deliveries: [
      { contactPointId: 'am', name: 'Team AM', delivered: 3, failed: 1, dropped: 0, queued: 2 },
    ],
    ...overrides,
  }
}

async function render(entries: ProfileMetrics[]): Promise<string[]> {
  const metrics = createFeedwatchMetrics(() => entries, { processMetrics: false })
  return (await metrics.render()).body.split('\n')
}

test('feed counters, times and rate carry the profile and feed names as labels', async () => {
  const lines = await render([snapshot()])
  expect(lines).toContain('feedwatch_feed_events_total{profile="Ops",feed="API"} 42')
  expect(lines).toContain('feedwatch_feed_bytes_total{profile="Ops",feed="API"} 4200')
  expect(lines).toContain('feedwatch_feed_reconnects_total{profile="Ops",feed="API"} 2')
  expect(lines).toContain(
    'feedwatch_feed_last_event_timestamp_seconds{profile="Ops",feed="API"} 1700000000.5',
  )
  expect(lines).toContain(
    'feedwatch_feed_connected_since_timestamp_seconds{profile="Ops",feed="API"} 1700000000',
  )
  expect(lines).toContain('feedwatch_feed_events_per_second{profile="Ops",feed="API"} 1.5')
  expect(lines).toContain('# TYPE feedwatch_feed_events_total counter')
})

test('times a feed does not have yet are left out instead of reported as zero', async () => {
  const lines = await render([snapshot()])
  expect(
    lines.filter((l) => l.startsWith('feedwatch_feed_last_event_timestamp_seconds{')),
  ).toHaveLength(1)
})

test('a feed has one state series per connection state with 1 on the current one', async () => {
  const lines = await render([snapshot()])
  const states = lines.filter(
    (l) => l.startsWith('feedwatch_feed_state{') && l.includes(',profile="Ops",feed="API"}'),
  )
  expect(states).toHaveLength(6)
  expect(states).toContain('feedwatch_feed_state{state="open",profile="Ops",feed="API"} 1')
  expect(states).toContain('feedwatch_feed_state{state="failed",profile="Ops",feed="API"} 0')
  expect(lines).toContain('feedwatch_feed_up{profile="Ops",feed="API"} 1')
})

test('two feeds of the same name are told apart by their ids', async () => {
  const lines = await render([snapshot()])
  expect(lines).toContain('feedwatch_feed_up{profile="Ops",feed="DB (db)"} 0')
  expect(lines).toContain('feedwatch_feed_up{profile="Ops",feed="DB (db2)"} 0')
})

test('panel values are labelled by panel title and series label or field path', async () => {
  const lines = await render([snapshot()])
  expect(lines).toContain('feedwatch_panel_value{profile="Ops",panel="CPU",series="cpu"} 0.42')
  expect(lines).toContain('feedwatch_panel_value{profile="Ops",panel="Latency",series="p99"} 120')
})

test('active alerts appear like Prometheus ALERTS', async () => {
  const lines = await render([snapshot()])
  expect(lines).toContain(
    'feedwatch_alerts{profile="Ops",alertname="CPU high",alertstate="firing",severity="critical",feed="API"} 1',
  )
})

test('a resolved alert and a removed feed disappear from the next scrape', async () => {
  const entries = [snapshot()]
  const metrics = createFeedwatchMetrics(() => entries, { processMetrics: false })
  await metrics.render()
  entries[0] = snapshot({ alerts: [], feeds: [] })
  const body = (await metrics.render()).body
  expect(body).not.toContain('feedwatch_alerts{')
  expect(body).not.toContain('feed="API"')
})

test('contact point totals are counted by outcome', async () => {
  const lines = await render([snapshot()])
  expect(lines).toContain(
    'feedwatch_notifications_total{outcome="delivered",profile="Ops",contact_point="Team AM"} 3',
  )
  expect(lines).toContain(
    'feedwatch_notifications_total{outcome="failed",profile="Ops",contact_point="Team AM"} 1',
  )
  expect(lines).toContain(
    'feedwatch_notification_queue_length{profile="Ops",contact_point="Team AM"} 2',
  )
})

test('label values with quotes and backslashes are escaped', async () => {
  const named = profileSchema.parse({ ...profile, name: 'Ops "A" \\ B' })
  const lines = await render([snapshot({ profile: named })])
  expect(lines).toContain('feedwatch_feed_up{profile="Ops \\"A\\" \\\\ B",feed="API"} 1')
})

test('every profile running is reported', async () => {
  const other = profileSchema.parse({ ...profile, name: 'Staging' })
  const lines = await render([snapshot(), snapshot({ profile: other })])
  expect(lines).toContain('feedwatch_feed_events_total{profile="Staging",feed="API"} 42')
  expect(lines).toContain('feedwatch_feed_events_total{profile="Ops",feed="API"} 42')
})

test('process metrics are included by default', async () => {
  const metrics = createFeedwatchMetrics(() => [])
  expect((await metrics.render()).body).toContain('process_resident_memory_bytes')
})
