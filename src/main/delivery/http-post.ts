import { request as httpRequest, STATUS_CODES, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { parseRetryAfter } from '../engine/retry-after'
import { describeError, proxyAgentFor } from '../engine/stream-request'

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
 * POSTs JSON with `node:http`/`node:https`, through the proxy the environment names as feeds do
 * (`HTTPS_PROXY`, `NO_PROXY` …). Redirects are not followed: a receiver that moved should be
 * reconfigured, and a redirect must not carry secret headers elsewhere. The response body is read
 * only on failure and only its first characters, so a hostile receiver cannot make us buffer much;
 * the timeout covers the whole exchange.
 */
export function createPostJson(env: NodeJS.ProcessEnv = process.env): PostJson {
  return (request) => new Promise((resolve) => post(request, env, resolve))
}

/** {@link createPostJson} with the process's environment. */
export const postJson: PostJson = createPostJson()

function post(
  { url, body, headers, timeoutMs }: PostRequest,
  env: NodeJS.ProcessEnv,
  resolve: (outcome: PostOutcome) => void,
): void {
  let settled = false
  const finish = (outcome: PostOutcome): void => {
    if (settled) return
    settled = true
    clearTimeout(timer)
    resolve(outcome)
  }
  const timer = setTimeout(() => {
    finish({ ok: false, reason: `timed out after ${timeoutMs / 1000} s`, retryable: true })
    sent?.destroy()
  }, timeoutMs)
  let sent: ReturnType<typeof httpRequest> | undefined
  try {
    const target = new URL(url)
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest
    sent = send(target, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
        'User-Agent': 'Feedwatch',
        ...headers,
      },
      agent: proxyAgentFor(target, env),
    })
  } catch (error) {
    // A URL or header Node refuses: trying again cannot help.
    finish({
      ok: false,
      reason: error instanceof Error ? error.message : String(error),
      retryable: false,
    })
    return
  }
  sent.on('response', (response) => answer(response, finish))
  sent.on('error', (error: NodeJS.ErrnoException) =>
    finish({ ok: false, reason: networkReason(error), retryable: true }),
  )
  sent.end(body)
}

/** Settles on the receiver's answer: success at once, failure with the start of its body. */
function answer(response: IncomingMessage, finish: (outcome: PostOutcome) => void): void {
  const status = response.statusCode ?? 0
  if (status >= 200 && status < 300) {
    response.resume()
    finish({ ok: true, status })
    return
  }
  let text = ''
  const done = (): void => {
    const retryAfter = response.headers['retry-after']
    const retryAfterMs = parseRetryAfter(
      Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
      Date.now(),
    )
    const detail = oneLine(text)
    finish({
      ok: false,
      status,
      reason:
        `${status} ${STATUS_CODES[status] ?? ''}`.trim() + (detail === '' ? '' : `: ${detail}`),
      retryable: status === 408 || status === 429 || status >= 500,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    })
  }
  response.setEncoding('utf8')
  response.on('data', (chunk: string) => {
    text += chunk
    if (text.length >= REASON_BODY_CHARS) response.destroy()
  })
  // A receiver that hangs up mid-answer still gave its status: what arrived is enough.
  response.on('close', done)
  response.on('error', () => undefined)
}

/** The start of an error response as one line of text, for the delivery log. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim()
  return line.length > REASON_BODY_CHARS ? `${line.slice(0, REASON_BODY_CHARS)}…` : line
}

/** Why no answer came, in the words the delivery log uses. */
function networkReason(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused'
    case 'ECONNRESET':
      return 'connection reset'
    default:
      return describeError(error).message
  }
}
