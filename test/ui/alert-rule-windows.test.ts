import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import { collectPageErrors, launchChromium, startServedApp, type ServedApp } from './harness'

/*
 * Window and event-count rules in the rule editor, in Chromium against `feedwatch serve`: a person
 * picks a reducer and a window or an event count, sees the preview, saves, and the alert fires with
 * the reduced value.
 */

/** Events of the test feed are sent this often: 10 a second. */
const TICK_MS = 100

let app: ServedApp
let browser: Browser
let page: Page
let errors: string[]
let sse: Server
let ticker: NodeJS.Timeout

/** A feed on 127.0.0.1 sending `event: reading` with `{"level": 80}` every tick. */
async function startLevelFeed(): Promise<string> {
  const clients = new Set<ServerResponse>()
  sse = createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
    response.write(': connected\n\n')
    clients.add(response)
    request.on('close', () => clients.delete(response))
  })
  ticker = setInterval(() => {
    for (const client of clients) client.write('event: reading\ndata: {"level":80}\n\n')
  }, TICK_MS)
  await new Promise<void>((resolve) => sse.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(sse.address() as AddressInfo).port}/events`
}

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

const ruleRow = (name: string): Locator => page.getByRole('row', { name: new RegExp(name) })

beforeAll(async () => {
  app = await startServedApp()
  browser = await launchChromium()
  const url = await startLevelFeed()
  const feed = (await command('feeds/add', { name: 'Levels', url })) as { id: string }
  const deadline = Date.now() + 10_000
  const buffered = async (): Promise<number> =>
    ((await command('events/query', { feedId: feed.id, limit: 100 })) as { events: unknown[] })
      .events.length
  while ((await buffered()) < 30) {
    if (Date.now() > deadline) throw new Error('the test feed sent no events')
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  page.setDefaultTimeout(10_000)
  errors = collectPageErrors(page)
  await page.goto(`${app.url}/#/alerts`)
}, 30_000)

afterAll(async () => {
  clearInterval(ticker)
  sse?.closeAllConnections()
  await new Promise((resolve) => sse?.close(resolve))
  await browser?.close()
  await app?.stop()
})

test('an average over a time window previews, saves and fires with the reduced value', async () => {
  await page.getByRole('button', { name: 'New rule' }).click()
  const dialog = page.getByRole('dialog', { name: 'New rule' })
  await dialog.getByLabel('Name', { exact: true }).fill('Average level high')
  await dialog.getByLabel('Feed', { exact: true }).selectOption({ label: 'Levels' })
  await dialog.getByLabel('Field path', { exact: true }).fill('level')
  await dialog.getByLabel('Operator', { exact: true }).selectOption('>')
  await dialog.getByLabel('Value', { exact: true }).fill('50')
  await dialog
    .getByLabel('Judge', { exact: true })
    .selectOption({ label: 'A reduced value over a time window' })
  await dialog.getByLabel('Reducer', { exact: true }).selectOption('avg')
  await dialog.getByLabel('Window (s)', { exact: true }).fill('2')
  await dialog
    .getByRole('status')
    .filter({ hasText: /^Would have fired 1 time in the last \d+ seconds/ })
    .waitFor()
  await dialog.getByRole('button', { name: 'Save rule' }).click()
  await dialog.waitFor({ state: 'detached' })
  await ruleRow('Average level high').getByText('avg level over 2 s > 50').waitFor()
  const alert = page.getByRole('article', { name: 'Average level high' })
  await alert.getByText('Firing', { exact: true }).waitFor()
  expect(await alert.locator('dd.value').textContent()).toBe('80')
  expect(errors).toEqual([])
})

test('a window over an hour is an error next to the window field', async () => {
  await page.getByRole('button', { name: 'New rule' }).click()
  const dialog = page.getByRole('dialog', { name: 'New rule' })
  await dialog
    .getByLabel('Judge', { exact: true })
    .selectOption({ label: 'A reduced value over a time window' })
  const window = dialog.getByLabel('Window (s)', { exact: true })
  await window.fill('7200')
  await dialog.getByText('Must be from 1 to 3600 s (1 h)').waitFor()
  expect(await window.getAttribute('aria-invalid')).toBe('true')
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await dialog.waitFor({ state: 'detached' })
  expect(errors).toEqual([])
})

test('an event-count rule previews, saves and fires with the count in the window', async () => {
  await page.getByRole('button', { name: 'New rule' }).click()
  const dialog = page.getByRole('dialog', { name: 'New rule' })
  await dialog.getByLabel('Name', { exact: true }).fill('Many readings')
  await dialog.getByLabel('Kind', { exact: true }).selectOption({ label: 'Event count' })
  await dialog.getByLabel('Feed', { exact: true }).selectOption({ label: 'Levels' })
  await dialog.getByLabel('Event name (optional)', { exact: true }).fill('reading')
  await dialog.getByLabel('Operator', { exact: true }).selectOption('>')
  await dialog.getByLabel('Count', { exact: true }).fill('5')
  await dialog.getByLabel('Window (s)', { exact: true }).fill('1')
  await dialog
    .getByRole('status')
    .filter({ hasText: /^Would have fired 1 time in the last \d+ seconds/ })
    .waitFor()
  await dialog.getByRole('button', { name: 'Save rule' }).click()
  await dialog.waitFor({ state: 'detached' })
  await ruleRow('Many readings').getByText('more than 5 "reading" events in 1 s').waitFor()
  await page
    .getByRole('article', { name: 'Many readings' })
    .getByText('Firing', { exact: true })
    .waitFor()
  expect(errors).toEqual([])
})
