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
   * The URL we load: `file://…/renderer/index.html` in a build, the electron-vite dev server's URL
   * (`ELECTRON_RENDERER_URL`) in development.
   */
  readonly rendererUrl: string
  /**
   * Compare `file:` paths without regard to case (Windows file systems).
   * @defaultValue `false`
   */
  readonly caseInsensitivePaths?: boolean
}

/** True when the message comes from the main frame of one of our windows, showing our page. */
export function isTrustedSender(sender: IpcSender, trusted: TrustedRenderer): boolean {
  const { frame } = sender
  return (
    trusted.webContentsIds.has(sender.webContentsId) &&
    frame !== null &&
    frame.isMainFrame &&
    isRendererUrl(frame.url, trusted.rendererUrl, trusted.caseInsensitivePaths ?? false)
  )
}

/**
 * True when `url` shows our renderer: for a `file:` renderer the same file (query and fragment aside,
 * so `#/wall` is fine); for a dev server the same origin (its scheme, host and port). Any other
 * scheme is refused.
 */
export function isRendererUrl(
  url: string,
  rendererUrl: string,
  caseInsensitivePaths = false,
): boolean {
  const actual = parseUrl(url)
  const expected = parseUrl(rendererUrl)
  if (actual === undefined || expected === undefined) return false
  if (expected.protocol === 'file:') {
    if (actual.protocol !== 'file:' || actual.host !== expected.host) return false
    const path = (u: URL): string | undefined => {
      const decoded = decodePath(u.pathname)
      return caseInsensitivePaths ? decoded?.toLowerCase() : decoded
    }
    const actualPath = path(actual)
    return actualPath !== undefined && actualPath === path(expected)
  }
  if (expected.protocol === 'http:' || expected.protocol === 'https:')
    return actual.origin === expected.origin
  return false
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text)
  } catch {
    return undefined
  }
}

/** Chromium and Node may percent-encode a path differently (`%7E` or `~`); compare it decoded. */
function decodePath(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname)
  } catch {
    return undefined
  }
}
