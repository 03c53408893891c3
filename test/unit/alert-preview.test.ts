/** Previews run the live state machine over buffered events with their own timestamps: no waiting. */
import { expect, test } from 'vitest'
import { AlertRuleError } from '../../src/main/alerts/alert-rule-error'
import { previewRule } from '../../src/main/alerts/preview'
import type { FeedEvent } from '../../src/shared/feed-event'
import type { ConditionRule, FeedDownRule, NoDataRule } from '../../src/shared/profile'
import { cpuHigh } from '../support/alert-fixtures'

/** The preview tests' rule: CPU high, as a warning. */
const cpuWarning = (overrides: Partial<ConditionRule> = {}): ConditionRule =>
  cpuHigh({ severity: 'warning', ...overrides })

const T0 = 1_763_800_000_000

/** One event per entry, `seconds` after T0, with `{ cpu }` as data. */
function series(...points: [seconds: number, cpu: number][]): FeedEvent[] {
  return points.map(([seconds, cpu], index) => ({
    event: 'message',
    id: '',
    data: JSON.stringify({ cpu }),
    receivedAt: T0 + seconds * 1000,
    seq: index + 1,
  }))
}

const at = (seconds: number): number => T0 + seconds * 1000

test('each stretch over the threshold counts as one firing', () => {
  const events = series([0, 50], [10, 95], [20, 97], [30, 40], [40, 92], [50, 30], [60, 93])
  const preview = previewRule(cpuWarning(), events, at(70))
  expect(preview.firings).toEqual([
    { at: at(10), value: 95 },
    { at: at(40), value: 92 },
    { at: at(60), value: 93 },
  ])
  expect(preview).toMatchObject({ supported: true, from: at(0), to: at(70) })
})

test('a stretch shorter than the pending period does not count', () => {
  const events = series([0, 95], [20, 95], [25, 50], [30, 95], [70, 95], [80, 50])
  const preview = previewRule(cpuWarning({ pendingSeconds: 30 }), events, at(90))
  // 0 to 25 s is too short; from 30 s it has held for 30 s at 60 s, between two events.
  expect(preview.firings).toEqual([{ at: at(60), value: 95 }])
})

test('a condition still holding at the end fires by now', () => {
  const events = series([0, 95])
  expect(previewRule(cpuWarning({ pendingSeconds: 30 }), events, at(20)).firings).toEqual([])
  expect(previewRule(cpuWarning({ pendingSeconds: 30 }), events, at(40)).firings).toEqual([
    { at: at(30), value: 95 },
  ])
})

test('a recovery threshold counts a flapping value once', () => {
  const events = series([0, 95], [10, 85], [20, 95], [30, 88], [40, 95], [50, 70])
  expect(previewRule(cpuWarning(), events, at(60)).firings).toHaveLength(3)
  expect(previewRule(cpuWarning({ recoveryValue: 80 }), events, at(60)).firings).toHaveLength(1)
})

test('no-data counts each gap longer than forSeconds, the one at the end included', () => {
  const rule: NoDataRule = {
    id: 'quiet',
    name: 'Quiet',
    enabled: true,
    severity: 'info',
    repeatIntervalSeconds: 0,
    kind: 'no-data',
    feedId: 'api',
    forSeconds: 30,
  }
  const events = series([0, 1], [10, 1], [50, 1], [60, 1])
  expect(previewRule(rule, events, at(100)).firings).toEqual([
    { at: at(40), value: null },
    { at: at(90), value: null },
  ])
})

test('feed-down rules cannot be previewed from events', () => {
  const rule: FeedDownRule = {
    id: 'down',
    name: 'Down',
    enabled: true,
    severity: 'critical',
    repeatIntervalSeconds: 0,
    kind: 'feed-down',
    feedId: 'api',
    forSeconds: 30,
  }
  expect(previewRule(rule, series([0, 1]), at(10))).toEqual({
    supported: false,
    firings: [],
    from: at(0),
    to: at(10),
  })
})

test('no events preview as no firings', () => {
  expect(previewRule(cpuWarning(), [], at(0))).toEqual({
    supported: true,
    firings: [],
    from: null,
    to: at(0),
  })
})

test('a disabled rule previews as if it were enabled', () => {
  expect(previewRule(cpuWarning({ enabled: false }), series([0, 95]), at(1)).firings).toHaveLength(
    1,
  )
})

test('a rule that cannot be evaluated is an error', () => {
  expect(() => previewRule(cpuWarning({ operator: 'matches', value: '[' }), [], at(0))).toThrow(
    AlertRuleError,
  )
})
