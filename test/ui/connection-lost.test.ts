import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { collectPageErrors, launchChromium, saveScreenshot, startServedApp } from './harness'

/*
 * "Connection to Feedwatch lost" in Chromium: `feedwatch serve` is stopped while a page and a wall
 * are open, then started again on the same port and data folder; or it is frozen (SIGSTOP: its
 * connections stay open, it just no longer answers). Pages say so within 3 s, show no "live"
 * badge while it is away, and come back by themselves, without a reload.
 */

const LOST = 'Connection to Feedwatch lost — reconnecting…'

let browser: Browser
let dataDir: string

beforeAll(async () => {
  browser = await launchChromium()
  dataDir = await mkdtemp(join(tmpdir(), 'feedwatch-ui-lost-'))
})

afterAll(async () => {
  await browser?.close()
  await rm(dataDir, { recursive: true, force: true })
})

const stops: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop()
})

/** `feedwatch serve` on `port` (0: any) with the test's data folder. */
async function serve(
  port = 0,
): Promise<{ url: string; port: number; stop(): Promise<void>; signal(s: NodeJS.Signals): void }> {
  const app = await startServedApp(['--data-dir', dataDir, '--port', String(port)])
  stops.push(async () => {
    app.signal('SIGCONT')
    await app.stop()
  })
  return {
    url: app.url,
    port: Number(new URL(app.url).port),
    stop: () => app.stop(),
    signal: (signal) => app.signal(signal),
  }
}

/** Marks the page, so a reload (which loses the mark) is noticed. */
async function mark(page: Page): Promise<void> {
  await page.evaluate(() => Object.assign(globalThis, { feedwatchTestMark: true }))
}

async function stillMarked(page: Page): Promise<boolean> {
  return page.evaluate(() => 'feedwatchTestMark' in globalThis)
}

test('a stopped server is reported within 3 s on a page and a wall, with no live badge, and both recover without a reload', async () => {
  const first = await serve()
  const main = await browser.newPage({ viewport: { width: 1200, height: 800 } })
  const wall = await browser.newPage({ viewport: { width: 1200, height: 800 } })
  const errors = [...collectPageErrors(main), ...collectPageErrors(wall)]
  await main.goto(`${first.url}/#/feeds`)
  await wall.goto(`${first.url}/wall`)
  const live = main.getByTestId('state-badge').filter({ hasText: /^\s*●?\s*live\s*$/ })
  await expect.poll(() => live.count(), { timeout: 10_000 }).toBeGreaterThan(0)
  await wall
    .getByRole('article', { name: 'CPU now' })
    .getByText(/Updated/)
    .waitFor()
  await mark(main)
  await mark(wall)

  const stoppedAt = Date.now()
  await first.stop()
  for (const page of [main, wall]) {
    await page.getByRole('alert').filter({ hasText: LOST }).waitFor({ timeout: 3000 })
  }
  expect(Date.now() - stoppedAt).toBeLessThan(3000)
  await expect(main.getByRole('alert').filter({ hasText: LOST }).textContent()).resolves.toMatch(
    /values below are from \d{2}:\d{2}/,
  )
  expect(await live.count()).toBe(0)
  await main.getByTestId('state-badge').filter({ hasText: 'last known: live' }).first().waitFor()
  await saveScreenshot(wall, 'wall-connection-lost')
  // It stays while the server is away.
  await wall.waitForTimeout(2000)
  expect(await wall.getByRole('alert').filter({ hasText: LOST }).count()).toBe(1)

  await serve(first.port)
  for (const page of [main, wall]) {
    await page.getByRole('alert').filter({ hasText: LOST }).waitFor({
      state: 'detached',
      timeout: 10_000,
    })
  }
  await expect.poll(() => live.count(), { timeout: 10_000 }).toBeGreaterThan(0)
  expect(await stillMarked(main)).toBe(true)
  expect(await stillMarked(wall)).toBe(true)
  // The browser's own reports of the refused reconnects are expected; nothing else.
  expect(
    errors.filter((error) => !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(error)),
  ).toEqual([])
  await main.close()
  await wall.close()
})

test('a server that stops answering, its connections still open, is reported within 3 s by its heartbeat', async () => {
  const app = await serve()
  const wall = await browser.newPage({ viewport: { width: 1200, height: 800 } })
  const errors = collectPageErrors(wall)
  await wall.goto(`${app.url}/wall`)
  await wall
    .getByRole('article', { name: 'CPU now' })
    .getByText(/Updated/)
    .waitFor()
  await mark(wall)

  const frozenAt = Date.now()
  app.signal('SIGSTOP')
  await wall.getByRole('alert').filter({ hasText: LOST }).waitFor({ timeout: 3000 })
  expect(Date.now() - frozenAt).toBeLessThan(3000)

  app.signal('SIGCONT')
  await wall.getByRole('alert').filter({ hasText: LOST }).waitFor({ state: 'detached' })
  expect(await stillMarked(wall)).toBe(true)
  expect(errors).toEqual([])
  await wall.close()
})
