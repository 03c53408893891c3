import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'

const root = resolve(__dirname, '../..')
/** The build to test: `out` as `npm run build` makes it, or another folder given `--outDir`. */
const buildDir = resolve(root, process.env['FEEDWATCH_OUT_DIR'] ?? 'out')
/** Screenshots of each main view are kept here as test artifacts. */
export const SCREENSHOT_DIR = join(root, 'test-results', 'screenshots')

/** A `feedwatch serve` process with its own data folder. */
export interface ServedApp {
  /** `http://127.0.0.1:PORT` */
  readonly url: string
  readonly dataDir: string
  /** Sends the process a signal (`SIGSTOP` freezes it: a server that no longer answers). */
  signal(signal: NodeJS.Signals): void
  stop(): Promise<void>
}

/**
 * Starts the built `feedwatch serve` on a free port with a fresh data folder (so the Demo profile is
 * created) and resolves once it printed its URL.
 */
export async function startServedApp(extraArgs: readonly string[] = []): Promise<ServedApp> {
  const cli = join(buildDir, 'main', 'cli.js')
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`)
  const dataDir = await mkdtemp(join(tmpdir(), 'feedwatch-ui-'))
  const child = spawn(
    process.execPath,
    [
      // The build's own CLI, not bin/feedwatch.js (which always loads `out/`): the renderer it serves
      // is the one next to it, so a build made with --outDir is the one tested.
      cli,
      'serve',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      ...extraArgs,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const url = await new Promise<string>((resolveUrl, reject) => {
    let stdout = ''
    const timer = setTimeout(
      () => reject(new Error(`feedwatch serve did not start:\n${stderr}`)),
      15_000,
    )
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const line = stdout.split('\n')[0]
      if (stdout.includes('\n') && line !== undefined) {
        clearTimeout(timer)
        resolveUrl(line.replace(/\/$/, ''))
      }
    })
    child.on('exit', (code) => reject(new Error(`feedwatch serve exited with ${code}:\n${stderr}`)))
  })
  return {
    url,
    dataDir,
    signal: (signal) => void child.kill(signal),
    stop: () => stopChild(child).then(() => rm(dataDir, { recursive: true, force: true })),
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

/**
 * Where Chromium or Chrome usually lives on each system, in the order a user would expect them to
 * be picked: Chromium first (what CI images and Linux distributions ship), then Google Chrome, and
 * on Windows Microsoft Edge, which every Windows has and which is Chromium too.
 */
export function systemBrowserCandidates(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  home: string,
): string[] {
  if (platform === 'darwin') {
    const apps = ['/Applications', join(home, 'Applications')]
    return apps.flatMap((folder) => [
      join(folder, 'Chromium.app/Contents/MacOS/Chromium'),
      join(folder, 'Google Chrome.app/Contents/MacOS/Google Chrome'),
    ])
  }
  if (platform === 'win32') {
    const roots = [env['LOCALAPPDATA'], env['PROGRAMFILES'], env['PROGRAMFILES(X86)']].filter(
      (root): root is string => root !== undefined && root !== '',
    )
    return [
      ...roots.map((root) => `${root}\\Chromium\\Application\\chrome.exe`),
      ...roots.map((root) => `${root}\\Google\\Chrome\\Application\\chrome.exe`),
      ...roots.map((root) => `${root}\\Microsoft\\Edge\\Application\\msedge.exe`),
    ]
  }
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/snap/bin/chromium',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/opt/google/chrome/chrome',
  ]
}

/** What {@link findChromium} may look at and do (real implementations by default). */
export interface BrowserDiscovery {
  readonly env: NodeJS.ProcessEnv
  readonly platform: NodeJS.Platform
  readonly home: string
  readonly exists: (path: string) => boolean
  /** Where Playwright keeps its own Chromium (`chromium.executablePath()`), installed or not. */
  readonly playwrightChromium: () => string | undefined
  /** Runs `playwright install chromium`; true when it succeeded. */
  readonly installPlaywrightChromium: () => boolean
}

/** The sentence a run without any usable browser ends with. */
export const NO_BROWSER =
  'No Chromium or Chrome was found and Playwright could not download its own: install Chromium or Google Chrome, run `npx playwright install chromium`, or set FEEDWATCH_CHROMIUM to a Chromium executable.'

/**
 * The browser the UI tests drive: `FEEDWATCH_CHROMIUM` when set, else the system's Chromium or
 * Chrome in its usual place, else Playwright's own Chromium, downloaded now when missing (when the
 * network allows). Returns the executable, or the one sentence that says what to install.
 */
export function findChromium(discovery: BrowserDiscovery): { path: string } | { problem: string } {
  const chosen = discovery.env['FEEDWATCH_CHROMIUM']
  if (chosen !== undefined && chosen !== '') {
    return discovery.exists(chosen)
      ? { path: chosen }
      : { problem: `FEEDWATCH_CHROMIUM is ${chosen}, which does not exist.` }
  }
  const system = systemBrowserCandidates(discovery.platform, discovery.env, discovery.home).find(
    discovery.exists,
  )
  if (system !== undefined) return { path: system }
  const playwright = discovery.playwrightChromium()
  if (playwright !== undefined && discovery.exists(playwright)) return { path: playwright }
  if (discovery.installPlaywrightChromium()) {
    const installed = discovery.playwrightChromium()
    if (installed !== undefined && discovery.exists(installed)) return { path: installed }
  }
  return { problem: NO_BROWSER }
}

/** How long `playwright install chromium` may take (a slow network) before the tests give up. */
const INSTALL_TIMEOUT_MS = 5 * 60_000

const realDiscovery: BrowserDiscovery = {
  env: process.env,
  platform: process.platform,
  home: homedir(),
  exists: existsSync,
  playwrightChromium: () => {
    try {
      return chromium.executablePath()
    } catch {
      return undefined
    }
  },
  installPlaywrightChromium: () => {
    const cli = join(root, 'node_modules/playwright-core/cli.js')
    console.error("No Chromium or Chrome found; downloading Playwright's Chromium…")
    const result = spawnSync(process.execPath, [cli, 'install', 'chromium'], {
      stdio: ['ignore', 'inherit', 'inherit'],
      timeout: INSTALL_TIMEOUT_MS,
    })
    return result.status === 0
  },
}

let found: { path: string } | { problem: string } | undefined

/** The browser for this run, looked for once. */
export function chromiumPath(): string {
  found ??= findChromium(realDiscovery)
  if ('problem' in found) throw new Error(found.problem)
  return found.path
}

/** Launches Chromium (see {@link findChromium}) headless with the flags a closed network needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** Saves a full-page screenshot named after the view, for people to look at after a run. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true })
}

/** Fails a page test on any error the page throws or logs, so a broken view cannot pass quietly. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  return errors
}
