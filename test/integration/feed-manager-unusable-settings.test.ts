/**
 * A feed whose settings or saved last event ID the engine cannot use never stops the other feeds.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { afterEach, expect, test } from 'vitest'
import { FeedManager } from '../../src/main/feeds/feed-manager'
import { feedSchema, type Feed } from '../../src/shared/profile'
import { waitFor } from '../support/connection-probe'
import { openEventStream, startServer, type TestServer } from '../support/http-server'

const servers: TestServer[] = []
const managers: FeedManager[] = []
afterEach(async () => {
  for (const manager of managers.splice(0)) manager.close()
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TestServer> {
  const server = await startServer(handler)
  servers.push(server)
  return server
}

function quietManager(): FeedManager {
  const manager = new FeedManager({ onEvent: () => {}, onState: () => {} }, { env: {} })
  managers.push(manager)
  return manager
}

const feed = (overrides: Partial<Feed> & { id: string; url: string }): Feed =>
  feedSchema.parse({ name: overrides.id, reconnectDelay: 0, ...overrides })

test('a feed with a header value the engine refuses is failed with the reason, and the others run', async () => {
  const server = await serve((_req, res) => {
    openEventStream(res)
    res.write('id: 1\ndata: one\n\n')
  })
  const manager = quietManager()
  // Written as an older version would have saved it, past today's profile schema.
  const bad: Feed = {
    ...feed({ id: 'bad', url: server.origin }),
    headers: [{ name: 'X-A', value: 'a\u0001b', secret: false }],
  }
  manager.apply([bad, feed({ id: 'good', url: server.origin })])
  await waitFor(() => manager.events('good').length === 1)

  expect(manager.status('bad').state).toMatchObject({
    state: 'failed',
    code: 'invalid-request',
    reason: 'headers.X-A: the value contains the control character U+0001 at position 2',
  })
  manager.retryNow('bad')
  expect(manager.status('bad').state.state).toBe('failed')
  expect(server.requests).toHaveLength(1)
})

test('a saved last event ID with a control character starts the feed without Last-Event-ID', async () => {
  const server = await serve((_req, res) => {
    openEventStream(res)
    res.write('id: 2\ndata: two\n\n')
  })
  const manager = quietManager()
  manager.apply([feed({ id: 'a', url: server.origin })], { a: 'a\u0001b' })
  await waitFor(() => manager.events('a').length === 1)

  expect(server.requests[0]?.headers['last-event-id']).toBeUndefined()
  expect(manager.status('a').lastEventId).toBe('2')
})

test('changing the settings of a feed whose last id cannot be a header reconnects it without failing', async () => {
  const server = await serve((_req, res) => {
    openEventStream(res)
    res.write('id: a\u0001b\ndata: one\n\n')
  })
  const manager = quietManager()
  manager.apply([feed({ id: 'a', url: server.origin })])
  await waitFor(() => manager.events('a').length === 1)
  manager.apply([feed({ id: 'a', url: `${server.origin}/moved` })])
  await waitFor(() => server.requests.length === 2)
  await waitFor(() => manager.status('a').state.state === 'open')

  expect(server.requests[1]?.headers['last-event-id']).toBeUndefined()
  expect(manager.events('a').map((event) => event.id)).toEqual(['a\u0001b', 'a\u0001b'])
})
