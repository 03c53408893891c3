import type { ConnectionOptions } from '../../shared/connection'
import { headerNameProblem, headerValueProblem } from '../../shared/http-header'
import { InvalidConnectionOptionsError } from './invalid-options-error'

/** A request whose every part has been checked: what the transport needs, nothing more. */
export interface PreparedRequest {
  readonly url: URL
  readonly method: string
  /** Header names as given, values already encoded as UTF-8 bytes in latin-1 strings (see `headerBytes`). */
  readonly headers: ReadonlyMap<string, readonly [name: string, value: string]>
  readonly body: string | undefined
  readonly ca: string | undefined
  readonly insecure: boolean
}

/** RFC 9110 token: what a method may consist of. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
/** Methods that either cannot carry an event stream or tunnel elsewhere. */
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK'])

/**
 * Checks the request part of the options (the initial last event ID included, since it becomes a
 * header) and prepares it for the transport.
 * @throws {@link InvalidConnectionOptionsError} naming the field and the problem.
 */
export function prepareRequest(options: ConnectionOptions): PreparedRequest {
  const url = parseFeedUrl(options.url)
  const method = (options.method ?? 'GET').toUpperCase()
  if (!TOKEN.test(method))
    throw new InvalidConnectionOptionsError(
      `method: "${options.method}" is not a valid HTTP method`,
    )
  if (FORBIDDEN_METHODS.has(method))
    throw new InvalidConnectionOptionsError(`method: ${method} cannot open an event stream`)
  if (options.body !== undefined && (method === 'GET' || method === 'HEAD')) {
    throw new InvalidConnectionOptionsError(
      `body: a ${method} request cannot have a body; use POST or another method`,
    )
  }
  const headers = new Map<string, readonly [string, string]>()
  const setDefault = (name: string, value: string): void =>
    void headers.set(name.toLowerCase(), [name, value])
  setDefault('Accept', 'text/event-stream')
  setDefault('Cache-Control', 'no-cache')
  setDefault('Accept-Encoding', 'gzip, deflate, br')
  if (options.body !== undefined) setDefault('Content-Type', 'text/plain;charset=UTF-8')
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    const nameProblem = headerNameProblem(name)
    if (nameProblem !== undefined) {
      // JSON quoting shows a control character in the name as an escape, never raw.
      throw new InvalidConnectionOptionsError(`headers: ${JSON.stringify(name)}: ${nameProblem}`)
    }
    const valueProblem = headerValueProblem(value)
    if (valueProblem !== undefined)
      throw new InvalidConnectionOptionsError(`headers.${name}: the value ${valueProblem}`)
    headers.set(name.toLowerCase(), [name, headerBytes(value)])
  }
  const lastEventIdProblem = headerValueProblem(options.lastEventId ?? '')
  if (lastEventIdProblem !== undefined) {
    throw new InvalidConnectionOptionsError(
      `lastEventId: ${lastEventIdProblem}, so it cannot be sent as Last-Event-ID`,
    )
  }
  return {
    url,
    method,
    headers,
    body: options.body,
    ca: options.ca,
    insecure: options.insecure ?? false,
  }
}

/** Parses a feed URL, accepting only http: and https:. */
export function parseFeedUrl(text: string): URL {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new InvalidConnectionOptionsError(`url: "${text}" is not an absolute URL`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidConnectionOptionsError(`url: must be an http(s) URL, got ${url.protocol}`)
  }
  return url
}

/**
 * Node writes header strings as latin-1; re-encoding as UTF-8 bytes first makes a non-ASCII value
 * (a `Last-Event-ID` such as "ü-1") arrive as its UTF-8 bytes, as browsers send it.
 */
export function headerBytes(value: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(value) ? value : Buffer.from(value, 'utf8').toString('latin1')
}
