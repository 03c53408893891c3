/**
 * Paths into an event's JSON data: `cpu`, `latency.p99`, `items[0].value`, `["weird key"]`.
 *
 * Grammar (positions in error messages are 0-based character offsets into the path):
 * - a path is one or more segments; the first is a name or a bracket, every later one is `.name` or
 *   a bracket;
 * - a name is any run of characters other than `.`, `[` and `]`, without leading or trailing white
 *   space (`"cpu "` is almost always a typo; quote such a key: `["cpu "]`);
 * - a bracket holds an array index (`[0]`, digits without leading zeros) or a quoted key (`["a.b"]` or
 *   `['a.b']`) in which a backslash makes the next character literal (`["say \"hi\""]`).
 *
 * Reading is forgiving where JSON is ambiguous: `items.0` reads element 0 of an array and `[0]` reads
 * the key `"0"` of an object. Only own properties are read, so `constructor` or `__proto__` never
 * reach the prototype chain.
 *
 * Numbers: a JSON number counts, and so does a string that is exactly a JSON number literal
 * (`"42.5"`, `"-1e3"`), because many feeds send numbers as strings to keep their precision. Anything
 * else does not: `""`, `" 1"`, `"0x10"`, `"1,5"`, booleans, null, and values that are not finite
 * (`1e999`).
 */

/** One step of a path: an object key or an array index. */
export type PathSegment = string | number

/** A parsed path: the text it came from and its segments. */
export interface FieldPath {
  readonly text: string
  readonly segments: readonly PathSegment[]
}

/** A path that cannot be parsed; `message` reads `path "a..b": empty segment at position 2`. */
export class FieldPathError extends Error {
  override readonly name = 'FieldPathError'

  constructor(
    /** The path as given. */
    readonly path: string,
    /** 0-based character offset of the problem. */
    readonly position: number,
    /** What is wrong, without the path: `empty segment`. */
    readonly reason: string,
  ) {
    super(`path ${JSON.stringify(path)}: ${reason} at position ${position}`)
  }
}

const DOT = '.'
const OPEN = '['
const CLOSE = ']'
const BACKSLASH = '\\'
const DIGITS = /^(?:0|[1-9][0-9]*)$/
/** A key that {@link formatFieldPath} may write without brackets. */
const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/
/** Exactly the JSON number grammar (RFC 8259, section 6). */
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/
/** Longer numeric strings are not numbers we can represent meaningfully; also bounds the regex. */
const MAX_NUMERIC_STRING = 64

/** Parses `path`, or throws a {@link FieldPathError} that says where and why. */
export function parseFieldPath(path: string): FieldPath {
  const fail = (position: number, reason: string): never => {
    throw new FieldPathError(path, position, reason)
  }
  if (path.length === 0) fail(0, 'empty path')
  const segments: PathSegment[] = []
  let i = 0
  while (i < path.length) {
    const char = path[i]
    if (char === OPEN) {
      i = readBracket(path, i, segments, fail)
    } else {
      // A name: at the start of the path, or after a dot.
      if (segments.length > 0) {
        if (char !== DOT) fail(i, `expected "." or "[" but found ${JSON.stringify(char)}`)
        i++
      }
      const start = i
      while (i < path.length && path[i] !== DOT && path[i] !== OPEN && path[i] !== CLOSE) i++
      const name = path.slice(start, i)
      if (name.length === 0) {
        if (path[i] === CLOSE) fail(i, 'unexpected "]"')
        fail(start, 'empty segment')
      }
      if (name.trim() !== name)
        fail(
          start,
          `name ${JSON.stringify(name)} has surrounding white space; quote it as [${quote(name)}]`,
        )
      if (path[i] === CLOSE) fail(i, 'unexpected "]"')
      segments.push(name)
    }
  }
  return { text: path, segments }
}

/** Reads one `[...]` starting at `open`; returns the offset just past it. */
function readBracket(
  path: string,
  open: number,
  segments: PathSegment[],
  fail: (position: number, reason: string) => never,
): number {
  let i = open + 1
  const quoteChar = path[i]
  if (quoteChar === '"' || quoteChar === "'") {
    let key = ''
    i++
    for (;;) {
      if (i >= path.length) return fail(open, 'unclosed quote')
      const char = path[i] as string
      if (char === BACKSLASH) {
        if (i + 1 >= path.length) return fail(i, 'unclosed quote')
        key += path[i + 1]
        i += 2
      } else if (char === quoteChar) {
        i++
        break
      } else {
        key += char
        i++
      }
    }
    if (path[i] !== CLOSE) return fail(i, 'expected "]" after the quoted key')
    segments.push(key)
    return i + 1
  }
  const close = path.indexOf(CLOSE, i)
  if (close === -1) return fail(open, 'unclosed "["')
  const index = path.slice(i, close)
  if (index.length === 0) return fail(i, 'empty brackets')
  if (!DIGITS.test(index))
    return fail(
      i,
      `index ${JSON.stringify(index)} must be digits without leading zeros (quote a key: [${quote(index)}])`,
    )
  const value = Number(index)
  if (!Number.isSafeInteger(value)) return fail(i, `index ${index} is too large`)
  segments.push(value)
  return close + 1
}

/** Writes segments back as a path that {@link parseFieldPath} reads to the same segments. */
export function formatFieldPath(segments: readonly PathSegment[]): string {
  let text = ''
  for (const segment of segments) {
    if (typeof segment === 'number') text += `[${segment}]`
    else if (PLAIN_KEY.test(segment)) text += text.length === 0 ? segment : `${DOT}${segment}`
    else text += `[${quote(segment)}]`
  }
  return text
}

/** `"key"` with `"` and `\` escaped the way the path grammar reads them. */
function quote(key: string): string {
  return `"${key.replace(/["\\]/g, (char) => BACKSLASH + char)}"`
}

/** The value at `path` inside `root`, or `undefined` when any step is missing. */
export function readPath(root: unknown, path: FieldPath | readonly PathSegment[]): unknown {
  const segments = 'segments' in path ? path.segments : path
  let value = root
  for (const segment of segments) {
    if (typeof value !== 'object' || value === null) return undefined
    if (Array.isArray(value)) {
      const index =
        typeof segment === 'number' ? segment : DIGITS.test(segment) ? Number(segment) : -1
      if (index < 0 || index >= value.length) return undefined
      value = value[index] as unknown
    } else {
      const key = String(segment)
      if (!Object.hasOwn(value, key)) return undefined
      value = (value as Record<string, unknown>)[key]
    }
  }
  return value
}

/**
 * `value` as a finite number: a JSON number, or a string that is exactly a JSON number literal.
 * Anything else is `undefined` (see the module comment for why numeric strings count).
 */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value !== 'string' || value.length > MAX_NUMERIC_STRING || !JSON_NUMBER.test(value))
    return undefined
  const number = Number(value)
  return Number.isFinite(number) ? number : undefined
}

/** The number at `path` inside `root` (see {@link toNumber}), or `undefined`. */
export function readNumber(
  root: unknown,
  path: FieldPath | readonly PathSegment[],
): number | undefined {
  return toNumber(readPath(root, path))
}

/** An event's data after one `JSON.parse`: its value, or a mark that it is not JSON. */
export type EventData = { readonly ok: true; readonly value: unknown } | { readonly ok: false }

const NOT_JSON: EventData = { ok: false }

/**
 * Parses an event's data once. Parse each event once and pass the result to every reader (the alert
 * engine does this for all the rules that look at one event); `JSON.parse` is the expensive part.
 */
export function parseEventData(data: string): EventData {
  try {
    return { ok: true, value: JSON.parse(data) as unknown }
  } catch {
    return NOT_JSON
  }
}

/** The number at `path` in parsed event data; `undefined` when the data is not JSON or has none. */
export function readEventNumber(data: EventData, path: FieldPath): number | undefined {
  return data.ok ? readNumber(data.value, path) : undefined
}

/** A number found in a JSON value, and the path that reads it. */
export interface NumericLeaf {
  /** Canonical path text, as {@link formatFieldPath} writes it. */
  readonly path: string
  readonly value: number
}

/** Limits for {@link numericLeaves}. */
export interface NumericLeavesOptions {
  /**
   * Stop after this many leaves (a sample event can be large).
   * @defaultValue `500`
   */
  readonly limit?: number
  /**
   * Do not descend deeper than this many levels.
   * @defaultValue `32`
   */
  readonly maxDepth?: number
}

/**
 * Every numeric leaf (numbers and numeric strings, see {@link toNumber}) of a JSON value, in document
 * order, for "click a number in a sample event". A bare number at the root has no path and is not
 * listed.
 */
export function numericLeaves(root: unknown, options: NumericLeavesOptions = {}): NumericLeaf[] {
  const { limit = 500, maxDepth = 32 } = options
  const leaves: NumericLeaf[] = []
  const segments: PathSegment[] = []
  const visit = (value: unknown): void => {
    if (leaves.length >= limit) return
    if (typeof value === 'object' && value !== null) {
      if (segments.length >= maxDepth) return
      if (Array.isArray(value)) {
        for (let index = 0; index < value.length && leaves.length < limit; index++)
          visitChild(index, value[index])
      } else {
        for (const key in value) {
          if (leaves.length >= limit) break
          if (Object.hasOwn(value, key)) visitChild(key, (value as Record<string, unknown>)[key])
        }
      }
      return
    }
    const number = toNumber(value)
    if (number !== undefined && segments.length > 0)
      leaves.push({ path: formatFieldPath(segments), value: number })
  }
  const visitChild = (segment: PathSegment, value: unknown): void => {
    segments.push(segment)
    visit(value)
    segments.pop()
  }
  visit(root)
  return leaves
}
