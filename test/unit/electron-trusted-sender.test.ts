import { expect, test } from 'vitest'
import {
  isRendererUrl,
  isTrustedSender,
  type IpcSender,
  type TrustedRenderer,
} from '../../src/main/electron/trusted-sender'

const PAGE = 'feedwatch://app/index.html'
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

test('a local file is refused, even the renderer file itself', () => {
  for (const url of [
    'file:///home/someone/Downloads/index.html',
    'file:///opt/Feedwatch/resources/app.asar/out/renderer/index.html',
  ])
    expect(isTrustedSender(sender({ frame: { url, isMainFrame: true } }), trusted), url).toBe(false)
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

test('any page of our scheme is ours: the scheme serves nothing but the renderer', () => {
  expect(isRendererUrl('feedwatch://app/index.html#/wall/Ops', PAGE)).toBe(true)
  expect(isRendererUrl('feedwatch://app/', PAGE)).toBe(true)
})

test('another host of our scheme, or a look-alike scheme, is refused', () => {
  expect(isRendererUrl('feedwatch://other/index.html', PAGE)).toBe(false)
  expect(isRendererUrl('feedwatch://user@app/index.html', PAGE)).toBe(false)
  expect(isRendererUrl('feedwatch-app://app/index.html', PAGE)).toBe(false)
  expect(isRendererUrl('https://app/index.html', PAGE)).toBe(false)
})

test('our page is never matched by an http page, nor the dev server by our scheme', () => {
  expect(isRendererUrl('http://localhost/index.html', PAGE)).toBe(false)
  expect(isRendererUrl(PAGE, 'http://localhost:5173')).toBe(false)
})

test('unparsable URLs and other schemes are refused', () => {
  expect(isRendererUrl('not a url', PAGE)).toBe(false)
  expect(isRendererUrl('about:blank', PAGE)).toBe(false)
  expect(isRendererUrl('devtools://devtools/bundled/index.html', 'devtools://devtools')).toBe(false)
  expect(isRendererUrl('file:///x/index.html', 'file:///x/index.html')).toBe(false)
})
