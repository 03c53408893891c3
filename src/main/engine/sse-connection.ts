import type { FeedEvent } from '../../shared/feed-event'
import type { ConnectionOptions, ConnectionState, ConnectionStats } from '../../shared/connection'

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
}

/**
 * One SSE feed: connects, parses, reconnects by policy, and reports events, states and stats.
 * Throws {@link InvalidConnectionOptionsError} from the constructor when the options are unusable.
 */
export class SseConnection {
  constructor(options: ConnectionOptions, handlers: ConnectionHandlers, deps?: ConnectionDeps) {
    void options
    void handlers
    void deps
    throw new Error('not implemented')
  }

  /** Starts (or resumes, from the last event ID) the connection; a no-op while already running. */
  connect(): void {}

  /** Stops at once in any state: no more events, timers, sockets or reconnects. */
  disconnect(): void {}

  /** The current state. */
  get state(): ConnectionState {
    throw new Error('not implemented')
  }

  /** The last event ID in effect ("" when none). */
  get lastEventId(): string {
    return ''
  }

  /** A snapshot of the running totals. */
  stats(): ConnectionStats {
    throw new Error('not implemented')
  }
}

/** The options cannot be used: a bad URL, method, header or number. `message` says which and why. */
export class InvalidConnectionOptionsError extends Error {
  override readonly name = 'InvalidConnectionOptionsError'
}
