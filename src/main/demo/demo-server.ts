import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createDemoSimulation } from './demo-simulation'
import { createEventLog, type EventLog } from './event-log'

/** Options of {@link startDemoServer}; every one has a default. */
export interface DemoServerOptions {
  /** TCP port; 0 picks a free one. @defaultValue `0` */
  readonly port?: number
  /** Address to listen on. @defaultValue `"127.0.0.1"` (this machine only) */
  readonly host?: string
  /** Time between `metrics` events. @defaultValue `500` */
  readonly metricsIntervalMs?: number
  /** Time between `: heartbeat` comments on each stream; 0 sends none. @defaultValue `15000` */
  readonly heartbeatMs?: number
  /** Uniform numbers in [0, 1) that drive the simulation. @defaultValue `Math.random` */
  readonly random?: () => number
  /** Events kept for `Last-Event-ID` replay. @defaultValue `1000` */
  readonly replayLogSize?: number
  /** Streams served at once; more are answered 503 with `Retry-After`. @defaultValue `100` */
  readonly maxClients?: number
}

/** A running demo server. */
export interface DemoServer {
  /** The feed's URL, `http://HOST:PORT/events`. */
  readonly url: string
  /** The port it listens on (the one picked when asked for 0). */
  readonly port: number
  /** Ends every stream, stops the timers and the listener; resolves once all are gone. */
  close(): Promise<void>
}

/** Sent first on every stream: clients wait this long before reconnecting. */
const RETRY_MS = 2000
/**
 * Output a client may leave unread before its stream is cut. Node would otherwise buffer without
 * limit for a client that stopped reading; cut off, it reconnects and resumes from the replay log.
 */
const MAX_BUFFERED_BYTES = 1024 * 1024
/** How long close() lets ended streams flush before it destroys their sockets. */
const CLOSE_GRACE_MS = 1000
/** What a client told "503" is asked to wait, in seconds. */
const BUSY_RETRY_AFTER_S = 5
const MAX_TIMER_MS = 2 ** 31 - 1

const EVENTS_PATH = '/events'
const STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache',
} as const

/**
 * Starts a Server-Sent Events server that streams made-up monitoring data on `GET /events`, for
 * trying Feedwatch without a real feed: `metrics` every `metricsIntervalMs`, now and then `deploy`
 * and `incident` (see demo-simulation.ts for the data). Every event has an id, one more than the last;
 * a client that reconnects with `Last-Event-ID` is first sent the events it missed, from a log of the
 * newest `replayLogSize`.
 *
 * One simulation feeds every client, so all see the same events with the same ids. It runs from
 * start to close() whether or not anyone is connected: the data goes on as a real system's would,
 * and a client that was away is replayed what happened meanwhile.
 *
 * @throws RangeError for an option out of range; rejects when the address cannot be listened on.
 */
export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const {
    port = 0,
    host = '127.0.0.1',
    metricsIntervalMs = 500,
    heartbeatMs = 15_000,
    random = Math.random,
    replayLogSize = 1000,
    maxClients = 100,
  } = options
  checkWhole('port', port, 0, 65_535)
  checkWhole('metricsIntervalMs', metricsIntervalMs, 1, MAX_TIMER_MS)
  checkWhole('heartbeatMs', heartbeatMs, 0, MAX_TIMER_MS)
  checkWhole('maxClients', maxClients, 1, Number.MAX_SAFE_INTEGER)

  const log = createEventLog(replayLogSize)
  const clients = new Set<ServerResponse>()
  let closing: Promise<void> | undefined

  const send = (res: ServerResponse, text: string): void => {
    res.write(text)
    if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy()
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://demo.invalid').pathname
    if (path !== '/' && path !== EVENTS_PATH) return answer(res, 404, 'Not found\n')
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return answer(res, 405, 'Method not allowed: use GET\n', { Allow: 'GET, HEAD' })
    }
    if (path === '/') return answer(res, 200, aboutText(metricsIntervalMs))
    if (closing !== undefined) return answer(res, 503, 'Shutting down\n')
    if (clients.size >= maxClients) {
      return answer(res, 503, 'Too many streams; try again shortly\n', {
        'Retry-After': String(BUSY_RETRY_AFTER_S),
      })
    }
    res.writeHead(200, STREAM_HEADERS)
    if (req.method === 'HEAD') {
      res.end()
      return
    }
    startStream(req, log, (text) => send(res, text))
    // Replay and joining the broadcast happen in the same turn, so no event can fall in between.
    clients.add(res)
    res.on('close', () => clients.delete(res))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo

  const simulation = createDemoSimulation(random)
  const broadcast = (text: string): void => {
    for (const res of clients) send(res, text)
  }
  let lastTick = Date.now()
  const metricsTimer = setInterval(() => {
    const now = Date.now()
    // A timer that fired late (a busy or suspended machine) advances the simulation by the real time.
    const elapsed = Math.max(metricsIntervalMs, now - lastTick)
    lastTick = now
    for (const happening of simulation.step(elapsed)) {
      broadcast(log.append(happening.event, JSON.stringify(happening.data)).wire)
    }
  }, metricsIntervalMs)
  const heartbeatTimer =
    heartbeatMs > 0 ? setInterval(() => broadcast(': heartbeat\n\n'), heartbeatMs) : undefined

  const close = async (): Promise<void> => {
    clearInterval(metricsTimer)
    clearInterval(heartbeatTimer)
    const ended = [...clients].map(
      (res) =>
        new Promise<void>((resolve) => {
          res.once('close', resolve)
          res.end()
        }),
    )
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    let grace: NodeJS.Timeout | undefined
    await Promise.race([
      Promise.all(ended),
      new Promise<void>((resolve) => (grace = setTimeout(resolve, CLOSE_GRACE_MS))),
    ])
    clearTimeout(grace)
    // Idle keep-alive sockets, and streams of clients too slow to take their last bytes.
    server.closeAllConnections()
    await closed
  }

  return {
    url: `http://${urlHost(host)}:${address.port}${EVENTS_PATH}`,
    port: address.port,
    close: () => (closing ??= close()),
  }
}

/** Begins a stream: `retry:`, then the events that `Last-Event-ID` says the client missed. */
function startStream(req: IncomingMessage, log: EventLog, send: (text: string) => void): void {
  send(`retry: ${RETRY_MS}\n\n`)
  const header = req.headers['last-event-id']
  const lastEventId = typeof header === 'string' ? header.trim() : ''
  if (lastEventId === '') return
  const lastId = /^[0-9]{1,15}$/.test(lastEventId) ? Number(lastEventId) : undefined
  if (lastId === undefined) {
    send(': Last-Event-ID is not an id this server sent; sending new events only\n\n')
    return
  }
  const replay = log.since(lastId)
  switch (replay.kind) {
    case 'unknown':
      send(`: Last-Event-ID ${lastId} is ahead of this server (restarted?); new events only\n\n`)
      return
    case 'gap':
      send(`: ${replay.missing} events after ${lastId} are no longer kept; replaying the rest\n\n`)
      break
    case 'complete':
      break
  }
  if (replay.events.length > 0) send(replay.events.map((event) => event.wire).join(''))
}

function answer(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers })
  res.end(text)
}

function aboutText(metricsIntervalMs: number): string {
  return [
    'Feedwatch demo server',
    '',
    `GET ${EVENTS_PATH} streams made-up monitoring data as Server-Sent Events:`,
    `  metrics   every ${metricsIntervalMs} ms: {"cpu","mem","rps","latencyMs":{"p50","p99"}}`,
    '  deploy    now and then: {"service","version","by"}',
    '  incident  now and then: {"severity","title"}',
    'Reconnect with Last-Event-ID to be sent the events you missed.',
    '',
  ].join('\n')
}

/** A host as it goes in a URL: IPv6 literals in brackets. */
function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
}

function checkWhole(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got ${value}`)
  }
}
