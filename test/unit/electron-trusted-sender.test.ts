import { expect, test } from 'vitest'
import {
  isRendererUrl,
  isTrustedSender,
  type IpcSender,
  type TrustedRenderer,
} from '../../src/main/electron/trusted-sender'

const PAGE = 'file:///opt/Feedwatch/resources/app.asar/out/renderer/index.html'
const trusted: TrustedRenderer = { webContentsIds: new Set([3]), rendererUrl: PAGE }

function sender(overrides: Partial<IpcSender> = {}): IpcSender {
  return { webContentsId: 3, frame: { url: PAGE, isMainFrame: true }, ...overrides }
}

test('the main frame of our window showing our page is trusted', () => {
  expect(isTrustedSender(sender(), trusted)).toBe(true)
})

test('our page on the wall route is trusted: the fragment does not matter', () => {
  expect(
    isTrustedSender(sender({ frame: { url: `${PAGE}#/wall`, isMainFrame: true } }), trusted),
  ).toBe(true)
})

test('a web contents we did not create is refused', () => {
  expect(isTrustedSender(sender({ webContentsId: 4 }), trusted)).toBe(false)
})

test('a subframe of our window is refused, even showing our page', () => {
  expect(isTrustedSender(sender({ frame: { url: PAGE, isMainFrame: false } }), trusted)).toBe(false)
})

test('our window showing another origin is refused', () => {
  expect(
    isTrustedSender(
      sender({ frame: { url: 'https://evil.example/', isMainFrame: true } }),
      trusted,
    ),
  ).toBe(false)
})

test('another local file is refused', () => {
  const other = 'file:///home/someone/Downloads/index.html'
  expect(isTrustedSender(sender({ frame: { url: other, isMainFrame: true } }), trusted)).toBe(false)
})

test('a sender whose frame is gone (navigated or destroyed) is refused', () => {
  expect(isTrustedSender(sender({ frame: null }), trusted)).toBe(false)
})

test('with no windows of ours, nothing is trusted', () => {
  expect(isTrustedSender(sender(), { ...trusted, webContentsIds: new Set() })).toBe(false)
})

test('the dev server is matched by origin: same scheme, host and port', () => {
  const dev = 'http://localhost:5173'
  expect(isRendererUrl('http://localhost:5173/#/wall', dev)).toBe(true)
  expect(isRendererUrl('http://localhost:5174/', dev)).toBe(false)
  expect(isRendererUrl('https://localhost:5173/', dev)).toBe(false)
  expect(isRendererUrl('http://127.0.0.1:5173/', dev)).toBe(false)
})

test('a file: page is matched by path, however it is percent-encoded', () => {
  const page = 'file:///Users/me/My%20Apps/Feedwatch/index.html'
  expect(isRendererUrl('file:///Users/me/My%20Apps/Feedwatch/index.html?x=1', page)).toBe(true)
  expect(isRendererUrl('file:///Users/me/My Apps/Feedwatch/index.html', page)).toBe(true)
  expect(isRendererUrl('file:///Users/me/My%20Apps/Feedwatch/other.html', page)).toBe(false)
})

test('file: paths differ by case unless told the file system ignores case', () => {
  const page = 'file:///C:/Program%20Files/Feedwatch/index.html'
  const lower = 'file:///c:/program%20files/feedwatch/index.html'
  expect(isRendererUrl(lower, page)).toBe(false)
  expect(isRendererUrl(lower, page, true)).toBe(true)
})

test('a file: page is never matched by an http page, nor the other way round', () => {
  expect(isRendererUrl('http://localhost/index.html', PAGE)).toBe(false)
  expect(isRendererUrl(PAGE, 'http://localhost:5173')).toBe(false)
})

test('unparsable URLs and other schemes are refused', () => {
  expect(isRendererUrl('not a url', PAGE)).toBe(false)
  expect(isRendererUrl('about:blank', PAGE)).toBe(false)
  expect(isRendererUrl('devtools://devtools/bundled/index.html', 'devtools://devtools')).toBe(false)
})
