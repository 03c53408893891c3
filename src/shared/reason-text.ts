import type { ConnectionErrorCode, ConnectionState } from './connection'

/** Why a feed is not live, for people: a plain sentence, and the engine's own words beside it. */
export interface ReasonText {
  /** `Connection refused by 127.0.0.1:36203 — is the server running?` */
  readonly sentence: string
  /** What the engine reported, as it reported it (`connect ECONNREFUSED 127.0.0.1:36203`). */
  readonly detail: string
}

/** The parts of a state that say why it is not open. */
export interface ReasonSource {
  readonly code: ConnectionErrorCode
  readonly reason: string
  readonly status?: number | undefined
}

/** Reasons the engine appends when it stops trying; split off so the sentence can say it in words. */
const GAVE_UP = / \(gave up after (\d+) reconnect attempts?\)$/
const RECONNECT_OFF = / \(reconnecting is off: maxReconnectAttempts is 0\)$/

/** The standard phrase of common HTTP statuses, for when the server sent none. */
const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  410: 'Gone',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

/** `45 s`, `2 min`, `1.5 s` for a number of milliseconds. */
function seconds(ms: number): string {
  if (ms >= 120_000 && ms % 60_000 === 0) return `${ms / 60_000} min`
  return `${Number((ms / 1000).toFixed(1))} s`
}

/** `host:port` out of a Node socket error (`connect ECONNREFUSED 127.0.0.1:36203`). */
function address(message: string): string | undefined {
  return /\b(?:E[A-Z]+)\s+(\S+:\d+)/.exec(message)?.[1]
}

/** The sentence for a network failure, by the Node error code inside the message. */
function networkSentence(reason: string): string {
  const where = address(reason)
  const at = where === undefined ? '' : ` ${where}`
  if (reason.includes('ECONNREFUSED') || /connection refused/i.test(reason))
    return `Connection refused by${at || ' the server'} — is the server running?`
  const dns = /^DNS lookup failed for (\S+) \((\w+)\)/.exec(reason)
  if (dns !== null) {
    return dns[2] === 'EAI_AGAIN'
      ? `The name ${dns[1]} could not be looked up just now — is the network up?`
      : `No server is known by the name ${dns[1]} — check the URL.`
  }
  if (reason.includes('ETIMEDOUT') || /timed? ?out/i.test(reason))
    return `The server${at} did not answer in time.`
  if (reason.includes('EHOSTUNREACH') || reason.includes('ENETUNREACH'))
    return `The network cannot reach${at || ' the server'} — check the connection or VPN.`
  if (
    reason === 'aborted' ||
    reason.includes('ECONNRESET') ||
    /socket hang up|connection reset/i.test(reason)
  )
    return 'The server or a proxy cut the connection off in the middle of the stream.'
  if (reason === 'the connection closed')
    return 'The connection was closed by the server or the network.'
  return 'The connection to the server failed.'
}

/** The sentence for an HTTP status the feed does not stream from. */
function statusSentence(status: number | undefined, reason: string): string {
  const head = /^(?:HTTP )?(\d{3})(?: ([^:]*))?/.exec(reason)
  const code = status ?? (head === null ? undefined : Number(head[1]))
  if (code === undefined) return 'The server refused the request.'
  const text = head?.[2]?.trim() || STATUS_TEXT[code] || ''
  const answered = `The server answered ${code}${text === '' ? '' : ` ${text}`}`
  if (code === 401 || code === 403) return `${answered} — check the feed's credentials or headers.`
  if (code === 404 || code === 410) return `${answered} — check the URL.`
  if (code === 429) return `${answered}: it asks for fewer requests.`
  if (code >= 500) return `${answered}: the server has a problem of its own.`
  return `${answered}.`
}

/** The sentence for a TLS failure, by the OpenSSL or Node code at the end of the message. */
function tlsSentence(reason: string): string {
  const code = /\(([A-Z_]+)\)$/.exec(reason)?.[1] ?? ''
  if (code === 'CERT_HAS_EXPIRED')
    return "The server's certificate has expired: the secure connection was refused."
  if (code.includes('SELF_SIGNED'))
    return "The server's certificate is self-signed: add its certificate authority to the feed."
  if (code.includes('ALTNAME') || code === 'HOSTNAME_MISMATCH')
    return "The server's certificate is for another name than the one in the URL."
  if (code.startsWith('UNABLE_TO_'))
    return "The server's certificate is not trusted: add its certificate authority to the feed."
  return 'The secure (TLS) connection to the server failed.'
}

/** The plain sentence for an outcome, before any "gave up" ending. */
function sentenceFor(source: ReasonSource, reason: string): string {
  switch (source.code) {
    case 'network':
      return networkSentence(reason)
    case 'http-status':
      return statusSentence(source.status, reason)
    case 'content-type': {
      if (reason.startsWith('unsupported Content-Encoding'))
        return 'The server compressed the stream in a way Feedwatch cannot read.'
      const got = /got (.+)$/.exec(reason)?.[1]
      return got === undefined || got === 'no Content-Type'
        ? 'The server answered, but not with an event stream (it sent no Content-Type).'
        : `The server answered, but not with an event stream (it sent ${got}).`
    }
    case 'no-content':
      return 'The server answered 204 No Content: it asked Feedwatch to stop.'
    case 'ended':
      return 'The server ended the stream.'
    case 'stale': {
      const ms = /no data for (\d+) ms/.exec(reason)?.[1]
      return ms === undefined ? 'No data for too long.' : `No data for ${seconds(Number(ms))}.`
    }
    case 'too-large': {
      const limit = /larger than (\d+) characters/.exec(reason)?.[1]
      return limit === undefined
        ? 'An event was larger than the feed allows.'
        : `An event was larger than the feed's limit of ${new Intl.NumberFormat('en').format(Number(limit))} characters.`
    }
    case 'tls':
      return tlsSentence(reason)
    case 'redirect':
      return 'The server redirected to an address Feedwatch cannot follow.'
    case 'invalid-request':
      return "The feed's settings do not make a usable request — edit the feed."
    case 'disconnected':
      return 'Disconnected by hand.'
    case 'internal':
      return 'Feedwatch hit an unexpected error on this feed — reconnect it to try again.'
  }
}

/**
 * A plain sentence for why a connection is not open, for every outcome the engine reports, with the
 * engine's own reason kept as the detail (shown one click away). A "gave up after N attempts"
 * ending becomes its own sentence.
 */
export function describeReason(source: ReasonSource): ReasonText {
  let reason = source.reason
  let ending = ''
  const gaveUp = GAVE_UP.exec(reason)
  if (gaveUp !== null) {
    reason = reason.slice(0, gaveUp.index)
    const count = Number(gaveUp[1])
    ending = ` Gave up after ${count} attempt${count === 1 ? '' : 's'} to reconnect.`
  } else if (RECONNECT_OFF.test(reason)) {
    reason = reason.replace(RECONNECT_OFF, '')
    ending = ' Reconnecting is off for this feed.'
  }
  return { sentence: `${sentenceFor(source, reason)}${ending}`, detail: source.reason }
}

/** The reason of a state that is not open, in words; undefined for idle, connecting and open. */
export function describeStateReason(state: ConnectionState): ReasonText | undefined {
  if (state.state !== 'reconnecting' && state.state !== 'closed' && state.state !== 'failed')
    return undefined
  return describeReason(state)
}
