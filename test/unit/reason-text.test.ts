import { expect, test } from 'vitest'
import type { ConnectionErrorCode } from '../../src/shared/connection'
import { describeReason, describeStateReason } from '../../src/shared/reason-text'

const say = (code: ConnectionErrorCode, reason: string, status?: number): string =>
  describeReason({ code, reason, status }).sentence

test('a refused connection names the address and asks whether the server runs', () => {
  expect(say('network', 'connect ECONNREFUSED 127.0.0.1:36203')).toBe(
    'Connection refused by 127.0.0.1:36203 — is the server running?',
  )
})

test('the technical detail is the engine reason unchanged', () => {
  const reason = 'connect ECONNREFUSED 127.0.0.1:36203 (gave up after 5 reconnect attempts)'
  expect(describeReason({ code: 'network', reason }).detail).toBe(reason)
})

test('giving up after reconnect attempts becomes a sentence of its own', () => {
  expect(
    say('network', 'connect ECONNREFUSED 127.0.0.1:1 (gave up after 1 reconnect attempt)'),
  ).toBe(
    'Connection refused by 127.0.0.1:1 — is the server running? Gave up after 1 attempt to reconnect.',
  )
  expect(say('ended', 'the stream ended (reconnecting is off: maxReconnectAttempts is 0)')).toBe(
    'The server ended the stream. Reconnecting is off for this feed.',
  )
})

test('an aborted or reset connection says the connection was cut off, not "aborted"', () => {
  for (const reason of ['aborted', 'read ECONNRESET', 'socket hang up', 'connection reset'])
    expect(say('network', reason)).toBe(
      'The server or a proxy cut the connection off in the middle of the stream.',
    )
})

test('network failures are told apart by their cause', () => {
  expect(say('network', 'the connection closed')).toBe(
    'The connection was closed by the server or the network.',
  )
  expect(say('network', 'connect ETIMEDOUT 10.0.0.1:443')).toBe(
    'The server 10.0.0.1:443 did not answer in time.',
  )
  expect(say('network', 'connect EHOSTUNREACH 10.0.0.1:443')).toBe(
    'The network cannot reach 10.0.0.1:443 — check the connection or VPN.',
  )
  expect(say('network', 'DNS lookup failed for nowhere.example (ENOTFOUND)')).toBe(
    'No server is known by the name nowhere.example — check the URL.',
  )
  expect(say('network', 'DNS lookup failed for host.example (EAI_AGAIN)')).toBe(
    'The name host.example could not be looked up just now — is the network up?',
  )
  expect(say('network', 'something else')).toBe('The connection to the server failed.')
  expect(say('network', 'connect ECONNREFUSED')).toBe(
    'Connection refused by the server — is the server running?',
  )
})

test('an HTTP status reads as the server answer with a hint', () => {
  expect(say('http-status', 'HTTP 404 Not Found: no such stream', 404)).toBe(
    'The server answered 404 Not Found — check the URL.',
  )
  expect(say('http-status', 'HTTP 401', 401)).toBe(
    "The server answered 401 Unauthorized — check the feed's credentials or headers.",
  )
  expect(say('http-status', 'HTTP 503 Service Unavailable', 503)).toBe(
    'The server answered 503 Service Unavailable: the server has a problem of its own.',
  )
  expect(say('http-status', 'HTTP 429 Too Many Requests', 429)).toBe(
    'The server answered 429 Too Many Requests: it asks for fewer requests.',
  )
  expect(say('http-status', 'HTTP 418', 418)).toBe('The server answered 418.')
  expect(say('http-status', 'HTTP 400 Bad Request')).toBe('The server answered 400 Bad Request.')
  expect(say('http-status', 'refused')).toBe('The server refused the request.')
})

test('the other outcomes each have a plain sentence', () => {
  expect(say('content-type', 'expected text/event-stream, got text/html')).toBe(
    'The server answered, but not with an event stream (it sent text/html).',
  )
  expect(say('content-type', 'expected text/event-stream, got no Content-Type')).toBe(
    'The server answered, but not with an event stream (it sent no Content-Type).',
  )
  expect(say('content-type', 'unsupported Content-Encoding "zz"')).toBe(
    'The server compressed the stream in a way Feedwatch cannot read.',
  )
  expect(say('no-content', 'the server answered 204 No Content: it asked us to stop')).toBe(
    'The server answered 204 No Content: it asked Feedwatch to stop.',
  )
  expect(say('stale', 'stale: no data for 45000 ms')).toBe('No data for 45 s.')
  expect(say('stale', 'stale: no data for 120000 ms')).toBe('No data for 2 min.')
  expect(say('stale', 'stale')).toBe('No data for too long.')
  expect(say('too-large', 'event larger than 1024 characters (maxEventBytes)')).toBe(
    "An event was larger than the feed's limit of 1,024 characters.",
  )
  expect(say('too-large', 'too big')).toBe('An event was larger than the feed allows.')
  expect(say('redirect', 'more than 5 redirects')).toBe(
    'The server redirected to an address Feedwatch cannot follow.',
  )
  expect(say('invalid-request', 'bad URL')).toBe(
    "The feed's settings do not make a usable request — edit the feed.",
  )
  expect(say('disconnected', 'disconnected')).toBe('Disconnected by hand.')
})

test('TLS failures say what is wrong with the certificate', () => {
  expect(say('tls', 'TLS: certificate has expired (CERT_HAS_EXPIRED)')).toBe(
    "The server's certificate has expired: the secure connection was refused.",
  )
  expect(say('tls', 'TLS: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)')).toBe(
    "The server's certificate is self-signed: add its certificate authority to the feed.",
  )
  expect(say('tls', 'TLS: Hostname/IP does not match (ERR_TLS_CERT_ALTNAME_INVALID)')).toBe(
    "The server's certificate is for another name than the one in the URL.",
  )
  expect(say('tls', 'TLS: unable to verify (UNABLE_TO_VERIFY_LEAF_SIGNATURE)')).toBe(
    "The server's certificate is not trusted: add its certificate authority to the feed.",
  )
  expect(say('tls', 'TLS: handshake failure (ERR_SSL_X)')).toBe(
    'The secure (TLS) connection to the server failed.',
  )
})

test('states that are up have no reason', () => {
  expect(describeStateReason({ state: 'open', at: 0, status: 200, contentType: '' })).toBe(
    undefined,
  )
  expect(
    describeStateReason({
      state: 'failed',
      at: 0,
      code: 'http-status',
      reason: 'HTTP 404 Not Found',
      status: 404,
    })?.sentence,
  ).toBe('The server answered 404 Not Found — check the URL.')
})
