import { expect, test } from 'vitest'
import { backoffDelay, clampServerRetry, MIN_SERVER_RETRY_MS } from '../../src/main/engine/backoff'

test('the delay doubles with each attempt from the base', () => {
  expect([1, 2, 3, 4].map((n) => backoffDelay(n, 1000, 30_000, 0.5))).toEqual([
    1000, 2000, 4000, 8000,
  ])
})

test('the delay is capped by the maximum before jitter', () => {
  expect(backoffDelay(10, 1000, 30_000, 0.5)).toBe(30_000)
  expect(backoffDelay(10, 1000, 30_000, 0.999_999)).toBeGreaterThan(30_000)
})

test('jitter stays within plus or minus 20 percent', () => {
  expect(backoffDelay(1, 1000, 30_000, 0)).toBe(800)
  expect(backoffDelay(1, 1000, 30_000, 0.999_999)).toBe(1200)
})

test('a server retry below the floor is raised to it', () => {
  expect(clampServerRetry(0, 30_000)).toBe(MIN_SERVER_RETRY_MS)
})

test('a server retry above the maximum delay is lowered to it', () => {
  expect(clampServerRetry(120_000, 30_000)).toBe(30_000)
  expect(clampServerRetry(2500, 30_000)).toBe(2500)
})

test('once the server sent retry:, no delay is under the minimum, even with a lower maximum', () => {
  const base = clampServerRetry(0, 0)
  expect(base).toBe(MIN_SERVER_RETRY_MS)
  expect(backoffDelay(1, base, 0, 0, MIN_SERVER_RETRY_MS)).toBe(MIN_SERVER_RETRY_MS)
  expect(backoffDelay(1, base, 50, 0.5, MIN_SERVER_RETRY_MS)).toBe(MIN_SERVER_RETRY_MS)
  expect(backoffDelay(3, base, 50, 0.999_999, MIN_SERVER_RETRY_MS)).toBe(120)
})

test('without a floor a zero maximum gives a zero delay', () => {
  expect(backoffDelay(1, 1000, 0, 0.5)).toBe(0)
})
