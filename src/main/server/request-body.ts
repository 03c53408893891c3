import type { IncomingMessage } from 'node:http'

/** Largest body of most commands: a feed, a rule or a panel is a few KB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024

/** Commands whose body may be larger than {@link DEFAULT_BODY_LIMIT}, with their own limit. */
const LARGE_BODY_LIMITS: Readonly<Record<string, number>> = {
  // A profile of a few thousand feeds with their rules and panels.
  'profiles:import': 20 * 1024 * 1024,
}

/** The most bytes command `name`'s JSON body may have. */
export function bodyLimitFor(name: string): number {
  return Object.hasOwn(LARGE_BODY_LIMITS, name)
    ? (LARGE_BODY_LIMITS[name] ?? 0)
    : DEFAULT_BODY_LIMIT
}

/**
 * True when reading this request's body may take more than {@link DEFAULT_BODY_LIMIT} of memory:
 * it says so in `Content-Length`, or it does not say and its command allows more.
 */
export function isLargeBody(request: IncomingMessage, limit: number): boolean {
  const declared = declaredLength(request)
  return declared === undefined ? limit > DEFAULT_BODY_LIMIT : declared > DEFAULT_BODY_LIMIT
}

/** A body read whole, or why not. */
export type BodyRead =
  | { readonly ok: true; readonly body: Buffer }
  | { readonly ok: false; readonly reason: 'too-large' | 'aborted' }

/**
 * Reads a request body of at most `limit` bytes. A body that says it is larger is refused before a
 * byte is read; one that turns out larger is refused at the byte that crosses the limit, and the rest
 * is left unread for the caller to deal with. A declared length is allocated once, so a body is never
 * held twice.
 */
export function readBody(request: IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = declaredLength(request)
  if (declared !== undefined && declared > limit)
    return Promise.resolve({ ok: false, reason: 'too-large' })
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    const whole = declared === undefined ? undefined : Buffer.allocUnsafe(declared)
    let length = 0
    const finish = (result: BodyRead): void => {
      request.off('data', onData)
      request.off('end', onEnd)
      request.off('close', onClose)
      resolve(result)
    }
    const onData = (chunk: Buffer): void => {
      if (length + chunk.length > limit) {
        request.pause()
        finish({ ok: false, reason: 'too-large' })
        return
      }
      if (whole === undefined) chunks.push(chunk)
      else chunk.copy(whole, length)
      length += chunk.length
    }
    const onEnd = (): void =>
      finish({ ok: true, body: whole?.subarray(0, length) ?? Buffer.concat(chunks, length) })
    // Without 'end' first, the client went away mid-body.
    const onClose = (): void => finish({ ok: false, reason: 'aborted' })
    request.on('data', onData)
    request.on('end', onEnd)
    request.on('close', onClose)
  })
}

function declaredLength(request: IncomingMessage): number | undefined {
  const header = request.headers['content-length']
  return header === undefined ? undefined : Number(header)
}
