/**
 * A feed that resumes from `Last-Event-ID` and cuts its connections at chosen byte offsets: every
 * kind of point a connection can break at (mid field name, mid line, between CR and LF, inside a
 * UTF-8 sequence, right after an `id:` line, …). A client that loses or doubles an event across the
 * cuts shows up as a difference from {@link ResumableStream.expected}.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { openEventStream } from './http-server'
import type { Random } from './random-event-streams'

/** Where a connection can be cut, by what it splits. */
export const CUT_KINDS = [
  'mid field name',
  'right after the colon',
  'mid value',
  'mid UTF-8 sequence',
  'between CR and LF',
  'right after an id line',
  'before the blank line',
  'mid comment',
  'right after an event',
] as const

/** One kind of cut point. */
export type CutKind = (typeof CUT_KINDS)[number]

/** One byte offset of the stream to cut at. */
export interface CutPoint {
  readonly kind: CutKind
  readonly at: number
}

/** An event a client must receive exactly once. */
export interface ExpectedEvent {
  readonly event: string
  readonly id: string
  readonly data: string
}

/** The whole stream, where each block ends (by id), the events it holds and where it may be cut. */
export interface ResumableStream {
  readonly bytes: Uint8Array
  /** Byte offset just after the block with this id: where a resume from it starts. */
  readonly endOfId: ReadonlyMap<string, number>
  readonly expected: readonly ExpectedEvent[]
  /** Every candidate cut point, in stream order. */
  readonly candidates: readonly CutPoint[]
}

const encoder = new TextEncoder()
const TERMINATORS = ['\n', '\r', '\r\n'] as const
const VALUES = ['cpu 0.31', 'é', '€ 12', '✓ ok', '😀 smile', 'ascii only', 'a:b', '{"n":1}']

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T
}

/**
 * Builds `blocks` blocks. Every block has a unique id (some non-ASCII); most carry data (one to three
 * `data:` lines), some only an id; some have an event name or a comment; the id line sits anywhere
 * in the block, and lines end in LF, CR or CRLF at random.
 */
export function buildResumableStream(random: Random, blocks: number): ResumableStream {
  const out: number[] = []
  const endOfId = new Map<string, number>()
  const expected: ExpectedEvent[] = []
  const candidates: CutPoint[] = []
  const cut = (kind: CutKind, at: number): void => void candidates.push({ kind, at })

  /** Appends one line, recording the cut points inside it. */
  const line = (name: string, value: string, isComment = false): void => {
    const start = out.length
    const head = encoder.encode(isComment ? `:${value}` : `${name}: `)
    const body = isComment ? new Uint8Array(0) : encoder.encode(value)
    out.push(...head)
    if (isComment) {
      cut('mid comment', start + 1 + Math.floor(random() * (head.length - 1)))
    } else {
      if (name.length > 1)
        cut('mid field name', start + 1 + Math.floor(random() * (name.length - 1)))
      cut('right after the colon', start + name.length + 1)
    }
    const valueStart = out.length
    out.push(...body)
    for (let i = 1; i < body.length; i++) {
      // A continuation byte (10xxxxxx) starts no character: a cut before it splits one.
      if (((body[i] as number) & 0xc0) === 0x80) cut('mid UTF-8 sequence', valueStart + i)
      else cut('mid value', valueStart + i)
    }
    terminate()
  }
  const terminate = (): void => {
    let terminator: string = pick(random, TERMINATORS)
    // A blank line's LF right after a line's bare CR would read as one CRLF: no blank line at all.
    if (terminator === '\n' && out.at(-1) === 0x0d) terminator = '\r\n'
    out.push(...encoder.encode(terminator))
    if (terminator === '\r\n') cut('between CR and LF', out.length - 1)
  }

  for (let n = 1; n <= blocks; n++) {
    const id = pick(random, ['', '', '', 'é-', '✓-', 'id ']) + String(n)
    const dataLines = random() < 0.2 ? 0 : 1 + Math.floor(random() * 3)
    const event = random() < 0.3 ? pick(random, ['cpu', 'mem', 'alert']) : ''
    const idLineAt = Math.floor(random() * (dataLines + 1))
    const values: string[] = []
    if (random() < 0.2) line('', ` keep-alive ${n}`, true)
    if (event !== '') line('event', event)
    for (let i = 0; i <= dataLines; i++) {
      if (i === idLineAt) {
        line('id', id)
        cut('right after an id line', out.length)
      }
      if (i < dataLines) {
        const value = `${pick(random, VALUES)} #${n}.${i}`
        values.push(value)
        line('data', value)
      }
    }
    cut('before the blank line', out.length)
    terminate()
    endOfId.set(id, out.length)
    cut('right after an event', out.length)
    if (dataLines > 0) expected.push({ event: event || 'message', id, data: values.join('\n') })
  }
  return { bytes: Uint8Array.from(out), endOfId, expected, candidates }
}

/**
 * Picks `count` cut points spread over every kind (as evenly as the stream allows), in stream order,
 * at most one per offset.
 */
export function chooseCuts(random: Random, stream: ResumableStream, count: number): CutPoint[] {
  const byKind = new Map<CutKind, CutPoint[]>(CUT_KINDS.map((kind) => [kind, []]))
  for (const point of stream.candidates) byKind.get(point.kind)?.push(point)
  const chosen = new Map<number, CutPoint>()
  const perKind = Math.ceil(count / CUT_KINDS.length)
  for (const points of byKind.values()) {
    for (let i = 0; i < perKind && points.length > 0; i++) {
      const [point] = points.splice(Math.floor(random() * points.length), 1)
      if (point !== undefined && point.at > 0 && point.at < stream.bytes.length)
        chosen.set(point.at, point)
    }
  }
  return [...chosen.values()].sort((a, b) => a.at - b.at)
}

/** The server side: what it has done so far. */
export interface ResumableFeed {
  /** The cuts made so far, in order. */
  readonly made: readonly CutPoint[]
  /** Requests whose Last-Event-ID named no block (a client bug: it would get a full replay). */
  readonly unknownIds: readonly string[]
  handle(req: IncomingMessage, res: ServerResponse): void
}

/**
 * A request handler that serves `stream` from just after the block its `Last-Event-ID` names (UTF-8
 * bytes, as the engine sends them), starting each response with a BOM, and cuts the connection at the
 * next cut point. Once every cut is made, it sends the rest and stays open.
 */
export function resumableFeed(stream: ResumableStream, cuts: readonly CutPoint[]): ResumableFeed {
  const made: CutPoint[] = []
  const unknownIds: string[] = []
  let next = 0
  return {
    made,
    unknownIds,
    handle(req, res) {
      const header = req.headers['last-event-id']
      const id = typeof header === 'string' ? Buffer.from(header, 'latin1').toString('utf8') : ''
      const start = id === '' ? 0 : stream.endOfId.get(id)
      if (start === undefined) {
        unknownIds.push(id)
        res.writeHead(400).end()
        return
      }
      const cutPoint = cuts[next]
      openEventStream(res)
      res.write(Uint8Array.of(0xef, 0xbb, 0xbf))
      if (cutPoint === undefined) {
        res.write(stream.bytes.subarray(start))
        return
      }
      next++
      made.push(cutPoint)
      // A cut the client is already past (the CR of a blank line dispatched the event, and the cut
      // was just after its LF) becomes a cut right after the BOM: a response with no event at all.
      const end = Math.max(start, cutPoint.at)
      // Destroyed only once the bytes are handed to the socket, so the client reads all of them.
      res.write(stream.bytes.subarray(start, end), () => res.destroy())
    },
  }
}
