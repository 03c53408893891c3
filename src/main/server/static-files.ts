import { readFile } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import type { ServerResponse } from 'node:http'

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
}

/** The same policy as the desktop window's: the renderer shows untrusted event data. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/** Headers every page and asset gets. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
}

/** Paths of the single-page app that all load index.html. */
const APP_ROUTES = new Set(['/', '/wall', '/wall/', '/index.html'])

/** A profile's ops wall, `/wall/<profile>`: one segment, any characters but a slash. */
const WALL_PAGE = /^\/wall\/(?!favicon\.png$)[^/]+\/?$/

/**
 * The file a request path names, relative to the root. The page refers to its assets relatively
 * (`./assets/…`, so the desktop app can load it from a file), which a browser at `/wall/Ops`
 * resolves under `/wall/`: those map back to the root.
 */
function relativePath(pathname: string): string {
  if (APP_ROUTES.has(pathname) || WALL_PAGE.test(pathname)) return 'index.html'
  const path = pathname.startsWith('/wall/') ? pathname.slice('/wall'.length) : pathname
  return decodeURIComponent(path).replace(/^\/+/, '')
}

/**
 * Serves the built renderer from `root`. Only files inside `root` are reachable; app routes fall back
 * to index.html. Answers false when nothing matched, so the caller can send its 404.
 */
export async function serveStatic(
  root: string,
  pathname: string,
  response: ServerResponse,
): Promise<boolean> {
  let relative: string
  try {
    relative = relativePath(pathname)
  } catch {
    return false
  }
  const file = normalize(join(root, relative))
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) return false
  let body: Buffer
  try {
    body = await readFile(file)
  } catch {
    return false
  }
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    // Vite fingerprints assets, so they never change under the same name; the page itself may.
    'Cache-Control': relative.startsWith('assets/')
      ? 'public, max-age=31536000, immutable'
      : 'no-cache',
  })
  response.end(body)
  return true
}
