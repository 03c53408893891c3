import { readFile } from 'node:fs/promises'
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import {
  collectPageErrors,
  launchChromium,
  saveScreenshot,
  startServedApp,
  type ServedApp,
} from './harness'

/*
 * The event log, against an SSE server started here on 127.0.0.1: untrusted data shown as text,
 * filters, pause, the detail pane, copy and export. One app and one browser for the file; each test
 * has its own page, SSE server and feed.
 */

/** A stream that replays every event it was given to each client, then sends new ones live. */
interface TestStream {
  readonly url: string
  send(event: string, data: string): void
  close(): Promise<void>
}

async function startStream(): Promise<TestStream> {
  const frames: string[] = []
  const clients = new Set<ServerResponse>()
  const server: Server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    response.write(': hello\n\n')
    for (const frame of frames) response.write(frame)
    clients.add(response)
    request.on('close', () => clients.delete(response))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/events`,
    send(event, data) {
      const lines = data
        .split('\n')
        .map((line) => `data: ${line}\n`)
        .join('')
      const frame = `id: ${frames.length + 1}\nevent: ${event}\n${lines}\n`
      frames.push(frame)
      for (const client of clients) client.write(frame)
    },
    async close() {
      for (const client of clients) client.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

let app: ServedApp
let browser: Browser
let context: BrowserContext
let page: Page
let stream: TestStream
let errors: string[]
let feedCount = 0

beforeAll(async () => {
  app = await startServedApp()
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

beforeEach(async () => {
  stream = await startStream()
  context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
    acceptDownloads: true,
  })
  page = await context.newPage()
  page.setDefaultTimeout(10_000)
  errors = collectPageErrors(page)
  await page.goto(`${app.url}/#/feeds`)
  await page.getByRole('navigation', { name: 'Feeds' }).waitFor()
})

afterEach(async () => {
  await context?.close()
  await stream?.close()
})

/** Adds a feed on the test stream through the dialog and waits until it is live; returns its name. */
async function addStreamFeed(): Promise<string> {
  const name = `Log ${++feedCount}`
  await page
    .getByRole('navigation', { name: 'Feeds' })
    .getByRole('button', { name: 'Add feed' })
    .click()
  const dialog = page.getByRole('dialog', { name: 'Add feed' })
  await dialog.getByLabel('URL', { exact: true }).fill(stream.url)
  await dialog.getByLabel('Name', { exact: true }).fill(name)
  await dialog.getByRole('button', { name: 'Add feed' }).click()
  await dialog.waitFor({ state: 'hidden' })
  await page.getByRole('heading', { name, exact: true }).waitFor()
  return name
}

const log = (): Locator => page.getByRole('listbox', { name: 'Events' })
const rows = (): Locator => log().getByRole('option')
const rowCount = (): Promise<number> => rows().count()

test('event data that looks like HTML is shown as text and never runs', async () => {
  const dialogs: string[] = []
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  const attack = '<img src=x onerror=alert(1)>'
  stream.send('message', attack)
  stream.send('message', '<script>alert(2)</script><b>bold?</b>')
  await addStreamFeed()

  await log().getByText(attack, { exact: true }).waitFor()
  await log().getByText('<script>alert(2)</script><b>bold?</b>', { exact: true }).waitFor()
  await rows().filter({ hasText: attack }).click()
  const detail = page.getByRole('region', { name: 'Event #1' })
  await detail.getByText(attack, { exact: true }).waitFor()

  expect(await log().locator('img, script, b').count()).toBe(0)
  expect(await page.locator('img').count()).toBe(0)
  await page.waitForTimeout(300)
  expect(dialogs).toEqual([])
  await saveScreenshot(page, 'event-log-untrusted-data')
  expect(errors).toEqual([])
})

test('the log filters by event name and by text, and shows the selected event in full', async () => {
  stream.send('metrics', '{"cpu":0.5,"host":"web-1"}')
  stream.send('deploy', 'deployed v1.2 to web-1')
  stream.send('metrics', '{"cpu":0.9,"host":"web-2"}')
  stream.send('deploy', 'deployed v1.3 to web-2')
  await addStreamFeed()
  await expect.poll(rowCount, { timeout: 5000 }).toBe(4)

  await page.getByLabel('Event name').selectOption('deploy')
  await expect.poll(rowCount).toBe(2)
  await page.getByLabel('Search', { exact: true }).fill('V1.3')
  await expect.poll(rowCount).toBe(1)
  await page.getByText('Showing 1 of 4 events').waitFor()
  await page.getByLabel('Event name').selectOption('')
  await page.getByLabel('Search', { exact: true }).fill('web-2')
  await expect.poll(rowCount).toBe(2)
  await page.getByLabel('Search', { exact: true }).fill('')
  await expect.poll(rowCount).toBe(4)

  // JSON is pretty-printed in the detail pane; other data is shown as it came.
  await rows().filter({ hasText: '"cpu":0.9' }).click()
  const detail = page.getByRole('region', { name: 'Event #3' })
  const data = detail.getByRole('region', { name: 'Event data' })
  await expect.poll(() => data.textContent()).toBe('{\n  "cpu": 0.9,\n  "host": "web-2"\n}')
  await saveScreenshot(page, 'event-log-detail')
  await rows().filter({ hasText: 'v1.2' }).click()
  await expect
    .poll(() =>
      page
        .getByRole('region', { name: 'Event #2' })
        .getByRole('region', { name: 'Event data' })
        .textContent(),
    )
    .toBe('deployed v1.2 to web-1')

  // The keyboard moves the selection too.
  await log().focus()
  await page.keyboard.press('End')
  await page.getByRole('region', { name: 'Event #4' }).waitFor()
  await page.keyboard.press('ArrowUp')
  await page.getByRole('region', { name: 'Event #3' }).waitFor()
  await page.getByRole('button', { name: 'Close event details' }).click()
  await page.getByRole('region', { name: /^Event #/ }).waitFor({ state: 'detached' })
  expect(errors).toEqual([])
})

test('pausing keeps buffering and counts what is new until resumed', async () => {
  for (const n of [1, 2, 3]) stream.send('tick', `payload-${n}`)
  await addStreamFeed()
  await expect.poll(rowCount, { timeout: 5000 }).toBe(3)

  await page.getByRole('button', { name: 'Pause' }).click()
  for (const n of [4, 5, 6, 7]) stream.send('tick', `payload-${n}`)
  const resume = page.getByRole('button', { name: 'Resume (4 new)' })
  await resume.waitFor()
  expect(await rowCount()).toBe(3)
  await saveScreenshot(page, 'event-log-paused')
  await resume.click()
  await expect.poll(rowCount).toBe(7)
  await page.getByRole('button', { name: 'Pause' }).waitFor()
  expect(errors).toEqual([])
})

test('copy puts the event data on the clipboard', async () => {
  stream.send('note', 'copy me, "exactly"')
  await addStreamFeed()
  await rows().filter({ hasText: 'copy me' }).click()
  await page.getByRole('button', { name: 'Copy data' }).click()
  await page.getByText('Copied the data to the clipboard.').waitFor()
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe('copy me, "exactly"')
})

test('the events shown export as NDJSON and as correctly quoted CSV', async () => {
  const tricky = 'he said "hi", then\nleft'
  stream.send('note', tricky)
  stream.send('metrics', '{"cpu":0.5}')
  stream.send('note', 'plain')
  const name = await addStreamFeed()
  await expect.poll(rowCount, { timeout: 5000 }).toBe(3)
  await page.getByLabel('Event name').selectOption('note')
  await expect.poll(rowCount).toBe(2)

  const [ndjsonDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export NDJSON' }).click(),
  ])
  expect(ndjsonDownload.suggestedFilename()).toBe(`${name.replace(/ /g, '-')}-events.ndjson`)
  const ndjson = await readFile(await ndjsonDownload.path(), 'utf8')
  const lines = ndjson
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as { seq: number; event: string; id: string; data: string })
  expect(lines.map(({ seq, event, id, data }) => ({ seq, event, id, data }))).toEqual([
    { seq: 1, event: 'note', id: '1', data: tricky },
    { seq: 3, event: 'note', id: '3', data: 'plain' },
  ])

  const [csvDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ])
  const csv = await readFile(await csvDownload.path(), 'utf8')
  const records = csv.split('\r\n')
  expect(records[0]).toBe('seq,receivedAt,event,id,data')
  expect(records[1]).toMatch(/^1,\d{4}-\d\d-\d\dT[\d:.]+Z,note,1,"he said ""hi"", then\nleft"$/)
  expect(records[2]).toMatch(/^3,[^,]+,note,3,plain$/)
  expect(records[3]).toBe('')
  expect(records).toHaveLength(4)
  expect(errors).toEqual([])
})
