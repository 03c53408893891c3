/**
 * A server that resumes from Last-Event-ID cuts the connection hundreds of times, at every kind of
 * point a stream can break (mid field name, mid line, between CR and LF, inside a UTF-8 sequence,
 * right after an id line, …): the engine must end up with every event exactly once, in order.
 */
import { afterEach, expect, test } from 'vitest'
import { disconnectAll, watchConnection, waitFor } from '../support/connection-probe'
import { startServer, type TestServer } from '../support/http-server'
import { seededRandom } from '../support/random-event-streams'
import {
  buildResumableStream,
  chooseCuts,
  CUT_KINDS,
  resumableFeed,
} from '../support/resumable-feed'

/** Cuts per run: `npm run soak` makes 1,000. */
const CUTS = 240
const SEED = 0xc075

let server: TestServer | undefined

afterEach(async () => {
  disconnectAll()
  await server?.close()
  server = undefined
})

test('hundreds of cuts at every kind of point lose and double no event', async () => {
  const random = seededRandom(SEED)
  const stream = buildResumableStream(random, 150)
  const cuts = chooseCuts(random, stream, CUTS)
  const feed = resumableFeed(stream, cuts)
  server = await startServer((req, res) => feed.handle(req, res))
  const probe = watchConnection({
    url: server.origin,
    reconnectDelay: 0,
    maxReconnectAttempts: 'unlimited',
    staleTimeout: 0,
  })
  probe.connection.connect()

  await waitFor(
    () => feed.made.length === cuts.length && probe.events.length >= stream.expected.length,
    30_000,
    () =>
      `${cuts.length} cuts and ${stream.expected.length} events; got ${feed.made.length} cuts, ${probe.events.length} events`,
  )
  // Anything doubled would arrive with or after the last expected event; give it a moment.
  await new Promise((resolve) => setTimeout(resolve, 50))

  expect(cuts.length).toBeGreaterThanOrEqual(200)
  expect(new Set(feed.made.map((cut) => cut.kind))).toEqual(new Set(CUT_KINDS))
  expect(feed.unknownIds).toEqual([])
  expect(probe.events.map(({ event, id, data }) => ({ event, id, data }))).toEqual(stream.expected)
  expect(probe.connection.stats().reconnects).toBe(cuts.length)
}, 60_000)
