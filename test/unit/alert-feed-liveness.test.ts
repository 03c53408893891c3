/**
 * No-data and feed-down across reconnects, stale aborts, servers that end idle streams and "Retry
 * now", at exact times on fake timers.
 */
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import type { AlertNotice } from '../../src/shared/alerts'
import type { ConnectionState } from '../../src/shared/connection'
import type { FeedDownRule, NoDataRule } from '../../src/shared/profile'
import { disposeEngines, jsonEvent, recordingEngine } from '../support/alert-fixtures'

const T0 = Date.UTC(2026, 0, 1)

beforeEach(() => {
  vi.useFakeTimers()
  vi.setSystemTime(T0)
})
afterEach(() => {
  disposeEngines()
  vi.useRealTimers()
})

/** Default no-data rule: 60 s. */
const noData: NoDataRule = {
  id: 'quiet',
  name: 'API quiet',
  enabled: true,
  severity: 'warning',
  repeatIntervalSeconds: 0,
  kind: 'no-data',
  feedId: 'api',
  forSeconds: 60,
}

/** Default feed-down rule: 30 s. */
const feedDown: FeedDownRule = {
  id: 'down',
  name: 'API down',
  enabled: true,
  severity: 'critical',
  repeatIntervalSeconds: 0,
  kind: 'feed-down',
  feedId: 'api',
  forSeconds: 30,
}

const at = (): number => Date.now()
const state = {
  connecting: (): ConnectionState => ({ state: 'connecting', at: at(), attempt: 1 }),
  open: (): ConnectionState => ({
    state: 'open',
    at: at(),
    status: 200,
    contentType: 'text/event-stream',
  }),
  reconnecting: (code: 'stale' | 'ended' | 'network', reason: string): ConnectionState => ({
    state: 'reconnecting',
    at: at(),
    attempt: 1,
    maxAttempts: 5,
    delayMs: 1000,
    code,
    reason,
  }),
  closed: (): ConnectionState => ({
    state: 'closed',
    at: at(),
    code: 'disconnected',
    reason: 'disconnected',
  }),
}

/** Notices as `kind@seconds since T0`. */
function timeline(notices: readonly AlertNotice[]): string[] {
  return notices.map((notice) => `${notice.ruleId} ${notice.kind}@${(notice.at - T0) / 1000}`)
}

/** Runs the clock to `seconds` after T0. */
function runTo(seconds: number): void {
  vi.advanceTimersByTime(T0 + Math.round(seconds * 1000) - Date.now())
}

test('with the defaults a silent feed aborted as stale every 46 s fires no-data at 60 s and feed-down at 75 s, and neither resolves', () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([noData, feedDown])
  engine.handleFeedState('api', state.connecting())
  engine.handleFeedState('api', state.open())
  // The engine's defaults: stale after 45 s without a byte, reconnect 1 s later.
  for (const opened of [0, 46, 92]) {
    runTo(opened + 45)
    engine.handleFeedState('api', state.reconnecting('stale', 'no data for 45 s'))
    runTo(opened + 46)
    engine.handleFeedState('api', state.connecting())
    engine.handleFeedState('api', state.open())
  }
  runTo(140)
  expect(timeline(notices)).toEqual(['quiet firing@60', 'down firing@75'])
  expect(engine.active().map((alert) => alert.state)).toEqual(['firing', 'firing'])
})

test('a server that ends idle streams every 1.2 s never resolves feed-down and lets no-data fire on time', () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([noData, feedDown])
  engine.handleFeedState('api', state.open())
  for (let cycle = 0; cycle < 44; cycle++) {
    runTo(cycle * 2.2 + 1.2)
    engine.handleFeedState('api', state.reconnecting('ended', 'stream ended'))
    runTo(cycle * 2.2 + 2.2)
    engine.handleFeedState('api', state.connecting())
    engine.handleFeedState('api', state.open())
  }
  runTo(100)
  // Down since the first end at 1.2 s: fires at 31.2 s.
  expect(timeline(notices)).toEqual(['down firing@31.2', 'quiet firing@60'])
})

test('a connection that stays open for the stable period resolves feed-down exactly then', () => {
  const { engine, notices } = recordingEngine({ stableConnectionMs: 5000 })
  engine.setRules([feedDown])
  engine.handleFeedState('api', state.reconnecting('network', 'connection refused'))
  runTo(40)
  engine.handleFeedState('api', state.open())
  runTo(44.999)
  expect(timeline(notices)).toEqual(['down firing@30'])
  runTo(46)
  expect(timeline(notices)).toEqual(['down firing@30', 'down resolved@45'])
})

test('an event on the reopened feed resolves feed-down at once', () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([feedDown])
  engine.handleFeedState('api', state.reconnecting('network', 'connection refused'))
  runTo(35)
  engine.handleFeedState('api', state.open())
  runTo(35.5)
  engine.handleEvent('api', jsonEvent({}))
  expect(timeline(notices)).toEqual(['down firing@30', 'down resolved@35.5'])
})

test('a feed that reopens and delivers an event before forSeconds never fires feed-down', () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([feedDown])
  engine.handleFeedState('api', state.reconnecting('ended', 'stream ended'))
  runTo(10)
  engine.handleFeedState('api', state.open())
  engine.handleEvent('api', jsonEvent({}))
  runTo(100)
  expect(notices).toEqual([])
})

test('retry now on a down feed sends no resolved notice and keeps the same alert', () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([feedDown])
  engine.handleFeedState('api', state.reconnecting('network', 'connection refused'))
  runTo(31)
  const [firing] = engine.active()
  // What "Retry now" reports: the disconnect, then a fresh attempt that fails again.
  engine.handleFeedState('api', state.closed())
  engine.handleFeedState('api', state.connecting())
  runTo(31.01)
  engine.handleFeedState('api', state.reconnecting('network', 'connection refused'))
  runTo(40)
  expect(timeline(notices)).toEqual(['down firing@30'])
  expect(engine.active()).toMatchObject([
    {
      id: firing?.id,
      state: 'firing',
      lastValue: 'reconnecting: connection refused by the server — is the server running?',
    },
  ])
})

test('retry now on a down feed that comes back resolves only when the new connection delivers data', () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([feedDown])
  engine.handleFeedState('api', state.reconnecting('network', 'connection refused'))
  runTo(31)
  engine.handleFeedState('api', state.closed())
  engine.handleFeedState('api', state.connecting())
  engine.handleFeedState('api', state.open())
  runTo(33)
  expect(timeline(notices)).toEqual(['down firing@30'])
  engine.handleEvent('api', jsonEvent({}))
  expect(timeline(notices)).toEqual(['down firing@30', 'down resolved@33'])
})

test('only an event of the rule name resolves no-data; reconnects do not', () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([{ ...noData, event: 'tick' }])
  runTo(61)
  engine.handleFeedState('api', state.reconnecting('ended', 'stream ended'))
  engine.handleFeedState('api', state.open())
  engine.handleEvent('api', jsonEvent({}, 'log'))
  runTo(62)
  expect(timeline(notices)).toEqual(['quiet firing@60'])
  engine.handleEvent('api', jsonEvent({}, 'tick'))
  expect(timeline(notices)).toEqual(['quiet firing@60', 'quiet resolved@62'])
})

test('no-data counts from the last event across a reconnect', () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([noData])
  runTo(10)
  engine.handleEvent('api', jsonEvent({}))
  runTo(30)
  engine.handleFeedState('api', state.reconnecting('stale', 'no data for 45 s'))
  runTo(31)
  engine.handleFeedState('api', state.open())
  runTo(80)
  expect(timeline(notices)).toEqual(['quiet firing@70'])
})

test('a feed-down rule set while its feed has reopened but not proven itself stays pending', () => {
  const { engine, notices } = recordingEngine()
  engine.handleFeedState('api', state.reconnecting('ended', 'stream ended'))
  runTo(5)
  engine.handleFeedState('api', state.open())
  runTo(10)
  engine.setRules([feedDown])
  expect(engine.active()).toMatchObject([{ state: 'pending', since: T0 }])
  runTo(31)
  expect(timeline(notices)).toEqual(['down firing@30'])
})
