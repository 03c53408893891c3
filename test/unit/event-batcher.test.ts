import { expect, test } from 'vitest'
import { EventBatcher } from '../../src/main/api/event-batcher'
import type { EventBatch } from '../../src/shared/api'
import type { FeedEvent } from '../../src/shared/feed-event'

const event = (seq: number, receivedAt = seq): FeedEvent => ({
  event: 'message',
  id: '',
  data: '',
  receivedAt,
  seq,
})
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

test('events arriving together are pushed once after the interval, per feed', async () => {
  const batches: EventBatch[] = []
  const batcher = new EventBatcher((batch) => batches.push(batch), { intervalMs: 30 })
  batcher.add('a', event(1))
  batcher.add('b', event(2))
  batcher.add('a', event(3))
  expect(batches).toHaveLength(0)
  await sleep(60)
  expect(batches).toEqual([
    {
      feeds: [
        { feedId: 'a', events: [event(1), event(3)] },
        { feedId: 'b', events: [event(2)] },
      ],
      dropped: 0,
    },
  ])
  batcher.close()
})

test('a push carries at most maxEvents, dropping the oldest and saying how many', () => {
  const batches: EventBatch[] = []
  const batcher = new EventBatcher((batch) => batches.push(batch), {
    intervalMs: 1000,
    maxEvents: 3,
  })
  batcher.add('a', event(1))
  batcher.add('b', event(2))
  batcher.add('a', event(3))
  batcher.add('b', event(4))
  batcher.add('a', event(5))
  batcher.flush()
  const seqs = batches[0]?.feeds.flatMap((feed) => feed.events.map((e) => e.seq)).sort()
  expect(seqs).toEqual([3, 4, 5])
  expect(batches[0]?.dropped).toBe(2)
  batcher.close()
})

test('nothing is pushed when nothing arrived, and close stops a pending push', async () => {
  const batches: EventBatch[] = []
  const batcher = new EventBatcher((batch) => batches.push(batch), { intervalMs: 20 })
  batcher.flush()
  batcher.add('a', event(1))
  batcher.close()
  await sleep(50)
  expect(batches).toHaveLength(0)
})

test('a push carries at most maxBytes of events, dropping the oldest, but always the newest event', () => {
  const batches: EventBatch[] = []
  const batcher = new EventBatcher((batch) => batches.push(batch), {
    intervalMs: 1000,
    maxBytes: 2500,
  })
  const large = (seq: number): FeedEvent => ({ ...event(seq), data: 'x'.repeat(1000) })
  for (let seq = 1; seq <= 4; seq++) batcher.add(seq % 2 === 0 ? 'a' : 'b', large(seq))
  batcher.flush()
  expect(batches[0]?.feeds.flatMap((feed) => feed.events.map((e) => e.seq)).sort()).toEqual([3, 4])
  expect(batches[0]?.dropped).toBe(2)
  batcher.add('a', { ...event(5), data: 'x'.repeat(10_000) })
  batcher.flush()
  expect(batches[1]?.feeds[0]?.events.map((e) => e.seq)).toEqual([5])
  expect(batches[1]?.dropped).toBe(0)
  batcher.close()
})
