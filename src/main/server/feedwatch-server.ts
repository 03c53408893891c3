import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ApiError, Result } from '../../shared/api'
import { dispatchCommand, type CommandHandlers } from '../api/command-dispatch'
import type { MetricsPage } from '../metrics/feedwatch-metrics'
import { sendMetrics } from '../metrics/metrics-response'
import {
  AccessControl,
  allowedHostHeaders,
  isLoopbackHost,
  localRedirectTarget,
  SESSION_COOKIE,
} from './access-control'
import type { PushStream } from './push-stream'
import { bodyLimitFor, isLargeBody, readBody, type BodyRead } from './request-body'
import { SECURITY_HEADERS, serveStatic } from './static-files'

/**
 * Bodies over 1 MB (profile imports) read at the same time; a third gets 503 with `Retry-After`
 * rather than waiting, so a burst of uploads can neither pile up memory nor hold sockets open.
 */
const MAX_LARGE_BODIES = 2
/** Seconds a refused large upload is told to wait. */
const LARGE_BODY_RETRY_AFTER_S = 2
/**
 * How long the rest of a refused body is read and thrown away before the connection is closed.
 * Closing with unread data resets the connection, and the client could lose the answer with it.
 */
const REFUSED_BODY_LINGER_MS = 2000

/** What `feedwatch serve` runs. */
export interface FeedwatchServerOptions {
  readonly handlers: CommandHandlers
  readonly pushes: PushStream
  /** Folder of the built renderer (index.html and assets/). */
  readonly staticRoot: string
  readonly host: string
  readonly port: number
  /** Required whenever `host` is not a loopback address. */
  readonly token: string | undefined
  readonly readOnly: boolean
  /** Renders `GET /metrics` (Prometheus text format); absent: no `/metrics`. */
  readonly metrics?: () => Promise<MetricsPage>
  readonly onInternalError?: (error: unknown, command: string) => void
}

/** A running server. */
export interface RunningServer {
  /** `http://host:port` as a browser on this machine reaches it. */
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

/** The server could not start; `message` says why in a way a person can act on. */
export class ServerStartError extends Error {
  override readonly name = 'ServerStartError'
}

/**
 * Serves the API contract over HTTP: `POST /api/<domain>/<verb>` runs command `domain:verb` with a JSON
 * body, `GET /api/stream` is the push stream, `GET /metrics` the Prometheus metrics (when given), and
 * everything else is the renderer. Every request's `Host` is checked (DNS rebinding), every POST's
 * `Origin` (cross-site requests), and, with a token, its credentials (`/metrics` included).
 */
export async function startFeedwatchServer(
  options: FeedwatchServerOptions,
): Promise<RunningServer> {
  if (!isLoopbackHost(options.host) && options.token === undefined) {
    throw new ServerStartError(
      `binding ${options.host} makes Feedwatch reachable from other machines: a token is required`,
    )
  }
  const access = new AccessControl(options.token)
  let allowedHosts = new Set<string>()
  let largeBodiesReading = 0
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.onInternalError?.(error, `${request.method} ${request.url}`)
      if (!response.headersSent) sendJson(response, 500, failure('internal', 'internal error'))
      else response.destroy()
    })
  })

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!allowedHosts.has((request.headers.host ?? '').toLowerCase())) {
      return sendJson(response, 421, failure('forbidden', 'unexpected Host header'))
    }
    const url = new URL(request.url ?? '/', 'http://feedwatch.invalid')
    if (request.method === 'GET' && url.pathname === '/login') return login(request, url, response)
    if (!access.isAuthorized(request)) {
      return sendJson(
        response,
        401,
        failure(
          'forbidden',
          'a token is required: open the login link that feedwatch serve printed, or send Authorization: Bearer <token>',
        ),
      )
    }
    if (url.pathname.startsWith('/api/')) return api(request, response, url.pathname)
    if (url.pathname === '/metrics' && options.metrics !== undefined) {
      return sendMetrics(request, response, options.metrics, (error) =>
        options.onInternalError?.(error, 'GET /metrics'),
      )
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return sendJson(response, 405, failure('forbidden', `${request.method} is not allowed here`))
    }
    if (!(await serveStatic(options.staticRoot, url.pathname, response))) {
      response.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' })
      response.end('not found\n')
    }
  }

  function login(request: IncomingMessage, url: URL, response: ServerResponse): void {
    const session = access.login(url.searchParams.get('token') ?? '')
    if (session === undefined)
      return sendJson(response, 401, failure('forbidden', 'this login link is not valid'))
    response.writeHead(303, {
      ...SECURITY_HEADERS,
      'Set-Cookie': `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`,
      Location: localRedirectTarget(
        url.searchParams.get('next') ?? '/',
        `http://${request.headers.host ?? ''}`,
      ),
    })
    response.end()
  }

  async function api(
    request: IncomingMessage,
    response: ServerResponse,
    pathname: string,
  ): Promise<void> {
    if (pathname === '/api/stream') {
      if (request.method !== 'GET')
        return sendJson(response, 405, failure('forbidden', 'the stream is GET only'))
      const lastEventId = request.headers['last-event-id']
      return options.pushes.attach(
        response,
        Array.isArray(lastEventId) ? lastEventId[0] : lastEventId,
      )
    }
    const match = /^\/api\/([a-z]+)\/([a-z-]+)$/.exec(pathname)
    if (match === null)
      return sendJson(response, 404, failure('unknown-command', `no API at ${pathname}`))
    if (request.method !== 'POST')
      return sendJson(response, 405, failure('forbidden', 'commands are POST only'))
    const origin = request.headers.origin
    if (origin !== undefined && origin !== `http://${request.headers.host ?? ''}`) {
      return sendJson(
        response,
        403,
        failure('forbidden', `requests from ${origin} are not allowed`),
      )
    }
    if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
      // A cross-site form cannot send JSON without a preflight, so this also closes off CSRF by form.
      return sendJson(
        response,
        415,
        failure('invalid-request', 'commands take a JSON body (Content-Type: application/json)'),
      )
    }
    const name = `${match[1]}:${match[2]}`
    const limit = bodyLimitFor(name)
    const large = isLargeBody(request, limit)
    if (large && largeBodiesReading >= MAX_LARGE_BODIES) {
      return refuseBody(
        request,
        response,
        503,
        failure('busy', `${MAX_LARGE_BODIES} large uploads are being read; retry shortly`),
        { 'Retry-After': String(LARGE_BODY_RETRY_AFTER_S) },
      )
    }
    if (large) largeBodiesReading++
    let read: BodyRead
    try {
      read = await readBody(request, limit)
    } finally {
      if (large) largeBodiesReading--
    }
    if (!read.ok) {
      if (read.reason === 'aborted') return
      return refuseBody(
        request,
        response,
        413,
        failure('too-large', `${name} takes a body of at most ${formatBytes(limit)}`),
      )
    }
    let payload: unknown
    try {
      payload = read.body.length === 0 ? {} : JSON.parse(read.body.toString('utf8'))
    } catch {
      return sendJson(response, 400, failure('invalid-request', 'the body is not valid JSON'))
    }
    const result = await dispatchCommand(options.handlers, name, payload, {
      readOnly: options.readOnly,
      ...(options.onInternalError === undefined
        ? {}
        : { onInternalError: options.onInternalError }),
    })
    sendJson(response, result.ok ? 200 : statusFor(result.error.code), result)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        reject(
          new ServerStartError(
            `port ${options.port} on ${options.host} is already in use; choose another with --port`,
          ),
        )
      else if (error.code === 'EACCES')
        reject(new ServerStartError(`not allowed to listen on ${options.host}:${options.port}`))
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')
        reject(new ServerStartError(`${options.host} is not an address of this machine`))
      else reject(error)
    })
    server.listen(options.port, options.host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  allowedHosts = allowedHostHeaders(options.host, port)
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host
  return {
    url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        options.pushes.close()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

function failure(code: ApiError['code'], message: string): Result<never> {
  return { ok: false, error: { code, message } }
}

function statusFor(code: ApiError['code']): number {
  switch (code) {
    case 'invalid-request':
      return 400
    case 'forbidden':
    case 'read-only':
      return 403
    case 'not-found':
    case 'unknown-command':
      return 404
    case 'conflict':
      return 409
    case 'too-large':
      return 413
    case 'busy':
      return 503
    case 'storage':
    case 'internal':
      return 500
  }
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...headers,
  })
  response.end(JSON.stringify(body))
}

/**
 * Answers a request whose body was not (or not wholly) read. The rest is read and thrown away, never
 * kept, for at most {@link REFUSED_BODY_LINGER_MS}; then the connection is closed, which is what stops
 * a client that goes on sending.
 */
function refuseBody(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  request.resume()
  if (!request.complete) {
    const linger = setTimeout(() => request.socket.destroy(), REFUSED_BODY_LINGER_MS)
    request.once('end', () => clearTimeout(linger))
    request.socket.once('close', () => clearTimeout(linger))
  }
  sendJson(response, status, body, headers)
}

/** `1 MB`, `20 MB`: the limits are whole mebibytes. */
function formatBytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`
}
