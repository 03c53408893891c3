import { tmpdir } from 'node:os'
import { afterEach, expect, test, vi } from 'vitest'
import { startFeedwatchServer } from '../../src/main/server/feedwatch-server'
import { PushStream, type PushStreamOptions } from '../../src/main/server/push-stream'
import type { PushMessage } from '../../src/shared/api'
import type { FeedEvent } from '../../src/shared/feed-event'
import {
  openPushStream,
  type PushStreamClient,
  type ReceivedPush,
} from '../support/push-stream-client'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A push stream served by `feedwatch serve`'s HTTP server on 127.0.0.1, fed by the test. */
async function servePushes(
  options: PushStreamOptions = {},
): Promise<{ pushes: PushStream; url: string; connect: typeof connect }> {
  const pushes = new PushStream(options)
  const server = await startFeedwatchServer({
    handlers: {} as never,
    pushes,
    staticRoot: tmpdir(),
    host: '127.0.0.1',
    port: 0,
    token: undefined,
    readOnly: false,
  })
  cleanups.push(() => server.close())
  const url = `${server.url}/api/stream`
  async function connect(
    lastEventId?: string,
    onPush?: (push: ReceivedPush) => void,
  ): Promise<PushStreamClient> {
    const client = await openPushStream(url, {
      ...(lastEventId === undefined ? {} : { lastEventId }),
      ...(onPush === undefined ? {} : { onPush }),
    })
    cleanups.push(() => client.close())
    return client
  }
  return { pushes, url, connect }
}

/** Numbers events per feed, as the engine does, so a test can tell lost, doubled and reordered ones. */
class EventSource {
  private readonly seqs = new Map<string, number>()
  constructor(private readonly dataBytes: number) {}

  batch(feedIds: readonly string[], perFeed: number): PushMessage {
    return {
      type: 'events:batch',
      payload: {
        profile: 'Ops',
        dropped: 0,
        feeds: feedIds.map((feedId) => ({
          feedId,
          events: Array.from({ length: perFeed }, () => this.event(feedId)),
        })),
      },
    }
  }

  private event(feedId: string): FeedEvent {
    const seq = (this.seqs.get(feedId) ?? 0) + 1
    this.seqs.set(feedId, seq)
    return {
      event: 'message',
      id: String(seq),
      data: 'x'.repeat(this.dataBytes),
      receivedAt: seq,
      seq,
    }
  }
}

function state(feedId: string, events: number): PushMessage {
  return {
    type: 'feeds:state',
    payload: {
      profile: 'Ops',
      feedId,
      state: { state: 'open', at: 0 },
      stats: {
        events,
        bytes: 0,
        reconnects: 0,
        lastEventAt: null,
        connectedSince: 0,
        eventsPerSecond: 10,
      },
      lastEventId: String(events),
      buffered: events,
      dropped: 0,
    },
  } as PushMessage
}

const feedIds = Array.from({ length: 100 }, (_, i) => `feed-${i}`)

/** The events of every batch among `pushes`, as `feed:seq`, in the order they arrived. */
function eventsIn(pushes: readonly (ReceivedPush | PushMessage)[]): string[] {
  const out: string[] = []
  for (const push of pushes) {
    const [type, payload] = 'type' in push ? [push.type, push.payload] : [push.event, push.payload]
    if (type !== 'events:batch') continue
    for (const feed of (payload as { feeds: { feedId: string; events: FeedEvent[] }[] }).feeds)
      for (const event of feed.events) out.push(`${feed.feedId}:${event.seq}`)
  }
  return out
}

function droppedIn(pushes: readonly ReceivedPush[]): number {
  return pushes
    .filter((push) => push.event === 'events:dropped')
    .reduce((sum, push) => sum + (push.payload as { dropped: number }).dropped, 0)
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

test('a client resuming 2,000 messages back with 100 feeds gets every missed event once, in order, at the pace it reads', async () => {
  // About 16 MB is missed: a log that keeps it all, so what is tested is the pace of the replay.
  const { pushes, connect } = await servePushes({ replayBytes: 64 * 1024 * 1024 })
  const source = new EventSource(400)
  const published: PushMessage[] = []
  const publish = (message: PushMessage): void => {
    published.push(message)
    pushes.publish(message)
  }
  const first = await connect()
  for (let i = 0; i < 50; i++) publish(source.batch(feedIds.slice(i % 90, (i % 90) + 10), 2))
  await first.until((received) => received.filter((push) => push.id !== undefined).length === 50)
  first.close()
  const seenUpTo = first.lastEventId

  // 2,000 messages while away: a state of one feed in every fifth, event batches for 10 feeds between.
  for (let i = 0; i < 2000; i++) {
    if (i % 5 === 0) publish(state(feedIds[(i / 5) % 100] ?? '', i))
    else publish(source.batch(feedIds.slice(i % 90, (i % 90) + 10), 2))
  }
  const missed = published.slice(50)

  const resumed = await connect(seenUpTo)
  // Reading nothing for a while fills the socket: the replay must wait for it to drain.
  resumed.stop()
  await new Promise((resolve) => setTimeout(resolve, 300))
  expect(pushes.buffers()[0]?.replaying).toBe(true)
  resumed.resume()
  // Pushes published during the replay come after it, once each.
  for (let i = 0; i < 100; i++) {
    const live = source.batch(feedIds.slice(0, 5), 1)
    missed.push(live)
    pushes.publish(live)
    await nextTurn()
  }
  const expected = eventsIn(missed)
  await resumed.until((received) => eventsIn(received).length >= expected.length)
  expect(eventsIn(resumed.received)).toEqual(expected)
  expect(resumed.received.map((push) => push.event)).not.toContain('resync')
  expect(droppedIn(resumed.received)).toBe(0)
  // Superseded states are not replayed; the latest state of every feed is.
  const states = resumed.received.filter((push) => push.event === 'feeds:state')
  expect(new Set(states.map((push) => (push.payload as { feedId: string }).feedId)).size).toBe(100)
  expect(states).toHaveLength(100)
}, 30_000)

/** Publishes event batches of `bytes` in all, yielding now and then so sockets can move. */
async function flood(
  publish: (message: PushMessage) => void,
  source: EventSource,
  bytes: number,
  afterEach: (published: number) => Promise<void> | void = () => {},
): Promise<number> {
  let events = 0
  for (let sent = 0; sent < bytes; sent += 20 * 10 * 1000) {
    publish(source.batch(feedIds.slice(0, 20), 10))
    events += 200
    await afterEach(events)
    await nextTurn()
  }
  return events
}

test('a client that stops reading holds no more than its bound while other clients get everything', async () => {
  const bound = 1024 * 1024
  const { pushes, connect } = await servePushes({ clientBufferBytes: bound })
  const stuck = await connect()
  let readerEvents = 0
  const reader = await connect(undefined, (push) => (readerEvents += eventsIn([push]).length))
  stuck.stop()
  let mostHeld = 0
  await flood(
    (message) => pushes.publish(message),
    new EventSource(900),
    40 * 1024 * 1024,
    async (published) => {
      const held = pushes.buffers().map((client) => client.queuedBytes + client.socketBytes)
      mostHeld = Math.max(mostHeld, ...held)
      // The other client reads as fast as the pushes come, however busy the machine.
      await reader.until(() => readerEvents === published)
    },
  )
  // The queue's bound, plus what the socket holds beyond its high-water mark: one frame. It was
  // reached: the stuck client's socket was full and pushes waited for it.
  expect(mostHeld).toBeLessThan(bound + 256 * 1024)
  expect(mostHeld).toBeGreaterThan(bound / 2)
  expect(droppedIn(reader.received)).toBe(0)
  expect(reader.received.map((push) => push.event)).not.toContain('resync')
}, 60_000)

test('a client that fell behind is told how many events it missed as soon as it reads again, with no further batch', async () => {
  const { pushes, connect } = await servePushes({ clientBufferBytes: 1024 * 1024 })
  const stuck = await connect()
  stuck.stop()
  const published = await flood(
    (message) => pushes.publish(message),
    new EventSource(900),
    30 * 1024 * 1024,
  )
  // The feed goes quiet: nothing more is published.
  stuck.resume()
  await stuck.until((received) => eventsIn(received).length + droppedIn(received) === published)
  const got = eventsIn(stuck.received)
  expect(droppedIn(stuck.received)).toBeGreaterThan(0)
  // What it got is in order and whole from the first batch it got after the gap.
  expect(new Set(got).size).toBe(got.length)
  expect(stuck.received.map((push) => push.event)).not.toContain('resync')
}, 60_000)

test('a client whose queue is over its bound without any event batch to drop gets resync, then live pushes', async () => {
  const { pushes, connect } = await servePushes({ clientBufferBytes: 256 * 1024 })
  const stuck = await connect()
  stuck.stop()
  const notice = (n: number): PushMessage =>
    ({
      type: 'alerts:fired',
      payload: {
        profile: 'Ops',
        kind: 'firing',
        ruleId: `r${n}`,
        title: 'x',
        body: 'y'.repeat(50_000),
      },
    }) as unknown as PushMessage
  for (let n = 0; n < 400; n++) {
    pushes.publish(notice(n))
    await nextTurn()
  }
  expect(pushes.buffers()[0]?.queuedBytes).toBeLessThanOrEqual(256 * 1024)
  stuck.resume()
  await stuck.until((received) => received.some((push) => push.event === 'resync'))
  pushes.publish(state('feed-1', 1))
  await stuck.until((received) => received.at(-1)?.event === 'feeds:state')
}, 60_000)

test('a Last-Event-ID older than the replay log keeps (by age) gets resync', async () => {
  let now = 1_000_000
  const { pushes, connect } = await servePushes({ replayMaxAgeMs: 60_000, now: () => now })
  const client = await connect()
  pushes.publish(state('feed-1', 1))
  await client.until((received) => received.length === 1)
  client.close()
  now += 30_000
  pushes.publish(state('feed-2', 1))
  const soon = await connect(client.lastEventId)
  await soon.until((received) => received.length === 1)
  expect(soon.received[0]?.event).toBe('feeds:state')
  now += 60_001
  pushes.publish(state('feed-3', 1))
  const late = await connect(client.lastEventId)
  await late.until((received) => received.length === 1)
  expect(late.received[0]?.event).toBe('resync')
})

test('on a quiet server the replay log ages out with the heartbeat, without a new push', () => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
  try {
    let now = 0
    const pushes = new PushStream({ replayMaxAgeMs: 60_000, heartbeatMs: 15_000, now: () => now })
    cleanups.push(() => pushes.close())
    pushes.publish(state('feed-1', 1))
    now = 60_001
    vi.advanceTimersByTime(14_999)
    expect(pushes.replayLog().pushes).toBe(1)
    vi.advanceTimersByTime(1)
    expect(pushes.replayLog()).toEqual({ pushes: 0, bytes: 0 })
  } finally {
    vi.useRealTimers()
  }
})
