import { realpath } from 'node:fs/promises'
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path'

/**
 * The renderer's own scheme, `feedwatch://app/…`, served from the built `out/renderer` folder with
 * `protocol.handle`, as VS Code serves its workbench from `vscode-file://`. Unlike `file://`, the
 * page gets a real origin of its own (so `'self'` in the Content-Security-Policy means our files and
 * nothing else on disk), and every request passes through {@link resolveAppRequest}, which refuses
 * whatever lies outside that folder.
 */

/** The scheme's name. */
export const APP_SCHEME = 'feedwatch'
/** The one host the scheme serves. */
export const APP_HOST = 'app'
/** Where the window loads the renderer. */
export const APP_PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`

/**
 * The scheme's privileges for `protocol.registerSchemesAsPrivileged` (before the app is ready):
 * standard and secure like https (an origin, a secure context), fetch, CORS for module scripts and
 * the code cache. Nothing that bypasses the CSP.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: {
    standard: true,
    secure: true,
    supportFetchAPI: true,
    corsEnabled: true,
    codeCache: true,
  },
} as const

/** What a request resolves to: a file inside the renderer folder, or a refusal with its status. */
export type AppRequest =
  | { readonly kind: 'file'; readonly path: string; readonly contentType: string }
  | { readonly kind: 'refused'; readonly status: 400 | 403 | 404; readonly reason: string }

/** Content types of what the build writes; anything else is served as bytes. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
}

/** The file system calls the resolver makes (a fake in tests). */
export interface AppFileSystem {
  /** `fs.promises.realpath`: rejects when the path does not exist. */
  realpath(path: string): Promise<string>
}

const nodeFileSystem: AppFileSystem = { realpath }

/**
 * Maps a `feedwatch://app/…` URL to a file in `root` (the renderer folder). Refused: another scheme
 * or host (400), a path that cannot be decoded or holds a NUL, a backslash or a drive letter, one
 * that resolves outside `root`, or a file whose real path (symbolic links followed) lies outside it
 * (403), and a file that does not exist (404). `/` is `index.html`; query and fragment are ignored.
 */
export async function resolveAppRequest(
  url: string,
  root: string,
  fileSystem: AppFileSystem = nodeFileSystem,
): Promise<AppRequest> {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return refused(400, 'not a URL')
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST)
    return refused(400, 'not a feedwatch://app URL')
  let path: string
  try {
    path = decodeURIComponent(parsed.pathname)
  } catch {
    return refused(403, 'the path cannot be decoded')
  }
  // Separators and roots of other systems: a `\` or `C:` must never reach path.join on Windows.
  if (/[\0\\:]/.test(path)) return refused(403, 'the path has a forbidden character')
  if (path === '' || path.endsWith('/')) path += 'index.html'
  const target = resolve(root, `.${path.startsWith('/') ? path : `/${path}`}`)
  if (!isInside(root, target)) return refused(403, 'the path leaves the renderer folder')
  let realTarget: string
  let realRoot: string
  try {
    ;[realTarget, realRoot] = await Promise.all([
      fileSystem.realpath(target),
      fileSystem.realpath(root),
    ])
  } catch {
    return refused(404, 'no such file')
  }
  if (!isInside(realRoot, realTarget)) return refused(403, 'the file links outside the folder')
  return {
    kind: 'file',
    path: realTarget,
    contentType: CONTENT_TYPES[extname(realTarget).toLowerCase()] ?? 'application/octet-stream',
  }
}

/** True when `path` is `folder` itself or lies below it. */
function isInside(folder: string, path: string): boolean {
  const rest = relative(folder, path)
  return rest === '' || (!rest.startsWith(`..${sep}`) && rest !== '..' && !isAbsolute(rest))
}

function refused(status: 400 | 403 | 404, reason: string): AppRequest {
  return { kind: 'refused', status, reason }
}

/**
 * Headers of every answer: the type we chose (never sniffed), and no framing of our page by
 * anything. The page's Content-Security-Policy stays the `<meta>` tag of `index.html`.
 */
export function appResponseHeaders(request: AppRequest): Record<string, string> {
  return {
    'Content-Type': request.kind === 'file' ? request.contentType : 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  }
}

/**
 * The answer to one request of the scheme: the file's bytes, or the refusal's status with its reason
 * as text. `readFile` is `fs.promises.readFile`.
 */
export async function appResponse(
  url: string,
  root: string,
  readFile: (path: string) => Promise<Uint8Array>,
  fileSystem: AppFileSystem = nodeFileSystem,
): Promise<Response> {
  const request = await resolveAppRequest(url, root, fileSystem)
  const headers = appResponseHeaders(request)
  if (request.kind === 'refused')
    return new Response(request.reason, { status: request.status, headers })
  try {
    return new Response(await readFile(request.path), { status: 200, headers })
  } catch {
    return new Response('no such file', {
      status: 404,
      headers: appResponseHeaders(refused(404, '')),
    })
  }
}

/** The renderer folder beside the main entry script's folder (`out/main` → `out/renderer`). */
export function rendererFolder(mainDir: string): string {
  return join(mainDir, '..', 'renderer')
}
