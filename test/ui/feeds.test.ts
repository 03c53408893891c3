import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
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
 * Feeds through the UI, as a person does it: the add-feed dialog, the sidebar's state badges and the
 * event log, against SSE servers started here on 127.0.0.1. One app and one browser for the file;
 * each test has its own page, its own SSE server and its own feed names.
 */

interface SentEvent {
  readonly id: string
  readonly event: string
  readonly data: string
}

/**
 * A small SSE server that keeps a log of every event and, like a well-behaved server, replays what
 * came after `Last-Event-ID` when a client reconnects. `/no-content` answers 204, anything else 404.
 */
class SseTestServer {
  readonly log: SentEvent[] = []
  port = 0
  private server: Server | undefined
  private readonly clients = new Set<ServerResponse>()

  async start(port = 0): Promise<void> {
    const server = createServer((request, response) => this.handle(request, response))
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => resolve())
    })
    this.server = server
    this.port = (server.address() as AddressInfo).port
  }

  url(path = '/events'): string {
    return `http://127.0.0.1:${this.port}${path}`
  }

  send(event: string, data: string): void {
    const sent = { id: String(this.log.length + 1), event, data }
    this.log.push(sent)
    for (const client of this.clients) client.write(frame(sent))
  }

  /** Closes every stream and the port, as a crashed or restarted server would. */
  async stop(): Promise<void> {
    const server = this.server
    if (server === undefined) return
    this.server = undefined
    for (const client of this.clients) client.destroy()
    this.clients.clear()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    if (request.url === '/no-content') {
      response.writeHead(204).end()
      return
    }
    if (request.url !== '/events') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('no stream at this path')
      return
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    const after = request.headers['last-event-id']
    const from = after === undefined ? 0 : this.log.findIndex((sent) => sent.id === after) + 1
    response.write(': hello\n\n')
    for (const sent of this.log.slice(from)) response.write(frame(sent))
    this.clients.add(response)
    request.on('close', () => this.clients.delete(response))
  }
}

function frame(sent: SentEvent): string {
  const data = sent.data
    .split('\n')
    .map((line) => `data: ${line}\n`)
    .join('')
  return `id: ${sent.id}\nevent: ${sent.event}\n${data}\n`
}

let app: ServedApp
let browser: Browser
let sse: SseTestServer
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
  sse = new SseTestServer()
  await sse.start()
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  page.setDefaultTimeout(10_000)
  errors = collectPageErrors(page)
  await page.goto(`${app.url}/#/feeds`)
  await page.getByRole('navigation', { name: 'Feeds' }).waitFor()
})

afterEach(async () => {
  await page?.close()
  await sse?.stop()
})

interface FeedInput {
  readonly name: string
  readonly url: string
  readonly reconnectDelay?: string
  readonly maxReconnectDelay?: string
  readonly unlimited?: boolean
}

/** Opens the add-feed dialog with the sidebar's button. */
async function openAddDialog(): Promise<Locator> {
  await page
    .getByRole('navigation', { name: 'Feeds' })
    .getByRole('button', { name: 'Add feed' })
    .click()
  const dialog = page.getByRole('dialog', { name: 'Add feed' })
  await dialog.waitFor()
  return dialog
}

/** Adds a feed through the dialog, as a person would type it. */
async function addFeed(input: FeedInput): Promise<void> {
  const dialog = await openAddDialog()
  await dialog.getByLabel('URL', { exact: true }).fill(input.url)
  await dialog.getByLabel('Name', { exact: true }).fill(input.name)
  if (input.reconnectDelay !== undefined)
    await dialog.getByLabel('First delay (ms)').fill(input.reconnectDelay)
  if (input.maxReconnectDelay !== undefined)
    await dialog.getByLabel('Longest delay (ms)').fill(input.maxReconnectDelay)
  if (input.unlimited === true) await dialog.getByLabel('Unlimited').check()
  await dialog.getByRole('button', { name: 'Add feed' }).click()
  await dialog.waitFor({ state: 'hidden' })
}

/** The sidebar entry of a feed. */
function feedEntry(name: string): Locator {
  return page
    .getByRole('navigation', { name: 'Feeds' })
    .getByRole('link', { name: new RegExp(`^${name}\\b`) })
}

/**
 * Waits until the feed's badge in the sidebar says something matching `label` (a pattern of the
 * words after the badge's decorative symbol: `^live$`).
 */
async function waitForBadge(name: string, label: RegExp): Promise<void> {
  const text = new RegExp(`^\\S\\s*${label.source.replace(/^\^/, '')}`)
  await feedEntry(name).getByTestId('state-badge').filter({ hasText: text }).waitFor()
}

/** The `payload-N` numbers of the rows the event log shows, top to bottom. */
async function loggedPayloads(): Promise<number[]> {
  const texts = await page
    .getByRole('listbox', { name: 'Events' })
    .getByRole('option')
    .allTextContents()
  return texts.map((text) => Number(/payload-(\d+)/.exec(text)?.[1] ?? NaN))
}

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, index) => from + index)

test('a feed added through the dialog is tested first, then shows live with its events in the log', async () => {
  // Five events: the test connection reports as soon as it has that many.
  for (const n of range(1, 5)) sse.send('tick', `payload-${n}`)
  const dialog = await openAddDialog()
  await dialog.getByLabel('URL', { exact: true }).fill(sse.url())
  await dialog.getByLabel('Name', { exact: true }).fill('Ticks')
  await dialog.getByRole('button', { name: 'Test connection' }).click()
  await dialog.getByText('Connected: the server streams events.').waitFor()
  await dialog.getByText('text/event-stream').waitFor()
  await dialog.getByText('payload-5').waitFor()
  await saveScreenshot(page, 'feed-dialog-tested')
  await dialog.getByRole('button', { name: 'Add feed' }).click()
  await dialog.waitFor({ state: 'hidden' })

  await waitForBadge('Ticks', /^live$/)
  await expect.poll(loggedPayloads, { timeout: 8000 }).toEqual(range(1, 5))
  sse.send('tick', 'payload-6')
  await expect.poll(loggedPayloads, { timeout: 8000 }).toEqual(range(1, 6))
  await page.getByRole('heading', { name: 'Ticks' }).waitFor()
  await saveScreenshot(page, 'main-view')
  expect(errors).toEqual([])
})

test('after the server restarts, reconnecting turns back into live with no event lost or doubled', async () => {
  for (const n of [1, 2, 3]) sse.send('tick', `payload-${n}`)
  await addFeed({
    name: 'Restarts',
    url: sse.url(),
    reconnectDelay: '200',
    maxReconnectDelay: '600',
    unlimited: true,
  })
  await waitForBadge('Restarts', /^live$/)
  await expect.poll(loggedPayloads, { timeout: 8000 }).toEqual([1, 2, 3])

  const port = sse.port
  await sse.stop()
  await waitForBadge('Restarts', /^reconnecting attempt \d+ (in \d+ s|now)$/)
  await saveScreenshot(page, 'feed-reconnecting')
  // Sent while the feed is away: the server replays them after Last-Event-ID.
  for (const n of [4, 5, 6]) sse.send('tick', `payload-${n}`)
  await sse.start(port)

  await waitForBadge('Restarts', /^live$/)
  sse.send('tick', 'payload-7')
  await expect.poll(loggedPayloads, { timeout: 8000 }).toEqual(range(1, 7))
  expect(errors).toEqual([])
})

test('a reconnecting feed counts attempts out of its limit and down to the next try', async () => {
  sse.send('tick', 'payload-1')
  await addFeed({ name: 'Counted', url: sse.url(), reconnectDelay: '3000' })
  await waitForBadge('Counted', /^live$/)
  await sse.stop()
  // The default limit is 5 attempts; the countdown starts at the delay (3 s ± 20 % jitter).
  await waitForBadge('Counted', /^reconnecting 1\/5 in [234] s$/)
  await waitForBadge('Counted', /^reconnecting 1\/5 in [12] s$/)
})

test('a feed that goes quiet for longer than its stale timeout shows stale while it reconnects', async () => {
  sse.send('tick', 'payload-1')
  const dialog = await openAddDialog()
  await dialog.getByLabel('URL', { exact: true }).fill(sse.url())
  await dialog.getByLabel('Name', { exact: true }).fill('Quiet')
  await dialog.getByLabel('Stale after (ms)').fill('1000')
  await dialog.getByRole('button', { name: 'Add feed' }).click()
  await dialog.waitFor({ state: 'hidden' })
  await waitForBadge('Quiet', /^live$/)
  await waitForBadge('Quiet', /^stale, reconnecting \d\/5 (in \d+ s|now)$/)
  expect(errors).toEqual([])
})

test('a 204 shows closed and a 404 shows failed with the reason', async () => {
  await addFeed({ name: 'No content', url: sse.url('/no-content') })
  await waitForBadge('No content', /^closed$/)
  await addFeed({ name: 'Missing', url: sse.url('/missing') })
  await waitForBadge('Missing', /^failed: .*404/)
  // The selected feed's header says why, in words, with what the server said one click away.
  await page
    .getByRole('main')
    .getByText('Reason: The server answered 404 Not Found — check the URL.')
    .waitFor()
  await page.getByRole('main').getByText('Technical detail').click()
  await page.getByRole('main').getByText('no stream at this path', { exact: false }).waitFor()
  await saveScreenshot(page, 'feed-failed')
  expect(errors).toEqual([])
})

test('the URL is checked as it is typed, and engine problems appear next to their field', async () => {
  const dialog = await openAddDialog()
  const url = dialog.getByLabel('URL', { exact: true })
  await url.fill('ftp://example.com/events')
  await dialog
    .getByText('Only http:// and https:// URLs can be watched (this one is ftp:).')
    .waitFor()
  expect(await url.getAttribute('aria-invalid')).toBe('true')
  await url.fill('example.com')
  await dialog.getByText('Enter a complete URL, such as https://example.com/events.').waitFor()
  await url.fill(sse.url())
  expect(await url.getAttribute('aria-invalid')).toBe('false')

  await dialog.getByLabel('Name', { exact: true }).fill('Bad header')
  await dialog.getByRole('button', { name: 'Add header' }).click()
  const headerName = dialog.getByLabel('Header 1 name')
  await headerName.fill('not a header')
  await dialog.getByLabel('Header 1 value').fill('x')
  await dialog.getByRole('button', { name: 'Add feed' }).click()
  // The engine refuses the name; its message sits under that field and describes it.
  await expect.poll(() => headerName.getAttribute('aria-invalid'), { timeout: 5000 }).toBe('true')
  const describedBy = (await headerName.getAttribute('aria-describedby')) ?? ''
  expect(describedBy).not.toBe('')
  expect(await page.locator(`[id="${describedBy}"]`).textContent()).toMatch(/header name/)
  await saveScreenshot(page, 'feed-dialog-errors')

  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'hidden' })
  // The refused command is a 400 answer, which Chromium logs; nothing else may appear.
  expect(errors.filter((error) => !/status of 400/.test(error))).toEqual([])
})

test('a secret header value is masked, and the body is asked for only for methods that send one', async () => {
  const dialog = await openAddDialog()
  await dialog.getByRole('button', { name: 'Add header' }).click()
  const value = dialog.getByLabel('Header 1 value')
  await value.fill('Bearer s3cret')
  expect(await value.getAttribute('type')).toBe('text')
  await dialog.getByRole('checkbox', { name: /^Secret/ }).check()
  await expect.poll(() => value.getAttribute('type')).toBe('password')

  expect(await dialog.getByLabel('Request body').count()).toBe(0)
  await dialog.getByLabel('Method').selectOption('POST')
  await dialog.getByLabel('Request body').waitFor()
  // The reconnect options show the engine's defaults.
  expect(await dialog.getByLabel('First delay (ms)').getAttribute('placeholder')).toBe('1000')
  expect(await dialog.getByLabel('Attempts in a row').getAttribute('placeholder')).toBe('5')
  expect(await dialog.getByLabel('Longest delay (ms)').getAttribute('placeholder')).toBe('30000')
  expect(await dialog.getByLabel('Stale after (ms)').getAttribute('placeholder')).toBe('45000')
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await dialog.waitFor({ state: 'hidden' })
})

test('a feed can be disabled, enabled, disconnected, connected, retried, edited and removed', async () => {
  sse.send('tick', 'payload-1')
  await addFeed({ name: 'Handled', url: sse.url() })
  await waitForBadge('Handled', /^live$/)
  const main = page.getByRole('main')

  await main.getByRole('button', { name: 'Disable' }).click()
  await waitForBadge('Handled', /^disabled$/)
  await main.getByRole('button', { name: 'Enable' }).click()
  await waitForBadge('Handled', /^live$/)

  await main.getByRole('button', { name: 'Disconnect' }).click()
  await waitForBadge('Handled', /^closed$/)
  await main.getByRole('button', { name: 'Connect', exact: true }).click()
  await waitForBadge('Handled', /^live$/)
  await main.getByRole('button', { name: 'Retry now' }).click()
  await waitForBadge('Handled', /^live$/)

  await main.getByRole('button', { name: 'Edit' }).click()
  const edit = page.getByRole('dialog', { name: /Edit feed/ })
  await edit.getByLabel('Name', { exact: true }).fill('Handled again')
  await edit.getByRole('button', { name: 'Save feed' }).click()
  await edit.waitFor({ state: 'hidden' })
  await feedEntry('Handled again').waitFor()

  await main.getByRole('button', { name: 'Remove' }).click()
  const confirm = page.getByRole('dialog', { name: 'Remove feed' })
  // Cancel first: nothing happens.
  await confirm.getByRole('button', { name: 'Cancel' }).click()
  await confirm.waitFor({ state: 'hidden' })
  await feedEntry('Handled again').waitFor()
  await main.getByRole('button', { name: 'Remove' }).click()
  await confirm.getByRole('button', { name: 'Remove feed' }).click()
  await feedEntry('Handled again').waitFor({ state: 'detached' })
  expect(errors).toEqual([])
})
