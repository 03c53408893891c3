/**
 * Random streams through a real socket: the same seeded streams as the decoder's fuzz test, written by
 * a real server in random pieces, must give exactly the events and last event ID the WHATWG reference
 * gives.
 */
import { afterEach, expect, test } from 'vitest'
import type { FeedEvent } from '../../src/shared/feed-event'
import { disconnectAll, watchConnection } from '../support/connection-probe'
import { openEventStream, startServer, type TestServer } from '../support/http-server'
import {
  randomChunks,
  randomEventStream,
  seededRandom,
  showBytes,
} from '../support/random-event-streams'
import { parseEventStreamReference } from '../support/whatwg-event-stream'

/** Streams per run, and how many connections run at once. */
const STREAMS = 300
const PARALLEL = 6
const SEED = 0xfeed

let server: TestServer | undefined

afterEach(async () => {
  disconnectAll()
  await server?.close()
  server = undefined
})

const yieldToSockets = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

test('hundreds of random streams through a socket give what the WHATWG reference gives', async () => {
  const random = seededRandom(SEED)
  const cases = Array.from({ length: STREAMS }, () => {
    const body = randomEventStream(random)
    return { body, chunks: randomChunks(random, body).filter((chunk) => chunk.length > 0) }
  })
  server = await startServer((req, res) => {
    const chunks = cases[Number(req.url?.slice(1))]?.chunks ?? []
    openEventStream(res)
    void (async () => {
      for (const [i, chunk] of chunks.entries()) {
        res.write(chunk)
        // Let some pieces reach the socket on their own, so reads end at varied places.
        if (i % 3 === 0) await yieldToSockets()
      }
      res.end()
    })()
  })
  const origin = server.origin

  let compared = 0
  const run = async (n: number): Promise<void> => {
    const { body } = cases[n] as (typeof cases)[number]
    const feed = watchConnection({ url: `${origin}/${n}`, autoReconnect: false, staleTimeout: 0 })
    feed.connection.connect()
    const end = await feed.waitForState('closed', { timeoutMs: 10_000 })
    const expected = parseEventStreamReference(body)
    const what = `stream #${n} (seed ${SEED}): "${showBytes(body)}"`
    expect(end.code, what).toBe('ended')
    expect(feed.events.map(eventFields), what).toEqual(
      expected.outputs.flatMap((output) => (output.kind === 'event' ? [output] : [])),
    )
    expect(feed.connection.lastEventId, what).toBe(expected.lastEventId)
    compared++
  }
  let next = 0
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < STREAMS) await run(next++)
    }),
  )
  expect(compared).toBe(STREAMS)
}, 60_000)

function eventFields({ event, id, data }: FeedEvent): {
  kind: 'event'
  event: string
  id: string
  data: string
} {
  return { kind: 'event', event, id, data }
}
