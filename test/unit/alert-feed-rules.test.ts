/** Feed-down and no-data rules, driven by connection states and events in real time. */
import { afterEach, expect, test } from 'vitest'
import type { ConnectionState } from '../../src/shared/connection'
import type { FeedEvent } from '../../src/shared/feed-event'
import type { FeedDownRule, NoDataRule } from '../../src/shared/profile'
import { disposeEngines, recordingEngine } from '../support/alert-fixtures'
import { sleep, waitFor } from '../support/connection-probe'

afterEach(disposeEngines)

function feedDown(overrides: Partial<FeedDownRule> = {}): FeedDownRule {
  return {
    id: 'api-down',
    name: 'API down',
    enabled: true,
    severity: 'critical',
    repeatIntervalSeconds: 0,
    kind: 'feed-down',
    feedId: 'api',
    forSeconds: 0.1,
    ...overrides,
  }
}

function noData(overrides: Partial<NoDataRule> = {}): NoDataRule {
  return {
    id: 'api-quiet',
    name: 'API quiet',
    enabled: true,
    severity: 'warning',
    repeatIntervalSeconds: 0,
    kind: 'no-data',
    feedId: 'api',
    forSeconds: 0.1,
    ...overrides,
  }
}

const states = {
  connecting: (): ConnectionState => ({ state: 'connecting', at: Date.now(), attempt: 1 }),
  open: (): ConnectionState => ({
    state: 'open',
    at: Date.now(),
    status: 200,
    contentType: 'text/event-stream',
  }),
  reconnecting: (): ConnectionState => ({
    state: 'reconnecting',
    at: Date.now(),
    attempt: 1,
    maxAttempts: 5,
    delayMs: 1000,
    code: 'ended',
    reason: 'stream ended',
  }),
  failed: (): ConnectionState => ({
    state: 'failed',
    at: Date.now(),
    code: 'http-status',
    reason: '404 Not Found',
  }),
  closed: (): ConnectionState => ({
    state: 'closed',
    at: Date.now(),
    code: 'disconnected',
    reason: 'disconnected',
  }),
}

let seq = 0
function event(name = 'message'): FeedEvent {
  return { event: name, id: '', data: '{}', receivedAt: Date.now(), seq: ++seq }
}

test('feed-down is pending while the feed reconnects and fires after forSeconds', async () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([feedDown()])
  const started = Date.now()
  engine.handleFeedState('api', states.reconnecting())
  expect(engine.active()).toMatchObject([
    { state: 'pending', lastValue: 'reconnecting: the server ended the stream' },
  ])
  const [notice] = await waitFor(() => notices.length > 0 && notices)
  expect(notice).toMatchObject({ kind: 'firing', title: 'Firing: API down' })
  expect(notice?.body).toBe(
    'api has been down for 0.1 s or more (reconnecting: the server ended the stream)',
  )
  expect(notice?.at).toBeGreaterThanOrEqual(started + 100)
})

test('a failed feed counts as down', async () => {
  const { engine, kinds } = recordingEngine()
  engine.setRules([feedDown({ forSeconds: 0 })])
  engine.handleFeedState('api', states.failed())
  expect(kinds()).toEqual(['firing'])
  expect(engine.active()[0]?.lastValue).toBe(
    'failed: the server answered 404 Not Found — check the URL',
  )
})

test('connecting between reconnect attempts does not end the down period', async () => {
  const { engine, kinds } = recordingEngine()
  engine.setRules([feedDown()])
  engine.handleFeedState('api', states.reconnecting())
  for (let i = 0; i < 3; i++) {
    await sleep(30)
    engine.handleFeedState('api', states.connecting())
    engine.handleFeedState('api', states.reconnecting())
  }
  await waitFor(() => kinds().includes('firing'))
})

test('feed-down resolves when the reopened feed delivers an event', async () => {
  const { engine, kinds } = recordingEngine()
  engine.setRules([feedDown()])
  engine.handleFeedState('api', states.reconnecting())
  await waitFor(() => kinds().includes('firing'))
  engine.handleFeedState('api', states.connecting())
  engine.handleFeedState('api', states.open())
  expect(kinds()).toEqual(['firing'])
  engine.handleEvent('api', event())
  expect(kinds()).toEqual(['firing', 'resolved'])
  expect(engine.active()).toEqual([])
})

test('a feed that opens again and delivers an event within forSeconds never fires', async () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([feedDown()])
  engine.handleFeedState('api', states.reconnecting())
  await sleep(50)
  engine.handleFeedState('api', states.open())
  engine.handleEvent('api', event())
  await sleep(100)
  expect(notices).toEqual([])
  expect(engine.active()).toEqual([])
})

test('closing a down feed does not resolve its feed-down alert', async () => {
  const { engine, kinds } = recordingEngine()
  engine.setRules([feedDown({ forSeconds: 0 })])
  engine.handleFeedState('api', states.reconnecting())
  engine.handleFeedState('api', states.closed())
  expect(kinds()).toEqual(['firing'])
  expect(engine.active()).toMatchObject([{ state: 'firing' }])
})

test('a rule set while its feed is already down counts from when it went down', async () => {
  const { engine, kinds } = recordingEngine()
  engine.handleFeedState('api', states.reconnecting())
  await sleep(120)
  engine.setRules([feedDown()])
  expect(engine.active()).toMatchObject([
    { state: 'firing', lastValue: 'reconnecting: the server ended the stream' },
  ])
  expect(kinds()).toEqual(['firing'])
})

test('no-data fires when no event arrives for forSeconds after the rule is set', async () => {
  const { engine, notices } = recordingEngine()
  const started = Date.now()
  engine.setRules([noData()])
  expect(engine.active()).toEqual([])
  const [notice] = await waitFor(() => notices.length > 0 && notices)
  expect(notice).toMatchObject({ kind: 'firing', body: 'No events from api for 0.1 s' })
  expect(notice?.at).toBeGreaterThanOrEqual(started + 100)
  expect(engine.active()).toMatchObject([{ state: 'firing', lastValue: null }])
})

test('no-data resolves on the next event', async () => {
  const { engine, kinds } = recordingEngine()
  engine.setRules([noData()])
  await waitFor(() => kinds().includes('firing'))
  engine.handleEvent('api', event())
  expect(kinds()).toEqual(['firing', 'resolved'])
  expect(engine.active()).toEqual([])
})

test('events arriving within forSeconds keep a no-data rule quiet', async () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([noData()])
  for (let i = 0; i < 6; i++) {
    await sleep(40)
    engine.handleEvent('api', event())
  }
  expect(notices).toEqual([])
})

test('no-data with an event name is not kept quiet by events of other names', async () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([noData({ event: 'tick' })])
  for (let i = 0; i < 4; i++) {
    await sleep(40)
    engine.handleEvent('api', event('log'))
  }
  expect(notices.map((notice) => notice.body)).toEqual(['No "tick" events from api for 0.1 s'])
})

test('the feed reopening does not restart the no-data clock', async () => {
  const { engine, notices } = recordingEngine()
  const started = Date.now()
  engine.setRules([noData()])
  await sleep(70)
  engine.handleFeedState('api', states.open())
  const [notice] = await waitFor(() => notices.length > 0 && notices)
  expect(notice?.at).toBeLessThan(started + 160)
})
