import { expect, test } from 'vitest'
import {
  createEventStreamDecoder,
  type EventStreamDecoderOptions,
} from '../../src/main/engine/event-stream-decoder'

/** What the decoder reported for one event. */
interface DecodedEvent {
  readonly event: string
  readonly id: string
  readonly data: string
}

/** Everything a decoder reported for one response, in a form `toEqual` can compare. */
interface Outcome {
  readonly events: DecodedEvent[]
  readonly retries: number[]
  readonly tooLarge: string[]
  /** The decoder's lastEventId once every chunk was pushed. */
  readonly lastEventId: string
}

type Setup = Partial<Pick<EventStreamDecoderOptions, 'lastEventId' | 'maxEventBytes'>>

const encoder = new TextEncoder()
const BOM_BYTES = [0xef, 0xbb, 0xbf]

function decode(chunks: readonly Uint8Array[], setup: Setup = {}): Outcome {
  const events: DecodedEvent[] = []
  const retries: number[] = []
  const tooLarge: string[] = []
  const decoder = createEventStreamDecoder({
    lastEventId: setup.lastEventId ?? '',
    maxEventBytes: setup.maxEventBytes ?? 8 * 1024 * 1024,
    onEvent: (event, id, data) => events.push({ event, id, data }),
    onRetry: (ms) => retries.push(ms),
    onTooLarge: (message) => tooLarge.push(message),
  })
  for (const chunk of chunks) decoder.push(chunk)
  return { events, retries, tooLarge, lastEventId: decoder.lastEventId }
}

/** The same bytes cut every way that matters: whole, in two at each position, byte by byte. */
function chunkings(bytes: Uint8Array): [string, Uint8Array[]][] {
  const cuts: [string, Uint8Array[]][] = [['whole', [bytes]]]
  for (let at = 1; at < bytes.length; at++) {
    cuts.push([`split at byte ${at}`, [bytes.subarray(0, at), bytes.subarray(at)]])
  }
  cuts.push(['byte by byte', Array.from(bytes, (_, i) => bytes.subarray(i, i + 1))])
  cuts.push([
    'byte by byte between empty chunks',
    [
      new Uint8Array(0),
      ...Array.from(bytes, (_, i) => [bytes.subarray(i, i + 1), new Uint8Array(0)]).flat(),
    ],
  ])
  return cuts
}

/** Decodes `bytes` under every chunking, checks they all agree, and returns the outcome. */
function decodeEveryWay(bytes: Uint8Array, setup: Setup = {}): Outcome {
  const whole = decode([bytes], setup)
  for (const [name, chunks] of chunkings(bytes)) {
    expect(decode(chunks, setup), name).toEqual(whole)
  }
  return whole
}

function utf8(text: string): Uint8Array {
  return encoder.encode(text)
}

function bytesOf(...parts: (string | Iterable<number>)[]): Uint8Array {
  const out: number[] = []
  for (const part of parts) out.push(...(typeof part === 'string' ? utf8(part) : part))
  return Uint8Array.from(out)
}

/** Percent-decodes to bytes, as a wpt handler receives its `message` query parameter. */
function percentBytes(query: string): Uint8Array {
  const out: number[] = []
  for (let i = 0; i < query.length; i++) {
    if (query[i] === '%') {
      out.push(parseInt(query.slice(i + 1, i + 3), 16))
      i += 2
    } else {
      out.push(query.charCodeAt(i))
    }
  }
  return Uint8Array.from(out)
}

/**
 * The body wpt's eventsource/resources/message.py sends: the message, then "\n\n" unless
 * `newline=none`, then "\n".
 */
function wptMessage(query: string, newline: 'default' | 'none' = 'default'): Uint8Array {
  return bytesOf(percentBytes(query), newline === 'none' ? '\n' : '\n\n\n')
}

function message(data: string, id = '', event = 'message'): DecodedEvent {
  return { event, id, data }
}

function outcome(events: DecodedEvent[], more: Partial<Outcome> = {}): Outcome {
  return { events, retries: [], tooLarge: [], lastEventId: '', ...more }
}

// --- web-platform-tests eventsource/format-* (and event-data), fed every way ---

test('wpt format-bom: one leading BOM is removed and a BOM later in the stream spoils its line', () => {
  const body = wptMessage('%EF%BB%BFdata%3A1%0A%0A%EF%BB%BFdata%3A2%0A%0Adata%3A3')
  expect(decodeEveryWay(body)).toEqual(outcome([message('1'), message('3')]))
})

test('wpt format-bom-2: a stream that starts with two BOMs keeps the second, which spoils the first line', () => {
  const body = wptMessage('%EF%BB%BF%EF%BB%BFdata%3A1%0A%0Adata%3A2%0A%0Adata%3A3')
  expect(decodeEveryWay(body)).toEqual(outcome([message('2'), message('3')]))
})

test('wpt format-comments: comments of any length and line end are ignored', () => {
  const long = 'x'.repeat(2 * 1024)
  const body = wptMessage(
    encodeURI(`data:1\r:\0\n:\r\ndata:2\n:${long}\rdata:3\n:data:fail\r:${long}\ndata:4\n`),
    'none',
  )
  expect(decodeEveryWay(body)).toEqual(outcome([message('1\n2\n3\n4')]))
})

test('wpt format-data-before-final-empty-line: an event cut off by the end of the stream is discarded with its id', () => {
  const body = wptMessage(
    encodeURIComponent('retry:1000\ndata:test1\n\nid:test\ndata:test2'),
    'none',
  )
  const first = decodeEveryWay(body)
  expect(first).toEqual(outcome([message('test1')], { retries: [1000] }))
  // The reconnect carries no Last-Event-ID, so the server sends the same body again.
  expect(decode([body], { lastEventId: first.lastEventId }).events).toEqual([message('test1')])
})

test('wpt format-field-data: "data:" and "data" append an empty line each', () => {
  const body = wptMessage('data%3A%0A%0Adata%0Adata%0A%0Adata%3Atest')
  expect(decodeEveryWay(body)).toEqual(outcome([message(''), message('\n'), message('test')]))
})

test('wpt format-field-event: an event field names the event and applies to its block only', () => {
  const body = wptMessage('event%3Atest%0Adata%3Ax%0A%0Adata%3Ax')
  expect(decodeEveryWay(body)).toEqual(outcome([message('x', '', 'test'), message('x')]))
})

test('wpt format-field-event-empty: an empty event field gives a message event', () => {
  const body = wptMessage('event%3A%20%0Adata%3Adata')
  expect(decodeEveryWay(body)).toEqual(outcome([message('data')]))
})

/** wpt eventsource/resources/last-event-id.py: a fresh client gets "hello", a resumed one its id back. */
function lastEventIdResponse(lastEventId: string, idValue = '\u2026'): Uint8Array {
  return utf8(
    lastEventId === '' ? `id: ${idValue}\nretry: 200\ndata: hello\n\n` : `data: ${lastEventId}\n\n`,
  )
}

test('wpt format-field-id: a non-ASCII id is the event lastEventId and is carried into the reconnect', () => {
  const first = decodeEveryWay(lastEventIdResponse(''))
  expect(first).toEqual(
    outcome([message('hello', '\u2026')], { retries: [200], lastEventId: '\u2026' }),
  )
  const second = decodeEveryWay(lastEventIdResponse(first.lastEventId), {
    lastEventId: first.lastEventId,
  })
  expect(second).toEqual(outcome([message('\u2026', '\u2026')], { lastEventId: '\u2026' }))
})

test('wpt format-field-id-2: the carried id survives a second reconnect', () => {
  let lastEventId = ''
  const events: DecodedEvent[] = []
  for (let response = 0; response < 3; response++) {
    const result = decodeEveryWay(lastEventIdResponse(lastEventId), { lastEventId })
    events.push(...result.events)
    lastEventId = result.lastEventId
  }
  expect(events).toEqual([
    message('hello', '\u2026'),
    message('\u2026', '\u2026'),
    message('\u2026', '\u2026'),
  ])
})

test('wpt format-field-id-3 (persists): events without an id field carry the last one', () => {
  const body = utf8('id: 1\ndata: 1\n\ndata: 2\n\nid: 2\ndata:3\n\ndata:4\n\n')
  expect(decodeEveryWay(body)).toEqual(
    outcome([message('1', '1'), message('2', '1'), message('3', '2'), message('4', '2')], {
      lastEventId: '2',
    }),
  )
})

test('wpt format-field-id-3 (resets): an empty id field resets the last event id', () => {
  const body = utf8('id: 1\ndata: 1\n\nid:\ndata:2\n\ndata:3\n\n')
  expect(decodeEveryWay(body)).toEqual(outcome([message('1', '1'), message('2'), message('3')]))
})

test('wpt format-field-id-3 (resets, id without colon): a bare id line resets the last event id', () => {
  const body = utf8('id: 1\ndata: 1\n\nid\ndata:2\n\ndata:3\n\n')
  expect(decodeEveryWay(body)).toEqual(outcome([message('1', '1'), message('2'), message('3')]))
})

test('wpt format-field-id-null: an id field containing U+0000 is ignored', () => {
  for (const idValue of ['\0\0', 'x\0', '\0x', 'x\0x', ' \0']) {
    // The id is ignored, so the reconnect sends no Last-Event-ID and gets "hello" again.
    let lastEventId = ''
    for (let response = 0; response < 2; response++) {
      const result = decodeEveryWay(lastEventIdResponse(lastEventId, idValue), { lastEventId })
      expect(result, JSON.stringify(idValue)).toEqual(
        outcome([message('hello')], { retries: [200] }),
      )
      lastEventId = result.lastEventId
    }
  }
})

test('wpt format-field-parsing: field names are case-sensitive and exact, one space is removed', () => {
  const body = wptMessage(
    encodeURI(
      'data:\0\ndata:  2\rData:1\ndata\0:2\ndata:1\r\0data:4\nda-ta:3\rdata_5\ndata:3\rdata:\r\n data:32\ndata:4\n',
    ),
    'none',
  )
  expect(decodeEveryWay(body)).toEqual(outcome([message('\0\n 2\n1\n3\n\n4')]))
})

test('wpt format-field-retry: a retry of ASCII digits is reported in base ten', () => {
  const body = wptMessage('retry%3A03000%0Adata%3Ax')
  expect(decodeEveryWay(body)).toEqual(outcome([message('x')], { retries: [3000] }))
})

test('wpt format-field-retry-bogus: a retry field with non-digits is ignored', () => {
  const body = wptMessage('retry%3A2000%0Aretry%3A1000x%0Adata%3Ax')
  expect(decodeEveryWay(body)).toEqual(outcome([message('x')], { retries: [2000] }))
})

test('wpt format-field-retry-empty: a bare retry line is ignored', () => {
  const body = wptMessage('retry%0Adata%3Atest')
  expect(decodeEveryWay(body)).toEqual(outcome([message('test')]))
})

test('wpt format-field-unknown: unknown fields, text without a colon and comments are ignored', () => {
  const body = wptMessage(
    'data%3Atest%0A%20data%0Adata%0Afoobar%3Axxx%0Ajustsometext%0A%3Athisisacommentyay%0Adata%3Atest',
  )
  expect(decodeEveryWay(body)).toEqual(outcome([message('test\n\ntest')]))
})

test('wpt format-leading-space: only a space after the colon is removed, a tab stays', () => {
  const body = wptMessage('data%3A%09test%0Ddata%3A%20%0Adata%3Atest')
  expect(decodeEveryWay(body)).toEqual(outcome([message('\ttest\n\ntest')]))
})

test('wpt format-newlines: CRLF, LF and CR all end lines', () => {
  const body = wptMessage('data%3Atest%0D%0Adata%0Adata%3Atest%0D%0A%0D', 'none')
  expect(decodeEveryWay(body)).toEqual(outcome([message('test\n\ntest')]))
})

test('wpt format-null-character: U+0000 in data is kept', () => {
  const body = wptMessage('data%3A%00%0A%0A')
  expect(decodeEveryWay(body)).toEqual(outcome([message('\0')]))
})

test('wpt format-utf-8: the body is UTF-8 whatever the charset says', () => {
  const body = wptMessage('data%3Aok%E2%80%A6')
  expect(decodeEveryWay(body)).toEqual(outcome([message('ok\u2026')]))
})

test('wpt event-data: lines and data parsing (resources/message2.py)', () => {
  const body = utf8(
    'data:msg\ndata: msg\n\n:\nfalsefield:msg\n\nfalsefield:msg\nData:data\n\ndata\n\ndata:end\n\n',
  )
  expect(decodeEveryWay(body)).toEqual(outcome([message('msg\nmsg'), message(''), message('end')]))
})

test('spec example: a comment block fires nothing and an empty id resets the last event id', () => {
  const body = utf8(
    ': test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n',
  )
  expect(decodeEveryWay(body)).toEqual(
    outcome([message('first event', '1'), message('second event'), message(' third event')]),
  )
})

// --- chunk boundaries ---

test('a CRLF split between chunks is one line end', () => {
  const result = decode([utf8('data:a\r'), utf8('\ndata:b\r'), utf8('\n\r'), utf8('\n')])
  expect(result).toEqual(outcome([message('a\nb')]))
})

test('a CR alone ends a line, also at the end of a chunk', () => {
  expect(decodeEveryWay(utf8('data:a\rdata:b\r\rdata:c\r\r'))).toEqual(
    outcome([message('a\nb'), message('c')]),
  )
  expect(decode([utf8('data:a\r'), utf8('\r')])).toEqual(outcome([message('a')]))
})

test('a multi-byte character split across chunks is decoded whole', () => {
  const body = utf8('data: \u00e9\u20ac\u{1f600}\n\n')
  const emoji = body.indexOf(0xf0)
  for (let at = emoji + 1; at < emoji + 4; at++) {
    expect(decode([body.subarray(0, at), body.subarray(at)])).toEqual(
      outcome([message('\u00e9\u20ac\u{1f600}')]),
    )
  }
  expect(decodeEveryWay(body).events).toEqual([message('\u00e9\u20ac\u{1f600}')])
})

test('a BOM split across chunks is removed', () => {
  const result = decode([Uint8Array.of(0xef), Uint8Array.of(0xbb), bytesOf([0xbf], 'data: x\n\n')])
  expect(result).toEqual(outcome([message('x')]))
})

test('two BOMs at the start keep the second, however they are chunked', () => {
  const body = bytesOf(BOM_BYTES, BOM_BYTES, 'data: spoilt\n\ndata: kept\n\n')
  expect(decodeEveryWay(body)).toEqual(outcome([message('kept')]))
})

test('a BOM after the start of the stream is content', () => {
  const body = bytesOf('data: a', BOM_BYTES, '\n\n')
  expect(decodeEveryWay(body)).toEqual(outcome([message('a\uFEFF')]))
})

test('the characters "ï»¿" at the start of the stream are content, not a BOM', () => {
  // "ï»¿" is what the BOM's bytes look like read as Latin-1; as UTF-8 they are C3 AF C2 BB C2 BF.
  // Kept, they spoil the first field name, so only the second event is dispatched.
  const body = utf8('\u00ef\u00bb\u00bfdata: x\n\ndata: y\n\n')
  expect(decodeEveryWay(body)).toEqual(outcome([message('y')]))
  expect(decodeEveryWay(bytesOf(BOM_BYTES, body))).toEqual(outcome([message('y')]))
  expect(decodeEveryWay(utf8('data: \u00ef\u00bb\u00bf\n\n'))).toEqual(
    outcome([message('\u00ef\u00bb\u00bf')]),
  )
})

test('invalid UTF-8 becomes U+FFFD', () => {
  const body = bytesOf('data: a', [0xff], 'b', [0xc3, 0x28], [0xe2, 0x82], '\n\n')
  expect(decodeEveryWay(body)).toEqual(outcome([message('a\uFFFDb\uFFFD(\uFFFD')]))
})

test('invalid UTF-8 at the start of the stream spoils only the first line', () => {
  const body = bytesOf([0xff], 'data: a\ndata: b\n\n')
  expect(decodeEveryWay(body)).toEqual(outcome([message('b')]))
})

test('empty chunks change nothing', () => {
  const empty = new Uint8Array(0)
  expect(decode([empty, empty, bytesOf(BOM_BYTES, BOM_BYTES, 'data: x\n\n'), empty])).toEqual(
    outcome([]),
  )
  expect(decode([empty, utf8('data: x\n\n'), empty])).toEqual(outcome([message('x')]))
})

// --- last event ID ---

test('an id-only block updates lastEventId', () => {
  expect(decodeEveryWay(utf8('id: 7\n\n'))).toEqual(outcome([], { lastEventId: '7' }))
  expect(decodeEveryWay(utf8('id: 7\n\ndata: x\n\n'))).toEqual(
    outcome([message('x', '7')], { lastEventId: '7' }),
  )
})

test('an empty id field resets lastEventId', () => {
  expect(decodeEveryWay(utf8('id:\n\ndata: x\n\n'), { lastEventId: '5' })).toEqual(
    outcome([message('x')]),
  )
  expect(decodeEveryWay(utf8('id\n\n'), { lastEventId: '5' })).toEqual(outcome([]))
})

test('an id containing U+0000 is ignored and the previous id stays', () => {
  expect(decodeEveryWay(utf8('id: a\0b\ndata: x\n\n'), { lastEventId: 'prev' })).toEqual(
    outcome([message('x', 'prev')], { lastEventId: 'prev' }),
  )
  expect(decodeEveryWay(utf8('id: 1\nid: 2\0\ndata: x\n\n'))).toEqual(
    outcome([message('x', '1')], { lastEventId: '1' }),
  )
})

test('lastEventId is carried in from the options', () => {
  const events: DecodedEvent[] = []
  const decoder = createEventStreamDecoder({
    lastEventId: '41',
    maxEventBytes: 1024,
    onEvent: (event, id, data) => events.push({ event, id, data }),
    onRetry: () => {},
    onTooLarge: () => {},
  })
  expect(decoder.lastEventId).toBe('41')
  decoder.push(utf8('data: x\n\nid: 42\ndata: y\n\n'))
  expect(events).toEqual([message('x', '41'), message('y', '42')])
  expect(decoder.lastEventId).toBe('42')
})

test('an id in an event cut off by the end of the stream is not applied', () => {
  expect(decodeEveryWay(utf8('data: a\n\nid: 9\ndata: b\n'), { lastEventId: '1' })).toEqual(
    outcome([message('a', '1')], { lastEventId: '1' }),
  )
})

// --- fields ---

test('data without a colon gives empty-string data', () => {
  expect(decodeEveryWay(utf8('data\n\n'))).toEqual(outcome([message('')]))
})

test('only one leading space is removed from a value', () => {
  const body = utf8('event:  type\nid:  id\ndata:  two\ndata:   three\n\n')
  expect(decodeEveryWay(body)).toEqual(
    outcome([message(' two\n  three', ' id', ' type')], { lastEventId: ' id' }),
  )
})

test('the event type applies to one block only', () => {
  const body = utf8('event: a\n\ndata: x\n\nevent: b\ndata: y\n\ndata: z\n\n')
  expect(decodeEveryWay(body)).toEqual(outcome([message('x'), message('y', '', 'b'), message('z')]))
})

test('a trailing incomplete event is not dispatched', () => {
  expect(decodeEveryWay(utf8('data: a\n\ndata: b\n'))).toEqual(outcome([message('a')]))
  expect(decodeEveryWay(utf8('data: a\n\ndata: b'))).toEqual(outcome([message('a')]))
})

test('retry field with ASCII digits is reported, zero included', () => {
  expect(decodeEveryWay(utf8('retry: 0\nretry: 1500\n\n'))).toEqual(
    outcome([], { retries: [0, 1500] }),
  )
})

test('retry field with non-digits is ignored', () => {
  const bogus = ['1000x', '-1', '+1', '1.5', '1e3', '', '  5', '\u0661\u0662', '0x10']
  const body = utf8(bogus.map((value) => `retry: ${value}\n`).join('') + 'data: x\n\n')
  expect(decodeEveryWay(body)).toEqual(outcome([message('x')]))
})

// --- maxEventBytes ---

const TOO_LARGE_64 = 'event larger than 64 characters (maxEventBytes)'

test('a line longer than maxEventBytes without a newline stops the decoder once', () => {
  const body = utf8(`data: ok\n\ndata: ${'x'.repeat(200)}`)
  for (const [name, chunks] of chunkings(body)) {
    const result = decode([...chunks, utf8('\n\ndata: after\n\nid: 3\nretry: 5\n\n')], {
      maxEventBytes: 64,
    })
    expect(result, name).toEqual(outcome([message('ok')], { tooLarge: [TOO_LARGE_64] }))
  }
})

test('an event whose data lines together exceed maxEventBytes stops the decoder once', () => {
  const body = utf8('data: ok\n\n' + 'data: 0123456789\n'.repeat(20) + '\ndata: after\n\n')
  for (const [name, chunks] of chunkings(body)) {
    const result = decode([...chunks, utf8('data: later\n\n')], { maxEventBytes: 64 })
    expect(result, name).toEqual(outcome([message('ok')], { tooLarge: [TOO_LARGE_64] }))
  }
})

test('a one-line event larger than maxEventBytes is caught even when it arrives in one chunk', () => {
  const body = utf8(`data: ${'x'.repeat(200)}\n\ndata: after\n\n`)
  expect(decodeEveryWay(body, { maxEventBytes: 64 })).toEqual(
    outcome([], { tooLarge: [TOO_LARGE_64] }),
  )
})

test('an id longer than maxEventBytes stops the decoder', () => {
  const body = utf8(`id: ${'i'.repeat(200)}\n\ndata: after\n\n`)
  expect(decodeEveryWay(body, { maxEventBytes: 64 })).toEqual(
    outcome([], { tooLarge: [TOO_LARGE_64] }),
  )
})

test('an event type longer than maxEventBytes stops the decoder', () => {
  const body = utf8(`event: ${'e'.repeat(200)}\ndata: x\n\ndata: after\n\n`)
  expect(decodeEveryWay(body, { maxEventBytes: 64 })).toEqual(
    outcome([], { tooLarge: [TOO_LARGE_64] }),
  )
})

test('events up to maxEventBytes pass', () => {
  const data = 'x'.repeat(64)
  const body = utf8(`data: ${data.slice(0, 40)}\ndata: ${data.slice(0, 23)}\n\ndata:${data}\n\n`)
  // Byte by byte the parser counts a buffered line with its field name, so stay under by that much.
  expect(decode([body], { maxEventBytes: 64 })).toEqual(
    outcome([message(`${data.slice(0, 40)}\n${data.slice(0, 23)}`), message(data)]),
  )
})

test('comments and unknown fields of any length are skipped, not buffered', () => {
  const body = utf8(`:${'c'.repeat(500)}\nfoo: ${'f'.repeat(500)}\ndata: ok\n\n`)
  expect(decodeEveryWay(body, { maxEventBytes: 64 })).toEqual(outcome([message('ok')]))
})
