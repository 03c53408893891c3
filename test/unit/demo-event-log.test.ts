import { expect, test } from 'vitest'
import { createEventLog, type EventLog, type Replay } from '../../src/main/demo/event-log'

function logWith(count: number, capacity = 1000): EventLog {
  const log = createEventLog(capacity)
  for (let i = 1; i <= count; i++) log.append('metrics', `{"n":${i}}`)
  return log
}

function idsOf(replay: Replay): number[] {
  return replay.kind === 'unknown' ? [] : replay.events.map((event) => event.id)
}

test('ids start at 1 and go up by one', () => {
  const log = createEventLog(10)
  expect(log.latestId).toBe(0)
  expect([log.append('a', '1').id, log.append('b', '2').id, log.append('c', '3').id]).toEqual([
    1, 2, 3,
  ])
  expect(log.latestId).toBe(3)
})

test('an event is written as one SSE block with id, event name and data', () => {
  const log = createEventLog(10)
  expect(log.append('deploy', '{"service":"api"}').wire).toBe(
    'id: 1\nevent: deploy\ndata: {"service":"api"}\n\n',
  )
})

test('data with line breaks becomes one data field per line', () => {
  const log = createEventLog(10)
  expect(log.append('note', 'a\nb\r\nc\rd').wire).toBe(
    'id: 1\nevent: note\ndata: a\ndata: b\ndata: c\ndata: d\n\n',
  )
})

test('since(id) gives exactly the events after id', () => {
  const replay = logWith(10).since(6)
  expect(replay.kind).toBe('complete')
  expect(idsOf(replay)).toEqual([7, 8, 9, 10])
})

test('since(0) gives every event kept when none has been dropped', () => {
  const replay = logWith(5).since(0)
  expect(replay.kind).toBe('complete')
  expect(idsOf(replay)).toEqual([1, 2, 3, 4, 5])
})

test('since the latest id gives nothing', () => {
  expect(logWith(5).since(5)).toEqual({ kind: 'complete', events: [] })
})

test('keeps only the newest events', () => {
  const replay = logWith(25, 10).since(15)
  expect(replay.kind).toBe('complete')
  expect(idsOf(replay)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25])
})

test('an id older than anything kept reports how many events are gone', () => {
  const replay = logWith(25, 10).since(3)
  expect(replay).toMatchObject({ kind: 'gap', missing: 12 })
  expect(idsOf(replay)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25])
})

test('an id ahead of the log is unknown', () => {
  expect(logWith(5).since(6)).toEqual({ kind: 'unknown' })
  expect(createEventLog(10).since(1)).toEqual({ kind: 'unknown' })
})

test('a capacity below 1 is refused', () => {
  expect(() => createEventLog(0)).toThrow(RangeError)
  expect(() => createEventLog(1.5)).toThrow(RangeError)
})
