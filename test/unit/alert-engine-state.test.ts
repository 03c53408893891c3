/** Rule changes, the bounded history, persistence across restarts and dispose. */
import { afterEach, expect, test, vi } from 'vitest'
import {
  AlertEngine,
  AlertRuleError,
  InvalidAlertStateError,
} from '../../src/main/alerts/alert-engine'
import { legacyRuleFingerprint } from '../../src/main/alerts/compiled-rule'
import type { NoDataRule } from '../../src/shared/profile'
import { cpuHigh, disposeEngines, jsonEvent, recordingEngine } from '../support/alert-fixtures'
import { sleep, waitFor } from '../support/connection-probe'

afterEach(() => {
  disposeEngines()
  vi.useRealTimers()
})

function quiet(overrides: Partial<NoDataRule> = {}): NoDataRule {
  return {
    id: 'quiet',
    name: 'Quiet',
    enabled: true,
    severity: 'info',
    repeatIntervalSeconds: 0,
    kind: 'no-data',
    feedId: 'api',
    forSeconds: 60,
    ...overrides,
  }
}

test('setting the same rules again keeps their alerts', () => {
  const { engine, kinds } = recordingEngine()
  engine.setRules([cpuHigh()])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  const [before] = engine.active()
  engine.setRules([cpuHigh()])
  expect(engine.active()).toEqual([before])
  expect(kinds()).toEqual(['firing'])
})

test('renaming a rule keeps its alert under the new name', () => {
  const { engine } = recordingEngine()
  engine.setRules([cpuHigh()])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  const id = engine.active()[0]?.id
  engine.setRules([cpuHigh({ name: 'CPU very high' })])
  expect(engine.active()).toMatchObject([{ id, ruleName: 'CPU very high', state: 'firing' }])
})

test('editing a firing rule sends a resolved notice saying the rule changed', () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([cpuHigh(), quiet()])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  engine.setRules([cpuHigh({ value: 99 }), quiet()])
  expect(engine.active()).toEqual([])
  expect(notices.map(({ kind, alertId }) => ({ kind, alertId }))).toEqual([
    { kind: 'firing', alertId: notices[0]?.alertId },
    { kind: 'resolved', alertId: notices[0]?.alertId },
  ])
  expect(notices[1]).toMatchObject({
    title: 'Resolved: CPU high',
    body: 'Ended because the rule was changed; cpu is 95 on api',
    reason: 'rule-changed',
  })
  expect(engine.history().entries.at(-1)).toMatchObject({
    kind: 'resolved',
    reason: 'rule-changed',
    notified: true,
  })
})

test('removing a firing rule sends a resolved notice saying the rule was removed', () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([cpuHigh()])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  engine.setRules([])
  expect(engine.active()).toEqual([])
  expect(notices[1]).toMatchObject({
    kind: 'resolved',
    body: 'Ended because the rule was removed; cpu is 95 on api',
    reason: 'rule-removed',
  })
  expect(engine.history().entries.at(-1)).toMatchObject({
    kind: 'resolved',
    reason: 'rule-removed',
    notified: true,
  })
})

test('disabling a firing rule sends a resolved notice saying the rule was removed', () => {
  const { engine, kinds, notices } = recordingEngine()
  engine.setRules([cpuHigh()])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  engine.setRules([cpuHigh({ enabled: false })])
  expect(kinds()).toEqual(['firing', 'resolved'])
  expect(notices[1]?.reason).toBe('rule-removed')
})

test('editing a rule whose alert is only pending sends nothing', () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([cpuHigh({ pendingSeconds: 60 })])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  engine.setRules([cpuHigh({ pendingSeconds: 30 })])
  expect(notices).toEqual([])
})

test('renaming a firing rule keeps its alert and sends nothing', () => {
  const { engine, kinds } = recordingEngine()
  engine.setRules([cpuHigh()])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  engine.setRules([cpuHigh({ name: 'CPU very high' })])
  expect(kinds()).toEqual(['firing'])
  expect(engine.active()).toMatchObject([{ state: 'firing', ruleName: 'CPU very high' }])
})

test("changing a firing rule's severity keeps its alert, now with the new severity", () => {
  const { engine, kinds } = recordingEngine()
  engine.setRules([cpuHigh()])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  const [before] = engine.active()
  engine.setRules([cpuHigh({ severity: 'info' })])
  expect(kinds()).toEqual(['firing'])
  expect(engine.active()).toMatchObject([{ id: before?.id, severity: 'info' }])
})

test('a new repeat interval on a firing rule applies from when it fired, without a resolve', () => {
  vi.useFakeTimers()
  const { engine, notices } = recordingEngine()
  engine.setRules([cpuHigh()])
  const firedAt = Date.now()
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  vi.advanceTimersByTime(2500)
  engine.setRules([cpuHigh({ repeatIntervalSeconds: 2 })])
  vi.advanceTimersByTime(2000)
  expect(notices.map(({ kind, at }) => `${kind}@${at - firedAt}`)).toEqual([
    'firing@0',
    'repeat@4000',
  ])
})

test('an alert saved with the fingerprint of an earlier build is restored after an upgrade', () => {
  const first = recordingEngine()
  first.engine.setRules([cpuHigh()])
  first.engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  const saved = first.engine.exportState()
  const legacy = {
    ...saved,
    alerts: saved.alerts.map((alert) => ({
      ...alert,
      fingerprint: legacyRuleFingerprint(cpuHigh()),
    })),
  }
  const second = recordingEngine()
  second.engine.importState(legacy)
  second.engine.setRules([cpuHigh()])
  expect(second.engine.active()).toMatchObject([{ id: saved.alerts[0]?.id, state: 'firing' }])
  expect(second.notices).toEqual([])
})

test('editing a rule that fired while silenced sends no resolved notice', () => {
  const { engine, kinds } = recordingEngine()
  engine.setRules([cpuHigh()])
  engine.silence('cpu-high', Date.now() + 60_000)
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  engine.setRules([cpuHigh({ value: 99 })])
  expect(kinds()).toEqual([])
})

test('a disabled rule has no alerts', () => {
  const { engine, kinds } = recordingEngine()
  engine.setRules([cpuHigh({ enabled: false })])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  expect(engine.active()).toEqual([])
  expect(kinds()).toEqual([])
})

test('rules that cannot be evaluated are refused and the old rules stay', () => {
  const { engine } = recordingEngine()
  engine.setRules([cpuHigh()])
  expect(() => engine.setRules([cpuHigh({ id: 'bad', operator: 'matches', value: '(' })])).toThrow(
    AlertRuleError,
  )
  expect(() => engine.setRules([cpuHigh({ id: 'bad', operator: 'matches', value: '(' })])).toThrow(
    /^rule "bad": value: invalid regular expression/,
  )
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  expect(engine.active()).toMatchObject([{ ruleId: 'cpu-high' }])
})

test('the history keeps the newest entries and counts the dropped ones', () => {
  const { engine } = recordingEngine({ historyLimit: 3 })
  engine.setRules([cpuHigh()])
  for (let i = 0; i < 3; i++) {
    engine.handleEvent('api', jsonEvent({ cpu: 95 }))
    engine.handleEvent('api', jsonEvent({ cpu: 10 }))
  }
  const { entries, dropped } = engine.history()
  expect(entries.map((entry) => entry.kind)).toEqual(['resolved', 'fired', 'resolved'])
  expect(dropped).toBe(3)
})

test('the exported state survives JSON', () => {
  const { engine } = recordingEngine()
  engine.setRules([cpuHigh()])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  engine.silence('cpu-high', Date.now() + 60_000)
  const state = engine.exportState()
  expect(JSON.parse(JSON.stringify(state))).toEqual(state)
})

test('history, silences and acknowledged alerts come back after a restart', async () => {
  const first = recordingEngine()
  first.engine.setRules([cpuHigh({ repeatIntervalSeconds: 0.03 }), quiet()])
  first.engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  first.engine.acknowledge(first.engine.active()[0]?.id ?? '')
  const [alert] = first.engine.active()
  expect(alert?.acknowledged).toBe(true)
  const until = Date.now() + 60_000
  first.engine.silence('quiet', until)
  const saved = JSON.parse(JSON.stringify(first.engine.exportState())) as unknown
  first.engine.dispose()

  const second = recordingEngine()
  second.engine.importState(saved)
  second.engine.setRules([cpuHigh({ repeatIntervalSeconds: 0.03 }), quiet()])
  expect(second.engine.active()).toEqual([alert])
  expect(second.engine.history()).toEqual(first.engine.history())
  expect(second.engine.exportState().silences).toEqual([{ ruleId: 'quiet', until }])
  // Acknowledged before the restart: no repeats after it, and no new firing notice.
  await sleep(100)
  expect(second.kinds()).toEqual([])
  second.engine.handleEvent('api', jsonEvent({ cpu: 10 }))
  expect(second.kinds()).toEqual(['resolved'])
})

test('a restored alert that was not acknowledged goes on repeating without a new firing notice', async () => {
  const first = recordingEngine()
  first.engine.setRules([cpuHigh({ repeatIntervalSeconds: 0.05 })])
  first.engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  const saved = first.engine.exportState()
  first.engine.dispose()

  const second = recordingEngine()
  second.engine.setRules([cpuHigh({ repeatIntervalSeconds: 0.05 })])
  second.engine.importState(saved)
  expect(second.engine.active()).toMatchObject([{ id: saved.alerts[0]?.id, state: 'firing' }])
  await waitFor(() => second.kinds().length > 0)
  expect(second.kinds()[0]).toBe('repeat')
})

test('a restored alert whose rule changed meanwhile resolves with a notice saying so', () => {
  const first = recordingEngine()
  first.engine.setRules([cpuHigh()])
  first.engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  const saved = first.engine.exportState()

  const second = recordingEngine()
  second.engine.importState(saved)
  second.engine.setRules([cpuHigh({ value: 99 })])
  expect(second.engine.active()).toEqual([])
  expect(second.notices).toMatchObject([
    {
      kind: 'resolved',
      title: 'Resolved: CPU high',
      body: 'Ended because the rule was changed',
      alertId: saved.alerts[0]?.id,
      reason: 'rule-changed',
    },
  ])
  expect(second.engine.history().entries.at(-1)).toMatchObject({
    kind: 'resolved',
    reason: 'rule-changed',
    alertId: saved.alerts[0]?.id,
  })
})

test('a malformed state is refused with a message that says where', () => {
  const { engine } = recordingEngine()
  expect(() => engine.importState({ version: 1, history: 'x' })).toThrow(InvalidAlertStateError)
  expect(() => engine.importState({ version: 2 })).toThrow(/version/)
})

test('after dispose nothing fires and nothing is sent', async () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([cpuHigh({ pendingSeconds: 0.05 }), quiet({ forSeconds: 0.05 })])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  engine.dispose()
  await sleep(120)
  engine.handleEvent('api', jsonEvent({ cpu: 99 }))
  engine.handleFeedState('api', { state: 'open', at: Date.now(), status: 200, contentType: '' })
  expect(notices).toEqual([])
  expect(engine.active()).toMatchObject([{ state: 'pending' }])
})

test('bad options are refused', () => {
  const notifier = { notify: () => undefined }
  expect(() => new AlertEngine({ notifier, tickMs: 0 })).toThrow(RangeError)
  expect(() => new AlertEngine({ notifier, historyLimit: 1.5 })).toThrow(RangeError)
})

test('changes to the active alerts are reported once per call, pending ones included', async () => {
  let changes = 0
  const { engine } = recordingEngine({ onActiveChange: () => changes++ })
  engine.setRules([cpuHigh({ pendingSeconds: 0.05 })])
  expect(changes).toBe(0)
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  expect(changes).toBe(1)
  engine.handleEvent('api', jsonEvent({ cpu: 96 }))
  expect(changes).toBe(1)
  await waitFor(() => engine.active()[0]?.state === 'firing')
  expect(changes).toBe(2)
  engine.acknowledge(engine.active()[0]?.id ?? '')
  expect(changes).toBe(3)
  engine.setRules([])
  expect(changes).toBe(4)
})

test('reset forgets rules, alerts, silences and history without a notice', () => {
  const { engine, kinds } = recordingEngine()
  engine.setRules([cpuHigh()])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  engine.silence('cpu-high', Date.now() + 60_000)
  engine.reset()
  expect(engine.active()).toEqual([])
  expect(engine.history()).toEqual({ entries: [], dropped: 0 })
  expect(engine.exportState()).toMatchObject({ silences: [], alerts: [] })
  engine.handleEvent('api', jsonEvent({ cpu: 10 }))
  expect(kinds()).toEqual(['firing'])
})
