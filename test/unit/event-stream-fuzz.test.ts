/**
 * Seeded fuzzing of the decoder against the reference implementation of the WHATWG algorithm: random
 * fields, values with control characters, NUL, BOMs and invalid UTF-8, CR/LF/CRLF mixes, cut into
 * random chunks. Any difference or throw fails with the seed and the stream.
 */
import { expect, test } from 'vitest'
import { createEventStreamDecoder } from '../../src/main/engine/event-stream-decoder'
import {
  randomChunks,
  randomEventStream,
  seededRandom,
  showBytes,
} from '../support/random-event-streams'
import { parseEventStreamReference, type ReferenceResult } from '../support/whatwg-event-stream'

/** Streams per run: a few thousand in a few seconds; `npm run soak` runs 50,000. */
const STREAMS = 3000
const SEED = 0x5eed

/** What the decoder produced for one stream, in the reference's terms. */
function decodeInChunks(chunks: readonly Uint8Array[], lastEventId: string): ReferenceResult {
  const outputs: ReferenceResult['outputs'] = []
  const decoder = createEventStreamDecoder({
    lastEventId,
    maxEventBytes: 1024 * 1024,
    onEvent: (event, id, data) => outputs.push({ kind: 'event', event, id, data }),
    onRetry: (ms) => outputs.push({ kind: 'retry', ms }),
    onTooLarge: (message) => {
      throw new Error(`unexpected onTooLarge: ${message}`)
    },
  })
  for (const chunk of chunks) decoder.push(chunk)
  return { outputs, lastEventId: decoder.lastEventId }
}

test('the decoder agrees with the WHATWG reference on thousands of random streams and chunkings', () => {
  const random = seededRandom(SEED)
  let events = 0
  for (let n = 0; n < STREAMS; n++) {
    const body = randomEventStream(random)
    const startId = random() < 0.2 ? 'resumed-1' : ''
    const chunks = randomChunks(random, body)
    const expected = parseEventStreamReference(body, startId)
    const actual = decodeInChunks(chunks, startId)
    expect(actual, `stream #${n} (seed ${SEED}): "${showBytes(body)}"`).toEqual(expected)
    events += expected.outputs.length
  }
  // A generator that produced nothing would make this test pass vacuously.
  expect(events).toBeGreaterThan(STREAMS)
})

test('the reference itself follows the spec on a hand-checked stream', () => {
  const body = new TextEncoder().encode(
    '\uFEFFdata: a\r\ndata:b\rid: 1\n\nid: x\0y\nevent: e\ndata\n\nid: 2\n\nretry: 7\nretry: 7s\ndata: cut',
  )
  expect(parseEventStreamReference(body)).toEqual({
    outputs: [
      { kind: 'event', event: 'message', id: '1', data: 'a\nb' },
      { kind: 'event', event: 'e', id: '1', data: '' },
      { kind: 'retry', ms: 7 },
    ],
    lastEventId: '2',
  })
})
