import { expect, test } from 'vitest'
import { EventRate } from '../../src/main/engine/event-rate'

test('the rate averages the events of the last ten seconds', () => {
  const rate = new EventRate()
  const start = 1_000_000
  for (let second = 0; second < 10; second++) rate.record(start + second * 1000, 5)
  expect(rate.perSecond(start + 9_500)).toBe(5)
})

test('events older than ten seconds no longer count', () => {
  const rate = new EventRate()
  rate.record(1_000_000, 100)
  expect(rate.perSecond(1_000_000)).toBe(10)
  expect(rate.perSecond(1_010_000)).toBe(0)
})

test('a reused slot starts from zero', () => {
  const rate = new EventRate()
  rate.record(1_000_000, 100)
  rate.record(1_010_000, 10)
  expect(rate.perSecond(1_010_000)).toBe(1)
})
