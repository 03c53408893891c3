/**
 * The alert engine on condition rules: pending, firing, resolving and noise control, in real time at
 * small scales (pending periods and repeat intervals of tenths of a second, a 10 ms tick).
 */
import { afterEach, expect, test, vi } from 'vitest'
import { MATCH_INPUT_MAX_CHARS } from '../../src/main/alerts/text-matcher'
import { cpuHigh, disposeEngines, jsonEvent, recordingEngine } from '../support/alert-fixtures'
import { sleep, waitFor } from '../support/connection-probe'

afterEach(() => {
  disposeEngines()
  vi.restoreAllMocks()
})

test('a condition that holds with no new events fires when the pending period ends', async () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([cpuHigh({ pendingSeconds: 0.1 })])
  const started = Date.now()
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  expect(engine.active()).toMatchObject([{ state: 'pending', lastValue: 95 }])
  expect(notices).toEqual([])
  const [notice] = await waitFor(() => notices.length > 0 && notices)
  expect(notice).toMatchObject({
    kind: 'firing',
    ruleId: 'cpu-high',
    feedId: 'api',
    severity: 'critical',
  })
  expect(notice?.at).toBeGreaterThanOrEqual(started + 100)
  expect(engine.active()).toMatchObject([{ state: 'firing', since: expect.any(Number) }])
  expect(engine.active()[0]?.since).toBeGreaterThanOrEqual(started + 100)
})

test('a condition that clears during the pending period never fires', async () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([cpuHigh({ pendingSeconds: 0.1 })])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  await sleep(40)
  engine.handleEvent('api', jsonEvent({ cpu: 50 }))
  await sleep(150)
  expect(notices).toEqual([])
  expect(engine.active()).toEqual([])
  expect(engine.history().entries).toEqual([])
})

test('a pending period of zero fires on the event itself', () => {
  const { engine, kinds } = recordingEngine()
  engine.setRules([cpuHigh()])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  expect(kinds()).toEqual(['firing'])
})

test('a value arriving after the pending period fires at once, without waiting for a tick', async () => {
  const { engine, kinds } = recordingEngine({ tickMs: 60_000 })
  engine.setRules([cpuHigh({ pendingSeconds: 0.05 })])
  const started = Date.now()
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  await sleep(80)
  expect(kinds()).toEqual([])
  engine.handleEvent('api', jsonEvent({ cpu: 96 }))
  expect(kinds()).toEqual(['firing'])
  // Firing since is when the pending period ran out, not when it was noticed.
  expect(engine.active()[0]?.since).toBeLessThan(started + 80)
})

test('the firing notice names the rule, the field, the value and the feed', () => {
  const { engine, notices } = recordingEngine({
    feedName: (id) => (id === 'api' ? 'Prod API' : undefined),
  })
  engine.setRules([cpuHigh()])
  engine.handleEvent('api', jsonEvent({ cpu: 95.5 }))
  expect(notices[0]).toMatchObject({
    title: 'Firing: CPU high',
    body: 'cpu is 95.5 (> 90) on Prod API',
  })
})

test('a firing alert sends a resolved notice when the condition clears', () => {
  const { engine, notices, kinds } = recordingEngine()
  engine.setRules([cpuHigh()])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  engine.handleEvent('api', jsonEvent({ cpu: 40 }))
  expect(kinds()).toEqual(['firing', 'resolved'])
  expect(notices[1]).toMatchObject({ title: 'Resolved: CPU high', alertId: notices[0]?.alertId })
  expect(engine.active()).toEqual([])
  expect(engine.history().entries.map((entry) => entry.kind)).toEqual(['fired', 'resolved'])
})

test('with a recovery threshold the alert resolves only once the value is past it', () => {
  const { engine, kinds } = recordingEngine()
  engine.setRules([cpuHigh({ recoveryValue: 80 })])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  engine.handleEvent('api', jsonEvent({ cpu: 85 }))
  expect(engine.active()).toMatchObject([{ state: 'firing', lastValue: 85 }])
  engine.handleEvent('api', jsonEvent({ cpu: 80 }))
  expect(kinds()).toEqual(['firing'])
  engine.handleEvent('api', jsonEvent({ cpu: 79.9 }))
  expect(kinds()).toEqual(['firing', 'resolved'])
})

test('one alert per rule however many events hold', () => {
  const { engine, kinds } = recordingEngine()
  engine.setRules([cpuHigh()])
  for (const cpu of [91, 92, 93, 94]) engine.handleEvent('api', jsonEvent({ cpu }))
  expect(engine.active()).toHaveLength(1)
  expect(engine.active()[0]?.lastValue).toBe(94)
  expect(kinds()).toEqual(['firing'])
})

test('a firing alert repeats its notice every repeat interval', async () => {
  const { engine, notices, kinds } = recordingEngine()
  engine.setRules([cpuHigh({ repeatIntervalSeconds: 0.1 })])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  await sleep(560)
  const repeats = kinds().filter((kind) => kind === 'repeat').length
  // Due at 100, 200, 300, 400 and 500 ms; a busy machine may run the last tick late.
  expect(repeats).toBeGreaterThanOrEqual(4)
  expect(repeats).toBeLessThanOrEqual(5)
  expect(notices[1]?.title).toBe('Still firing: CPU high')
})

test('a repeat interval of zero notifies once', async () => {
  const { engine, kinds } = recordingEngine()
  engine.setRules([cpuHigh()])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  await sleep(150)
  expect(kinds()).toEqual(['firing'])
})

test('an acknowledged alert stops repeating but still sends its resolved notice', async () => {
  const { engine, kinds } = recordingEngine()
  engine.setRules([cpuHigh({ repeatIntervalSeconds: 0.05 })])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  const [alert] = engine.active()
  expect(engine.acknowledge(alert?.id ?? '')).toBe(true)
  expect(engine.active()[0]?.acknowledged).toBe(true)
  await sleep(200)
  expect(kinds()).toEqual(['firing'])
  engine.handleEvent('api', jsonEvent({ cpu: 10 }))
  expect(kinds()).toEqual(['firing', 'resolved'])
  expect(engine.history().entries.map((entry) => entry.kind)).toEqual([
    'fired',
    'acknowledged',
    'resolved',
  ])
})

test('acknowledging a pending or unknown alert does nothing', () => {
  const { engine } = recordingEngine()
  engine.setRules([cpuHigh({ pendingSeconds: 10 })])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  expect(engine.acknowledge(engine.active()[0]?.id ?? '')).toBe(false)
  expect(engine.acknowledge('nope')).toBe(false)
  expect(engine.history().entries).toEqual([])
})

test('the acknowledgement ends with the alert: the next one repeats again', async () => {
  const { engine, kinds } = recordingEngine()
  engine.setRules([cpuHigh({ repeatIntervalSeconds: 0.05 })])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  engine.acknowledge(engine.active()[0]?.id ?? '')
  engine.handleEvent('api', jsonEvent({ cpu: 10 }))
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  expect(engine.active()[0]?.acknowledged).toBe(false)
  await waitFor(() => kinds().includes('repeat'))
})

test('a silenced rule fires without notices and its state is still tracked', async () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([cpuHigh()])
  const until = Date.now() + 10_000
  expect(engine.silence('cpu-high', until)).toBe(true)
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  expect(engine.active()).toMatchObject([{ state: 'firing', silencedUntil: until }])
  engine.handleEvent('api', jsonEvent({ cpu: 10 }))
  await sleep(50)
  expect(notices).toEqual([])
  expect(engine.history().entries).toMatchObject([
    { kind: 'silenced', until },
    { kind: 'fired', notified: false },
    { kind: 'resolved', notified: false, reason: 'cleared' },
  ])
})

test('when a silence ends on an alert that fired during it, one firing notice goes out', async () => {
  const { engine, notices, kinds } = recordingEngine()
  engine.setRules([cpuHigh({ repeatIntervalSeconds: 0.05 })])
  const until = Date.now() + 150
  engine.silence('cpu-high', until)
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  await waitFor(() => notices.length > 0)
  expect(kinds()[0]).toBe('firing')
  expect(notices[0]?.at).toBeGreaterThanOrEqual(until)
  await sleep(30)
  expect(kinds()).toEqual(['firing'])
  expect(engine.active()[0]?.silencedUntil).toBeNull()
})

test('repeats that fell due during a silence are skipped, not sent in a burst', async () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([cpuHigh({ repeatIntervalSeconds: 0.04 })])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  const until = Date.now() + 200
  engine.silence('cpu-high', until)
  await sleep(300)
  const afterSilence = notices.filter((notice) => notice.at >= until)
  expect(notices.filter((notice) => notice.at < until).map((notice) => notice.kind)).toEqual([
    'firing',
  ])
  expect(afterSilence.length).toBeGreaterThanOrEqual(1)
  expect(afterSilence.length).toBeLessThanOrEqual(3)
  // On the original 40 ms schedule: never two notices at the end of the silence.
  for (let i = 1; i < afterSilence.length; i++)
    expect((afterSilence[i]?.at ?? 0) - (afterSilence[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(20)
})

test('unsilencing sends the held-back firing notice at once', () => {
  const { engine, kinds } = recordingEngine({ tickMs: 60_000 })
  engine.setRules([cpuHigh()])
  engine.silence('cpu-high', Date.now() + 60_000)
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  expect(kinds()).toEqual([])
  expect(engine.unsilence('cpu-high')).toBe(true)
  expect(kinds()).toEqual(['firing'])
  expect(engine.unsilence('cpu-high')).toBe(false)
  expect(engine.history().entries.map((entry) => entry.kind)).toEqual([
    'silenced',
    'fired',
    'unsilenced',
  ])
})

test('silencing an unknown rule or until a past time is refused', () => {
  const { engine } = recordingEngine()
  engine.setRules([cpuHigh()])
  expect(engine.silence('nope', Date.now() + 1000)).toBe(false)
  expect(() => engine.silence('cpu-high', Date.now() - 1)).toThrow(RangeError)
})

test('a condition rule for one event name ignores events of other names', () => {
  const { engine, kinds } = recordingEngine()
  engine.setRules([cpuHigh({ source: { feedId: 'api', event: 'metrics', path: 'cpu' } })])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }, 'message'))
  engine.handleEvent('api', jsonEvent({ cpu: 95 }, 'heartbeat'))
  expect(kinds()).toEqual([])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }, 'metrics'))
  expect(kinds()).toEqual(['firing'])
})

test('events of other feeds are ignored', () => {
  const { engine, kinds } = recordingEngine()
  engine.setRules([cpuHigh()])
  engine.handleEvent('db', jsonEvent({ cpu: 95 }))
  expect(kinds()).toEqual([])
})

test('data that is not JSON, or lacks the field, leaves a firing alert firing', () => {
  const { engine, kinds } = recordingEngine()
  engine.setRules([cpuHigh()])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  for (const data of ['not json', '', '{"mem":10}', '{"cpu":"n/a"}', '{"cpu":null}'])
    engine.handleEvent('api', jsonEvent(data))
  expect(kinds()).toEqual(['firing'])
  expect(engine.active()).toMatchObject([{ state: 'firing', lastValue: 95 }])
})

test('data that is not JSON leaves a pending alert pending', async () => {
  const { engine, kinds } = recordingEngine()
  engine.setRules([cpuHigh({ pendingSeconds: 0.08 })])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  engine.handleEvent('api', jsonEvent('cpu=10'))
  engine.handleEvent('api', jsonEvent({ other: 10 }))
  expect(engine.active()).toMatchObject([{ state: 'pending' }])
  await waitFor(() => kinds().includes('firing'))
})

test('each event is parsed once however many rules look at it', () => {
  const { engine } = recordingEngine()
  engine.setRules([
    cpuHigh({ id: 'a' }),
    cpuHigh({ id: 'b', operator: '<', value: 5 }),
    cpuHigh({ id: 'c', source: { feedId: 'api', path: 'mem' } }),
    cpuHigh({ id: 'd', operator: 'matches', value: '^9' }),
  ])
  const parse = vi.spyOn(JSON, 'parse')
  engine.handleEvent('api', jsonEvent({ cpu: 95, mem: 1 }))
  expect(parse).toHaveBeenCalledTimes(1)
})

test('an event no condition rule looks at is not parsed', () => {
  const { engine } = recordingEngine()
  engine.setRules([cpuHigh({ source: { feedId: 'api', event: 'metrics', path: 'cpu' } })])
  const parse = vi.spyOn(JSON, 'parse')
  engine.handleEvent('api', jsonEvent({ cpu: 95 }, 'log'))
  engine.handleEvent('other', jsonEvent({ cpu: 95 }))
  expect(parse).not.toHaveBeenCalled()
})

test('a notifier that throws does not stop the engine', () => {
  const errors: unknown[] = []
  const { engine } = recordingEngine({
    notifier: {
      notify: () => {
        throw new Error('no display')
      },
    },
    onNotifierError: (error) => errors.push(error),
  })
  engine.setRules([cpuHigh()])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  engine.handleEvent('api', jsonEvent({ cpu: 10 }))
  expect(errors).toHaveLength(2)
  expect(engine.history().entries.map((entry) => entry.kind)).toEqual(['fired', 'resolved'])
})

test('a matches value over the length limit is reported once a minute per rule and changes nothing', () => {
  vi.useFakeTimers()
  try {
    const problems: string[] = []
    const { engine, notices } = recordingEngine({
      onRuleProblem: (ruleId, message) => problems.push(`${ruleId}: ${message}`),
    })
    engine.setRules([
      cpuHigh({ operator: 'matches', value: 'ERROR', source: { feedId: 'api', path: 'log' } }),
    ])
    const long = `${'x'.repeat(MATCH_INPUT_MAX_CHARS)}ERROR`
    engine.handleEvent('api', jsonEvent({ log: long }))
    engine.handleEvent('api', jsonEvent({ log: long }))
    expect(problems).toEqual([
      `cpu-high: a value of ${long.length} characters was not tested: "matches" tests values of up to ${MATCH_INPUT_MAX_CHARS}`,
    ])
    expect(notices).toEqual([])
    vi.advanceTimersByTime(60_000)
    engine.handleEvent('api', jsonEvent({ log: long }))
    expect(problems).toHaveLength(2)
    engine.handleEvent('api', jsonEvent({ log: 'ERROR' }))
    expect(notices.map((notice) => notice.kind)).toEqual(['firing'])
  } finally {
    vi.useRealTimers()
  }
})
