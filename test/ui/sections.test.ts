import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import {
  collectPageErrors,
  launchChromium,
  saveScreenshot,
  startServedApp,
  type ServedApp,
} from './harness'

/*
 * The app's sections in Chromium against `feedwatch serve` and its Demo profile: the dashboard as the
 * first screen, addresses for every section and feed tab, the back button, the `?` overlay, values
 * in their units, reasons in words, and where focus goes when a dialog closes. One app and one
 * browser for the file; every test has its own page.
 */

let app: ServedApp
let browser: Browser
let page: Page
let errors: string[]
/** An address on 127.0.0.1 where nothing listens: connecting there is refused. */
let refusedUrl: string

async function command(name: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${app.url}/api/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  const result = (await response.json()) as { ok: boolean; value?: unknown; error?: unknown }
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`)
  return result.value
}

/** A port that was free a moment ago: a server listened there and closed. */
async function closedPort(): Promise<number> {
  const server: Server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

beforeAll(async () => {
  app = await startServedApp()
  browser = await launchChromium()
  refusedUrl = `http://127.0.0.1:${await closedPort()}/events`
})

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
  page.setDefaultTimeout(10_000)
  errors = collectPageErrors(page)
})

afterEach(async () => {
  expect(errors).toEqual([])
  await page.close()
})

const sections = (): Locator => page.getByRole('navigation', { name: 'Sections' })

/** Whether the element has the keyboard focus (runs in the page). */
function isFocused(element: { ownerDocument: { activeElement: unknown } }): boolean {
  return element === element.ownerDocument.activeElement
}

/** The tag names of the headings inside `root`, in document order (runs in the page). */
function headingLevels(root: { querySelectorAll(selector: string): ArrayLike<unknown> }): number[] {
  return Array.from(root.querySelectorAll('h1, h2, h3, h4, h5, h6'), (heading) =>
    Number((heading as { tagName: string }).tagName.slice(1)),
  )
}

test('the first screen is the dashboard: every feed with its state above the tiles and charts', async () => {
  await page.goto(app.url)
  await page.getByRole('heading', { name: /^Dashboard/ }).waitFor()
  expect(
    await sections().getByRole('link', { name: 'Dashboard' }).getAttribute('aria-current'),
  ).toBe('page')
  const health = page.getByRole('region', { name: /^Feeds/ })
  await health.getByRole('link', { name: 'Demo feed' }).waitFor()
  await health.getByTestId('state-badge').filter({ hasText: 'live' }).waitFor()
  await page.getByRole('article', { name: 'CPU now', exact: true }).waitFor()
  await page.getByRole('article', { name: 'Latency', exact: true }).waitFor()
  await expect.poll(() => page.title()).toMatch(/^(\(\d+\) )?Dashboard · Feedwatch$/)
  await saveScreenshot(page, 'section-dashboard')
})

test('every section and feed tab has an address, and the back button walks them back', async () => {
  await page.goto(`${app.url}/#/feeds/demo/charts`)
  await page.getByRole('heading', { name: 'Demo feed', exact: true }).waitFor()
  await expect
    .poll(() => page.getByRole('tab', { name: 'Charts' }).getAttribute('aria-selected'))
    .toBe('true')
  await expect.poll(() => page.title()).toMatch(/^(\(\d+\) )?Demo feed · Feeds · Feedwatch$/)
  await saveScreenshot(page, 'section-feed-charts')

  await page.getByRole('tab', { name: 'Alerts' }).click()
  await expect.poll(() => new URL(page.url()).hash).toBe('#/feeds/demo/alerts')
  await sections().getByRole('link', { name: 'Alerts' }).click()
  await page.getByRole('heading', { name: 'Active alerts' }).waitFor()
  expect(new URL(page.url()).hash).toBe('#/alerts')
  await saveScreenshot(page, 'section-alerts')

  await page.goBack()
  await expect
    .poll(() => page.getByRole('tab', { name: 'Alerts' }).getAttribute('aria-selected'))
    .toBe('true')
  await page.goBack()
  await expect
    .poll(() => page.getByRole('tab', { name: 'Charts' }).getAttribute('aria-selected'))
    .toBe('true')

  await page.goto(`${app.url}/#/feeds`)
  // The Feeds section goes on to a feed, in place of its own address.
  await expect.poll(() => new URL(page.url()).hash).toBe('#/feeds/demo')
  await page.getByRole('listbox', { name: 'Events' }).waitFor()
  await saveScreenshot(page, 'section-feeds')

  await page.goto(`${app.url}/#/feeds/no-such-feed`)
  await page.getByRole('heading', { name: 'Feed not found' }).waitFor()
  await page.getByRole('link', { name: 'All feeds' }).waitFor()
})

test("a feed's page shows only the charts and rules that read that feed", async () => {
  const other = (await command('feeds/add', {
    name: 'Quiet feed',
    url: refusedUrl,
    maxReconnectAttempts: 0,
  })) as { id: string }
  try {
    await page.goto(`${app.url}/#/feeds/${other.id}/charts`)
    await page.getByText('No charts or tiles read this feed yet.', { exact: false }).waitFor()
    expect(await page.getByRole('article', { name: 'CPU', exact: true }).count()).toBe(0)
    await page.getByRole('tab', { name: 'Alerts' }).click()
    await page.getByText('This feed has no alert rules yet.').waitFor()
    expect(await page.getByRole('row', { name: /CPU above 90 %/ }).count()).toBe(0)

    await page.goto(`${app.url}/#/feeds/demo/alerts`)
    await page.getByRole('row', { name: /CPU above 90 %/ }).waitFor()
  } finally {
    await command('feeds/remove', { id: other.id })
  }
})

test('values show in their units: tiles, legends, chart summaries and thresholds', async () => {
  await page.goto(app.url)
  const cpuTile = page.getByRole('article', { name: 'CPU now', exact: true })
  await expect
    .poll(() => cpuTile.getByTestId('tile-value').textContent(), { timeout: 10_000 })
    .toMatch(/^\d+$/)
  await cpuTile.getByText('%', { exact: true }).waitFor()
  const cpuChart = page.getByRole('article', { name: 'CPU', exact: true })
  await expect
    .poll(() => cpuChart.getByTestId('chart-summary').textContent(), { timeout: 10_000 })
    .toMatch(/latest \d+ %\. Thresholds: CPU above 90 % \(warning: > 90 %\)\.$/)
  const latency = page.getByRole('article', { name: 'Latency', exact: true })
  await expect
    .poll(() => latency.getByTestId('chart-summary').textContent(), { timeout: 10_000 })
    .toMatch(/\d+ ms/)

  // Decimals are a choice of the panel editor, next to the unit.
  await cpuTile.getByRole('button', { name: 'Edit CPU now' }).click()
  const editor = page.getByRole('dialog', { name: 'Edit tile: CPU now' })
  expect(await editor.getByLabel('Unit', { exact: true }).inputValue()).toBe('percentunit')
  await editor.getByLabel('Decimals').selectOption('1')
  await editor.getByText(/Values read like this: 46\.1 %/).waitFor()
  await saveScreenshot(page, 'panel-editor-units')
  await editor.getByRole('button', { name: 'Save tile' }).click()
  await editor.waitFor({ state: 'detached' })
  await expect
    .poll(() => cpuTile.getByTestId('tile-value').textContent(), { timeout: 10_000 })
    .toMatch(/^\d+\.\d$/)
})

test('the New chart dialog keeps its headings in order', async () => {
  await page.goto(`${app.url}/#/feeds/demo/charts`)
  await page.getByRole('button', { name: 'New chart' }).click()
  const dialog = page.getByRole('dialog', { name: 'New chart' })
  await dialog.getByLabel('Event', { exact: true }).selectOption('metrics')
  await dialog.getByRole('button', { name: /^Chart cpu:/ }).click()
  const levels = await dialog.evaluate(headingLevels)
  expect(levels[0]).toBe(2)
  for (let i = 1; i < levels.length; i++)
    expect((levels[i] ?? 0) - (levels[i - 1] ?? 0)).toBeLessThanOrEqual(1)
})

test('a refused connection reads as a sentence, with the engine reason one click away', async () => {
  const feed = (await command('feeds/add', {
    name: 'Refused feed',
    url: refusedUrl,
    maxReconnectAttempts: 0,
  })) as { id: string }
  try {
    await page.goto(`${app.url}/#/feeds/${feed.id}`)
    const reason = page.getByText(
      /^Reason: Connection refused by 127\.0\.0\.1:\d+ — is the server running\?/,
    )
    await reason.waitFor()
    const detail = page.getByText(/connect ECONNREFUSED 127\.0\.0\.1:\d+/)
    expect(await detail.isVisible()).toBe(false)
    await page.getByText('Technical detail').click()
    await detail.waitFor()
    await saveScreenshot(page, 'feed-reason-in-words')

    // The dashboard says which feed is down, in the same words.
    await sections().getByRole('link', { name: 'Dashboard' }).click()
    const health = page.getByRole('region', { name: /^Feeds/ })
    await health
      .getByText(/^Connection refused by 127\.0\.0\.1:\d+ — is the server running\?/)
      .waitFor()
  } finally {
    await command('feeds/remove', { id: feed.id })
  }
})

test('a tile whose feed is not live says so', async () => {
  const feed = (await command('feeds/add', {
    name: 'Broken feed',
    url: refusedUrl,
    maxReconnectAttempts: 0,
  })) as { id: string }
  await command('panels/save', {
    id: 'broken-tile',
    kind: 'tile',
    title: 'Broken value',
    unit: 'ms',
    source: { feedId: feed.id, path: 'value' },
  })
  try {
    await page.goto(app.url)
    const tile = page.getByRole('article', { name: 'Broken value', exact: true })
    await tile.getByText(/Broken feed failed: Connection refused/).waitFor()
    // No stray dot before the words when there is no trend yet.
    expect((await tile.getByText('no trend yet').textContent())?.trim()).toBe('no trend yet')
  } finally {
    await command('feeds/remove', { id: feed.id })
  }
})

test('? lists the shortcuts; the section keys move between sections', async () => {
  await page.goto(app.url)
  await page.getByRole('heading', { name: /^Dashboard/ }).waitFor()
  await page.keyboard.press('?')
  const overlay = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
  await overlay.getByRole('cell', { name: 'Add a feed' }).waitFor()
  await saveScreenshot(page, 'shortcuts-overlay')
  await page.keyboard.press('Escape')
  await overlay.waitFor({ state: 'detached' })
  await expect
    .poll(() => page.getByRole('button', { name: 'Shortcuts' }).evaluate(isFocused))
    .toBe(true)

  await page.keyboard.press('a')
  await page.getByRole('heading', { name: 'Active alerts' }).waitFor()
  await page.keyboard.press('f')
  await page.getByRole('tab', { name: 'Events' }).waitFor()
  await page.keyboard.press('d')
  await page.getByRole('heading', { name: /^Dashboard/ }).waitFor()
  // Moving to a section puts focus on its heading, not back at the top of the page.
  await expect
    .poll(() => page.getByRole('heading', { name: /^Dashboard/ }).evaluate(isFocused))
    .toBe(true)
})

test('Escape on a dialog opened with n returns focus to the Add feed button', async () => {
  await page.goto(`${app.url}/#/feeds/demo`)
  await page.getByRole('listbox', { name: 'Events' }).waitFor()
  await page.locator('body').click({ position: { x: 5, y: 990 } })
  await page.keyboard.press('n')
  const dialog = page.getByRole('dialog', { name: 'Add feed' })
  await dialog.waitFor()
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'detached' })
  const add = page
    .getByRole('navigation', { name: 'Feeds' })
    .getByRole('button', { name: 'Add feed' })
  await expect.poll(() => add.evaluate(isFocused)).toBe(true)
})

test('a feed saved from the keyboard takes focus to the new feed in the list', async () => {
  await page.goto(`${app.url}/#/feeds/demo`)
  await page.getByRole('listbox', { name: 'Events' }).waitFor()
  await page.locator('body').click({ position: { x: 5, y: 990 } })
  await page.keyboard.press('n')
  const dialog = page.getByRole('dialog', { name: 'Add feed' })
  await dialog.getByLabel('URL', { exact: true }).fill(refusedUrl)
  await dialog.getByLabel('Name', { exact: true }).fill('Keyboard feed')
  await dialog.getByLabel('Name', { exact: true }).press('Enter')
  await dialog.waitFor({ state: 'detached' })
  const entry = page
    .getByRole('navigation', { name: 'Feeds' })
    .getByRole('link', { name: /^Keyboard feed/ })
  await expect.poll(() => entry.evaluate(isFocused)).toBe(true)
  await page.getByRole('heading', { name: 'Keyboard feed', exact: true }).waitFor()
  expect(new URL(page.url()).hash).toMatch(/^#\/feeds\/[^/]+$/)
  const id = new URL(page.url()).hash.split('/')[2] ?? ''
  await command('feeds/remove', { id })
})

test('the wall opens from the sections and full screen', async () => {
  await page.goto(app.url)
  await sections().getByRole('link', { name: 'Wall' }).click()
  await page.getByRole('main', { name: 'Ops wall' }).waitFor()
  expect(new URL(page.url()).hash).toBe('#/wall')
  await page.waitForTimeout(1500)
  await saveScreenshot(page, 'section-wall')
  await page.goBack()
  await page.getByRole('heading', { name: /^Dashboard/ }).waitFor()
})

test('Test connection says why it failed in words, with the detail one click away', async () => {
  await page.goto(`${app.url}/#/feeds/demo`)
  await page
    .getByRole('navigation', { name: 'Feeds' })
    .getByRole('button', { name: 'Add feed' })
    .click()
  const dialog = page.getByRole('dialog', { name: 'Add feed' })
  await dialog.getByLabel('URL', { exact: true }).fill(refusedUrl)
  await dialog.getByRole('button', { name: 'Test connection' }).click()
  await dialog
    .getByText(/^Failed: Connection refused by 127\.0\.0\.1:\d+ — is the server running\?$/)
    .waitFor()
  await dialog.getByText('Technical detail').click()
  await dialog.getByText(/ECONNREFUSED/).waitFor()
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'detached' })
})

test('switching to a profile without the feed shown goes on to that profile’s feeds', async () => {
  await command('profiles/create', { name: 'Empty' })
  try {
    await page.goto(`${app.url}/#/feeds/demo`)
    await page.getByRole('heading', { name: 'Demo feed', exact: true }).waitFor()
    await page.getByLabel('Profile', { exact: true }).selectOption('Empty')
    await page.getByText('No feeds yet.', { exact: false }).waitFor()
    expect(new URL(page.url()).hash).toBe('#/feeds')
    await page.getByLabel('Profile', { exact: true }).selectOption('Demo')
    await expect.poll(() => new URL(page.url()).hash).toBe('#/feeds/demo')
  } finally {
    await command('profiles/switch', { name: 'Demo' })
    await command('profiles/delete', { name: 'Empty' })
  }
})
