import { expect, test } from 'vitest'
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from '../../src/main/engine/retry-after'

const now = Date.parse('2026-11-22T10:00:00Z')

test('delay-seconds become milliseconds', () => {
  expect(parseRetryAfter('7', now)).toBe(7000)
})

test('an HTTP date becomes the time left until it', () => {
  expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:30 GMT', now)).toBe(30_000)
})

test('a date in the past means no wait', () => {
  expect(parseRetryAfter('Sun, 22 Nov 2026 09:00:00 GMT', now)).toBe(0)
})

test('absent or unreadable values are ignored', () => {
  expect(parseRetryAfter(undefined, now)).toBeUndefined()
  expect(parseRetryAfter('soon', now)).toBeUndefined()
  expect(parseRetryAfter('-5', now)).toBeUndefined()
})

test('very long waits are capped at one hour', () => {
  expect(parseRetryAfter('86400', now)).toBe(MAX_RETRY_AFTER_MS)
})
