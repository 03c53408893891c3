// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { nextTick } from 'vue'
import { feedwatchClient } from '../../../src/renderer/src/api/client'
import { useChartsStore } from '../../../src/renderer/src/stores/charts'
import { useConnectionStore } from '../../../src/renderer/src/stores/connection'
import { useFeedsStore } from '../../../src/renderer/src/stores/feeds'
import { useProfileStore } from '../../../src/renderer/src/stores/profile'
import { useSettingsStore } from '../../../src/renderer/src/stores/settings'
import { CommandFailure, unwrap } from '../../../src/renderer/src/stores/unwrap'
import { CONNECTION_LOST_AFTER_MS, type ActiveProfile } from '../../../src/shared/api'
import type { FeedStatus } from '../../../src/shared/feed-status'
import type { FeedEvent } from '../../../src/shared/feed-event'
import type { Panel, Profile } from '../../../src/shared/profile'
import type { FakeClient } from './fake-client'

vi.mock('../../../src/renderer/src/api/client', async () => {
  const { FakeClient } = await import('./fake-client')
  const client = new FakeClient()
  return { feedwatchClient: () => client }
})

const client = feedwatchClient() as FakeClient

const cpuTile: Panel = {
  id: 'cpu-now',
  kind: 'tile',
  title: 'CPU now',
  unit: 'percentunit',
  source: { feedId: 'demo', path: 'cpu' },
}

function profile(name: string, change: Partial<Profile> = {}): ActiveProfile {
  return {
    profile: {
      version: 1,
      name,
      feeds: [{ id: 'demo', name: 'Demo feed', url: 'http://127.0.0.1:1/events', enabled: true }],
      panels: [],
      rules: [],
      layout: { wallPanels: [], wallSizes: {}, wallPages: [], wallRotateSeconds: 0 },
      settings: { theme: 'dark', notifications: true, soundSeverities: ['critical'] },
      ...change,
    } as unknown as Profile,
    notices: [],
    running: true,
  }
}

function status(
  feedId: string,
  change: Partial<FeedStatus & { profile: string }> = {},
): FeedStatus & { profile: string } {
  return {
    feedId,
    state: { state: 'open', at: 0, status: 200, contentType: 'text/event-stream' },
    stats: {
      events: 0,
      bytes: 0,
      reconnects: 0,
      lastEventAt: null,
      connectedSince: null,
      eventsPerSecond: 0,
    },
    lastEventId: '',
    buffered: 0,
    dropped: 0,
    profile: 'Demo',
    ...change,
  }
}

const event = (seq: number, data: unknown, name = 'message'): FeedEvent => ({
  event: name,
  id: String(seq),
  data: JSON.stringify(data),
  receivedAt: seq * 1000,
  seq,
})

beforeEach(() => {
  setActivePinia(createPinia())
  client.calls.length = 0
  client.answer('profiles:active', (request) =>
    profile((request as { name?: string }).name ?? 'Demo'),
  )
  client.answer('profiles:list', [])
  client.answer('profiles:running', [])
  client.answer('feeds:list', [status('demo')])
})

afterEach(() => {
  vi.useRealTimers()
})

test('unwrap gives the value of a result or throws the contract error', () => {
  expect(unwrap({ ok: true, value: 3 })).toBe(3)
  const failure = (() => {
    try {
      unwrap({ ok: false, error: { code: 'not-found', message: 'no such feed' } })
    } catch (error) {
      return error
    }
  })()
  expect(failure).toBeInstanceOf(CommandFailure)
  expect((failure as CommandFailure).error.code).toBe('not-found')
  expect((failure as CommandFailure).message).toBe('no such feed')
})

test('the profile store loads the profile shown and scopes commands to it', async () => {
  const profiles = useProfileStore()
  await profiles.load()
  expect(profiles.name).toBe('Demo')
  expect(profiles.feeds.map((feed) => feed.id)).toEqual(['demo'])
  expect(profiles.isShown('demo')).toBe(true)
  expect(profiles.isShown('Ops')).toBe(false)
  expect(profiles.scope()).toEqual({ profile: 'Demo' })
})

test('a push about another profile leaves the profile shown alone', async () => {
  const profiles = useProfileStore()
  await profiles.load()
  client.push('profiles:changed', profile('Ops', { panels: [cpuTile] }))
  expect(profiles.panels).toEqual([])
  client.push('profiles:changed', profile('Demo', { panels: [cpuTile] }))
  expect(profiles.panels.map((panel) => panel.id)).toEqual(['cpu-now'])
})

test('switching shows the other profile, also where the server is read-only', async () => {
  const profiles = useProfileStore()
  await profiles.load()
  client.answer('profiles:switch', (request) => profile(request.name))
  await profiles.switchTo('Ops')
  expect(profiles.name).toBe('Ops')
  client.answer('profiles:switch', {
    ok: false,
    error: { code: 'read-only', message: 'read-only server' },
  } as never)
  await profiles.switchTo('Lab')
  expect(profiles.name).toBe('Lab')
})

test('profile commands go to the service and refresh the list', async () => {
  const profiles = useProfileStore()
  const summary = {
    name: 'Ops',
    feeds: 0,
    panels: 0,
    rules: 0,
    updatedAt: 0,
    active: false,
    running: false,
  }
  client.answer('profiles:create', summary)
  client.answer('profiles:duplicate', summary)
  client.answer('profiles:rename', summary)
  client.answer('profiles:delete', null)
  client.answer('profiles:export', { json: '{}', fileName: 'Ops.json' })
  client.answer('profiles:import', summary)
  client.answer('profiles:start', summary)
  client.answer('profiles:stop', summary)
  await profiles.create('Ops')
  await profiles.duplicate('Ops', 'Ops 2')
  await profiles.rename('Ops 2', 'Ops 3')
  await profiles.remove('Ops 3')
  expect(await profiles.exportProfile('Ops')).toEqual({ json: '{}', fileName: 'Ops.json' })
  expect(await profiles.importProfile('{}', 'Copy')).toEqual(summary)
  await profiles.importProfile('{}')
  await profiles.start('Ops')
  await profiles.stop('Ops')
  expect(client.names()).toEqual(
    expect.arrayContaining([
      'profiles:create',
      'profiles:duplicate',
      'profiles:rename',
      'profiles:delete',
      'profiles:export',
      'profiles:import',
      'profiles:start',
      'profiles:stop',
      'profiles:list',
    ]),
  )
})

test('the settings store reads the profile settings and saves changes to the profile shown', async () => {
  const profiles = useProfileStore()
  const settings = useSettingsStore()
  expect(settings.theme).toBe('system')
  await profiles.load()
  expect(settings.theme).toBe('dark')
  client.answer('settings:save', (request) => request as never)
  await settings.setTheme('light')
  const saved = client.calls.find((call) => call.name === 'settings:save')?.request
  expect(saved).toMatchObject({ theme: 'light', notifications: true, profile: 'Demo' })
})

test('the feeds store keeps the state of the feeds shown and counts down to a retry', async () => {
  vi.useFakeTimers()
  vi.setSystemTime(50_000)
  await useProfileStore().load()
  const feeds = useFeedsStore()
  await feeds.load()
  expect(feeds.statuses.get('demo')?.state.state).toBe('open')
  client.push(
    'feeds:state',
    status('demo', {
      state: {
        state: 'reconnecting',
        at: 49_000,
        attempt: 1,
        maxAttempts: 5,
        delayMs: 4000,
        code: 'network',
        reason: 'aborted',
      },
    }),
  )
  // The engine started the countdown a second ago: three seconds are left on this clock.
  expect(feeds.retryAt.get('demo')).toBe(53_000)
  client.push('feeds:state', status('demo', { profile: 'Ops', state: { state: 'idle', at: 0 } }))
  expect(feeds.statuses.get('demo')?.state.state).toBe('reconnecting')
  client.push('feeds:state', status('demo'))
  expect(feeds.retryAt.has('demo')).toBe(false)
})

test('feed commands carry the profile shown', async () => {
  await useProfileStore().load()
  const feeds = useFeedsStore()
  const feed = { id: 'demo', name: 'Demo feed' }
  for (const name of ['feeds:add', 'feeds:update'] as const) client.answer(name, feed as never)
  for (const name of ['feeds:remove', 'feeds:enable', 'feeds:disable'] as const)
    client.answer(name, null as never)
  for (const name of ['feeds:connect', 'feeds:disconnect', 'feeds:retry'] as const)
    client.answer(name, status('demo'))
  client.answer('feeds:test', {
    status: 200,
    contentType: 'text/event-stream',
    outcome: 'open',
    reason: null,
    events: [],
  })
  await feeds.add({ name: 'Demo feed', url: 'http://x' } as never)
  await feeds.update({ id: 'demo', name: 'Demo feed', url: 'http://x' } as never)
  await feeds.enable('demo')
  await feeds.disable('demo')
  await feeds.connect('demo')
  await feeds.disconnect('demo')
  await feeds.retry('demo')
  await feeds.remove('demo')
  expect((await feeds.test({ url: 'http://x' } as never)).outcome).toBe('open')
  const scoped = client.calls.filter(
    (call) => call.name.startsWith('feeds:') && !['feeds:list', 'feeds:test'].includes(call.name),
  )
  expect(scoped).toHaveLength(8)
  for (const call of scoped) expect(call.request).toMatchObject({ profile: 'Demo' })
})

test('the connection store says lost after silence and live again with the next heartbeat', () => {
  vi.useFakeTimers()
  const connection = useConnectionStore()
  expect(connection.lost).toBe(false)
  vi.advanceTimersByTime(CONNECTION_LOST_AFTER_MS)
  expect(connection.lost).toBe(true)
  client.push('service:heartbeat', {} as never)
  expect(connection.lost).toBe(false)
  client.streamChange(false)
  expect(connection.lost).toBe(true)
})

test('the charts store seeds a series from the buffer and appends what arrives', async () => {
  client.answer('events:query', {
    events: [event(1, { cpu: 0.4 }), event(2, { cpu: 0.5 })],
    dropped: 0,
  })
  const profiles = useProfileStore()
  await profiles.load()
  const charts = useChartsStore()
  client.push('profiles:changed', profile('Demo', { panels: [cpuTile] }))
  await nextTick()
  const buffer = charts.buffer(cpuTile.source)
  await vi.waitFor(() => expect(buffer.points.map((point) => point.y)).toEqual([0.4, 0.5]))

  const changed = vi.fn()
  const stop = charts.onSeriesChange([cpuTile.source], changed)
  client.push('events:batch', {
    profile: 'Demo',
    dropped: 0,
    feeds: [{ feedId: 'demo', events: [event(3, { cpu: 0.6 }), event(4, 'not json')] }],
  } as never)
  expect(buffer.latest?.y).toBe(0.6)
  expect(changed).toHaveBeenCalledTimes(1)
  expect(charts.engineNow()).toBeLessThanOrEqual(Date.now())
  stop()
  client.push('events:batch', {
    profile: 'Demo',
    dropped: 0,
    feeds: [{ feedId: 'demo', events: [event(5, { cpu: 0.7 })] }],
  } as never)
  expect(changed).toHaveBeenCalledTimes(1)
})

test('panel and wall commands go to the profile shown', async () => {
  const profiles = useProfileStore()
  await profiles.load()
  const charts = useChartsStore()
  client.answer('panels:save', (request) => request as never)
  client.answer('panels:remove', null)
  client.answer('layout:save', (request) => request as never)
  expect((await charts.savePanel(cpuTile)).id).toBe('cpu-now')
  await charts.removePanel('cpu-now')
  const layout = await charts.setOnWall('cpu-now', true)
  expect(layout.wallPanels).toContain('cpu-now')
  for (const call of client.calls.filter((c) => /^(panels|layout):/.test(c.name)))
    expect(call.request).toMatchObject({ profile: 'Demo' })
})
