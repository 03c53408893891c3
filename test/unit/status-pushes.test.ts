import { expect, test } from 'vitest'
import { StatusPushes } from '../../src/main/api/status-pushes'
import type { FeedStatus } from '../../src/shared/feed-status'

const status = (feedId: string, events: number): FeedStatus => ({
  feedId,
  state: { state: 'open', at: 0, status: 200, contentType: 'text/event-stream' },
  stats: {
    events,
    bytes: 0,
    reconnects: 0,
    lastEventAt: null,
    connectedSince: 0,
    eventsPerSecond: 0,
  },
  lastEventId: '',
  buffered: events,
  dropped: 0,
})

test('a tick pushes only the statuses that changed since their last push', () => {
  const pushes = new StatusPushes(30)
  expect(pushes.due([status('a', 1), status('b', 1)]).map((s) => s.feedId)).toEqual(['a', 'b'])
  expect(pushes.due([status('a', 1), status('b', 2)]).map((s) => s.feedId)).toEqual(['b'])
  expect(pushes.due([status('a', 1), status('b', 2)])).toEqual([])
})

test('every status is pushed again on the heartbeat tick, changed or not', () => {
  const pushes = new StatusPushes(3)
  const quiet = [status('a', 1)]
  expect(pushes.due(quiet)).toHaveLength(1)
  expect(pushes.due(quiet)).toHaveLength(0)
  expect(pushes.due(quiet)).toHaveLength(0)
  expect(pushes.due(quiet)).toHaveLength(1)
})
