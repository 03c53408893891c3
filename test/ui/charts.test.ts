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
 * The charts view in Chromium against `feedwatch serve` and its Demo profile (a demo feed sending
 * `metrics` events {cpu, mem, rps, latencyMs: {p50, p99}} twice a second): making charts from the
 * latest event's JSON, watching points arrive, tiles, thresholds and the wall toggle. One app and one
 * browser for the file; every test has its own page and its own chart names.
 */

let app: ServedApp
let browser: Browser
let page: Page
let errors: string[]

beforeAll(async () => {
  app = await startServedApp()
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
  errors = collectPageErrors(page)
  await page.goto(`${app.url}/#/feeds/demo/charts`)
  await page.getByRole('heading', { name: 'Charts' }).waitFor()
})

afterEach(async () => {
  expect(errors).toEqual([])
  await page.close()
})

/** A panel of the charts view, found by its title. */
function panel(title: string): Locator {
  return page.getByRole('article', { name: title, exact: true })
}

/** How many points a chart's accessible summary says one series has in its window. */
async function pointsOf(chart: Locator, label: string): Promise<number> {
  const text = (await chart.getByText(`${label}: `).textContent()) ?? ''
  const match = new RegExp(`${label}: (\\d+) points`).exec(text)
  return match === null ? -1 : Number(match[1])
}

/** Opens "New chart" and chooses the demo feed's `metrics` events. */
async function openNewChart(): Promise<Locator> {
  await page.getByRole('button', { name: 'New chart' }).click()
  const dialog = page.getByRole('dialog', { name: 'New chart' })
  await dialog.getByLabel('Event', { exact: true }).selectOption('metrics')
  return dialog
}

test('a chart made by clicking a number in the latest event gets new points', async () => {
  const dialog = await openNewChart()
  await dialog.getByRole('button', { name: /^Chart cpu:/ }).click()
  await expect.poll(() => dialog.getByLabel('Label for cpu').inputValue()).toBe('cpu')
  await dialog.getByLabel('Title').fill('CPU from the tree')
  await dialog.getByLabel('Window').selectOption({ label: 'Last 1 minute' })
  await dialog.getByRole('button', { name: 'Save chart' }).click()
  await dialog.waitFor({ state: 'detached' })

  const chart = panel('CPU from the tree')
  await chart
    .getByRole('img', { name: /CPU from the tree, line chart of the last 1 minute/ })
    .waitFor()
  // Seeded from the engine's buffer, then appended to from every batch: the count keeps growing.
  await expect.poll(() => pointsOf(chart, 'cpu'), { timeout: 10_000 }).toBeGreaterThan(0)
  const before = await pointsOf(chart, 'cpu')
  await expect.poll(() => pointsOf(chart, 'cpu'), { timeout: 10_000 }).toBeGreaterThan(before)
  await expect.poll(() => chart.getByText(/cpu: \d+ points, latest 0\.\d+/).count()).toBe(1)
  // Tall enough for every panel to be in view (and so drawn) in the screenshot.
  await page.setViewportSize({ width: 1400, height: 2000 })
  await page.waitForTimeout(1500)
  await saveScreenshot(page, 'charts')
})

test('a typed path is checked, and a valid one becomes a series that gets points', async () => {
  const dialog = await openNewChart()
  const path = dialog.getByLabel('Field path')
  await path.fill('latencyMs..p99')
  await expect.poll(() => dialog.getByText('empty segment (at character 11)').count()).toBe(1)
  expect(await path.getAttribute('aria-invalid')).toBe('true')
  await dialog.getByRole('button', { name: 'Add series by path' }).click()
  expect(await dialog.getByText('None yet: pick a number above.').count()).toBe(1)

  await path.fill('latencyMs.p99')
  await expect.poll(() => dialog.getByText(/^Latest value: \d+/).count()).toBe(1)
  await dialog.getByRole('button', { name: 'Add series by path' }).click()
  await dialog.getByLabel('Label for latencyMs.p99').fill('p99 typed')
  await dialog.getByLabel('Title').fill('Typed p99')
  await dialog.getByLabel('Unit', { exact: true }).selectOption('ms')
  await saveScreenshot(page, 'chart-editor')
  await dialog.getByRole('button', { name: 'Save chart' }).click()
  await dialog.waitFor({ state: 'detached' })

  const chart = panel('Typed p99')
  await expect.poll(() => pointsOf(chart, 'p99 typed'), { timeout: 10_000 }).toBeGreaterThan(0)
  const before = await pointsOf(chart, 'p99 typed')
  await expect.poll(() => pointsOf(chart, 'p99 typed'), { timeout: 10_000 }).toBeGreaterThan(before)
  await expect.poll(() => chart.getByText(/latest \d+ ms/).count()).toBe(1)
})

test('a chart with several series counts points for each', async () => {
  const chart = panel('Latency')
  await expect.poll(() => pointsOf(chart, 'p50'), { timeout: 10_000 }).toBeGreaterThan(0)
  await expect.poll(() => pointsOf(chart, 'p99'), { timeout: 10_000 }).toBeGreaterThan(0)
})

test('a condition rule on the same field is drawn as a labelled threshold', async () => {
  // The Demo profile's critical rule "p99 latency above 400 ms" reads latencyMs.p99.
  await expect
    .poll(() =>
      panel('Latency')
        .getByText('Thresholds: p99 latency above 400 ms (critical: > 400 ms).')
        .count(),
    )
    .toBe(1)
  await expect
    .poll(() => panel('CPU').getByText('Thresholds: CPU above 90 % (warning: > 90 %).').count())
    .toBe(1)
})

test('a tile shows a current value that changes, with a trend in words', async () => {
  const tile = panel('CPU now')
  const value = tile.getByText(/^\d+(\.\d+)?$/)
  await expect.poll(() => value.count(), { timeout: 10_000 }).toBe(1)
  const first = await value.textContent()
  await expect.poll(() => value.textContent(), { timeout: 15_000 }).not.toBe(first)
  await expect
    .poll(() => tile.getByText(/(up|down) .+ vs 1 min ago|flat vs 1 min ago|no trend yet/).count())
    .toBe(1)
})

test('a tile made from a field shows its value with the unit', async () => {
  await page.getByRole('button', { name: 'New tile' }).click()
  const dialog = page.getByRole('dialog', { name: 'New tile' })
  await dialog.getByLabel('Event', { exact: true }).selectOption('metrics')
  await dialog.getByLabel('Number in the latest event').selectOption('rps')
  await dialog.getByRole('button', { name: 'Use field', exact: true }).click()
  await dialog.getByLabel('Title').fill('Requests now')
  await dialog.getByLabel('Unit', { exact: true }).selectOption('reqps')
  await dialog.getByRole('button', { name: 'Save tile' }).click()
  await dialog.waitFor({ state: 'detached' })

  const tile = panel('Requests now')
  await expect.poll(() => tile.getByText(/^\d[\d,]*$/).count(), { timeout: 10_000 }).toBe(1)
  expect(await tile.getByText('req/s', { exact: true }).count()).toBe(1)
})

test('"Show on wall" takes a panel off the wall and puts it back', async () => {
  const count = page.getByText(/of \d+ panels on the ops wall/)
  const onWall = panel('Memory').getByRole('checkbox', { name: 'Show on wall' })
  await expect.poll(() => onWall.isChecked()).toBe(true)
  const before = Number(/^(\d+)/.exec((await count.textContent()) ?? '')?.[1])

  await onWall.uncheck()
  await expect.poll(async () => (await count.textContent())?.trim()).toMatch(`${before - 1} of`)
  await expect.poll(() => onWall.isChecked()).toBe(false)

  await onWall.check()
  await expect.poll(async () => (await count.textContent())?.trim()).toMatch(`${before} of`)
})

test('editing a chart changes its window and keeps its series', async () => {
  const dialog = await openNewChart()
  await dialog.getByRole('button', { name: /^Chart rps:/ }).click()
  await dialog.getByLabel('Title').fill('Traffic to edit')
  await dialog.getByRole('button', { name: 'Save chart' }).click()
  await dialog.waitFor({ state: 'detached' })

  const chart = panel('Traffic to edit')
  await chart.getByRole('button', { name: 'Edit Traffic to edit' }).click()
  const editor = page.getByRole('dialog', { name: 'Edit chart: Traffic to edit' })
  expect(await editor.getByLabel('Label for rps').inputValue()).toBe('rps')
  await editor.getByLabel('Window').selectOption({ label: 'Last 15 minutes' })
  await editor.getByRole('button', { name: 'Save chart' }).click()
  await editor.waitFor({ state: 'detached' })
  await expect.poll(() => chart.getByText('last 15 minutes').count()).toBe(1)
  await expect
    .poll(() => chart.getByRole('img', { name: /line chart of the last 15 minutes/ }).count())
    .toBe(1)
  await expect.poll(() => pointsOf(chart, 'rps'), { timeout: 10_000 }).toBeGreaterThan(0)
})

test('a panel can be removed after confirming', async () => {
  const dialog = await openNewChart()
  await dialog.getByRole('button', { name: /^Chart mem:/ }).click()
  await dialog.getByLabel('Title').fill('Doomed chart')
  await dialog.getByRole('button', { name: 'Save chart' }).click()
  await panel('Doomed chart').waitFor()

  await panel('Doomed chart').getByRole('button', { name: 'Remove Doomed chart' }).click()
  const confirm = page.getByRole('dialog', { name: 'Remove panel' })
  await confirm.getByRole('button', { name: 'Remove' }).click()
  await panel('Doomed chart').waitFor({ state: 'detached' })
})
