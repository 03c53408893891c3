import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import {
  collectPageErrors,
  launchChromium,
  saveScreenshot,
  startServedApp,
  type ServedApp,
} from './harness'

/*
 * The Alerts tab in Chromium against `feedwatch serve`, with a feed of our own whose value the test
 * sets: a rule made in the editor previews, fires, is acknowledged and resolves; rules are silenced,
 * unsilenced and removed. The tests run in order on one page, each taking up where the last one left.
 */

const RULE = 'Level too high'
/** Events of the test feed are sent this often. */
const TICK_MS = 100

let app: ServedApp
let browser: Browser
let page: Page
let errors: string[]
let sse: Server
let ticker: NodeJS.Timeout
/** What the test feed sends as `level`; the tests change it. */
let level = 80

/** A feed on 127.0.0.1 that sends `event: reading` with `{"level": <level>}` every tick. */
async function startLevelFeed(): Promise<string> {
  const clients = new Set<ServerResponse>()
  sse = createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
    response.write(': connected\n\n')
    clients.add(response)
    request.on('close', () => clients.delete(response))
  })
  ticker = setInterval(() => {
    const event = `event: reading\ndata: ${JSON.stringify({ level })}\n\n`
    for (const client of clients) client.write(event)
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

const activeAlert = (name: string): Locator => page.getByRole('article', { name })
const ruleRow = (name: string): Locator => page.getByRole('row', { name: new RegExp(name) })
const historyEntry = (kind: string, rule: string): Locator =>
  page
    .getByRole('list', { name: 'Alert history, newest first' })
    .getByRole('listitem')
    .filter({ has: page.getByText(kind, { exact: true }) })
    .filter({ has: page.getByText(rule, { exact: true }) })
    .first()

beforeAll(async () => {
  app = await startServedApp()
  browser = await launchChromium()
  const url = await startLevelFeed()
  const feed = (await command('feeds/add', { name: 'Levels', url })) as { id: string }
  // The preview needs some history: wait until the feed's buffer holds a second and a half.
  const buffered = async (): Promise<number> =>
    ((await command('events/query', { feedId: feed.id, limit: 100 })) as { events: unknown[] })
      .events.length
  const deadline = Date.now() + 10_000
  while ((await buffered()) < 15) {
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

test('the rule editor says at once what is wrong with a field path', async () => {
  await page.getByRole('button', { name: 'New rule' }).click()
  const dialog = page.getByRole('dialog', { name: 'New rule' })
  const path = dialog.getByLabel('Field path', { exact: true })
  await path.fill('level..x')
  await dialog.getByText('empty segment at position 6').waitFor()
  expect(await path.getAttribute('aria-invalid')).toBe('true')
  await path.fill('level')
  await dialog.getByText('empty segment at position 6').waitFor({ state: 'detached' })
  expect(await path.getAttribute('aria-invalid')).toBe('false')
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await dialog.waitFor({ state: 'detached' })
  expect(errors).toEqual([])
})

test('the preview says how often the draft would have fired on the buffered events', async () => {
  await page.getByRole('button', { name: 'New rule' }).click()
  const dialog = page.getByRole('dialog', { name: 'New rule' })
  await dialog.getByLabel('Name', { exact: true }).fill(RULE)
  await dialog.getByLabel('Kind', { exact: true }).selectOption('condition')
  await dialog.getByLabel('Feed', { exact: true }).selectOption({ label: 'Levels' })
  await dialog.getByLabel('Event name (optional)', { exact: true }).fill('reading')
  await dialog.getByLabel('Field path', { exact: true }).fill('level')
  await dialog.getByLabel('Operator', { exact: true }).selectOption('>')
  await dialog.getByLabel('Value', { exact: true }).fill('50')
  await dialog.getByLabel('Pending period (s)', { exact: true }).fill('1')
  await dialog.getByLabel('Recovery value (optional)', { exact: true }).fill('40')
  await dialog.getByLabel('Repeat interval (s)', { exact: true }).fill('0')
  await dialog.getByLabel('Severity', { exact: true }).selectOption({ label: 'Critical' })
  // The level has been 80 since the feed started: the condition held once, for good.
  await dialog
    .getByRole('status')
    .filter({ hasText: /^Would have fired 1 time in the last \d+ (seconds|minute)/ })
    .waitFor()
  await saveScreenshot(page, 'alerts-rule-editor')
  await dialog.getByRole('button', { name: 'Save rule' }).click()
  await dialog.waitFor({ state: 'detached' })
  await ruleRow(RULE).getByText('level > 50 on "reading" events for 1 s').waitFor()
  expect(errors).toEqual([])
})

test('a saved rule fires and shows in the alerts panel with its severity and value', async () => {
  const alert = activeAlert(RULE)
  await alert.getByText('Firing', { exact: true }).waitFor()
  await alert.getByText('Critical', { exact: true }).waitFor()
  await alert.getByText('Levels', { exact: true }).waitFor()
  expect(await alert.locator('dd.value').textContent()).toBe('80')
  await historyEntry('Fired', RULE).waitFor()
  await saveScreenshot(page, 'alerts-panel')
  expect(errors).toEqual([])
})

test('a critical alert that fires is announced in the banner and counted in the title', async () => {
  const notice = page.getByRole('alert').filter({ hasText: `Firing: ${RULE}` })
  await notice.getByText('level is 80 (> 50) on Levels').waitFor()
  await expect.poll(() => page.title()).toMatch(/^\(\d+\) Alerts · Feedwatch$/)
  // It stays until the alert is acknowledged or resolves: there is no way to just wave it off.
  await notice.getByRole('button', { name: `Acknowledge: Firing: ${RULE}` }).waitFor()
  expect(await notice.getByRole('button', { name: /Dismiss/ }).count()).toBe(0)
  expect(errors).toEqual([])
})

test('acknowledging a firing alert marks it acknowledged and takes its banner away', async () => {
  const alert = activeAlert(RULE)
  await alert.getByRole('button', { name: 'Acknowledge', exact: true }).click()
  await page
    .getByRole('alert')
    .filter({ hasText: `Firing: ${RULE}` })
    .waitFor({ state: 'detached' })
  await alert.getByText('Acknowledged', { exact: true }).waitFor()
  await alert.getByRole('button', { name: 'Acknowledge' }).waitFor({ state: 'detached' })
  await historyEntry('Acknowledged', RULE).waitFor()
  expect(errors).toEqual([])
})

test('the alert resolves into the history once the value is back below the recovery value', async () => {
  level = 20
  await activeAlert(RULE).waitFor({ state: 'detached' })
  await historyEntry('Resolved', RULE).getByText('value 20').waitFor()
  expect(errors).toEqual([])
})

test('a resolved alert is a toast that fades by itself after about ten seconds', async () => {
  const toast = page
    .getByRole('status', { name: 'Resolved alerts' })
    .getByText(`Resolved: ${RULE}`, { exact: true })
  // The previous test waited for the resolve; the toast came with it and is still up.
  await toast.waitFor()
  await saveScreenshot(page, 'alert-resolved-toast')
  await toast.waitFor({ state: 'detached', timeout: 15_000 })
  expect(errors).toEqual([])
}, 20_000)

test('silencing a rule for 1 h shows the marker until it is unsilenced', async () => {
  const row = ruleRow(RULE)
  await row.getByRole('button', { name: 'Silence 1 h' }).click()
  await row.getByText(/Silenced until/).waitFor()
  await historyEntry('Silenced', RULE).waitFor()
  await row.getByRole('button', { name: 'Unsilence' }).click()
  await row.getByText(/Silenced until/).waitFor({ state: 'detached' })
  await historyEntry('Unsilenced', RULE).waitFor()
  expect(errors).toEqual([])
})

test('a firing alert can be silenced until a chosen time', async () => {
  level = 90
  const alert = activeAlert(RULE)
  await alert.getByText('Firing', { exact: true }).waitFor()
  await alert.getByRole('button', { name: 'Silence until…' }).click()
  const until = new Date(Date.now() + 3 * 60 * 60 * 1000)
  const pad = (n: number): string => String(n).padStart(2, '0')
  await alert
    .getByLabel('Silence until', { exact: true })
    .fill(
      `${until.getFullYear()}-${pad(until.getMonth() + 1)}-${pad(until.getDate())}T${pad(until.getHours())}:${pad(until.getMinutes())}`,
    )
  await alert.getByRole('button', { name: 'Silence', exact: true }).click()
  await alert.getByText(/Silenced until/).waitFor()
  const shown = until.toLocaleTimeString('en-US', { hour: '2-digit', minute: '2-digit' })
  expect(await alert.getByText(/Silenced until/).textContent()).toContain(
    shown.replace(/^(\d\d:\d\d).*/, '$1'),
  )
  await alert.getByRole('button', { name: 'Unsilence' }).click()
  await alert.getByText(/Silenced until/).waitFor({ state: 'detached' })
  expect(errors).toEqual([])
})

test('removing a rule asks for confirmation first', async () => {
  await page.getByRole('button', { name: `Remove ${RULE}` }).click()
  const confirm = page.getByRole('dialog', { name: `Remove the rule “${RULE}”?` })
  await confirm.getByRole('button', { name: 'Cancel' }).click()
  await confirm.waitFor({ state: 'detached' })
  await ruleRow(RULE).waitFor()
  await page.getByRole('button', { name: `Remove ${RULE}` }).click()
  await confirm.getByRole('button', { name: 'Remove rule' }).click()
  await ruleRow(RULE).waitFor({ state: 'detached' })
  await activeAlert(RULE).waitFor({ state: 'detached' })
  expect(errors).toEqual([])
})
