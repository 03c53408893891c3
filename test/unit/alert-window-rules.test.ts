/** Condition rules over time windows and over the last M samples, and event-count rules, at exact times. */
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { compileRules } from '../../src/main/alerts/compiled-rule'
import { previewRule } from '../../src/main/alerts/preview'
import type { AlertNotice } from '../../src/shared/alerts'
import type { FeedEvent } from '../../src/shared/feed-event'
import { alertRuleSchema, type AlertRule, type EventCountRule } from '../../src/shared/profile'
import type { Reducer } from '../../src/shared/rule-window'
import { cpuHigh, disposeEngines, recordingEngine } from '../support/alert-fixtures'

const T0 = Date.UTC(2026, 0, 1)

beforeEach(() => {
  vi.useFakeTimers()
  vi.setSystemTime(T0)
})
afterEach(() => {
  disposeEngines()
  vi.useRealTimers()
})

function runTo(seconds: number): void {
  vi.advanceTimersByTime(T0 + Math.round(seconds * 1000) - Date.now())
}

let seq = 0
/** An event received now, as the engine would see it. */
function event(data: unknown, name = 'message'): FeedEvent {
  return { event: name, id: '', data: JSON.stringify(data), receivedAt: Date.now(), seq: ++seq }
}

function timeline(notices: readonly AlertNotice[]): string[] {
  return notices.map((notice) => `${notice.kind}@${(notice.at - T0) / 1000}`)
}

function incidents(overrides: Partial<EventCountRule> = {}): EventCountRule {
  return {
    id: 'incidents',
    name: 'Incidents',
    enabled: true,
    severity: 'critical',
    repeatIntervalSeconds: 0,
    kind: 'event-count',
    feedId: 'api',
    event: 'incident',
    operator: '>',
    count: 5,
    windowSeconds: 300,
    pendingSeconds: 0,
    ...overrides,
  }
}

test('avg over a 1 minute window fires with the reduced value and the window in its text', () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([cpuHigh({ value: 0.9, window: { kind: 'time', reducer: 'avg', seconds: 60 } })])
  for (const [second, cpu] of [
    [0, 0.85],
    [10, 0.95],
    [20, 0.99],
  ] as const) {
    runTo(second)
    engine.handleEvent('api', event({ cpu }))
  }
  // 0.85, then an average of exactly 0.9, then 0.93.
  expect(timeline(notices)).toEqual(['firing@20'])
  expect(notices[0]?.body).toBe('avg cpu over 1 min is 0.93 (> 0.9) on api')
  expect(engine.active()).toMatchObject([{ lastValue: (0.85 + 0.95 + 0.99) / 3 }])
})

test('a sample leaving the window resolves the alert at exactly that moment', () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([cpuHigh({ window: { kind: 'time', reducer: 'max', seconds: 10 } })])
  engine.handleEvent('api', event({ cpu: 95 }))
  runTo(1)
  engine.handleEvent('api', event({ cpu: 10 }))
  runTo(9.999)
  expect(timeline(notices)).toEqual(['firing@0'])
  runTo(11)
  expect(timeline(notices)).toEqual(['firing@0', 'resolved@10'])
  expect(notices[1]?.body).toBe('max cpu over 10 s is 10 on api')
})

test('a rate rule is judged only once it has watched a whole window, then fires when the rate drops', () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([
    cpuHigh({ operator: '<', value: 1, window: { kind: 'time', reducer: 'rate', seconds: 10 } }),
  ])
  // Two samples a second for 20 s, then silence.
  for (let k = 1; k <= 40; k++) {
    runTo(k / 2)
    engine.handleEvent('api', event({ cpu: 1 }))
  }
  runTo(25)
  expect(notices).toEqual([])
  runTo(30)
  // At 25.5 s the sample of 15.5 s leaves: 9 samples in 10 s.
  expect(timeline(notices)).toEqual(['firing@25.5'])
  expect(notices[0]?.body).toBe('rate cpu over 10 s is 0.9/s (< 1) on api')
})

test('a rate rule on a feed that sends nothing fires one window after it was set, not at once', () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([
    cpuHigh({ operator: '<', value: 1, window: { kind: 'time', reducer: 'rate', seconds: 60 } }),
  ])
  runTo(59.99)
  expect(notices).toEqual([])
  runTo(61)
  expect(timeline(notices)).toEqual(['firing@60'])
})

test('a pending period over a window fires exactly when it runs out', () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([
    cpuHigh({ pendingSeconds: 5, window: { kind: 'time', reducer: 'p90', seconds: 30 } }),
  ])
  engine.handleEvent('api', event({ cpu: 99 }))
  runTo(7)
  expect(timeline(notices)).toEqual(['firing@5'])
})

test('three of the last five samples fire and fewer resolve', () => {
  const { engine, kinds, notices } = recordingEngine()
  engine.setRules([
    cpuHigh({
      value: 400,
      source: { feedId: 'api', path: 'p99' },
      window: { kind: 'samples', count: 3, of: 5 },
    }),
  ])
  for (const p99 of [500, 100, 450, 100]) engine.handleEvent('api', event({ p99 }))
  expect(kinds()).toEqual([])
  engine.handleEvent('api', event({ p99: 410 }))
  expect(kinds()).toEqual(['firing'])
  expect(notices[0]?.body).toBe('p99 is 410 (> 400) in 3 of the last 5 samples on api')
  // 500 leaves the last five: two over 400 remain.
  engine.handleEvent('api', event({ p99: 100 }))
  expect(kinds()).toEqual(['firing', 'resolved'])
})

test('more than 5 incident events in 5 minutes fires, and resolves when the first leaves the window', () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([incidents()])
  for (let i = 0; i < 6; i++) {
    runTo(i * 10)
    engine.handleEvent('api', event({}, 'incident'))
    engine.handleEvent('api', event({}, 'heartbeat'))
  }
  runTo(299)
  expect(timeline(notices)).toEqual(['firing@50'])
  expect(notices[0]?.body).toBe('6 "incident" events in 5 min (> 5) on api')
  runTo(301)
  expect(timeline(notices)).toEqual(['firing@50', 'resolved@300'])
})

test('fewer than 10 events per minute fires when the feed slows down', () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([incidents({ event: undefined, operator: '<', count: 10, windowSeconds: 60 })])
  for (let second = 0; second < 120; second += 5) {
    runTo(second)
    engine.handleEvent('api', event({}))
  }
  runTo(200)
  // 12 a minute until the last at 115 s; fewer than 10 once the one of 70 s leaves at 130 s.
  expect(timeline(notices)).toEqual(['firing@130'])
  expect(notices[0]?.body).toBe('9 events in 1 min (< 10) on api')
})

test('a window over its sample cap says in its notices that the count comes from the newest samples', () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([incidents({ event: undefined, windowSeconds: 60, repeatIntervalSeconds: 10 })])
  // One event a millisecond: the window passes its 10,000-sample cap after 10 s.
  for (let ms = 0; ms < 10_500; ms++) {
    runTo(ms / 1000)
    engine.handleEvent('api', event({}))
  }
  expect(notices.map((notice) => notice.body)).toEqual([
    '6 events in 1 min (> 5) on api',
    expect.stringMatching(
      /^\d+ events in 1 min \(from the newest 10000 samples\) \(> 5\) on api; firing for 10 s$/,
    ) as unknown as string,
  ])
})

test('a time window on an operator that does not compare numbers is refused', () => {
  expect(() =>
    compileRules([
      cpuHigh({
        operator: 'contains',
        value: 'x',
        window: { kind: 'time', reducer: 'avg', seconds: 60 },
      }),
    ]),
  ).toThrow(
    'rule "cpu-high": window: "avg" over a time window gives a number: use >, >=, < or <=, not "contains"',
  )
})

test('a window longer than an hour is refused', () => {
  expect(() =>
    compileRules([cpuHigh({ window: { kind: 'time', reducer: 'avg', seconds: 3601 } })]),
  ).toThrow('window.seconds: must be between 1 and 3600 seconds (1 h)')
  expect(() => compileRules([incidents({ windowSeconds: 0.5 })])).toThrow(
    'windowSeconds: must be between 1 and 3600 seconds (1 h)',
  )
})

test('a recovery value on an N of M window is refused', () => {
  expect(() =>
    compileRules([cpuHigh({ recoveryValue: 80, window: { kind: 'samples', count: 2, of: 3 } })]),
  ).toThrow(/recoveryValue: does not apply to "N of the last M samples"/)
})

test('a rule written before windows existed still reads, without a window', () => {
  const old = alertRuleSchema.parse({
    id: 'cpu',
    name: 'CPU',
    kind: 'condition',
    source: { feedId: 'api', path: 'cpu' },
    operator: '>',
    value: 90,
  })
  expect(old).not.toHaveProperty('window')
  expect(
    alertRuleSchema.safeParse({ ...old, window: { kind: 'samples', count: 4, of: 3 } }).success,
  ).toBe(false)
})

/** Mulberry32, so a failing sequence replays. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** When and with what value the engine fired, living through `events` on fake time, up to `end`. */
function engineFirings(rule: AlertRule, events: readonly FeedEvent[], end: number) {
  const { engine } = recordingEngine()
  // The preview watches from the first buffered event on: so does the engine here.
  vi.advanceTimersByTime((events[0]?.receivedAt ?? Date.now()) - Date.now())
  engine.setRules([rule])
  for (const item of events) {
    vi.advanceTimersByTime(item.receivedAt - Date.now())
    engine.handleEvent('api', item)
  }
  vi.advanceTimersByTime(end - Date.now())
  return engine
    .history()
    .entries.filter((entry) => entry.kind === 'fired')
    .map((entry) => ({ at: entry.at, value: 'value' in entry ? entry.value : null }))
}

const WINDOW_RULES: AlertRule[] = [
  ...(['last', 'avg', 'min', 'max', 'sum', 'count', 'rate', 'p50', 'p90', 'p99'] as Reducer[]).map(
    (reducer): AlertRule =>
      cpuHigh({
        id: `w-${reducer}`,
        operator: reducer === 'rate' || reducer === 'count' ? '<' : '>',
        value: { sum: 300, count: 4, rate: 0.5 }[reducer as 'sum'] ?? 60,
        recoveryValue: reducer === 'avg' ? 40 : undefined,
        pendingSeconds: reducer === 'p90' ? 2 : 0,
        window: { kind: 'time', reducer, seconds: 5 + Math.floor(reducer.length * 3) },
      }),
  ),
  cpuHigh({ id: 'n-of-m', value: 70, window: { kind: 'samples', count: 2, of: 4 } }),
  incidents({ id: 'count-more', event: undefined, operator: '>', count: 6, windowSeconds: 5 }),
  incidents({
    id: 'count-fewer',
    event: 'message',
    operator: '<',
    count: 3,
    windowSeconds: 8,
    pendingSeconds: 1,
  }),
]

for (const rule of WINDOW_RULES) {
  test(`the preview of ${rule.id} equals what the engine fired on random sequences`, () => {
    let fired = 0
    for (let seed = 1; seed <= 5; seed++) {
      const next = random(seed * 104_729)
      vi.setSystemTime(T0)
      const events: FeedEvent[] = []
      let at = T0
      for (let i = 0; i < 300; i++) {
        at += next() < 0.05 ? 8000 + Math.floor(next() * 8000) : Math.floor(next() * 900)
        const cpu = Math.round(next() * 100)
        events.push({
          event: 'message',
          id: '',
          data: JSON.stringify({ cpu }),
          receivedAt: at,
          seq: i,
        })
      }
      const end = at + 20_000
      const live = engineFirings(rule, events, end)
      const preview = previewRule(rule, events, end)
      expect(preview.firings, `seed ${seed}`).toEqual(live)
      fired += live.length
      disposeEngines()
    }
    // Sequences on which the rule never fires would prove nothing.
    expect(fired).toBeGreaterThan(5)
  })
}

test('an N of M window with N over M or M over 1,000, and a fractional event count, are refused', () => {
  expect(() => compileRules([cpuHigh({ window: { kind: 'samples', count: 4, of: 3 } })])).toThrow(
    'window.count: must be a whole number from 1 to 3',
  )
  expect(() =>
    compileRules([cpuHigh({ window: { kind: 'samples', count: 1, of: 1001 } })]),
  ).toThrow('window.of: must be a whole number from 1 to 1000')
  expect(() => compileRules([incidents({ count: 2.5 })])).toThrow(
    'count: must be a whole number, 0 or more',
  )
})
