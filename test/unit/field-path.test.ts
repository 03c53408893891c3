import { expect, test } from 'vitest'
import {
  FieldPathError,
  formatFieldPath,
  numericLeaves,
  parseEventData,
  parseFieldPath,
  readEventNumber,
  readNumber,
  readPath,
  toNumber,
} from '../../src/shared/field-path'

const segments = (path: string): readonly (string | number)[] => parseFieldPath(path).segments

/** The message parseFieldPath throws for `path`. */
function parseError(path: string): string {
  try {
    parseFieldPath(path)
  } catch (error) {
    expect(error).toBeInstanceOf(FieldPathError)
    return (error as Error).message
  }
  throw new Error(`${path} parsed`)
}

test('a plain name is one segment', () => {
  expect(segments('cpu')).toEqual(['cpu'])
})

test('dots separate nested names', () => {
  expect(segments('latency.p99')).toEqual(['latency', 'p99'])
})

test('brackets hold array indexes', () => {
  expect(segments('items[0].value')).toEqual(['items', 0, 'value'])
  expect(segments('[2][10]')).toEqual([2, 10])
})

test('quoted keys keep dots, spaces, brackets and escaped quotes', () => {
  expect(segments('["weird key"]')).toEqual(['weird key'])
  expect(segments(`stats['p99.9']`)).toEqual(['stats', 'p99.9'])
  expect(segments('["a]b"]["say \\"hi\\""]')).toEqual(['a]b', 'say "hi"'])
})

test('names may hold characters other than dots and brackets', () => {
  expect(segments('latency-ms.$total')).toEqual(['latency-ms', '$total'])
})

test('an empty segment is reported with its position', () => {
  expect(parseError('a..b')).toBe('path "a..b": empty segment at position 2')
  expect(parseError('.a')).toBe('path ".a": empty segment at position 0')
  expect(parseError('a.')).toBe('path "a.": empty segment at position 2')
})

test('an empty path is an error', () => {
  expect(parseError('')).toBe('path "": empty path at position 0')
})

test('malformed brackets are reported with their position', () => {
  expect(parseError('items[0')).toBe('path "items[0": unclosed "[" at position 5')
  expect(parseError('items[]')).toBe('path "items[]": empty brackets at position 6')
  expect(parseError('a["b]')).toBe('path "a[\\"b]": unclosed quote at position 1')
  expect(parseError('a["b"x]')).toBe(
    'path "a[\\"b\\"x]": expected "]" after the quoted key at position 5',
  )
  expect(parseError('a]')).toBe('path "a]": unexpected "]" at position 1')
})

test('an index must be digits without leading zeros', () => {
  expect(parseError('a[-1]')).toMatch(/index "-1" must be digits/)
  expect(parseError('a[01]')).toMatch(/at position 2$/)
  expect(parseError('a[x]')).toMatch(/quote a key: \["x"\]/)
})

test('something other than a dot or bracket after a bracket is an error', () => {
  expect(parseError('a[0]b')).toBe('path "a[0]b": expected "." or "[" but found "b" at position 4')
})

test('a name with surrounding white space must be quoted', () => {
  expect(parseError('cpu ')).toMatch(/quote it as \["cpu "\] at position 0$/)
})

test('formatting writes a path that parses back to the same segments', () => {
  const cases: (string | number)[][] = [
    ['cpu'],
    ['latency', 'p99'],
    ['items', 0, 'value'],
    ['weird key', 'a.b', 'say "hi" \\ now', '0', ''],
    [3, 'x-y'],
  ]
  for (const path of cases) expect(parseFieldPath(formatFieldPath(path)).segments).toEqual(path)
  expect(formatFieldPath(['items', 0, 'value'])).toBe('items[0].value')
})

test('reading follows keys and indexes', () => {
  const root = { latency: { p99: 12 }, items: [{ value: 'a' }, { value: 'b' }] }
  expect(readPath(root, parseFieldPath('latency.p99'))).toBe(12)
  expect(readPath(root, parseFieldPath('items[1].value'))).toBe('b')
  expect(readPath(root, ['items', 1, 'value'])).toBe('b')
})

test('reading a missing key, an index out of range or through a scalar gives undefined', () => {
  const root = { a: 1, list: [1], nothing: null }
  for (const path of ['b', 'list[1]', 'a.b', 'nothing.x', 'list.x', 'a[0]'])
    expect(readPath(root, parseFieldPath(path))).toBeUndefined()
  expect(readPath('text', parseFieldPath('length'))).toBeUndefined()
})

test('reading never reaches inherited properties', () => {
  const root = JSON.parse('{"a":{},"__proto__":{"x":1}}') as unknown
  expect(readPath(root, parseFieldPath('a.constructor'))).toBeUndefined()
  expect(readPath(root, parseFieldPath('a.toString'))).toBeUndefined()
  expect(readPath(root, parseFieldPath('__proto__.x'))).toBe(1)
})

test('a digit name reads an array element and an index reads a digit key', () => {
  expect(readPath({ items: [5, 6] }, parseFieldPath('items.1'))).toBe(6)
  expect(readPath({ codes: { '0': 'ok' } }, parseFieldPath('codes[0]'))).toBe('ok')
})

test('numbers and exact numeric strings count as numbers', () => {
  expect(toNumber(42.5)).toBe(42.5)
  expect(toNumber('42.5')).toBe(42.5)
  expect(toNumber('-1e3')).toBe(-1000)
  expect(toNumber('0')).toBe(0)
})

test('other values are not numbers', () => {
  for (const value of ['', ' 1', '1 ', '0x10', '1,5', '01', '+1', 'NaN', 'Infinity', '1e999'])
    expect(toNumber(value), JSON.stringify(value)).toBeUndefined()
  for (const value of [true, null, undefined, {}, [1], Infinity, NaN])
    expect(toNumber(value), String(value)).toBeUndefined()
})

test('readNumber reads a number through a path', () => {
  expect(readNumber({ cpu: { load: '0.75' } }, parseFieldPath('cpu.load'))).toBe(0.75)
  expect(readNumber({ cpu: 'busy' }, parseFieldPath('cpu'))).toBeUndefined()
})

test('data that is not JSON is marked as such', () => {
  expect(parseEventData('not json')).toEqual({ ok: false })
  expect(parseEventData('')).toEqual({ ok: false })
  expect(parseEventData('{"cpu":1}')).toEqual({ ok: true, value: { cpu: 1 } })
})

test('readEventNumber gives undefined for data that is not JSON', () => {
  const path = parseFieldPath('cpu')
  expect(readEventNumber(parseEventData('{"cpu":91}'), path)).toBe(91)
  expect(readEventNumber(parseEventData('cpu=91'), path)).toBeUndefined()
})

test('numeric leaves are listed in document order with their paths', () => {
  const root = {
    cpu: 0.5,
    host: 'a',
    latency: { p50: 3, p99: '12.5' },
    items: [{ value: 1 }, { value: 'x' }],
    'weird key': 7,
    ok: true,
  }
  expect(numericLeaves(root)).toEqual([
    { path: 'cpu', value: 0.5 },
    { path: 'latency.p50', value: 3 },
    { path: 'latency.p99', value: 12.5 },
    { path: 'items[0].value', value: 1 },
    { path: '["weird key"]', value: 7 },
  ])
})

test('every listed leaf path reads its value back', () => {
  const root = { a: [[1, { 'b.c': 2 }]], '0': { x: '3' } }
  for (const leaf of numericLeaves(root))
    expect(readNumber(root, parseFieldPath(leaf.path))).toBe(leaf.value)
})

test('a bare number at the root has no path and is not listed', () => {
  expect(numericLeaves(42)).toEqual([])
})

test('numeric leaves stop at the limit and at the depth cap', () => {
  expect(
    numericLeaves(
      Array.from({ length: 1000 }, (_, i) => i),
      { limit: 3 },
    ),
  ).toHaveLength(3)
  expect(numericLeaves({ a: { b: { c: 1 } }, d: 2 }, { maxDepth: 2 })).toEqual([
    { path: 'd', value: 2 },
  ])
})
