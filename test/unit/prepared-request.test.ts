import { expect, test } from 'vitest'
import { prepareRequest } from '../../src/main/engine/prepared-request'
import { InvalidConnectionOptionsError } from '../../src/main/engine/invalid-options-error'
import { resolveSettings } from '../../src/main/engine/connection-settings'

const url = 'http://127.0.0.1:1/events'

test('defaults ask for an event stream, uncached and compressed', () => {
  const { headers, method } = prepareRequest({ url })
  expect(method).toBe('GET')
  expect(Object.fromEntries(headers.values())).toEqual({
    Accept: 'text/event-stream',
    'Cache-Control': 'no-cache',
    'Accept-Encoding': 'gzip, deflate, br',
  })
})

test('the feed headers override the defaults whatever their case', () => {
  const { headers } = prepareRequest({
    url,
    headers: { accept: 'application/x-ndjson', 'X-Team': 'ops' },
  })
  expect(Object.fromEntries(headers.values())).toMatchObject({
    accept: 'application/x-ndjson',
    'X-Team': 'ops',
  })
  expect([...headers.values()].filter(([name]) => name.toLowerCase() === 'accept')).toHaveLength(1)
})

test('non-ASCII header values are sent as their UTF-8 bytes', () => {
  const { headers } = prepareRequest({ url, headers: { 'X-Who': 'ü' } })
  expect(headers.get('x-who')?.[1]).toBe('\u00c3\u00bc')
})

test('non-http URLs, relative URLs, bad methods and bad headers are refused with the field named', () => {
  const refused = (options: Parameters<typeof prepareRequest>[0], message: RegExp): void => {
    expect(() => prepareRequest(options)).toThrow(InvalidConnectionOptionsError)
    expect(() => prepareRequest(options)).toThrow(message)
  }
  refused({ url: 'ftp://example.com/x' }, /^url: must be an http\(s\) URL, got ftp:/)
  refused({ url: '/events' }, /^url: "\/events" is not an absolute URL/)
  refused({ url, method: 'GE T' }, /^method:/)
  refused({ url, method: 'CONNECT' }, /^method: CONNECT/)
  refused({ url, body: '{}' }, /^body: a GET request cannot have a body/)
  refused({ url, headers: { 'Bad Name': 'x' } }, /^headers: "Bad Name"/)
  refused({ url, headers: { 'X-Split': 'a\r\nInjected: yes' } }, /^headers\.X-Split:/)
})

test('a header value with a control character is refused naming the header and the character', () => {
  expect(() => prepareRequest({ url, headers: { 'X-A': 'a\u0001b' } })).toThrow(
    new InvalidConnectionOptionsError(
      'headers.X-A: the value contains the control character U+0001 at position 2',
    ),
  )
})

test('a header name with a control character is refused with the character escaped', () => {
  expect(() => prepareRequest({ url, headers: { 'X\u0001': 'a' } })).toThrow(
    new InvalidConnectionOptionsError(
      'headers: "X\\u0001": a header name may hold only letters, digits and !#$%&\'*+-.^_`|~',
    ),
  )
})

test('a header value with a tab or characters beyond latin-1 is accepted and sent as UTF-8', () => {
  const { headers } = prepareRequest({ url, headers: { 'X-A': 'a\t€' } })
  expect(headers.get('x-a')?.[1]).toBe(Buffer.from('a\t€', 'utf8').toString('latin1'))
})

test('an initial last event ID with a control character is refused as Last-Event-ID', () => {
  expect(() => prepareRequest({ url, lastEventId: 'a\u0001b' })).toThrow(
    new InvalidConnectionOptionsError(
      'lastEventId: contains the control character U+0001 at position 2, so it cannot be sent as Last-Event-ID',
    ),
  )
  expect(prepareRequest({ url, lastEventId: 'ü-✓-1' }).url.href).toBe(url)
})

test('a body is sent as text unless the feed says otherwise', () => {
  const prepared = prepareRequest({ url, method: 'post', body: '{"q":1}' })
  expect(prepared.method).toBe('POST')
  expect(prepared.headers.get('content-type')?.[1]).toBe('text/plain;charset=UTF-8')
  const json = prepareRequest({
    url,
    method: 'POST',
    body: '{}',
    headers: { 'Content-Type': 'application/json' },
  })
  expect(json.headers.get('content-type')?.[1]).toBe('application/json')
})

test('policy numbers must be whole and in range, and "unlimited" is accepted for attempts', () => {
  expect(resolveSettings({ url })).toMatchObject({
    autoReconnect: true,
    reconnectDelay: 1000,
    maxReconnectAttempts: 5,
  })
  expect(resolveSettings({ url, maxReconnectAttempts: 'unlimited' }).maxReconnectAttempts).toBe(
    'unlimited',
  )
  expect(() => resolveSettings({ url, reconnectDelay: -1 })).toThrow(
    /^reconnectDelay: expected a whole number/,
  )
  expect(() => resolveSettings({ url, maxReconnectAttempts: 1.5 })).toThrow(
    /^maxReconnectAttempts:/,
  )
  expect(() => resolveSettings({ url, maxEventBytes: 0 })).toThrow(/^maxEventBytes:/)
  expect(() => resolveSettings({ url, staleTimeout: Number.POSITIVE_INFINITY })).toThrow(
    /^staleTimeout:/,
  )
})
