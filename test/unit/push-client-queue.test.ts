import { expect, test } from 'vitest'
import { ClientQueue } from '../../src/main/server/client-queue'
import { logPush, type LoggedPush } from '../../src/main/server/logged-push'
import type { PushMessage } from '../../src/shared/api'

const batch = (id: number, events = 1): LoggedPush =>
  logPush(
    'run',
    id,
    {
      type: 'events:batch',
      payload: {
        profile: 'Ops',
        dropped: 0,
        feeds: [
          {
            feedId: 'a',
            events: Array.from({ length: events }, (_, i) => ({
              event: 'message',
              id: '',
              data: 'x'.repeat(100),
              receivedAt: 0,
              seq: i,
            })),
          },
        ],
      },
    },
    0,
  )
const listed = (id: number, size: number): LoggedPush =>
  logPush(
    'run',
    id,
    {
      type: 'profiles:listed',
      payload: { profiles: [], renamed: { name: 'x'.repeat(size), newName: 'y' } },
    } as PushMessage,
    0,
  )
const heartbeat = (id: number): LoggedPush =>
  logPush('run', id, { type: 'service:heartbeat', payload: { at: id } } as PushMessage, 0)

function drain(queue: ClientQueue): number[] {
  const ids: number[] = []
  for (let push = queue.shift(); push !== undefined; push = queue.shift()) ids.push(push.id)
  return ids
}

test('a push that supersedes a queued one replaces it at the end of the queue', () => {
  const queue = new ClientQueue(1e6)
  queue.add(heartbeat(1))
  queue.add(batch(2))
  queue.add(heartbeat(3))
  expect(drain(queue)).toEqual([2, 3])
  expect(queue.bytes).toBe(0)
})

test('beyond its bound the queue drops the oldest event batches and counts their events', () => {
  const size = batch(1, 3).bytes
  const queue = new ClientQueue(size * 2 + heartbeat(9).bytes)
  queue.add(batch(1, 3))
  queue.add(heartbeat(2))
  queue.add(batch(3, 3))
  const overflow = queue.add(batch(4, 3))
  expect(overflow).toEqual({ droppedEvents: 3, overflowed: false })
  expect(drain(queue)).toEqual([2, 3, 4])
})

test('a queue still beyond its bound with no batch left to drop empties itself and says so', () => {
  const queue = new ClientQueue(1000)
  queue.add(batch(1, 2))
  queue.add(listed(2, 300))
  const overflow = queue.add(listed(3, 600))
  expect(overflow).toEqual({ droppedEvents: 2, overflowed: true })
  expect(queue.size).toBe(0)
  expect(queue.bytes).toBe(0)
})
