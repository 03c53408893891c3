import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'

/** Debian's Chromium: Playwright's own browser download cannot work on this network. */
export const CHROMIUM = process.env['FEEDWATCH_CHROMIUM'] ?? '/usr/bin/chromium'

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

/** Launches Debian's Chromium headless with the flags this closed network needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
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
