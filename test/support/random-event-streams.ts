/**
 * Seeded random `text/event-stream` bodies and chunkings, for fuzzing the engine against the
 * reference parser (`whatwg-event-stream.ts`). The same seed always gives the same streams, so a
 * failure names a seed that reproduces it.
 */

/** A deterministic pseudo-random source (mulberry32): numbers in [0, 1). */
export type Random = () => number

/** mulberry32: tiny, fast and good enough to spread test inputs. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** A whole number in [0, n). */
function below(random: Random, n: number): number {
  return Math.floor(random() * n)
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[below(random, items.length)] as T
}

const encoder = new TextEncoder()

/** Pieces of field values: plain text, the characters parsers get wrong, and raw invalid bytes. */
const TEXT_PIECES: readonly (string | readonly number[])[] = [
  'a',
  'hello',
  '42',
  ' ',
  '  two spaces',
  ':',
  'data:',
  'id: 7',
  '\t',
  '\0',
  '\u0001',
  '\u001b[31m',
  '\u007f',
  'é',
  '€',
  '✓',
  '😀',
  '\uFEFF',
  '\u2028',
  '{"cpu":0.31}',
  [0x80],
  [0xff],
  [0xc3], // a lead byte without its continuation
  [0xe2, 0x82], // two bytes of a three-byte character
  [0xef, 0xbb, 0xbf], // a BOM in the middle of a line
  [0xed, 0xa0, 0x80], // an encoded surrogate, invalid in UTF-8
]

const FIELD_NAMES: readonly string[] = [
  'data',
  'data',
  'data',
  'event',
  'id',
  'retry',
  '',
  'Data',
  'dat',
  'datax',
  'foo',
  ' data',
  'id ',
]

const TERMINATORS: readonly string[] = ['\n', '\r', '\r\n']

/** Random text of up to `max` pieces, as bytes. */
function randomValue(random: Random, max: number): number[] {
  const out: number[] = []
  const count = below(random, max + 1)
  for (let i = 0; i < count; i++) {
    const piece = pick(random, TEXT_PIECES)
    out.push(...(typeof piece === 'string' ? encoder.encode(piece) : piece))
  }
  return out
}

/** One line, without its terminator. */
function randomLine(random: Random): number[] {
  const roll = random()
  if (roll < 0.12) return [] // a blank line: dispatch
  if (roll < 0.18) return [...encoder.encode(':'), ...randomValue(random, 3)] // a comment
  if (roll < 0.25) return [...encoder.encode('retry:'), ...retryValue(random)]
  const name = pick(random, FIELD_NAMES)
  if (random() < 0.1) return [...encoder.encode(name)] // a field without a colon
  const separator = pick(random, [':', ': ', ':  '])
  return [...encoder.encode(name + separator), ...randomValue(random, 4)]
}

function retryValue(random: Random): number[] {
  const value = pick(random, ['0', '100', '2500', '', ' 5', '5s', '-1', '1e3', '0042', '٣'])
  return [...encoder.encode(value)]
}

/** One random response body: maybe BOMs, random lines with random terminators, maybe cut short. */
export function randomEventStream(random: Random): Uint8Array {
  const out: number[] = []
  const boms = pick(random, [0, 0, 0, 1, 1, 2])
  for (let i = 0; i < boms; i++) out.push(0xef, 0xbb, 0xbf)
  const lines = 1 + below(random, 24)
  // Most streams keep one line ending; some mix all three.
  const mixed = random() < 0.3
  const usual = pick(random, TERMINATORS)
  for (let i = 0; i < lines; i++) {
    out.push(...randomLine(random))
    out.push(...encoder.encode(mixed ? pick(random, TERMINATORS) : usual))
  }
  // Half the streams end with a blank line so their last event dispatches; some end mid-line.
  if (random() < 0.5) out.push(...encoder.encode(usual))
  if (random() < 0.15) out.push(...randomValue(random, 2))
  return Uint8Array.from(out)
}

/**
 * `bytes` cut into random pieces: sometimes whole, sometimes byte by byte, usually pieces of 1 to 16
 * bytes, so cuts land mid-character, between CR and LF and inside BOMs. Empty pieces are included.
 */
export function randomChunks(random: Random, bytes: Uint8Array): Uint8Array[] {
  const style = random()
  if (style < 0.1) return [bytes]
  const chunks: Uint8Array[] = []
  let at = 0
  while (at < bytes.length) {
    if (random() < 0.03) chunks.push(new Uint8Array(0))
    const size = style < 0.25 ? 1 : 1 + below(random, 16)
    chunks.push(bytes.subarray(at, at + size))
    at += size
  }
  return chunks
}

/** Shows bytes so a failing case can be read and pasted back: printable ASCII as is, the rest escaped. */
export function showBytes(bytes: Uint8Array): string {
  let out = ''
  for (const byte of bytes) {
    out +=
      byte >= 0x20 && byte < 0x7f && byte !== 0x5c
        ? String.fromCharCode(byte)
        : `\\x${byte.toString(16).padStart(2, '0')}`
  }
  return out
}
