import {
  request as httpRequest,
  type ClientRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from 'node:http'
import { request as httpsRequest, type RequestOptions } from 'node:https'
import { rootCertificates } from 'node:tls'
import type { Readable } from 'node:stream'
import { constants as zlib, createBrotliDecompress, createGunzip, createInflate } from 'node:zlib'
import { HttpProxyAgent } from 'http-proxy-agent'
import { HttpsProxyAgent } from 'https-proxy-agent'
import type { PreparedRequest } from './prepared-request'
import { proxyForUrl } from './proxy-settings'

/** Redirects followed before giving up, as browsers do. */
export const MAX_REDIRECTS = 20

/** A response that will not be redirected further, with its body decoded as it streams. */
export interface StreamResponse {
  readonly status: number
  readonly statusText: string
  readonly headers: IncomingHttpHeaders
  /** The body after Content-Encoding is undone; emits Buffers. */
  readonly body: Readable
}

/** Why no response arrived. */
export interface RequestFailure {
  /** `internal`: the transport itself threw while handling a response. */
  readonly code: 'network' | 'tls' | 'redirect' | 'content-encoding' | 'internal'
  readonly message: string
}

/** What the transport reports; exactly one of the two is called, once. */
export interface StreamRequestCallbacks {
  onResponse(response: StreamResponse): void
  onFailure(failure: RequestFailure): void
}

/** Lets the caller abandon the request at any time; nothing is reported after `abort()`. */
export interface StreamRequestHandle {
  abort(): void
}

/** Node's error codes for a certificate that failed verification or a failed handshake. */
const TLS_ERROR = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/

/** Outputs decoded data as soon as each compressed block arrives, and tolerates a cut-off stream. */
const STREAMING_ZLIB = { flush: zlib.Z_SYNC_FLUSH, finishFlush: zlib.Z_SYNC_FLUSH }

/**
 * Sends `prepared` with node:http(s), follows redirects, routes through a proxy from `env`, and hands
 * over the first non-redirect response with a decoding body.
 */
export function openStreamRequest(
  prepared: PreparedRequest,
  env: NodeJS.ProcessEnv,
  callbacks: StreamRequestCallbacks,
): StreamRequestHandle {
  let current: ClientRequest | undefined
  let currentBody: Readable | undefined
  let settled = false

  const fail = (failure: RequestFailure): void => {
    if (settled) return
    settled = true
    callbacks.onFailure(failure)
  }

  const send = (
    url: URL,
    method: string,
    body: string | undefined,
    headers: PreparedRequest['headers'],
    hops: number,
  ): void => {
    const options: RequestOptions = {
      method,
      headers: Object.fromEntries(headers.values()),
      agent: proxyAgentFor(url, env),
    }
    if (url.protocol === 'https:') {
      options.rejectUnauthorized = !prepared.insecure
      if (prepared.ca !== undefined) options.ca = [...rootCertificates, prepared.ca]
    }
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options)
    current = request
    // A request left behind by a redirect may still report its own teardown; only the current one counts.
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (request === current) fail(describeError(error))
    })
    request.on('response', (response) => {
      // A throw here (from a redirect's new request, say) would end the process: report it instead.
      try {
        handleResponse(response)
      } catch (error) {
        response.destroy()
        fail({
          code: 'internal',
          message: `internal error: ${error instanceof Error ? error.message : String(error)}`,
        })
      }
    })
    const handleResponse = (response: IncomingMessage): void => {
      const next = followableRedirect(response, url)
      if (next !== undefined) {
        response.resume()
        request.destroy()
        if (hops >= MAX_REDIRECTS)
          return fail({ code: 'redirect', message: `more than ${MAX_REDIRECTS} redirects` })
        const status = response.statusCode
        const becomesGet =
          status === 303 || ((status === 301 || status === 302) && method === 'POST')
        const nextHeaders = new Map(headers)
        if (becomesGet) nextHeaders.delete('content-type')
        if (next.origin !== url.origin) {
          // Credentials are for the origin they were written for, as fetch does across origins.
          nextHeaders.delete('authorization')
          nextHeaders.delete('cookie')
        }
        const nextMethod = becomesGet && method !== 'HEAD' ? 'GET' : method
        send(next, nextMethod, becomesGet ? undefined : body, nextHeaders, hops + 1)
        return
      }
      const decoded = decodeBody(response)
      if ('code' in decoded) {
        response.destroy()
        return fail(decoded)
      }
      currentBody = decoded
      if (settled) return
      settled = true
      callbacks.onResponse({
        status: response.statusCode ?? 0,
        statusText: response.statusMessage ?? '',
        headers: response.headers,
        body: decoded,
      })
    }
    request.end(body)
  }

  send(prepared.url, prepared.method, prepared.body, prepared.headers, 0)
  return {
    abort() {
      settled = true
      currentBody?.destroy()
      current?.destroy()
    },
  }
}

/**
 * Where a redirect leads, when it can be followed: a 301, 302, 303, 307 or 308 with a Location that is
 * an http(s) URL. Any other 3xx is handed over as a response, so its status and body become the reason.
 */
function followableRedirect(response: IncomingMessage, base: URL): URL | undefined {
  const status = response.statusCode
  const location = response.headers.location
  if (location === undefined || ![301, 302, 303, 307, 308].includes(status ?? 0)) return undefined
  try {
    const next = new URL(location, base)
    return next.protocol === 'http:' || next.protocol === 'https:' ? next : undefined
  } catch {
    return undefined
  }
}

/**
 * The agent that sends a request for `url` through the proxy `env` names (`HTTPS_PROXY`, `NO_PROXY`
 * …), or undefined for a direct connection. Alert deliveries use it too, so they go where feeds go.
 */
export function proxyAgentFor(url: URL, env: NodeJS.ProcessEnv): RequestOptions['agent'] {
  const proxy = proxyForUrl(url, env)
  if (proxy === undefined) return undefined
  return url.protocol === 'https:' ? new HttpsProxyAgent(proxy) : new HttpProxyAgent(proxy)
}

/** Undoes Content-Encoding as the body streams; HTTP's "deflate" is the zlib format (RFC 9110). */
function decodeBody(response: IncomingMessage): Readable | RequestFailure {
  const encoding = (response.headers['content-encoding'] ?? 'identity').trim().toLowerCase()
  let decoder: NodeJS.ReadWriteStream & Readable
  switch (encoding) {
    case 'identity':
    case '':
      return response
    case 'gzip':
    case 'x-gzip':
      decoder = createGunzip(STREAMING_ZLIB)
      break
    case 'deflate':
      decoder = createInflate(STREAMING_ZLIB)
      break
    case 'br':
      decoder = createBrotliDecompress({
        flush: zlib.BROTLI_OPERATION_FLUSH,
        finishFlush: zlib.BROTLI_OPERATION_FLUSH,
      })
      break
    default:
      return { code: 'content-encoding', message: `unsupported Content-Encoding "${encoding}"` }
  }
  response.on('error', (error) => decoder.destroy(error))
  response.on('aborted', () =>
    decoder.destroy(new Error('connection reset while reading the body')),
  )
  // A destroyed decoder must also release the socket it reads from.
  decoder.on('close', () => response.destroy())
  response.pipe(decoder)
  return decoder
}

/** Turns a Node socket or TLS error into a reason a person can act on. */
export function describeError(error: NodeJS.ErrnoException): RequestFailure {
  const code = error.code ?? ''
  if (TLS_ERROR.test(code)) return { code: 'tls', message: `TLS: ${error.message} (${code})` }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return {
      code: 'network',
      message: `DNS lookup failed for ${error.message.split(' ').pop() ?? 'the host'} (${code})`,
    }
  }
  return { code: 'network', message: error.message || code || 'connection failed' }
}
