import { expect, test } from 'vitest'
import { createDemoProfile, DEMO_FEED_ID } from '../../src/main/demo/demo-profile'
import { createDemoSimulation } from '../../src/main/demo/demo-simulation'
import { profileSchema, type FieldSource, type Profile } from '../../src/shared/profile'

const URL = 'http://127.0.0.1:8080/events'

function parsed(): Profile {
  return profileSchema.parse(createDemoProfile(URL))
}

/** Follows a dotted path (`latencyMs.p99`) into parsed JSON. */
function valueAt(data: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (value, key) =>
        typeof value === 'object' && value !== null
          ? (value as Record<string, unknown>)[key]
          : undefined,
      data,
    )
}

test('the demo profile passes the profile schema', () => {
  expect(() => profileSchema.parse(createDemoProfile(URL))).not.toThrow()
})

test('the demo profile is named "Demo" and has one feed at the given URL', () => {
  const profile = parsed()
  expect(profile.name).toBe('Demo')
  expect(profile.feeds).toHaveLength(1)
  expect(profile.feeds[0]).toMatchObject({ id: DEMO_FEED_ID, url: URL, enabled: true })
})

test('the demo profile has CPU, memory, latency and requests/s charts', () => {
  const charts = parsed().panels.filter((panel) => panel.kind === 'chart')
  const paths = charts.map((chart) => chart.series.map((series) => series.path))
  expect(paths).toEqual(
    expect.arrayContaining([['cpu'], ['mem'], ['latencyMs.p50', 'latencyMs.p99'], ['rps']]),
  )
})

test('the demo profile has tiles for the current CPU and p99 latency', () => {
  const tiles = parsed().panels.filter((panel) => panel.kind === 'tile')
  expect(tiles.map((tile) => tile.source.path).sort()).toEqual(['cpu', 'latencyMs.p99'])
})

test('the CPU rule warns above 0.9 held for 5 s and recovers below 0.8', () => {
  const rule = parsed().rules.find((r) => r.kind === 'condition' && r.source.path === 'cpu')
  expect(rule).toMatchObject({
    operator: '>',
    value: 0.9,
    pendingSeconds: 5,
    recoveryValue: 0.8,
    severity: 'warning',
  })
})

test('the latency rule is critical above 400 ms p99', () => {
  const rule = parsed().rules.find(
    (r) => r.kind === 'condition' && r.source.path === 'latencyMs.p99',
  )
  expect(rule).toMatchObject({ operator: '>', value: 400, severity: 'critical' })
})

test('the feed-down and no-data rules wait 10 s', () => {
  const rules = parsed().rules
  expect(rules.find((r) => r.kind === 'feed-down')).toMatchObject({
    feedId: DEMO_FEED_ID,
    forSeconds: 10,
  })
  expect(rules.find((r) => r.kind === 'no-data')).toMatchObject({
    feedId: DEMO_FEED_ID,
    forSeconds: 10,
  })
})

test('the wall shows every panel once', () => {
  const profile = parsed()
  expect([...profile.layout.wallPanels].sort()).toEqual(
    profile.panels.map((panel) => panel.id).sort(),
  )
})

test('every chart, tile and condition reads a number the demo server sends', () => {
  const profile = parsed()
  const sources: FieldSource[] = [
    ...profile.panels.flatMap((panel) => (panel.kind === 'tile' ? [panel.source] : panel.series)),
    ...profile.rules.flatMap((rule) => (rule.kind === 'condition' ? [rule.source] : [])),
  ]
  const [metrics] = createDemoSimulation().step(500)
  expect(metrics?.event).toBe('metrics')
  const data: unknown = JSON.parse(JSON.stringify(metrics?.data))
  for (const source of sources) {
    expect(source.event).toBe('metrics')
    expect(typeof valueAt(data, source.path), source.path).toBe('number')
  }
})

test('a URL that is not http(s) makes the profile invalid', () => {
  expect(profileSchema.safeParse(createDemoProfile('ftp://example.com/events')).success).toBe(false)
})
