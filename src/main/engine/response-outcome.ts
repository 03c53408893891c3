import type { IncomingHttpHeaders } from 'node:http'

/** Most of an error body worth showing as a reason. */
export const ERROR_BODY_LIMIT = 512

/** What a response means for the connection, before any body is read. */
export type ResponseOutcome =
  | { readonly kind: 'open'; readonly contentType: string }
  | { readonly kind: 'closed' }
  /** Retry with backoff; read the body for the reason first. */
  | { readonly kind: 'retry' }
  /** Give up; read the body for the reason first. */
  | { readonly kind: 'fail' }
  /** Give up: a 200 that is not an event stream. */
  | { readonly kind: 'wrong-type'; readonly reason: string }

/**
 * Maps a response to our outcome table (README, "Outcomes"). Differs from the WHATWG spec in retrying
 * 408, 429 and 5xx: a monitoring feed must survive a server restart behind a proxy.
 */
export function classifyResponse(status: number, headers: IncomingHttpHeaders): ResponseOutcome {
  if (status === 204) return { kind: 'closed' }
  if (status === 408 || status === 429 || (status >= 500 && status <= 599)) return { kind: 'retry' }
  if (status !== 200) return { kind: 'fail' }
  const contentType = headers['content-type'] ?? ''
  if (!isEventStream(contentType)) {
    const got = contentType === '' ? 'no Content-Type' : contentType
    return { kind: 'wrong-type', reason: `expected text/event-stream, got ${got}` }
  }
  return { kind: 'open', contentType }
}

/** `text/event-stream` in any case, parameters allowed (`; charset=utf-8`). */
function isEventStream(contentType: string): boolean {
  return contentType.split(';', 1)[0]?.trim().toLowerCase() === 'text/event-stream'
}

/** 3xx: the transport follows what it can, so one that arrives here could not be followed. */
export function isRedirectStatus(status: number): boolean {
  return status >= 300 && status <= 399
}

/**
 * "HTTP 404 Not Found: <body>" with at most {@link ERROR_BODY_LIMIT} bytes of body; for a redirect
 * that could not be followed, also why.
 */
export function httpStatusReason(
  status: number,
  statusText: string,
  body: Buffer,
  headers: IncomingHttpHeaders = {},
): string {
  let head = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`
  if (isRedirectStatus(status)) {
    head +=
      headers.location === undefined
        ? ' without a Location header'
        : ` to ${headers.location}, which cannot be followed`
  }
  const text = oneLine(body.subarray(0, ERROR_BODY_LIMIT).toString('utf8'))
  return text ? `${head}: ${text}` : head
}

/**
 * A server's text as one line a terminal can show: runs of white space become one space and any
 * other control character is written as an escape (`\u001b`), so an error page can neither break
 * the line nor send escape sequences to whoever reads the reason.
 */
function oneLine(text: string): string {
  return (
    text
      .replace(/\s+/g, ' ')
      .trim()
      // eslint-disable-next-line no-control-regex -- finding control characters is the point
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, (character) => {
        return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`
      })
  )
}
