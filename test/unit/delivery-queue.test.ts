import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { DeliveryQueue, type DeliveryReport } from '../../src/main/delivery/delivery-queue'
import type { PostOutcome } from '../../src/main/delivery/http-post'

const unavailable: PostOutcome = {
  ok: false,
  status: 503,
  reason: '503 Service Unavailable',
  retryable: true,
}
const accepted: PostOutcome = { ok: true, status: 200 }

let reports: DeliveryReport[]

beforeEach(() => {
  vi.useFakeTimers()
  reports = []
})

afterEach(() => {
  vi.useRealTimers()
})

/** A queue without jitter whose sends answer with `outcomes` in turn, recording when each was made. */
function queueAnswering(
  outcomes: PostOutcome[],
  options: { maxAttempts?: number; maxJobs?: number } = {},
) {
  const sent: { at: number; body: string }[] = []
  const queue = new DeliveryQueue({
    send: (body) => {
      sent.push({ at: Date.now(), body })
      return Promise.resolve(outcomes.shift() ?? accepted)
    },
    onReport: (report) => reports.push(report),
    timers: {
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
    },
    random: () => 0.5,
    ...options,
  })
  return { queue, sent }
}

test('a failing receiver is retried after 1, 2 and 4 s and the notice is delivered once', async () => {
  const start = Date.now()
  const { queue, sent } = queueAnswering([unavailable, unavailable, unavailable, accepted])
  queue.push({ label: 'Firing: CPU high', body: () => '{"a":1}' })
  await vi.advanceTimersByTimeAsync(10_000)
  expect(sent.map((s) => s.at - start)).toEqual([0, 1000, 3000, 7000])
  expect(reports).toEqual([
    {
      outcome: 'retrying',
      label: 'Firing: CPU high',
      attempt: 1,
      reason: '503 Service Unavailable',
      retryInMs: 1000,
    },
    {
      outcome: 'retrying',
      label: 'Firing: CPU high',
      attempt: 2,
      reason: '503 Service Unavailable',
      retryInMs: 2000,
    },
    {
      outcome: 'retrying',
      label: 'Firing: CPU high',
      attempt: 3,
      reason: '503 Service Unavailable',
      retryInMs: 4000,
    },
    { outcome: 'delivered', label: 'Firing: CPU high', attempt: 4 },
  ])
  expect(queue.length).toBe(0)
})

test('a receiver asking for a longer Retry-After is retried after that delay', async () => {
  const start = Date.now()
  const { queue, sent } = queueAnswering([{ ...unavailable, retryAfterMs: 30_000 }, accepted])
  queue.push({ label: 'n', body: () => '{}' })
  await vi.advanceTimersByTimeAsync(29_999)
  expect(sent).toHaveLength(1)
  await vi.advanceTimersByTimeAsync(1)
  expect(sent.map((s) => s.at - start)).toEqual([0, 30_000])
})

test('a 4xx answer is not retried', async () => {
  const { queue, sent } = queueAnswering([
    { ok: false, status: 400, reason: '400 Bad Request', retryable: false },
  ])
  queue.push({ label: 'n', body: () => '{}' })
  await vi.advanceTimersByTimeAsync(120_000)
  expect(sent).toHaveLength(1)
  expect(reports).toEqual([
    { outcome: 'failed', label: 'n', attempt: 1, reason: '400 Bad Request' },
  ])
})

test('a notice is given up after the last attempt', async () => {
  const { queue, sent } = queueAnswering(Array(5).fill(unavailable), { maxAttempts: 3 })
  queue.push({ label: 'n', body: () => '{}' })
  await vi.advanceTimersByTimeAsync(120_000)
  expect(sent).toHaveLength(3)
  expect(reports.at(-1)).toEqual({
    outcome: 'failed',
    label: 'n',
    attempt: 3,
    reason: '503 Service Unavailable (gave up after 3 attempts)',
  })
})

test('notices are sent one at a time in the order they were queued', async () => {
  const { queue, sent } = queueAnswering([unavailable])
  queue.push({ label: 'firing', body: () => 'firing' })
  queue.push({ label: 'resolved', body: () => 'resolved' })
  await vi.advanceTimersByTimeAsync(5000)
  expect(sent.map((s) => s.body)).toEqual(['firing', 'firing', 'resolved'])
})

test('a full queue drops its oldest waiting notice and says so', async () => {
  const { queue, sent } = queueAnswering([unavailable], { maxJobs: 2 })
  queue.push({ label: 'first', body: () => '1' })
  queue.push({ label: 'second', body: () => '2' })
  queue.push({ label: 'third', body: () => '3' })
  expect(queue.length).toBe(2)
  await vi.advanceTimersByTimeAsync(5000)
  expect(sent.map((s) => s.body)).toEqual(['1', '1', '3'])
  expect(reports).toContainEqual({
    outcome: 'dropped',
    label: 'second',
    reason: 'the queue was full',
  })
})

test('pushing returns before a receiver that never answers does', () => {
  const queue = new DeliveryQueue({
    send: () => new Promise(() => undefined),
    onReport: () => undefined,
  })
  const started = performance.now()
  for (let i = 0; i < 1000; i++) queue.push({ label: 'n', body: () => '{}' })
  expect(performance.now() - started).toBeLessThan(100)
  expect(queue.length).toBe(100)
  queue.close()
})

test('a send that throws counts as a failed attempt and is retried', async () => {
  let calls = 0
  const queue = new DeliveryQueue({
    send: () => {
      calls++
      if (calls === 1) throw new Error('boom')
      return Promise.resolve(accepted)
    },
    onReport: (report) => reports.push(report),
    random: () => 0.5,
  })
  queue.push({ label: 'n', body: () => '{}' })
  await vi.advanceTimersByTimeAsync(1000)
  expect(reports.map((r) => r.outcome)).toEqual(['retrying', 'delivered'])
})
