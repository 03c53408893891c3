import { expect, test } from 'vitest'
import { classifyResponse, httpStatusReason } from '../../src/main/engine/response-outcome'

const sse = { 'content-type': 'text/event-stream' }

test('200 with text/event-stream in any case and with parameters opens', () => {
  expect(classifyResponse(200, sse).kind).toBe('open')
  expect(classifyResponse(200, { 'content-type': 'Text/Event-Stream; charset=utf-8' }).kind).toBe(
    'open',
  )
})

test('200 with another content type fails with what it got', () => {
  expect(classifyResponse(200, { 'content-type': 'application/json' })).toEqual({
    kind: 'wrong-type',
    reason: 'expected text/event-stream, got application/json',
  })
  expect(classifyResponse(200, {})).toMatchObject({
    reason: 'expected text/event-stream, got no Content-Type',
  })
})

test('204 closes', () => {
  expect(classifyResponse(204, sse).kind).toBe('closed')
})

test('408, 429 and every 5xx are retried', () => {
  for (const status of [408, 429, 500, 502, 503, 504, 599])
    expect(classifyResponse(status, sse).kind).toBe('retry')
})

test('other 4xx, other 2xx and 3xx fail', () => {
  for (const status of [201, 206, 300, 304, 400, 401, 403, 404, 405, 410, 418]) {
    expect(classifyResponse(status, sse).kind).toBe('fail')
  }
})

test('the reason carries the status and at most 512 bytes of the body', () => {
  expect(httpStatusReason(404, 'Not Found', Buffer.from('no such feed\n'))).toBe(
    'HTTP 404 Not Found: no such feed',
  )
  expect(httpStatusReason(500, '', Buffer.alloc(0))).toBe('HTTP 500')
  const reason = httpStatusReason(400, 'Bad Request', Buffer.from('x'.repeat(2000)))
  expect(reason).toBe(`HTTP 400 Bad Request: ${'x'.repeat(512)}`)
})

test('an error body is shown as one line, with control characters escaped', () => {
  const body = Buffer.from('<h1>Down</h1>\r\n\t<p>back \u001b[2Jsoon\u0000</p>\n')
  expect(httpStatusReason(503, 'Service Unavailable', body)).toBe(
    'HTTP 503 Service Unavailable: <h1>Down</h1> <p>back \\u001b[2Jsoon\\u0000</p>',
  )
})
