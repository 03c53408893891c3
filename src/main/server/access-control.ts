import { randomBytes, timingSafeEqual } from 'node:crypto'
import { hostname, networkInterfaces } from 'node:os'
import type { IncomingMessage } from 'node:http'

/** Name of the HttpOnly cookie a login link sets, so EventSource and page loads carry credentials. */
export const SESSION_COOKIE = 'feedwatch_session'

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return (
    host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host)
  )
}

/**
 * The `Host` header values a request may carry: the names this server is reachable by, with its port.
 * Anything else is a DNS-rebinding attempt (a hostile name resolving to our address) and is refused.
 */
export function allowedHostHeaders(boundHost: string, port: number): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]'])
  if (boundHost === '0.0.0.0' || boundHost === '::') {
    names.add(hostname().toLowerCase())
    for (const addresses of Object.values(networkInterfaces())) {
      for (const { address, family } of addresses ?? [])
        names.add(family === 'IPv6' ? `[${address}]` : address)
    }
  } else {
    names.add(
      boundHost.includes(':') && !boundHost.startsWith('[')
        ? `[${boundHost}]`
        : boundHost.toLowerCase(),
    )
  }
  return new Set([...names].map((name) => `${name}:${port}`))
}

/** Creates a random token for `--token` when none is given. */
export function generateToken(): string {
  return randomBytes(24).toString('base64url')
}

/** Compares secrets in constant time, so response timing does not leak how much of a guess was right. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Reads one cookie from a request. */
export function readCookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=')
    if (key === name) return value.join('=')
  }
  return undefined
}

/**
 * Where a login link may send the browser afterwards: a path on this server, or `/`. `next` is parsed
 * as a browser would, against the server's `origin`, so `/\evil.example/`, `/\t/evil.example` (the
 * parser drops tabs and reads `\` as `/`), `//evil.example` and absolute URLs cannot leave the site;
 * a path that only normalises to `//…` (`/.//evil.example`) is refused too, because a browser would
 * read that Location as another host.
 */
export function localRedirectTarget(next: string, origin: string): string {
  if (!next.startsWith('/')) return '/'
  let target: URL
  try {
    target = new URL(next, origin)
  } catch {
    return '/'
  }
  if (target.origin !== new URL(origin).origin || target.pathname.startsWith('//')) return '/'
  return `${target.pathname}${target.search}${target.hash}`
}

/**
 * Who may use the server: nobody needs credentials on a loopback-only server without a token; with a
 * token, a request needs `Authorization: Bearer <token>` or the session cookie a login link set.
 */
export class AccessControl {
  private readonly sessions = new Set<string>()

  constructor(private readonly token: string | undefined) {}

  /** True when the request may proceed. */
  isAuthorized(request: IncomingMessage): boolean {
    if (this.token === undefined) return true
    const authorization = request.headers.authorization ?? ''
    if (
      authorization.startsWith('Bearer ') &&
      sameSecret(authorization.slice(7).trim(), this.token)
    )
      return true
    const session = readCookie(request, SESSION_COOKIE)
    return session !== undefined && [...this.sessions].some((known) => sameSecret(session, known))
  }

  /** Trades a token from a login link for a new session id, or undefined when the token is wrong. */
  login(token: string): string | undefined {
    if (this.token === undefined || !sameSecret(token, this.token)) return undefined
    const session = randomBytes(24).toString('base64url')
    this.sessions.add(session)
    return session
  }
}
