import { STATUS_CODES } from 'node:http'
import { parseRetryAfter } from '../engine/retry-after'

/** How one POST to a receiver went. */
export type PostOutcome =
  | { readonly ok: true; readonly status: number }
  | {
      readonly ok: false
      /** The HTTP status, when the receiver answered. */
      readonly status?: number
      /** For a person: `503 Service Unavailable`, `timed out after 5 s`, `connection refused`. */
      readonly reason: string
      /** Worth trying again: a network error, a timeout, 408, 429 or a 5xx. */
      readonly retryable: boolean
      /** What the receiver's `Retry-After` asked for, in ms. */
      readonly retryAfterMs?: number
    }

/** Sends one request body to a receiver; never throws. */
export type PostJson = (request: PostRequest) => Promise<PostOutcome>

/** One request to a contact point. */
export interface PostRequest {
  readonly url: string
  readonly body: string
  readonly headers: Readonly<Record<string, string>>
  readonly timeoutMs: number
}

/** Longest part of an error response kept for the delivery log. */
const REASON_BODY_CHARS = 200

/**
 * POSTs JSON with Node's fetch. Redirects are not followed (a receiver that moved should be
 * reconfigured, and a redirect must not carry secret headers elsewhere); the response body is read
 * only on failure and only its first characters, so a hostile receiver cannot make us buffer much.
 */
export const postJson: PostJson = async ({ url, body, headers, timeoutMs }) => {
  let response: Response
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'User-Agent': 'Feedwatch', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (error) {
    return { ok: false, reason: describeFetchError(error, timeoutMs), retryable: true }
  }
  const { status } = response
  if (status >= 200 && status < 300) {
    await response.body?.cancel().catch(() => undefined)
    return { ok: true, status }
  }
  const detail = await firstCharacters(response)
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after') ?? undefined, Date.now())
  return {
    ok: false,
    status,
    reason: `${status} ${STATUS_CODES[status] ?? ''}`.trim() + (detail === '' ? '' : `: ${detail}`),
    retryable: status === 408 || status === 429 || status >= 500,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  }
}

/** The start of an error response as one line of text, for the delivery log. */
async function firstCharacters(response: Response): Promise<string> {
  const reader = response.body?.getReader()
  if (reader === undefined) return ''
  let text = ''
  const decoder = new TextDecoder()
  try {
    while (text.length < REASON_BODY_CHARS) {
      const { done, value } = await reader.read()
      if (done) break
      text += decoder.decode(value, { stream: true })
    }
  } catch {
    // The receiver hung up mid-answer: what we have is enough.
  } finally {
    await reader.cancel().catch(() => undefined)
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim()
  return line.length > REASON_BODY_CHARS ? `${line.slice(0, REASON_BODY_CHARS)}…` : line
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === 'TimeoutError')
    return `timed out after ${timeoutMs / 1000} s`
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return 'connection refused'
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection reset'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found'
    default:
      return cause?.message ?? (error instanceof Error ? error.message : String(error))
  }
}
