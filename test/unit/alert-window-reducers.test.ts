/** Each time-window reducer against a brute-force reference on random sequences of samples. */
import { expect, test } from 'vitest'
import { nearestRank, TimeWindowBuffer } from '../../src/main/alerts/time-window'
import { reducerSchema, type Reducer } from '../../src/shared/rule-window'

/** Mulberry32: a small seeded generator, so a failure replays. */
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

interface Sample {
  readonly at: number
  readonly value: number
}

/** The reducer computed the obvious way over every sample still in the window at `at`. */
function reference(reducer: Reducer, samples: readonly Sample[], windowMs: number, at: number) {
  const inWindow = samples.filter((sample) => sample.at <= at && at - sample.at < windowMs)
  const values = inWindow.map((sample) => sample.value)
  const sum = values.reduce((total, value) => total + value, 0)
  if (reducer === 'count') return values.length
  if (reducer === 'sum') return sum
  if (reducer === 'rate') return values.length / (windowMs / 1000)
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  switch (reducer) {
    case 'last':
      return values[values.length - 1]
    case 'avg':
      return sum / values.length
    case 'min':
      return sorted[0]
    case 'max':
      return sorted[sorted.length - 1]
    default: {
      const share = { p50: 0.5, p90: 0.9, p99: 0.99 }[reducer as 'p50' | 'p90' | 'p99']
      return sorted[Math.ceil(share * sorted.length - 1e-9) - 1]
    }
  }
}

for (const reducer of reducerSchema.options) {
  test(`${reducer} over a time window equals the brute-force reference on random sequences`, () => {
    for (let seed = 1; seed <= 20; seed++) {
      const next = random(seed * 7919)
      const windowMs = 1000 + Math.floor(next() * 5000)
      const window = new TimeWindowBuffer(windowMs, reducer)
      const samples: Sample[] = []
      let at = 1_700_000_000_000
      for (let i = 0; i < 600; i++) {
        // Bursts (same millisecond), steady arrivals and long pauses that empty the window.
        const gap = next() < 0.1 ? 0 : next() < 0.05 ? windowMs * 2 : Math.floor(next() * 300)
        at += gap
        window.expire(at)
        if (next() < 0.7) {
          // Repeated values exercise the sorted copy's duplicates.
          const value = next() < 0.3 ? Math.round(next() * 5) : (next() - 0.3) * 1000
          window.add(at, value)
          samples.push({ at, value })
        }
        const expected = reference(reducer, samples, windowMs, at)
        const actual = window.reduce(at)
        if (expected === undefined) expect(actual).toBeUndefined()
        else {
          expect(actual?.truncated).toBe(false)
          expect(actual?.value).toBeCloseTo(expected, 6)
        }
      }
    }
  })
}

test('a sample leaves the window exactly windowMs after it was taken', () => {
  const window = new TimeWindowBuffer(1000, 'count')
  window.add(5000, 1)
  expect(window.nextExpiry()).toBe(6000)
  window.expire(5999)
  expect(window.reduce(5999)).toEqual({ value: 1, truncated: false })
  window.expire(6000)
  expect(window.reduce(6000)).toEqual({ value: 0, truncated: false })
})

test('an empty window has no value for avg but counts zero', () => {
  expect(new TimeWindowBuffer(1000, 'avg').reduce(0)).toBeUndefined()
  expect(new TimeWindowBuffer(1000, 'rate').reduce(0)).toEqual({ value: 0, truncated: false })
})

test('a window over its sample cap says it is truncated and scales its count to the whole window', () => {
  const window = new TimeWindowBuffer(10_000, 'count', 100)
  // 200 samples, one every 10 ms: the 100 kept cover the last 990 ms of a 10 s window.
  for (let i = 0; i < 200; i++) window.add(i * 10, 1)
  const reduction = window.reduce(1990)
  expect(reduction?.truncated).toBe(true)
  expect(reduction?.value).toBeCloseTo(100 * (10_000 / 990), 6)
  expect(window.length).toBe(100)
})

test('a window is no longer truncated once the samples dropped early would have left it', () => {
  const window = new TimeWindowBuffer(1000, 'max', 10)
  for (let i = 0; i < 11; i++) window.add(i, i)
  expect(window.reduce(10)?.truncated).toBe(true)
  window.expire(1000)
  expect(window.reduce(1000)).toEqual({ value: 10, truncated: false })
})

test('percentiles use the nearest rank', () => {
  expect(nearestRank(0.9, 10)).toBe(9)
  expect(nearestRank(0.5, 1)).toBe(1)
  expect(nearestRank(0.99, 200)).toBe(198)
})

for (const reducer of ['min', 'max', 'p50', 'p99', 'avg', 'last'] as const) {
  test(`${reducer} over a window of thousands of samples equals the brute-force reference as it grows and empties`, () => {
    const next = random(4242)
    const window = new TimeWindowBuffer(10_000, reducer)
    const samples: Sample[] = []
    let at = 0
    // About two samples a millisecond, 6,000 in all: the buffers grow from 64 slots through 7 doublings.
    for (let i = 0; i < 6000; i++) {
      at += next() < 0.5 ? 0 : 1
      const value = Math.round(next() * 1000) / 10
      window.expire(at)
      window.add(at, value)
      samples.push({ at, value })
      if (i % 500 === 499)
        expect(window.reduce(at)?.value).toBeCloseTo(
          reference(reducer, samples, 10_000, at) as number,
          9,
        )
    }
    // Then time passes in steps until the window is empty again.
    for (const step of [2000, 4000, 6000, 10_000]) {
      window.expire(at + step)
      const expected = reference(reducer, samples, 10_000, at + step)
      if (expected === undefined) expect(window.reduce(at + step)).toBeUndefined()
      else expect(window.reduce(at + step)?.value).toBeCloseTo(expected, 9)
    }
  })
}
