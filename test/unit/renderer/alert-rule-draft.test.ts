/** The rule editor's drafts for window and event-count rules, and how rules read in one line. */
import { expect, test } from 'vitest'
import { ruleSummary } from '../../../src/renderer/src/components/alerts/alert-text'
import {
  checkDraft,
  draftFromRule,
  newDraft,
  visibleFields,
  type RuleDraft,
} from '../../../src/renderer/src/components/alerts/rule-draft'
import type { AlertRule } from '../../../src/shared/profile'

const base = {
  id: 'r1',
  name: 'Rule',
  enabled: true,
  severity: 'warning',
  repeatIntervalSeconds: 0,
} as const

const avgCpu: AlertRule = {
  ...base,
  kind: 'condition',
  source: { feedId: 'api', path: 'cpu' },
  operator: '>',
  value: 0.9,
  pendingSeconds: 0,
  window: { kind: 'time', reducer: 'avg', seconds: 60 },
}
const p99ThreeOfFive: AlertRule = {
  ...base,
  kind: 'condition',
  source: { feedId: 'api', path: 'latency.p99' },
  operator: '>',
  value: 400,
  pendingSeconds: 0,
  window: { kind: 'samples', count: 3, of: 5 },
}
const incidents: AlertRule = {
  ...base,
  kind: 'event-count',
  feedId: 'api',
  event: 'incident',
  operator: '>',
  count: 5,
  windowSeconds: 300,
  pendingSeconds: 0,
}

function draft(overrides: Partial<RuleDraft>): RuleDraft {
  return { ...newDraft('api'), name: 'Rule', path: 'cpu', value: '0.9', ...overrides }
}

test('window and event-count rules come back unchanged from their drafts', () => {
  for (const rule of [avgCpu, p99ThreeOfFive, incidents])
    expect(checkDraft(draftFromRule(rule))).toEqual({ rule })
})

test('a time window outside 1 s to 1 h is an error on the window field', () => {
  expect(checkDraft(draft({ windowMode: 'time', windowSeconds: 3601 })).errors).toEqual({
    windowSeconds: 'Must be from 1 to 3600 s (1 h)',
  })
})

test('a reducer with an operator that does not compare numbers is an error on the reducer', () => {
  expect(
    checkDraft(draft({ windowMode: 'time', operator: 'contains', value: 'x' })).errors,
  ).toEqual({ reducer: '"avg" gives a number: use >, >=, < or <=' })
})

test('N larger than M is an error on N', () => {
  expect(checkDraft(draft({ windowMode: 'samples', sampleCount: 6, sampleOf: 5 })).errors).toEqual({
    sampleCount: 'Enter a whole number from 1 to 5',
  })
})

test('an event count must be a whole number', () => {
  expect(
    checkDraft(draft({ kind: 'event-count', value: '2.5', windowSeconds: 60 })).errors,
  ).toEqual({ value: 'Enter a whole number of events, 0 or more' })
})

test('a pattern with lookahead is refused as it is typed, saying RE2 has none', () => {
  expect(checkDraft(draft({ operator: 'matches', value: 'a(?=b)' })).errors?.value).toMatch(
    /^Lookahead and lookbehind .* not supported: patterns run on RE2/,
  )
})

test('the editor shows the window fields of the chosen mode only', () => {
  expect([...visibleFields(draft({ windowMode: 'samples' }))]).toEqual(
    expect.arrayContaining(['sampleCount', 'sampleOf']),
  )
  expect(visibleFields(draft({ windowMode: 'samples' })).has('recoveryValue')).toBe(false)
  expect(visibleFields(draft({ windowMode: 'time' })).has('reducer')).toBe(true)
  expect(visibleFields(draft({ kind: 'event-count' })).has('path')).toBe(false)
})

test('window and event-count rules read as one line', () => {
  expect(ruleSummary(avgCpu)).toBe('avg cpu over 1 min > 0.9')
  expect(ruleSummary(p99ThreeOfFive)).toBe('latency.p99 > 400 in 3 of the last 5 samples')
  expect(ruleSummary(incidents)).toBe('more than 5 "incident" events in 5 min')
})
