import { request, type ClientRequest, type IncomingMessage } from 'node:http'
import { createParser } from 'eventsource-parser'

/** One message of `GET /api/stream` as a client received it. */
export interface ReceivedPush {
  /** The SSE `id:` (`<run>.<n>`), or undefined for a message that carried none. */
  readonly id: string | undefined
  readonly event: string
  readonly payload: unknown
  /** `performance.now()` when it was parsed. */
  readonly at: number
}

/** A real client of the push stream, reading over node:http, that can stop reading at will. */
export interface PushStreamClient {
  /** Every message so far, in order. */
  readonly received: readonly ReceivedPush[]
  /** The id of the last message that carried one: what a browser would send as `Last-Event-ID`. */
  readonly lastEventId: string | undefined
  /** Stops reading the socket: TCP pushes back to the server, as with a frozen tab. */
  stop(): void
  /** Reads again. */
  resume(): void
  /** Resolves when `probe` holds for the messages received, or rejects after `timeoutMs`. */
  until(probe: (received: readonly ReceivedPush[]) => boolean, timeoutMs?: number): Promise<void>
  close(): void
}

/** Opens `url` (the stream) with an optional `Last-Event-ID` and parses what arrives. */
export function openPushStream(
  url: string,
  options: {
    lastEventId?: string
    onPush?: (push: ReceivedPush) => void
    /** Keep every message in `received` (a long soak run counts them in `onPush` instead). */
    keep?: boolean
  } = {},
): Promise<PushStreamClient> {
  const received: ReceivedPush[] = []
  let lastEventId: string | undefined = options.lastEventId
  const waiters = new Set<() => void>()
  const parser = createParser({
    onEvent: ({ id, event, data }) => {
      const push: ReceivedPush = {
        id,
        event: event ?? 'message',
        payload: JSON.parse(data) as unknown,
        at: performance.now(),
      }
      if (id !== undefined) lastEventId = id
      if (options.keep !== false) received.push(push)
      options.onPush?.(push)
      for (const waiter of waiters) waiter()
    },
  })
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> =
      options.lastEventId === undefined ? {} : { 'Last-Event-ID': options.lastEventId }
    const req: ClientRequest = request(url, { headers }, (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        reject(new Error(`the stream answered ${res.statusCode}`))
        return
      }
      res.setEncoding('utf8')
      res.on('data', (text: string) => parser.feed(text))
      resolve({
        received,
        get lastEventId() {
          return lastEventId
        },
        stop: () => res.pause(),
        resume: () => res.resume(),
        until: (probe, timeoutMs = 15_000) =>
          new Promise<void>((done, fail) => {
            if (probe(received)) return done()
            const timer = setTimeout(() => {
              waiters.delete(check)
              fail(new Error(`the stream did not get there in ${timeoutMs} ms`))
            }, timeoutMs)
            const check = (): void => {
              if (!probe(received)) return
              clearTimeout(timer)
              waiters.delete(check)
              done()
            }
            waiters.add(check)
          }),
        close: () => req.destroy(),
      })
    })
    req.on('error', reject)
    req.end()
  })
}
