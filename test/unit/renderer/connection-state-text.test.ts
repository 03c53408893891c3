import { expect, test } from 'vitest'
import { describeState } from '../../../src/renderer/src/components/common/connection-state-text'

const now = 10_000

test('a disabled feed says so whatever its state', () => {
  expect(
    describeState({ state: 'open', at: 0, status: 200, contentType: '' }, { enabled: false, now })
      .label,
  ).toBe('disabled')
})

test('a live feed reads live, with the HTTP answer as technical detail', () => {
  const text = describeState(
    { state: 'open', at: 0, status: 200, contentType: 'text/event-stream' },
    { now },
  )
  expect(text).toMatchObject({
    label: 'live',
    tone: 'ok',
    technical: 'HTTP 200, text/event-stream',
  })
})

test('a reconnecting feed counts attempts and down to the next try, with the reason in words', () => {
  const text = describeState(
    {
      state: 'reconnecting',
      at: 0,
      attempt: 2,
      maxAttempts: 5,
      delayMs: 4000,
      code: 'network',
      reason: 'aborted',
    },
    { now, retryAt: now + 3200 },
  )
  expect(text.label).toBe('reconnecting 2/5 in 4 s')
  expect(text.detail).toBe(
    'The server or a proxy cut the connection off in the middle of the stream.',
  )
  expect(text.technical).toBe('aborted')
})

test('a stale feed with unlimited attempts says stale and the attempt number', () => {
  const text = describeState(
    {
      state: 'reconnecting',
      at: 0,
      attempt: 7,
      maxAttempts: 'unlimited',
      delayMs: 0,
      code: 'stale',
      reason: 'stale: no data for 45000 ms',
    },
    { now },
  )
  expect(text.label).toBe('stale, reconnecting attempt 7 now')
  expect(text.detail).toBe('No data for 45 s.')
})

test('a failed feed puts the sentence in its label', () => {
  const text = describeState(
    { state: 'failed', at: 0, code: 'http-status', reason: 'HTTP 404 Not Found', status: 404 },
    { now },
  )
  expect(text.label).toBe('failed: The server answered 404 Not Found — check the URL.')
  expect(text.tone).toBe('danger')
})

test('idle, connecting and closed states have their words', () => {
  expect(describeState({ state: 'idle', at: 0 }, { now }).label).toBe('idle')
  expect(describeState({ state: 'connecting', at: 0, attempt: 3 }, { now }).detail).toBe(
    'attempt 3',
  )
  expect(describeState({ state: 'connecting', at: 0, attempt: 0 }, { now }).detail).toBe('')
  expect(
    describeState({ state: 'closed', at: 0, code: 'disconnected', reason: 'disconnected' }, { now })
      .detail,
  ).toBe('Disconnected by hand.')
})
