import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core'
import { afterEach, expect, test } from 'vitest'
import type { FeedwatchApi } from '../../src/preload/index'

/**
 * The built desktop app, launched for real with Playwright: it starts with the Demo profile live,
 * closing its window keeps it running (an alert still notifies), the wall goes full screen and back,
 * and it quits promptly. Needs the Electron binary, a display and `npm run build`; where one is
 * missing every test here is skipped, saying why.
 */

const ROOT = join(__dirname, '../..')
const MAIN_SCRIPT = join(ROOT, 'out/main/index.js')
const LAUNCH_TIMEOUT_MS = 60_000
/** Quitting is bounded by QUIT_TIMEOUT_MS (4 s) in the app; allow process teardown on top. */
const QUIT_BUDGET_MS = 8_000

/**
 * The Electron executable, found as the `electron` package finds it (its path.txt) but without
 * loading that package, which would try to download a missing binary; or why the tests cannot run.
 */
function findElectron(): { path: string } | { skip: string } {
  const missing =
    'Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD); run npm install without it to run this test'
  let packageDir: string
  try {
    packageDir = dirname(require.resolve('electron/package.json'))
  } catch {
    return { skip: missing }
  }
  const pathFile = join(packageDir, 'path.txt')
  if (!existsSync(pathFile)) return { skip: missing }
  const path = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim())
  if (!existsSync(path)) return { skip: missing }
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY'])
    return { skip: 'no display to open a window on; run under xvfb-run (or with DISPLAY set)' }
  return { path }
}

const found = findElectron()
const launched: { app: ElectronApplication; userData: string }[] = []

type TestContext = { skip: (note?: string) => never }

/** Launches the built app with a data folder of its own; resolves with its first window. */
async function launch(context: TestContext): Promise<{ app: ElectronApplication; page: Page }> {
  if ('skip' in found) context.skip(found.skip)
  if (!existsSync(MAIN_SCRIPT))
    throw new Error(`${MAIN_SCRIPT} is missing; run npm run build first`)
  // Its own data folder: the real profiles stay untouched and a running Feedwatch (which holds the
  // single-instance lock of the default folder) does not make this one quit.
  const userData = mkdtempSync(join(tmpdir(), 'feedwatch-e2e-'))
  const env = { ...process.env } as Record<string, string>
  delete env['ELECTRON_RENDERER_URL']
  delete env['ELECTRON_RUN_AS_NODE']
  const app = await electron.launch({
    executablePath: found.path,
    args: [MAIN_SCRIPT, `--user-data-dir=${userData}`],
    cwd: ROOT,
    env,
    timeout: LAUNCH_TIMEOUT_MS,
  })
  launched.push({ app, userData })
  const page = await app.firstWindow({ timeout: LAUNCH_TIMEOUT_MS })
  await page.waitForLoadState('domcontentloaded')
  return { app, page }
}

afterEach(async () => {
  for (const { app, userData } of launched.splice(0)) {
    await app.close().catch(() => undefined)
    rmSync(userData, { recursive: true, force: true })
  }
}, LAUNCH_TIMEOUT_MS)

/** The preload's API inside the page. */
function bridge(page: Page) {
  return {
    running: () =>
      page.evaluate(() =>
        (globalThis as unknown as { feedwatch: FeedwatchApi }).feedwatch.profilesRunning(),
      ),
  }
}

/** Whether the main window is full screen, asked of the main process. */
function mainWindowFullScreen(app: ElectronApplication): Promise<boolean> {
  return app.evaluate(
    ({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.isFullScreen() ?? false,
  )
}

test(
  'the app starts from our scheme with the Demo profile live',
  async (context) => {
    const { page } = await launch(context)
    expect(page.url()).toMatch(/^feedwatch:\/\/app\//)
    expect(await page.title()).toContain('Feedwatch')
    await expect
      .poll(
        async () => {
          const result = await bridge(page).running()
          return result.ok ? result.value.map(({ profile, health }) => `${profile} ${health}`) : []
        },
        { timeout: 30_000 },
      )
      .toEqual(['Demo ok'])
    const globals = await page.evaluate(() => {
      const scope = globalThis as Record<string, unknown>
      return { require: typeof scope['require'], process: typeof scope['process'] }
    })
    expect(globals).toEqual({ require: 'undefined', process: 'undefined' })
  },
  LAUNCH_TIMEOUT_MS,
)

test(
  'closing the window keeps the app running, and an alert still shows a notification',
  async (context) => {
    const { app, page } = await launch(context)
    // Count the notifications main shows, from inside the main process.
    await app.evaluate(({ Notification }) => {
      const shown: string[] = []
      ;(globalThis as Record<string, unknown>)['feedwatchShown'] = shown
      const show = Notification.prototype.show
      Notification.prototype.show = function (this: Electron.Notification) {
        shown.push(this.title)
        show.call(this)
      }
    })
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close())
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1)
    expect(
      await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.isVisible()),
    ).toBe(false)
    // A rule that fires on the next demo event, saved while the window is hidden.
    const saved = await page.evaluate(() =>
      (globalThis as unknown as { feedwatch: FeedwatchApi }).feedwatch.rulesSave({
        id: 'e2e-always',
        kind: 'condition',
        name: 'E2E always firing',
        severity: 'critical',
        source: { feedId: 'demo', event: 'metrics', path: 'cpu' },
        operator: '>',
        value: -1,
      }),
    )
    expect(saved.ok).toBe(true)
    await expect
      .poll(
        () =>
          app.evaluate(
            () => (globalThis as unknown as { feedwatchShown: string[] }).feedwatchShown,
          ),
        { timeout: 30_000 },
      )
      .toEqual(
        expect.arrayContaining([
          'Feedwatch is still running',
          expect.stringMatching(/E2E always firing/),
        ]),
      )
  },
  LAUNCH_TIMEOUT_MS,
)

test(
  'the wall takes the window full screen and Esc brings it back',
  async (context) => {
    const { app, page } = await launch(context)
    await page.getByRole('link', { name: 'Wall' }).waitFor()
    await page.keyboard.press('w')
    await expect.poll(() => mainWindowFullScreen(app), { timeout: 10_000 }).toBe(true)
    expect(page.url()).toMatch(/#\/wall/)
    await page.keyboard.press('Escape')
    await expect.poll(() => mainWindowFullScreen(app), { timeout: 10_000 }).toBe(false)
    await expect.poll(() => page.url()).not.toMatch(/#\/wall/)
  },
  LAUNCH_TIMEOUT_MS,
)

test(
  'quitting ends the app within a few seconds',
  async (context) => {
    const { app } = await launch(context)
    const exited = new Promise<void>((resolve) => app.process().once('exit', () => resolve()))
    const started = Date.now()
    await app.evaluate(({ app: electronApp }) => electronApp.quit())
    await exited
    expect(Date.now() - started).toBeLessThan(QUIT_BUDGET_MS)
  },
  LAUNCH_TIMEOUT_MS,
)
