import { EventEmitter } from 'node:events'
import { expect, test, vi } from 'vitest'
import {
  denyAllPermissions,
  hardenWebContents,
  isExternalLink,
} from '../../src/main/electron/web-contents-security'

test('http and https links may be opened in the browser', () => {
  expect(isExternalLink('https://status.example.com/incident/42')).toBe(true)
  expect(isExternalLink('http://grafana.internal:3000/d/abc')).toBe(true)
})

test('every other scheme is refused: files, shares, programs, scripts', () => {
  for (const url of [
    'file:///etc/passwd',
    'smb://server/share',
    'ms-msdt:/id PCWDiagnostic',
    'javascript:alert(1)',
    'data:text/html,<script>1</script>',
    'vscode://file/x',
    'not a url',
    '',
  ])
    expect(isExternalLink(url), url).toBe(false)
})

test('absurdly long URLs are refused', () => {
  expect(isExternalLink(`https://example.com/${'a'.repeat(3000)}`)).toBe(false)
})

type WebContents = Parameters<typeof hardenWebContents>[0]

/** Enough of a WebContents for hardenWebContents: events and a window-open handler. */
function fakeContents() {
  const emitter = new EventEmitter()
  let openHandler: ((details: { url: string }) => { action: string }) | undefined
  const contents = Object.assign(emitter, {
    setWindowOpenHandler: (handler: typeof openHandler) => {
      openHandler = handler
    },
  })
  const openWindow = (url: string) => openHandler?.({ url })
  const navigate = (event: string, details: Record<string, unknown>) => {
    const preventDefault = vi.fn()
    emitter.emit(event, { preventDefault, ...details })
    return preventDefault
  }
  return { contents: contents as unknown as WebContents, openWindow, navigate }
}

const OWN = 'file:///app/out/renderer/index.html'
const isOwnPage = (url: string) => url.startsWith(OWN)

test('window.open is always denied; an http(s) URL opens in the browser instead', () => {
  const { contents, openWindow } = fakeContents()
  const openExternal = vi.fn()
  hardenWebContents(contents, openExternal, isOwnPage)
  expect(openWindow('https://example.com/')).toEqual({ action: 'deny' })
  expect(openWindow('file:///etc/passwd')).toEqual({ action: 'deny' })
  expect(openExternal.mock.calls).toEqual([['https://example.com/']])
})

test('navigating the window away is prevented; an http(s) link opens in the browser', () => {
  const { contents, navigate } = fakeContents()
  const openExternal = vi.fn()
  hardenWebContents(contents, openExternal, isOwnPage)
  const prevented = navigate('will-navigate', {
    url: 'https://evil.example/',
    isSameDocument: false,
  })
  expect(prevented).toHaveBeenCalled()
  expect(openExternal).toHaveBeenCalledWith('https://evil.example/')
})

test('navigating to a local file is prevented and nothing is opened', () => {
  const { contents, navigate } = fakeContents()
  const openExternal = vi.fn()
  hardenWebContents(contents, openExternal, isOwnPage)
  expect(
    navigate('will-navigate', { url: 'file:///tmp/x.html', isSameDocument: false }),
  ).toHaveBeenCalled()
  expect(openExternal).not.toHaveBeenCalled()
})

test('in-page navigation and reloading our own page are allowed', () => {
  const { contents, navigate } = fakeContents()
  hardenWebContents(contents, vi.fn(), isOwnPage)
  expect(
    navigate('will-navigate', { url: `${OWN}#/wall`, isSameDocument: true }),
  ).not.toHaveBeenCalled()
  expect(navigate('will-navigate', { url: OWN, isSameDocument: false })).not.toHaveBeenCalled()
})

test('subframes may not navigate; webviews may not attach', () => {
  const { contents, navigate } = fakeContents()
  hardenWebContents(contents, vi.fn(), isOwnPage)
  expect(
    navigate('will-frame-navigate', { url: OWN, isMainFrame: false, isSameDocument: false }),
  ).toHaveBeenCalled()
  expect(navigate('will-attach-webview', {})).toHaveBeenCalled()
})

test('every permission request and check is denied except a clipboard write', () => {
  let requestHandler:
    ((c: unknown, p: string, callback: (granted: boolean) => void) => void) | undefined
  let checkHandler: ((c: unknown, p: string) => boolean) | undefined
  const session = {
    setPermissionRequestHandler: (handler: typeof requestHandler) => (requestHandler = handler),
    setPermissionCheckHandler: (handler: typeof checkHandler) => (checkHandler = handler),
  }
  denyAllPermissions(session as unknown as Parameters<typeof denyAllPermissions>[0])
  const callback = vi.fn()
  for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read'])
    requestHandler?.(undefined, permission, callback)
  expect(callback.mock.calls).toEqual([[false], [false], [false], [false]])
  expect(checkHandler?.(undefined, 'media')).toBe(false)
  // "Copy" in the event log needs to write text to the clipboard, and nothing else.
  requestHandler?.(undefined, 'clipboard-sanitized-write', callback)
  expect(callback).toHaveBeenLastCalledWith(true)
  expect(checkHandler?.(undefined, 'clipboard-sanitized-write')).toBe(true)
})
