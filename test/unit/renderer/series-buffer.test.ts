import { expect, test } from 'vitest'
import { SeriesBuffer } from '../../../src/renderer/src/components/charts/series-buffer'

/** A buffer holding points with x = 1000·i and y = i for i = from … to. */
function filled(from: number, to: number, buffer = new SeriesBuffer()): SeriesBuffer {
  for (let i = from; i <= to; i++) buffer.append(i, i * 1000, i)
  return buffer
}

test('appending keeps points in order and counts them', () => {
  const buffer = filled(1, 3)
  expect(buffer.points).toEqual([
    { x: 1000, y: 1 },
    { x: 2000, y: 2 },
    { x: 3000, y: 3 },
  ])
  expect(buffer.appended).toBe(3)
  expect(buffer.latest).toEqual({ x: 3000, y: 3 })
})

test('an event seen twice is not appended again', () => {
  const buffer = filled(1, 3)
  expect(buffer.append(2, 2000, 2)).toBe(false)
  expect(buffer.points).toHaveLength(3)
})

test('after the engine restarts, a lower seq with a later time is appended', () => {
  const buffer = filled(5, 6)
  expect(buffer.append(1, 7000, 7)).toBe(true)
  expect(buffer.latest).toEqual({ x: 7000, y: 7 })
})

test('a point from a clock that went back is drawn at the newest time, keeping x sorted', () => {
  const buffer = filled(1, 2)
  buffer.append(3, 1500, 9)
  expect(buffer.latest).toEqual({ x: 2000, y: 9 })
})

test('a full buffer lets go of its oldest points a chunk at a time and counts them', () => {
  const buffer = filled(1, 24, new SeriesBuffer(16))
  // Capacity 16, chunk 2: never more than 18 points.
  expect(buffer.points.length).toBeLessThanOrEqual(18)
  expect(buffer.dropped).toBe(24 - buffer.points.length)
  expect(buffer.latest?.y).toBe(24)
})

test('points older than the maximum age are let go a chunk at a time', () => {
  // Capacity 80 (chunks of 10), ten seconds of age: old points leave once ten of them are too old.
  const buffer = filled(1, 30, new SeriesBuffer(80, 10_000))
  const newest = 30_000
  expect(buffer.points[0]?.x).toBeGreaterThanOrEqual(newest - 10_000 - 10 * 1000)
  expect(buffer.points.length).toBeLessThan(30)
  expect(buffer.dropped).toBe(0)
})

test('history put in front keeps only older events and marks a rewrite', () => {
  const buffer = filled(5, 6)
  buffer.prepend([
    { seq: 3, x: 3000, y: 3 },
    { seq: 4, x: 4000, y: 4 },
    { seq: 5, x: 5000, y: 5 },
  ])
  expect(buffer.points.map((point) => point.y)).toEqual([3, 4, 5, 6])
  expect(buffer.firstSeq).toBe(3)
  expect(buffer.rewrites).toBe(1)
  expect(buffer.appended).toBe(2)
})

test('history put into an empty buffer sets the newest seq', () => {
  const buffer = new SeriesBuffer()
  buffer.prepend([
    { seq: 1, x: 1000, y: 1 },
    { seq: 2, x: 2000, y: 2 },
  ])
  expect(buffer.lastSeq).toBe(2)
  expect(buffer.append(2, 2000, 2)).toBe(false)
  buffer.prepend([])
  expect(buffer.rewrites).toBe(1)
})

test('the range since a time covers partial and whole blocks', () => {
  const buffer = new SeriesBuffer()
  for (let i = 0; i < 200; i++) buffer.append(i + 1, i, Math.sin(i) * i)
  const from = 37
  const expected = buffer.points.filter((point) => point.x >= from).map((point) => point.y)
  expect(buffer.rangeSince(from)).toEqual({
    min: Math.min(...expected),
    max: Math.max(...expected),
  })
  expect(buffer.rangeSince(1000)).toBeUndefined()
})

test('the point at or before a time is the exact one or the one before', () => {
  const buffer = filled(1, 3)
  expect(buffer.pointAtOrBefore(2000)).toEqual({ x: 2000, y: 2 })
  expect(buffer.pointAtOrBefore(2500)).toEqual({ x: 2000, y: 2 })
  expect(buffer.pointAtOrBefore(500)).toBeUndefined()
})

test('the typical interval is the median gap, unknown with fewer than three points', () => {
  expect(filled(1, 2).typicalIntervalMs()).toBeUndefined()
  const buffer = filled(1, 5)
  buffer.append(6, 50_000, 6)
  expect(buffer.typicalIntervalMs()).toBe(1000)
})

test('clearing forgets every point and marks a rewrite', () => {
  const buffer = filled(1, 3)
  buffer.clear()
  expect(buffer.points).toHaveLength(0)
  expect(buffer.lastSeq).toBe(0)
  expect(buffer.rewrites).toBe(1)
  expect(buffer.rangeSince(0)).toBeUndefined()
})
