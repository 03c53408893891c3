import { expect, test } from 'vitest'
import { mergeBySeq } from '../../../src/renderer/src/stores/events'
import type { FeedEvent } from '../../../src/shared/feed-event'

const event = (seq: number, data = 'buffered'): FeedEvent => ({
  event: 'message',
  id: String(seq),
  data,
  receivedAt: seq,
  seq,
})

test('buffered events fill the gap the server left in the live list, each event once and in order', () => {
  const live = [event(1, 'live'), event(2, 'live'), event(7, 'live'), event(8, 'live')]
  const buffered = [3, 4, 5, 6, 7].map((seq) => event(seq))
  const merged = mergeBySeq(buffered, live)
  expect(merged.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
  expect(merged.find((e) => e.seq === 7)?.data).toBe('live')
})

test('an empty side leaves the other as it is', () => {
  expect(mergeBySeq([], [event(1)]).map((e) => e.seq)).toEqual([1])
  expect(mergeBySeq([event(1), event(2)], []).map((e) => e.seq)).toEqual([1, 2])
})
