import { APP_SCHEME } from './app-scheme'

/**
 * Who may call the main process. Every IPC message says which web contents and which frame sent it;
 * a command is accepted only from the main frame of a window we created, showing our own page. A
 * subframe, a page that got navigated elsewhere, or any other web contents (a devtools extension, a
 * window someone else opened) is refused, whatever it sends.
 */

/** The frame an IPC message came from, as Electron reports it. */
export interface SenderFrame {
  /** The frame's current URL. */
  readonly url: string
  /** True for the top-level frame of its web contents (Electron: `frame.parent === null`). */
  readonly isMainFrame: boolean
}

/** Where an IPC message came from. */
export interface IpcSender {
  /** `event.sender.id`. */
  readonly webContentsId: number
  /** `event.senderFrame`; null when the frame has since navigated or been destroyed. */
  readonly frame: SenderFrame | null
}

/** What we trust: the web contents of the windows we created and the page we loaded into them. */
export interface TrustedRenderer {
  /** `webContents.id` of every window we created that is still open. */
  readonly webContentsIds: ReadonlySet<number>
  /**
   * The URL we load: `feedwatch://app/index.html` in a build (`app-scheme.ts`), the electron-vite dev
   * server's URL (`ELECTRON_RENDERER_URL`) in development.
   */
  readonly rendererUrl: string
}

/** True when the message comes from the main frame of one of our windows, showing our page. */
export function isTrustedSender(sender: IpcSender, trusted: TrustedRenderer): boolean {
  const { frame } = sender
  return (
    trusted.webContentsIds.has(sender.webContentsId) &&
    frame !== null &&
    frame.isMainFrame &&
    isRendererUrl(frame.url, trusted.rendererUrl)
  )
}

/**
 * True when `url` shows our renderer: the same origin as `rendererUrl`, that is the same scheme,
 * host and port (`feedwatch://app` serves nothing but the renderer folder, so any path on it is
 * ours; `#/wall` and other routes included). Only our own scheme and the http(s) dev server are
 * ever ours: `file:`, `data:`, `about:`, `devtools:` and the rest are refused.
 */
export function isRendererUrl(url: string, rendererUrl: string): boolean {
  const actual = parseUrl(url)
  const expected = parseUrl(rendererUrl)
  if (actual === undefined || expected === undefined) return false
  if (!OWN_SCHEMES.has(expected.protocol)) return false
  // Node's URL gives non-special schemes an opaque origin ("null"), so compare the parts.
  return (
    actual.protocol === expected.protocol &&
    actual.host === expected.host &&
    actual.username === '' &&
    actual.password === ''
  )
}

/** Schemes our page can be loaded from: our own, and the dev server's. */
const OWN_SCHEMES: ReadonlySet<string> = new Set([`${APP_SCHEME}:`, 'http:', 'https:'])

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text)
  } catch {
    return undefined
  }
}
