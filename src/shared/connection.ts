/**
 * The contract of one SSE connection: what it is asked to do, the states it reports and its stats.
 * Every side uses these types: the engine produces them, the CLI prints them, the renderer shows them.
 */

/** Says "no cap" wherever a count of attempts is expected; chosen over `Infinity` because it survives JSON. */
export const UNLIMITED = 'unlimited'

/** A cap on reconnect attempts, or {@link UNLIMITED}. */
export type AttemptLimit = number | typeof UNLIMITED

/** What to request. Only http: and https: URLs are accepted. */
export interface FeedRequest {
  /** Absolute http(s) URL of the event stream. */
  readonly url: string
  /**
   * HTTP method.
   * @defaultValue `"GET"`
   */
  readonly method?: string
  /** Extra request headers; they override the defaults (`Accept`, `Cache-Control`) of the same name. */
  readonly headers?: Readonly<Record<string, string>>
  /** Request body, sent with any method but GET and HEAD (LLM-style POST streams). */
  readonly body?: string
}

/** When and how fast to reconnect. Defaults come from the product spec. */
export interface ReconnectPolicy {
  /**
   * Reconnect after a retryable failure or when the stream ends.
   * @defaultValue `true`
   */
  readonly autoReconnect: boolean
  /**
   * Base delay in ms before the first reconnect; a server's `retry:` field replaces it.
   * @defaultValue `1000`
   */
  readonly reconnectDelay: number
  /**
   * Reconnect attempts in a row before giving up with `failed`, or `"unlimited"`.
   * @defaultValue `5`
   */
  readonly maxReconnectAttempts: AttemptLimit
  /**
   * Cap on the backoff delay before jitter, in ms.
   * @defaultValue `30000`
   */
  readonly maxReconnectDelay: number
}

/** TLS settings for https: feeds. */
export interface TlsOptions {
  /** PEM text of extra certificate authorities, trusted in addition to the system's. */
  readonly ca?: string
  /**
   * Accept any certificate. Visible to the user as "insecure"; never the default.
   * @defaultValue `false`
   */
  readonly insecure?: boolean
}

/** Everything one connection needs. */
export interface ConnectionOptions extends FeedRequest, Partial<ReconnectPolicy>, TlsOptions {
  /**
   * Abort and reconnect when no bytes at all (comments count) arrive for this many ms; 0 disables.
   * @defaultValue `45000`
   */
  readonly staleTimeout?: number
  /**
   * Largest line or event, in UTF-16 code units of decoded text, before the connection is dropped.
   * @defaultValue `8 * 1024 * 1024`
   */
  readonly maxEventBytes?: number
  /** Last event ID to resume from on the first request (sent as `Last-Event-ID`). */
  readonly lastEventId?: string
}

/** Why a connection is not (or no longer) open; lets a UI react without parsing `reason`. */
export type ConnectionErrorCode =
  | 'http-status' // the server answered with a status we do not stream from
  | 'content-type' // 200 but not text/event-stream
  | 'no-content' // 204: the server asked us to stop
  | 'network' // refused, reset, DNS failure, timeout while connecting
  | 'ended' // the body ended
  | 'stale' // nothing received for staleTimeout
  | 'too-large' // a line or event exceeded maxEventBytes
  | 'tls' // certificate or handshake error
  | 'redirect' // too many redirects or a redirect without a usable Location
  | 'invalid-request' // the options themselves are unusable (bad URL, bad header)
  | 'disconnected' // disconnect() was called
  | 'internal' // an unexpected error inside the engine or one of its handlers; `reason` says what

/** Fields every state carries. */
interface StateBase {
  /** When the state was entered, epoch ms. */
  readonly at: number
}

/** A connection's state; every transition is emitted. */
export type ConnectionState =
  | (StateBase & { readonly state: 'idle' })
  | (StateBase & {
      readonly state: 'connecting'
      readonly attempt: number
      /**
       * Set when the request goes without `Last-Event-ID` although a last event ID is in effect:
       * says why (an ID holding a control character cannot be sent as a header).
       */
      readonly notice?: string
    })
  | (StateBase & { readonly state: 'open'; readonly status: number; readonly contentType: string })
  | (StateBase & {
      readonly state: 'reconnecting'
      /** 1-based number of the attempt that will be made when `delayMs` has passed. */
      readonly attempt: number
      readonly maxAttempts: AttemptLimit
      readonly delayMs: number
      readonly code: ConnectionErrorCode
      readonly reason: string
      readonly status?: number
    })
  | (StateBase & {
      readonly state: 'closed'
      readonly code: ConnectionErrorCode
      readonly reason: string
      readonly status?: number
    })
  | (StateBase & {
      readonly state: 'failed'
      readonly code: ConnectionErrorCode
      readonly reason: string
      readonly status?: number
    })

/** Names of the states, for exhaustive switches and badges. */
export type ConnectionStateName = ConnectionState['state']

/** Running totals of one connection, across reconnects. */
export interface ConnectionStats {
  /** Events dispatched. */
  readonly events: number
  /** Body bytes received after decompression. */
  readonly bytes: number
  /** Reconnect attempts started. */
  readonly reconnects: number
  /** Epoch ms of the last event, or null. */
  readonly lastEventAt: number | null
  /** Epoch ms since when the current connection is open, or null when not open. */
  readonly connectedSince: number | null
  /** Events per second averaged over the last 10 s. */
  readonly eventsPerSecond: number
}
