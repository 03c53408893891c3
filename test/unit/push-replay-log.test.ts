import { expect, test } from 'vitest'
import { logPush, type LoggedPush } from '../../src/main/server/logged-push'
import { ReplayLog } from '../../src/main/server/replay-log'
import type { PushMessage } from '../../src/shared/api'

const batch = (id: number, at = 0): LoggedPush =>
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
            events: [{ event: 'message', id: '', data: 'x', receivedAt: 0, seq: id }],
          },
        ],
      },
    },
    at,
  )
const heartbeat = (id: number, at = 0): LoggedPush =>
  logPush('run', id, { type: 'service:heartbeat', payload: { at } } as PushMessage, at)

test('a push is serialised once into its frame with its byte size and event count', () => {
  const push = batch(7)
  expect(push.frame).toMatch(/^id: run\.7\nevent: events:batch\ndata: \{.*\}\n\n$/)
  expect(push.bytes).toBe(Buffer.byteLength(push.frame))
  expect(push.events).toBe(1)
})

test('the log lets go of the oldest pushes beyond its byte bound and remembers how far it trimmed', () => {
  const size = batch(1).bytes
  const log = new ReplayLog({ maxBytes: size * 3, maxAgeMs: 60_000 })
  for (let id = 1; id <= 5; id++) log.append(batch(id))
  expect([...log.after(0)].map((push) => push.id)).toEqual([3, 4, 5])
  expect(log.trimmedThrough).toBe(2)
  expect(log.bytes).toBe(size * 3)
})

test('the log lets go of pushes older than its age bound', () => {
  const log = new ReplayLog({ maxBytes: 1e9, maxAgeMs: 1000 })
  log.append(batch(1, 0))
  log.append(batch(2, 500))
  log.trim(1400)
  expect([...log.after(0)].map((push) => push.id)).toEqual([2])
  expect(log.trimmedThrough).toBe(1)
})

test('a superseded push leaves the log without counting as trimmed', () => {
  const log = new ReplayLog({ maxBytes: 1e9, maxAgeMs: 60_000 })
  log.append(heartbeat(1))
  log.append(batch(2))
  log.append(heartbeat(3))
  expect([...log.after(0)].map((push) => push.id)).toEqual([2, 3])
  expect(log.trimmedThrough).toBe(0)
})

test('reading after an id also yields pushes appended while reading', () => {
  const log = new ReplayLog({ maxBytes: 1e9, maxAgeMs: 60_000 })
  log.append(batch(1))
  log.append(batch(2))
  const reading = log.after(1)
  expect(reading.next().value?.id).toBe(2)
  log.append(batch(3))
  expect(reading.next().value?.id).toBe(3)
  expect(reading.next().done).toBe(true)
})
