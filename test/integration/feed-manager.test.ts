import { afterEach, expect, test } from 'vitest'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { FeedManager } from '../../src/main/feeds/feed-manager'
import { feedSchema, type Feed } from '../../src/shared/profile'
import type { ConnectionState } from '../../src/shared/connection'
import type { FeedEvent } from '../../src/shared/feed-event'
import { openEventStream, startServer, type TestServer } from '../support/http-server'

const servers: TestServer[] = []
const managers: FeedManager[] = []
afterEach(async () => {
  for (const manager of managers.splice(0)) manager.close()
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

interface Recorded {
  events: { feedId: string; event: FeedEvent }[]
  states: { feedId: string; state: ConnectionState }[]
}

function recordingManager(): { manager: FeedManager; seen: Recorded } {
  const seen: Recorded = { events: [], states: [] }
  const manager = new FeedManager({
    onEvent: (feedId, event) => seen.events.push({ feedId, event }),
    onState: (feedId, state) => seen.states.push({ feedId, state }),
  })
  managers.push(manager)
  return { manager, seen }
}

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** A server that sends `count` events named by `names` in turn, then holds the stream open. */
async function eventServer(
  count: number,
  names = ['message'],
): Promise<{ server: TestServer; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = []
  const server = await startServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push(req)
    openEventStream(res)
    for (let i = 1; i <= count; i++)
      res.write(`event: ${names[(i - 1) % names.length]}\nid: ${i}\ndata: ${i}\n\n`)
  })
  servers.push(server)
  return { server, requests }
}

const feed = (overrides: Partial<Feed> & { id: string; url: string }): Feed =>
  feedSchema.parse({ name: overrides.id, reconnectDelay: 20, ...overrides })

test('each enabled feed connects and its events land in its buffer in order', async () => {
  const { server } = await eventServer(3)
  const { manager, seen } = recordingManager()
  manager.apply([
    feed({ id: 'a', url: `${server.origin}/a` }),
    feed({ id: 'b', url: `${server.origin}/b` }),
  ])
  await waitFor(() => seen.events.length === 6)
  expect(manager.events('a').map((e) => e.data)).toEqual(['1', '2', '3'])
  expect(manager.status('b')).toMatchObject({
    feedId: 'b',
    buffered: 3,
    dropped: 0,
    lastEventId: '3',
  })
  expect(manager.status('b').state.state).toBe('open')
})

test('a disabled feed is not connected until it is enabled', async () => {
  const { server, requests } = await eventServer(1)
  const { manager } = recordingManager()
  const disabled = feed({ id: 'a', url: server.origin, enabled: false })
  manager.apply([disabled])
  await new Promise((resolve) => setTimeout(resolve, 100))
  expect(requests).toHaveLength(0)
  expect(manager.status('a').state.state).toBe('idle')
  manager.apply([{ ...disabled, enabled: true }])
  await waitFor(() => manager.status('a').buffered === 1)
})

test('renaming a feed does not reconnect it, changing its headers does and resumes', async () => {
  const { server, requests } = await eventServer(2)
  const { manager } = recordingManager()
  const original = feed({ id: 'a', url: server.origin })
  manager.apply([original])
  await waitFor(() => manager.status('a').buffered === 2)
  manager.apply([{ ...original, name: 'Renamed' }])
  await new Promise((resolve) => setTimeout(resolve, 100))
  expect(requests).toHaveLength(1)
  manager.apply([{ ...original, headers: [{ name: 'X-Team', value: 'ops', secret: false }] }])
  await waitFor(() => manager.status('a').buffered === 4)
  expect(requests).toHaveLength(2)
  expect(requests[1]?.headers['x-team']).toBe('ops')
  expect(requests[1]?.headers['last-event-id']).toBe('2')
  // Sequence numbers continue across the new connection instead of restarting at 1.
  expect(manager.events('a').map((e) => e.seq)).toEqual([1, 2, 3, 4])
})

test('a removed feed is disconnected and forgotten', async () => {
  const { server } = await eventServer(1)
  const { manager } = recordingManager()
  manager.apply([feed({ id: 'a', url: server.origin })])
  await waitFor(() => manager.status('a').buffered === 1)
  manager.apply([])
  expect(manager.has('a')).toBe(false)
  expect(() => manager.status('a')).toThrow('no feed with id "a"')
})

test('the event filter keeps only the named events', async () => {
  const { server } = await eventServer(4, ['metrics', 'heartbeat'])
  const { manager, seen } = recordingManager()
  manager.apply([feed({ id: 'a', url: server.origin, eventFilter: ['metrics'] })])
  await waitFor(() => manager.status('a').stats.events === 4)
  expect(manager.events('a').map((e) => e.event)).toEqual(['metrics', 'metrics'])
  expect(seen.events).toHaveLength(2)
})

test('the buffer holds at most bufferSize events and counts the dropped ones', async () => {
  const { server } = await eventServer(25)
  const { manager } = recordingManager()
  manager.apply([feed({ id: 'a', url: server.origin, bufferSize: 10 })])
  await waitFor(() => manager.status('a').stats.events === 25)
  expect(manager.status('a')).toMatchObject({ buffered: 10, dropped: 15 })
  expect(manager.events('a')[0]?.data).toBe('16')
})

test('new feeds resume from the saved last event ID', async () => {
  const { server, requests } = await eventServer(1)
  const { manager } = recordingManager()
  manager.apply([feed({ id: 'a', url: server.origin })], { a: '41' })
  await waitFor(() => requests.length === 1)
  expect(requests[0]?.headers['last-event-id']).toBe('41')
})

test('disconnect, connect and retry now act on one feed', async () => {
  const { server, requests } = await eventServer(1)
  const { manager, seen } = recordingManager()
  manager.apply([feed({ id: 'a', url: server.origin })])
  await waitFor(() => manager.status('a').state.state === 'open')
  manager.disconnect('a')
  expect(manager.status('a').state).toMatchObject({ state: 'closed', code: 'disconnected' })
  manager.connect('a')
  await waitFor(() => requests.length === 2 && manager.status('a').state.state === 'open')
  manager.retryNow('a')
  await waitFor(() => requests.length === 3)
  expect(seen.states.filter((s) => s.state.state === 'open')).toHaveLength(3)
})
