import { expect, test } from 'vitest'
import { EventRing } from '../../src/main/feeds/event-ring'
import type { FeedEvent } from '../../src/shared/feed-event'

const event = (seq: number, name = 'message', data = `d${seq}`): FeedEvent => ({
  event: name,
  id: String(seq),
  data,
  receivedAt: seq,
  seq,
})

test('the ring keeps the newest events oldest first and counts what it dropped', () => {
  const ring = new EventRing(3)
  for (let seq = 1; seq <= 5; seq++) ring.push(event(seq))
  expect(ring.toArray().map((e) => e.seq)).toEqual([3, 4, 5])
  expect(ring.dropped).toBe(2)
  expect(ring.length).toBe(3)
})

test('shrinking keeps the newest events and counts the rest as dropped', () => {
  const ring = new EventRing(5)
  for (let seq = 1; seq <= 5; seq++) ring.push(event(seq))
  ring.resize(2)
  expect(ring.toArray().map((e) => e.seq)).toEqual([4, 5])
  expect(ring.dropped).toBe(3)
  ring.resize(4)
  ring.push(event(6))
  expect(ring.toArray().map((e) => e.seq)).toEqual([4, 5, 6])
})

test('a query filters by name, text and sequence and returns the newest up to the limit', () => {
  const ring = new EventRing(10)
  ring.push(event(1, 'metrics', '{"cpu":1}'))
  ring.push(event(2, 'deploy', 'API v2'))
  ring.push(event(3, 'metrics', '{"cpu":3}'))
  ring.push(event(4, 'metrics', '{"CPU":4}'))
  expect(ring.query({ event: 'metrics' }).map((e) => e.seq)).toEqual([1, 3, 4])
  expect(ring.query({ text: 'cpu' }).map((e) => e.seq)).toEqual([1, 3, 4])
  expect(ring.query({ beforeSeq: 4, limit: 2 }).map((e) => e.seq)).toEqual([2, 3])
})

test('events come back exactly as pushed, whatever their characters', () => {
  const ring = new EventRing(4)
  const chunk = `id: 1\ndata: ${'é🙂 long enough to be sliced '.repeat(3)}\ud800 end\n\n`
  const pushed: FeedEvent = {
    event: chunk.slice(0, 2).repeat(8),
    id: chunk.slice(4, 30),
    data: chunk.slice(12, -2),
    receivedAt: 1_700_000_000_123.5,
    seq: 2 ** 40,
  }
  ring.push(pushed)
  expect(ring.toArray()).toEqual([pushed])
})

test('a ring of one keeps only the newest event', () => {
  const ring = new EventRing(1)
  ring.push(event(1))
  ring.push(event(2))
  expect(ring.toArray()).toEqual([event(2)])
  expect(ring.dropped).toBe(1)
})

test('ids come back exactly, whether they look like numbers or not', () => {
  const ids = ['', '0', '42', '007', '-1', '1e3', ' 5', '123456789012345', '1234567890123456', 'a1']
  const ring = new EventRing(ids.length)
  ids.forEach((id, i) => ring.push({ ...event(i + 1), id }))
  expect(ring.toArray().map((e) => e.id)).toEqual(ids)
})
