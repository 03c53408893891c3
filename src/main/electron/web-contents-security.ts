import type { Session, WebContents } from 'electron'

/**
 * What a page inside Feedwatch may not do. The renderer shows untrusted event data, so whatever a
 * feed manages to put on screen must not navigate the window, open new ones, or ask for the camera.
 * Links to http(s) pages open in the user's browser instead; nothing else is opened at all.
 */

/** Longest URL handed to the operating system's browser. */
const MAX_EXTERNAL_URL_LENGTH = 2048

/**
 * True for a URL we hand to `shell.openExternal`: http or https only, so a `file:`, `smb:` or custom
 * scheme link in a feed's data cannot start a program on this computer.
 */
export function isExternalLink(url: string): boolean {
  if (url.length > MAX_EXTERNAL_URL_LENGTH) return false
  try {
    const { protocol } = new URL(url)
    return protocol === 'http:' || protocol === 'https:'
  } catch {
    return false
  }
}

/**
 * Locks down one web contents (the app applies it to every one that is created): `window.open` and
 * `target=_blank` links are denied, navigation away from the page is prevented, and in both cases an
 * http(s) URL is opened externally instead. In-page navigation (`#/wall`) and reloading our own page
 * (`isOwnPage`, e.g. the dev server's full reload) are unaffected.
 */
export function hardenWebContents(
  contents: WebContents,
  openExternal: (url: string) => void,
  isOwnPage: (url: string) => boolean,
): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) openExternal(url)
    return { action: 'deny' }
  })
  contents.on('will-navigate', (event) => {
    if (event.isSameDocument || isOwnPage(event.url)) return
    event.preventDefault()
    if (isExternalLink(event.url)) openExternal(event.url)
  })
  // Subframes: the CSP allows none, and if one appears anyway it may not navigate either.
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame && !event.isSameDocument) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

/** The one permission the UI needs: writing text to the clipboard ("Copy" in the event log). */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write'])

/** Denies every permission request and check (camera, geolocation, notifications, …) of a session but a clipboard write. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(ALLOWED_PERMISSIONS.has(permission)),
  )
  session.setPermissionCheckHandler((_contents, permission) => ALLOWED_PERMISSIONS.has(permission))
}
