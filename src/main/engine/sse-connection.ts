import type { Readable } from 'node:stream'
import type { FeedEvent } from '../../shared/feed-event'
import { headerValueProblem } from '../../shared/http-header'
import {
  UNLIMITED,
  type ConnectionErrorCode,
  type ConnectionOptions,
  type ConnectionState,
  type ConnectionStats,
} from '../../shared/connection'
import { backoffDelay, clampServerRetry, MIN_SERVER_RETRY_MS } from './backoff'
import {
  CONNECTION_DEFAULTS,
  resolveSettings,
  type ConnectionSettings,
} from './connection-settings'
import { createEventStreamDecoder, type EventStreamDecoder } from './event-stream-decoder'
import { EventRate } from './event-rate'
import { headerBytes, prepareRequest, type PreparedRequest } from './prepared-request'
import {
  classifyResponse,
  ERROR_BODY_LIMIT,
  httpStatusReason,
  isRedirectStatus,
} from './response-outcome'
import { InvalidConnectionOptionsError } from './invalid-options-error'
import { parseRetryAfter } from './retry-after'
import { openStreamRequest, type StreamRequestHandle, type StreamResponse } from './stream-request'

export { InvalidConnectionOptionsError } from './invalid-options-error'

/** Receives what a connection produces. Called synchronously from the engine: keep them cheap. */
export interface ConnectionHandlers {
  onEvent?(event: FeedEvent): void
  onState?(state: ConnectionState): void
}

/** Real implementations by default; tests may pin the clock, the jitter and the environment. */
export interface ConnectionDeps {
  /** @defaultValue `Date.now` */
  readonly now?: () => number
  /** Jitter source in [0, 1). @defaultValue `Math.random` */
  readonly random?: () => number
  /** Where proxy settings (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`) are read. @defaultValue `process.env` */
  readonly env?: NodeJS.ProcessEnv
  /** How long a connection must stay open to reset the attempt counter. @defaultValue `30000` */
  readonly stableConnectionMs?: number
  /**
   * What unusable options do: `"throw"` an {@link InvalidConnectionOptionsError} from the constructor,
   * or `"fail"`: the connection starts out `failed` (code `invalid-request`, the problem as its
   * reason) and never connects, so one feed with bad settings cannot stop the others.
   * @defaultValue `"throw"`
   */
  readonly invalidOptions?: 'throw' | 'fail'
}

/** How long to wait for an error response's body before giving its reason without it. */
const ERROR_BODY_WAIT_MS = 2000

/** One request and everything that lives only as long as it does. */
interface Attempt {
  request: StreamRequestHandle | undefined
  /** The response body once open; paused while the consumer is. */
  body: Readable | undefined
  decoder: EventStreamDecoder | undefined
  staleTimer: NodeJS.Timeout | undefined
  stableTimer: NodeJS.Timeout | undefined
}

/**
 * One SSE feed: connects, parses, reconnects by policy, and reports events, states and stats
 * (README, "SSE behaviour"). Throws {@link InvalidConnectionOptionsError} from the constructor when
 * the options are unusable, so invalid input never reaches the network.
 *
 * Nothing thrown inside its timers and socket callbacks (by the engine or by a handler) escapes to
 * end the process: the connection goes to `failed` with code `internal` and the error as the reason.
 */
export class SseConnection {
  /** Undefined only when the options were refused with `invalidOptions: "fail"`. */
  private readonly prepared: PreparedRequest | undefined
  private readonly settings: ConnectionSettings
  private readonly now: () => number
  private readonly random: () => number
  private readonly env: NodeJS.ProcessEnv
  private readonly stableConnectionMs: number

  private current: ConnectionState
  /** The attempt in flight; callbacks of any other (abandoned) attempt are ignored. */
  private attempt: Attempt | undefined
  private reconnectTimer: NodeJS.Timeout | undefined
  /** 0 for the first connection, n for reconnect attempt n; reset by an event or a stable connection. */
  private attemptNumber = 0
  private retryBaseMs: number
  /** Set once the server sent `retry:`: from then on no delay may be under the minimum. */
  private minDelayMs = 0
  private savedLastEventId: string
  /** Set by {@link SseConnection.pause}: no socket is read and the stale timer is off. */
  private paused = false

  private seq = 0
  private bytes = 0
  private reconnects = 0
  private lastEventAt: number | null = null
  private connectedSince: number | null = null
  private readonly rate = new EventRate()
  /** Arrival time of the chunk being decoded: every event in one chunk arrived together. */
  private chunkTime = 0

  constructor(
    options: ConnectionOptions,
    private readonly handlers: ConnectionHandlers,
    deps: ConnectionDeps = {},
  ) {
    this.now = deps.now ?? Date.now
    this.random = deps.random ?? Math.random
    this.env = deps.env ?? process.env
    this.stableConnectionMs = deps.stableConnectionMs ?? 30_000
    this.savedLastEventId = options.lastEventId ?? ''
    let refusal: string | undefined
    try {
      this.prepared = prepareRequest(options)
      this.settings = resolveSettings(options)
    } catch (error) {
      if (deps.invalidOptions !== 'fail' || !(error instanceof InvalidConnectionOptionsError))
        throw error
      refusal = error.message
      this.prepared = undefined
      this.settings = CONNECTION_DEFAULTS
      this.savedLastEventId = ''
    }
    this.retryBaseMs = this.settings.reconnectDelay
    this.current =
      refusal === undefined
        ? { state: 'idle', at: this.now() }
        : { state: 'failed', at: this.now(), code: 'invalid-request', reason: refusal }
  }

  /** Starts (or resumes, from the last event ID) the connection; a no-op while already running. */
  connect(): void {
    const { state } = this.current
    if (state === 'connecting' || state === 'open' || state === 'reconnecting') return
    const { prepared } = this
    if (prepared === undefined) return
    this.attemptNumber = 0
    this.safely(() => this.startAttempt(prepared))
  }

  /** Stops at once in any state: no more events, timers, sockets or reconnects. */
  disconnect(): void {
    const { state } = this.current
    if (state === 'idle' || state === 'closed' || state === 'failed') return
    this.endAttempt()
    this.setState({ state: 'closed', at: this.now(), code: 'disconnected', reason: 'disconnected' })
  }

  /**
   * Stops reading the socket, so the server meets TCP backpressure, until {@link SseConnection.resume}.
   * Events already read (the rest of the chunk being decoded) are still delivered. Time spent paused
   * never counts toward `staleTimeout`. Lasts across reconnects.
   */
  pause(): void {
    if (this.paused) return
    this.paused = true
    const attempt = this.attempt
    if (attempt === undefined) return
    attempt.body?.pause()
    clearTimeout(attempt.staleTimer)
    attempt.staleTimer = undefined
  }

  /** Reads the socket again after {@link SseConnection.pause}; the stale timer starts over. */
  resume(): void {
    if (!this.paused) return
    this.paused = false
    const attempt = this.attempt
    if (attempt === undefined) return
    this.armStaleTimer(attempt)
    attempt.body?.resume()
  }

  /** True between {@link SseConnection.pause} and {@link SseConnection.resume} (as on a Readable). */
  isPaused(): boolean {
    return this.paused
  }

  /** The current state. */
  get state(): ConnectionState {
    return this.current
  }

  /** The last event ID in effect ("" when none). */
  get lastEventId(): string {
    return this.attempt?.decoder?.lastEventId ?? this.savedLastEventId
  }

  /** A snapshot of the running totals. */
  stats(): ConnectionStats {
    const now = this.now()
    return {
      events: this.seq,
      bytes: this.bytes,
      reconnects: this.reconnects,
      lastEventAt: this.lastEventAt,
      connectedSince: this.connectedSince,
      eventsPerSecond: this.rate.perSecond(now),
    }
  }

  private startAttempt(prepared: PreparedRequest): void {
    this.reconnectTimer = undefined
    if (this.attemptNumber > 0) this.reconnects++
    const attempt: Attempt = {
      request: undefined,
      body: undefined,
      decoder: undefined,
      staleTimer: undefined,
      stableTimer: undefined,
    }
    this.attempt = attempt
    const { request, notice } = this.withLastEventId(prepared)
    this.setState({
      state: 'connecting',
      at: this.now(),
      attempt: this.attemptNumber,
      ...(notice === undefined ? {} : { notice }),
    })
    // A state handler may have disconnected already: then no timer and no request.
    if (attempt !== this.attempt) return
    // Also covers a server that accepts the socket but never answers.
    this.armStaleTimer(attempt)
    attempt.request = openStreamRequest(request, this.env, {
      onResponse: (response) => this.safely(() => this.handleResponse(attempt, response)),
      onFailure: (failure) =>
        this.safely(() => {
          if (failure.code === 'network') this.lose(attempt, 'network', failure.message)
          else if (failure.code === 'content-encoding')
            this.fail(attempt, 'content-type', failure.message)
          else this.fail(attempt, failure.code, failure.message)
        }),
    })
  }

  /** (Re)starts the stale timer of `attempt`, unless it is off or the consumer paused. */
  private armStaleTimer(attempt: Attempt): void {
    const { staleTimeout } = this.settings
    if (staleTimeout === 0 || this.paused) return
    clearTimeout(attempt.staleTimer)
    attempt.staleTimer = setTimeout(
      () => this.safely(() => this.lose(attempt, 'stale', `stale: no data for ${staleTimeout} ms`)),
      staleTimeout,
    )
  }

  /**
   * The request with `Last-Event-ID` set to the last event ID, sent as UTF-8 bytes. An ID holding a
   * control character cannot be a header value (a server may send one: the spec refuses only U+0000
   * in `id:`); it stays the last event ID, shown with events and saved, but the request goes without
   * the header and `notice` says why, rather than throwing from inside a reconnect timer.
   */
  private withLastEventId(prepared: PreparedRequest): {
    request: PreparedRequest
    notice?: string
  } {
    const id = this.savedLastEventId
    if (id === '') return { request: prepared }
    const problem = headerValueProblem(id)
    if (problem !== undefined)
      return { request: prepared, notice: `Last-Event-ID not sent: the last event ID ${problem}` }
    const headers = new Map(prepared.headers)
    headers.set('last-event-id', ['Last-Event-ID', headerBytes(id)])
    return { request: { ...prepared, headers } }
  }

  /**
   * Runs `step` from a timer or socket callback. A throw there (an engine bug, or a handler that threw)
   * would otherwise end the process; instead the connection fails with the error as the reason.
   */
  private safely(step: () => void): void {
    try {
      step()
    } catch (error) {
      this.crash(error)
    }
  }

  private crash(error: unknown): void {
    const reason = `internal error: ${error instanceof Error ? error.message : String(error)}`
    try {
      this.endAttempt()
      this.setState({ state: 'failed', at: this.now(), code: 'internal', reason })
    } catch {
      // The state handler threw as well: the state is recorded (setState sets it first); nobody is
      // left to tell, and throwing on would end the process.
    }
  }

  private handleResponse(attempt: Attempt, response: StreamResponse): void {
    if (attempt !== this.attempt) {
      response.body.destroy()
      return
    }
    attempt.staleTimer?.refresh()
    const { status } = response
    const outcome = classifyResponse(status, response.headers)
    switch (outcome.kind) {
      case 'open':
        return this.open(attempt, response, outcome.contentType)
      case 'closed':
        this.endAttempt()
        return this.setState({
          state: 'closed',
          at: this.now(),
          code: 'no-content',
          reason: 'the server answered 204 No Content: it asked us to stop',
          status,
        })
      case 'wrong-type':
        return this.fail(attempt, 'content-type', outcome.reason, status)
      case 'retry':
      case 'fail':
        return readErrorBody(response, (body) =>
          this.safely(() => {
            const reason = httpStatusReason(status, response.statusText, body, response.headers)
            if (outcome.kind === 'fail') {
              return this.fail(
                attempt,
                isRedirectStatus(status) ? 'redirect' : 'http-status',
                reason,
                status,
              )
            }
            const retryAfter = parseRetryAfter(
              firstHeader(response.headers['retry-after']),
              this.now(),
            )
            this.lose(attempt, 'http-status', reason, status, retryAfter)
          }),
        )
    }
  }

  private open(attempt: Attempt, response: StreamResponse, contentType: string): void {
    const decoder = createEventStreamDecoder({
      lastEventId: this.savedLastEventId,
      maxEventBytes: this.settings.maxEventBytes,
      onEvent: (event, id, data) => this.dispatch(attempt, event, id, data),
      onRetry: (ms) => {
        this.retryBaseMs = clampServerRetry(ms, this.settings.maxReconnectDelay)
        this.minDelayMs = MIN_SERVER_RETRY_MS
      },
      onTooLarge: (message) => this.lose(attempt, 'too-large', message),
    })
    attempt.decoder = decoder
    attempt.stableTimer = setTimeout(() => {
      this.attemptNumber = 0
    }, this.stableConnectionMs)
    const { body } = response
    attempt.body = body
    body.on('data', (chunk: Buffer) => {
      if (attempt !== this.attempt) return
      // Inline rather than through `safely`: this runs for every chunk, and a closure per chunk costs.
      try {
        attempt.staleTimer?.refresh()
        this.bytes += chunk.length
        this.chunkTime = this.now()
        const before = this.seq
        decoder.push(chunk)
        if (this.seq !== before) this.rate.record(this.chunkTime, this.seq - before)
      } catch (error) {
        this.crash(error)
      }
    })
    // Attaching 'data' starts the flow on the next tick; pausing now means nothing is read.
    if (this.paused) body.pause()
    body.on('end', () => this.safely(() => this.lose(attempt, 'ended', 'the stream ended')))
    body.on('error', (error) =>
      this.safely(() => this.lose(attempt, 'network', error.message || 'connection reset')),
    )
    body.on('close', () =>
      this.safely(() => this.lose(attempt, 'network', 'the connection closed')),
    )
    this.connectedSince = this.now()
    this.setState({ state: 'open', at: this.connectedSince, status: response.status, contentType })
  }

  private dispatch(attempt: Attempt, event: string, id: string, data: string): void {
    // A handler may disconnect mid-chunk; the rest of that chunk must not leak out.
    if (attempt !== this.attempt) return
    this.attemptNumber = 0
    this.lastEventAt = this.chunkTime
    this.handlers.onEvent?.({ event, id, data, receivedAt: this.chunkTime, seq: ++this.seq })
  }

  /** A retryable outcome: reconnect by policy, or settle when the policy says no. */
  private lose(
    attempt: Attempt,
    code: ConnectionErrorCode,
    reason: string,
    status?: number,
    retryAfterMs?: number,
  ): void {
    if (attempt !== this.attempt) return
    this.endAttempt()
    const at = this.now()
    const withStatus = status === undefined ? {} : { status }
    if (!this.settings.autoReconnect) {
      this.setState({
        state: code === 'ended' ? 'closed' : 'failed',
        at,
        code,
        reason,
        ...withStatus,
      })
      return
    }
    const next = this.attemptNumber + 1
    const max = this.settings.maxReconnectAttempts
    if (max !== UNLIMITED && next > max) {
      const gaveUp =
        max === 0
          ? `${reason} (reconnecting is off: maxReconnectAttempts is 0)`
          : `${reason} (gave up after ${max} reconnect attempt${max === 1 ? '' : 's'})`
      this.setState({ state: 'failed', at, code, reason: gaveUp, ...withStatus })
      return
    }
    const backoff = backoffDelay(
      next,
      this.retryBaseMs,
      this.settings.maxReconnectDelay,
      this.random(),
      this.minDelayMs,
    )
    const delayMs = Math.max(backoff, retryAfterMs ?? 0)
    const { prepared } = this
    if (prepared === undefined) return
    this.reconnectTimer = setTimeout(
      () =>
        this.safely(() => {
          this.attemptNumber = next
          this.startAttempt(prepared)
        }),
      delayMs,
    )
    this.setState({
      state: 'reconnecting',
      at,
      attempt: next,
      maxAttempts: max,
      delayMs,
      code,
      reason,
      ...withStatus,
    })
  }

  /** A final outcome: no retry whatever the policy. */
  private fail(attempt: Attempt, code: ConnectionErrorCode, reason: string, status?: number): void {
    if (attempt !== this.attempt) return
    this.endAttempt()
    this.setState({
      state: 'failed',
      at: this.now(),
      code,
      reason,
      ...(status === undefined ? {} : { status }),
    })
  }

  /** Releases the attempt in flight and any pending reconnect, keeping its last event ID. */
  private endAttempt(): void {
    const attempt = this.attempt
    if (attempt !== undefined) {
      this.attempt = undefined
      if (attempt.decoder !== undefined) this.savedLastEventId = attempt.decoder.lastEventId
      clearTimeout(attempt.staleTimer)
      clearTimeout(attempt.stableTimer)
      attempt.request?.abort()
    }
    clearTimeout(this.reconnectTimer)
    this.reconnectTimer = undefined
    this.connectedSince = null
  }

  private setState(state: ConnectionState): void {
    this.current = state
    this.handlers.onState?.(state)
  }
}

/** Collects up to {@link ERROR_BODY_LIMIT} bytes of an error body, waiting at most a moment for them. */
function readErrorBody(response: StreamResponse, done: (body: Buffer) => void): void {
  const chunks: Buffer[] = []
  let length = 0
  let finished = false
  const finish = (): void => {
    if (finished) return
    finished = true
    clearTimeout(timer)
    response.body.destroy()
    done(Buffer.concat(chunks))
  }
  const timer = setTimeout(finish, ERROR_BODY_WAIT_MS)
  response.body.on('data', (chunk: Buffer) => {
    chunks.push(chunk)
    length += chunk.length
    if (length >= ERROR_BODY_LIMIT) finish()
  })
  response.body.on('end', finish)
  response.body.on('error', finish)
  response.body.on('close', finish)
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}
