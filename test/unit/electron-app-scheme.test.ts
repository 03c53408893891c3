import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, expect, test } from 'vitest'
import {
  APP_PAGE_URL,
  APP_SCHEME_PRIVILEGES,
  appResponse,
  rendererFolder,
  resolveAppRequest,
} from '../../src/main/electron/app-scheme'

/**
 * The feedwatch://app scheme's request handling, on a real folder: what is inside the renderer
 * folder is served with its type, and nothing outside it, however the path is written.
 */

let base = ''
let root = ''

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'feedwatch-scheme-'))
  root = join(base, 'out', 'renderer')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Feedwatch</title>')
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)')
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}')
  writeFileSync(join(root, 'assets', 'my file.png'), 'png')
  writeFileSync(join(base, 'secret.txt'), 'do not serve')
  mkdirSync(join(base, 'out', 'renderer-evil'))
  writeFileSync(join(base, 'out', 'renderer-evil', 'x.js'), 'evil')
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link-out.txt'))
  symlinkSync(join(base, 'out', 'renderer-evil'), join(root, 'linked-dir'))
  symlinkSync(join(root, 'index.html'), join(root, 'assets', 'link-in.html'))
})

afterAll(() => rmSync(base, { recursive: true, force: true }))

const url = (path: string) => `feedwatch://app${path}`

test('the page URL is index.html on the app host of our scheme', () => {
  expect(APP_PAGE_URL).toBe('feedwatch://app/index.html')
})

test('the scheme is standard and secure, and bypasses no CSP', () => {
  expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true })
  expect(APP_SCHEME_PRIVILEGES.privileges).not.toHaveProperty('bypassCSP')
})

test('the renderer folder is out/renderer beside out/main', () => {
  expect(rendererFolder(join('/opt', 'app.asar', 'out', 'main'))).toBe(
    join('/opt', 'app.asar', 'out', 'renderer'),
  )
})

test('a file in the folder is served with its content type', async () => {
  await expect(resolveAppRequest(url('/assets/index-abc.js'), root)).resolves.toMatchObject({
    kind: 'file',
    contentType: 'text/javascript; charset=utf-8',
  })
  await expect(resolveAppRequest(url('/assets/index-abc.css'), root)).resolves.toMatchObject({
    contentType: 'text/css; charset=utf-8',
  })
})

test('/ and the query and fragment lead to index.html', async () => {
  for (const path of ['/', '/index.html?x=1', '/index.html#/wall/Ops']) {
    const request = await resolveAppRequest(url(path), root)
    expect(request, path).toMatchObject({ kind: 'file', contentType: 'text/html; charset=utf-8' })
    if (request.kind === 'file') expect(request.path.endsWith('index.html')).toBe(true)
  }
})

test('a percent-encoded name is decoded', async () => {
  await expect(resolveAppRequest(url('/assets/my%20file.png'), root)).resolves.toMatchObject({
    kind: 'file',
    contentType: 'image/png',
  })
})

test('dot segments, plain or encoded, cannot climb out of the folder', async () => {
  for (const path of [
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%2F..%2Fsecret.txt',
    '/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/assets/%2E%2E/%2E%2E/%2E%2E/secret.txt',
  ]) {
    const request = await resolveAppRequest(url(path), root)
    expect(request.kind, path).toBe('refused')
    if (request.kind === 'file') expect(request.path).not.toContain('secret')
  }
})

test('an absolute path is taken inside the folder, never as a path on disk', async () => {
  const request = await resolveAppRequest(url(`/${join(base, 'secret.txt')}`), root)
  expect(request).toMatchObject({ kind: 'refused', status: 404 })
})

test('a sibling folder whose name starts like the folder is outside it', async () => {
  await expect(resolveAppRequest(url('/..%2Frenderer-evil/x.js'), root)).resolves.toMatchObject({
    kind: 'refused',
    status: 403,
  })
})

test('backslashes, drive letters and NUL are refused', async () => {
  for (const path of ['/..%5C..%5Csecret.txt', '/C:/Windows/win.ini', '/index.html%00.js'])
    await expect(resolveAppRequest(url(path), root), path).resolves.toMatchObject({
      kind: 'refused',
      status: 403,
    })
})

test('a symbolic link that points outside the folder is refused', async () => {
  await expect(resolveAppRequest(url('/assets/link-out.txt'), root)).resolves.toMatchObject({
    kind: 'refused',
    status: 403,
  })
  await expect(resolveAppRequest(url('/linked-dir/x.js'), root)).resolves.toMatchObject({
    kind: 'refused',
    status: 403,
  })
})

test('a symbolic link that stays inside the folder is served', async () => {
  await expect(resolveAppRequest(url('/assets/link-in.html'), root)).resolves.toMatchObject({
    kind: 'file',
  })
})

test('a missing file is 404', async () => {
  await expect(resolveAppRequest(url('/nope.js'), root)).resolves.toMatchObject({
    kind: 'refused',
    status: 404,
  })
})

test('another host, another scheme or a malformed escape is refused', async () => {
  for (const other of [
    'feedwatch://evil/index.html',
    'file:///etc/passwd',
    'https://app/index.html',
    url('/%E0%A4%A'),
    'not a url',
  ])
    await expect(resolveAppRequest(other, root), other).resolves.toMatchObject({ kind: 'refused' })
})

test('the answer carries the file, its type and nosniff; a refusal its status', async () => {
  const ok = await appResponse(url('/index.html'), root, (path) => readFile(path))
  expect(ok.status).toBe(200)
  expect(ok.headers.get('content-type')).toBe('text/html; charset=utf-8')
  expect(ok.headers.get('x-content-type-options')).toBe('nosniff')
  expect(await ok.text()).toContain('<title>Feedwatch</title>')
  const refused = await appResponse(url('/%2e%2e%2fsecret.txt'), root, (path) => readFile(path))
  expect(refused.status).toBe(403)
  expect(await refused.text()).not.toContain('do not serve')
})
