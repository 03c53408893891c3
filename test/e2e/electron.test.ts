import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { FeedwatchApi } from '../../src/preload/index'

/**
 * The built desktop app, launched for real with Playwright: the window opens, the preload bridge is
 * there and Node is not, and a command makes the round trip through IPC to the service. Needs the
 * Electron binary and `npm run build`; without the binary every test here is skipped, saying why.
 */

const ROOT = join(__dirname, '../..')
const MAIN_SCRIPT = join(ROOT, 'out/main/index.js')
const LAUNCH_TIMEOUT_MS = 60_000

/** The Electron executable, or why the tests cannot run. */
function findElectron(): { path: string } | { skip: string } {
  const missing =
    'Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD); run npm install without it to run this test'
  let path: unknown
  try {
    path = createRequire(import.meta.url)('electron')
  } catch {
    return { skip: missing }
  }
  if (typeof path !== 'string' || !existsSync(path)) return { skip: missing }
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY'])
    return { skip: 'no display to open a window on; run under xvfb-run (or with DISPLAY set)' }
  return { path }
}

const found = findElectron()
let app: ElectronApplication | undefined
let page: Page | undefined
let userData: string | undefined

beforeAll(async () => {
  if ('skip' in found) return
  if (!existsSync(MAIN_SCRIPT))
    throw new Error(`${MAIN_SCRIPT} is missing; run npm run build first`)
  // A data folder of its own: the real profiles stay untouched and a running Feedwatch (which holds
  // the single-instance lock of the default folder) does not make this one quit.
  userData = mkdtempSync(join(tmpdir(), 'feedwatch-e2e-'))
  const env = { ...process.env } as Record<string, string>
  delete env['ELECTRON_RENDERER_URL']
  delete env['ELECTRON_RUN_AS_NODE']
  app = await electron.launch({
    executablePath: found.path,
    args: [MAIN_SCRIPT, `--user-data-dir=${userData}`],
    cwd: ROOT,
    env,
    timeout: LAUNCH_TIMEOUT_MS,
  })
  page = await app.firstWindow({ timeout: LAUNCH_TIMEOUT_MS })
  await page.waitForLoadState('domcontentloaded')
}, LAUNCH_TIMEOUT_MS * 2)

afterAll(async () => {
  await app?.close()
  if (userData !== undefined) rmSync(userData, { recursive: true, force: true })
}, LAUNCH_TIMEOUT_MS)

/** The page, or a skip with the reason when Electron cannot run here. */
function windowPage(context: { skip: (note?: string) => never }): Page {
  if ('skip' in found) context.skip(found.skip)
  if (page === undefined) throw new Error('the app did not open a window')
  return page
}

test('the app opens one window titled Feedwatch', async (context) => {
  const window = windowPage(context)
  expect(await window.title()).toBe('Feedwatch')
  expect(app?.windows()).toHaveLength(1)
})

test('the page has window.feedwatch, and neither require nor process', async (context) => {
  const window = windowPage(context)
  const globals = await window.evaluate(() => {
    const scope = globalThis as Record<string, unknown>
    return {
      feedwatch: typeof scope['feedwatch'],
      require: typeof scope['require'],
      process: typeof scope['process'],
      module: typeof scope['module'],
    }
  })
  expect(globals).toEqual({
    feedwatch: 'object',
    require: 'undefined',
    process: 'undefined',
    module: 'undefined',
  })
})

test('the bridge exposes no generic IPC', async (context) => {
  const window = windowPage(context)
  const keys = await window.evaluate(() =>
    Object.keys((globalThis as unknown as { feedwatch: FeedwatchApi }).feedwatch),
  )
  expect(keys).toContain('profilesActive')
  expect(keys).not.toContain('invoke')
  expect(keys).not.toContain('ipcRenderer')
})

test('profiles:active makes the round trip and answers ok', async (context) => {
  const window = windowPage(context)
  const result = await window.evaluate(() =>
    (globalThis as unknown as { feedwatch: FeedwatchApi }).feedwatch.profilesActive(),
  )
  expect(result.ok).toBe(true)
  if (result.ok) expect(typeof result.value.profile.name).toBe('string')
})

test('an invalid request comes back as a value, not a thrown error', async (context) => {
  const window = windowPage(context)
  const result = await window.evaluate(() =>
    (globalThis as unknown as { feedwatch: FeedwatchApi }).feedwatch.feedsRemove({
      id: 42 as unknown as string,
    }),
  )
  expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
})
