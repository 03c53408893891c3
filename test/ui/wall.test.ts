import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import type { CommandName, CommandRequest, CommandResponses, Result } from '../../src/shared/api'
import {
  collectPageErrors,
  launchChromium,
  saveScreenshot,
  startServedApp,
  type ServedApp,
} from './harness'

/*
 * The ops wall in Chromium against `feedwatch serve`: the Demo profile's wall panels, "last updated"
 * on each, and the stale and failed states when a feed is disconnected (a command sent straight to
 * the API, as another operator's browser would) or goes quiet. Each test gets a fresh app.
 */

const DEMO_PANELS = ['CPU now', 'p99 latency', 'CPU', 'Latency', 'Requests per second', 'Memory']

let app: ServedApp
let browser: Browser
let page: Page
let errors: string[]

beforeAll(async () => {
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
})

beforeEach(async () => {
  app = await startServedApp()
  page = await browser.newPage({ viewport: { width: 1600, height: 900 } })
  errors = collectPageErrors(page)
})

afterEach(async () => {
  await page?.close()
  await app?.stop()
})

/** Runs a command against the server the way the browser's api adapter does. */
async function command<N extends CommandName>(
  name: N,
  request: CommandRequest<N>,
): Promise<CommandResponses[N]> {
  const [domain, verb] = name.split(':')
  const response = await fetch(`${app.url}/api/${domain}/${verb}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
  })
  const result = (await response.json()) as Result<CommandResponses[N]>
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`)
  return result.value
}

function wallPanel(title: string): Locator {
  return page
    .getByRole('main', { name: 'Ops wall' })
    .getByRole('article', { name: title, exact: true })
}

test('the wall at /wall shows every wall panel of the Demo profile with "Updated …"', async () => {
  await page.goto(`${app.url}/wall`)
  const wall = page.getByRole('main', { name: 'Ops wall' })
  await wall.waitFor()
  await expect.poll(() => wall.getByRole('article').count()).toBe(DEMO_PANELS.length)
  for (const title of DEMO_PANELS) {
    await expect
      .poll(
        () =>
          wallPanel(title)
            .getByText(/Updated (just now|\d+ s ago)/)
            .count(),
        {
          timeout: 10_000,
        },
      )
      .toBe(1)
  }
  // Six panels lay out as three columns: the first three share a row, the fourth starts the next.
  const boxes = await Promise.all(
    DEMO_PANELS.slice(0, 4).map((title) => wallPanel(title).boundingBox()),
  )
  expect(boxes[1]?.y).toBe(boxes[0]?.y)
  expect(boxes[2]?.y).toBe(boxes[0]?.y)
  expect(boxes[3]?.y).toBeGreaterThan(boxes[0]?.y ?? 0)
  expect(boxes[3]?.x).toBe(boxes[0]?.x)
  // The charts are live: their point counts grow.
  const summary = wallPanel('CPU').getByText(/CPU: \d+ points/)
  const count = async (): Promise<number> =>
    Number(/(\d+) points/.exec((await summary.textContent()) ?? '')?.[1] ?? -1)
  await expect.poll(count, { timeout: 10_000 }).toBeGreaterThan(0)
  const before = await count()
  await expect.poll(count, { timeout: 10_000 }).toBeGreaterThan(before)
  expect(
    await wall
      .getByRole('status')
      .filter({ hasText: /STALE|FAILED/ })
      .count(),
  ).toBe(0)
  await saveScreenshot(page, 'wall')
  expect(errors).toEqual([])
})

test('the wall also opens at #/wall', async () => {
  await page.goto(`${app.url}/#/wall`)
  await page.getByRole('main', { name: 'Ops wall' }).waitFor()
  await expect.poll(() => wallPanel('CPU now').count()).toBe(1)
  expect(errors).toEqual([])
})

test('a disconnected feed turns every panel to FAILED, and back when it reconnects', async () => {
  await page.goto(`${app.url}/wall`)
  const wall = page.getByRole('main', { name: 'Ops wall' })
  await expect
    .poll(
      () =>
        wallPanel('CPU')
          .getByText(/Updated (just now|\d+ s ago)/)
          .count(),
      {
        timeout: 10_000,
      },
    )
    .toBe(1)

  await command('feeds:disconnect', { id: 'demo' })
  const failed = wall.getByRole('status').filter({ hasText: 'FAILED: disconnected' })
  await expect.poll(() => failed.count(), { timeout: 10_000 }).toBe(DEMO_PANELS.length)
  await saveScreenshot(page, 'wall-failed')

  await command('feeds:connect', { id: 'demo' })
  await expect.poll(() => failed.count(), { timeout: 10_000 }).toBe(0)
  expect(errors).toEqual([])
})

/** An SSE server sending `{"v": n}` every 200 ms until paused; the stream stays open when paused. */
class MetronomeFeed {
  private server: Server | undefined
  private readonly clients = new Set<ServerResponse>()
  private timer: NodeJS.Timeout | undefined
  private n = 0
  port = 0

  async start(): Promise<void> {
    this.server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
      response.write(': hello\n\n')
      this.clients.add(response)
      response.on('close', () => this.clients.delete(response))
    })
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
    this.port = (this.server.address() as AddressInfo).port
    this.resume()
  }

  pause(): void {
    clearInterval(this.timer)
  }

  resume(): void {
    this.timer = setInterval(() => {
      this.n++
      for (const client of this.clients) client.write(`data: {"v": ${this.n % 17}}\n\n`)
    }, 200)
  }

  async stop(): Promise<void> {
    this.pause()
    for (const client of this.clients) client.destroy()
    await new Promise<void>((resolve) => this.server?.close(() => resolve()))
  }
}

test('a panel whose feed goes quiet turns STALE, and live again when data returns', async () => {
  const feed = new MetronomeFeed()
  await feed.start()
  try {
    const added = await command('feeds:add', {
      name: 'Metronome',
      url: `http://127.0.0.1:${feed.port}/events`,
    })
    await command('panels:save', {
      id: 'metronome-tile',
      kind: 'tile',
      title: 'Metronome',
      source: { feedId: added.id, path: 'v' },
    })
    await command('layout:save', { wallPanels: ['metronome-tile'] })

    await page.goto(`${app.url}/wall`)
    const panel = wallPanel('Metronome')
    await expect
      .poll(() => panel.getByText(/Updated (just now|\d+ s ago)/).count(), { timeout: 10_000 })
      .toBe(1)
    const stale = panel.getByRole('status').filter({ hasText: 'STALE' })
    expect(await stale.count()).toBe(0)

    // Every 200 ms is its usual interval: quiet for longer than 3 × that (and the 2 s floor) is stale.
    feed.pause()
    await expect.poll(() => stale.count(), { timeout: 10_000 }).toBe(1)
    await expect
      .poll(() => panel.getByText(/no new data for .+ \(usually every 0\.2 s\)/).count())
      .toBe(1)
    await saveScreenshot(page, 'wall-stale')

    feed.resume()
    await expect.poll(() => stale.count(), { timeout: 10_000 }).toBe(0)
    expect(errors).toEqual([])
  } finally {
    await feed.stop()
  }
})
