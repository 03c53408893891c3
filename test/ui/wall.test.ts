import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import type { CommandName, CommandRequest, CommandResponses } from '../../src/shared/api'
import { MetronomeFeed } from '../support/metronome-feed'
import { apiCommand } from './api-command'
import {
  collectPageErrors,
  launchChromium,
  saveScreenshot,
  startServedApp,
  type ServedApp,
} from './harness'

/*
 * The ops wall in Chromium against `feedwatch serve`: the Demo profile's wall panels, "last updated"
 * on each, the stale and failed states when a feed is disconnected (a command sent straight to
 * the API, as another operator's browser would) or goes quiet, the alert strip, leaving the wall,
 * kiosk mode, arranging panels, the playlist and a wall per profile. Each test gets a fresh app.
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

/** Runs a command against this test's server. */
function command<N extends CommandName>(
  name: N,
  request: CommandRequest<N>,
): Promise<CommandResponses[N]> {
  return apiCommand(app.url, name, request)
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

    // Every 200 ms is its usual interval (known from three points on: wait for the fourth value),
    // so quiet for longer than 3 × that (and the 2 s floor) is stale.
    await expect
      .poll(async () => Number(await panel.getByTestId('tile-value').textContent()))
      .toBeGreaterThanOrEqual(4)
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

/** The area two boxes share, or 0 when they do not overlap. */
function overlap(
  a: { x: number; y: number; width: number; height: number },
  b: { x: number; y: number; width: number; height: number },
): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return width > 0 && height > 0 ? width * height : 0
}

/** Where an element is on the page; it must be laid out. */
async function boxOf(
  locator: Locator,
): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await locator.boundingBox()
  if (box === null) throw new Error('not laid out')
  return box
}

/** Whether the element's centre is the topmost thing there: nothing is drawn over it. */
async function onTop(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => {
    const box = element.getBoundingClientRect()
    const hit = element.ownerDocument.elementFromPoint(
      box.x + box.width / 2,
      box.y + box.height / 2,
    )
    return hit !== null && (hit === element || element.contains(hit))
  })
}

test('a FAILED panel keeps its title and last value readable beside the band', async () => {
  await page.goto(`${app.url}/wall`)
  const panel = wallPanel('CPU now')
  const value = panel.getByTestId('tile-value')
  await expect.poll(() => value.textContent(), { timeout: 10_000 }).toMatch(/\d/)

  await command('feeds:disconnect', { id: 'demo' })
  const band = panel.getByRole('status').filter({ hasText: 'FAILED: disconnected' })
  await band.waitFor()
  const lastValue = await value.textContent()
  expect(lastValue).toMatch(/\d/)

  const title = panel.getByRole('heading', { name: 'CPU now' })
  const panelBox = await boxOf(panel)
  const bandBox = await boxOf(band)
  const titleBox = await boxOf(title)
  const valueBox = await boxOf(value)
  // The band sits between the title and the value, inside the panel, covering neither.
  expect(overlap(bandBox, titleBox)).toBe(0)
  expect(overlap(bandBox, valueBox)).toBe(0)
  expect(bandBox.y).toBeGreaterThanOrEqual(titleBox.y + titleBox.height - 1)
  expect(valueBox.y).toBeGreaterThanOrEqual(bandBox.y + bandBox.height - 1)
  for (const box of [titleBox, valueBox]) {
    expect(box.y + box.height).toBeLessThanOrEqual(panelBox.y + panelBox.height + 1)
    expect(box.height).toBeGreaterThan(10)
  }
  expect(await onTop(title)).toBe(true)
  expect(await onTop(value)).toBe(true)
  // The value shown is the last one received, and it stays.
  expect(await value.textContent()).toBe(lastValue)
  await saveScreenshot(page, 'wall-failed-band')
  expect(errors).toEqual([])
})

test('the alert strip counts the firing alerts and names them, most severe first', async () => {
  await page.goto(`${app.url}/wall`)
  const strip = page.getByRole('region', { name: 'Firing alerts' })
  await strip.getByText('No alerts firing').waitFor()

  // Two rules that hold for every demo metrics event: a warning, then a critical one.
  for (const [id, name, severity] of [
    ['any-cpu', 'CPU reported', 'warning'],
    ['any-p99', 'Latency reported', 'critical'],
  ] as const) {
    await command('rules:save', {
      kind: 'condition',
      id,
      name,
      severity,
      source: {
        feedId: 'demo',
        event: 'metrics',
        path: id === 'any-cpu' ? 'cpu' : 'latencyMs.p99',
      },
      operator: '>=',
      value: -1,
    })
  }
  await strip.getByText('2 alerts firing').waitFor({ timeout: 10_000 })
  const names = await strip.getByRole('listitem').allTextContents()
  expect(names.map((text) => text.trim())).toEqual([
    expect.stringMatching(/critical\s+Latency reported/),
    expect.stringMatching(/warning\s+CPU reported/),
  ])
  expect(errors).toEqual([])
})

test('Esc leaves the wall, and so does the button that shows when the mouse moves', async () => {
  await page.goto(`${app.url}/wall`)
  const wall = page.getByRole('main', { name: 'Ops wall' })
  await wall.waitFor()
  const leaveButton = page.getByRole('button', { name: 'Leave wall' })
  expect(await leaveButton.count()).toBe(0)

  await page.keyboard.press('Escape')
  await wall.waitFor({ state: 'detached' })
  expect(new URL(page.url()).hash).toBe('#/')

  await page.goto(`${app.url}/wall`)
  await wall.waitFor()
  await page.mouse.move(200, 300)
  await page.mouse.move(240, 320)
  await leaveButton.click()
  await wall.waitFor({ state: 'detached' })
  expect(errors).toEqual([])
})

test('?kiosk shows no control, even when the mouse moves', async () => {
  await page.goto(`${app.url}/wall?kiosk`)
  const wall = page.getByRole('main', { name: 'Ops wall' })
  await expect.poll(() => wallPanel('CPU now').count()).toBe(1)
  await page.mouse.move(200, 300)
  await page.mouse.move(240, 320)
  await page.waitForTimeout(300)
  expect(await wall.getByRole('button').count()).toBe(0)
  expect(errors).toEqual([])
})

test('panels are ordered and sized on the wall, and the profile keeps it', async () => {
  await page.goto(`${app.url}/wall`)
  await expect.poll(() => wallPanel('CPU').count()).toBe(1)
  await page.mouse.move(200, 300)
  await page.getByRole('button', { name: 'Arrange' }).click()

  const before = await wallPanel('CPU').boundingBox()
  const arrange = page.getByRole('group', { name: 'Arrange CPU', exact: true })
  await arrange.getByLabel('Size').selectOption('2x2')
  await expect
    .poll(async () => (await wallPanel('CPU').boundingBox())?.width ?? 0)
    .toBeGreaterThan((before?.width ?? 0) * 1.8)
  await page.getByRole('button', { name: 'Move CPU now later' }).click()
  await expect
    .poll(async () => (await command('profiles:active', {})).profile.layout)
    .toMatchObject({
      wallPanels: ['p99-now', 'cpu-now', 'cpu-chart', 'latency-chart', 'rps-chart', 'memory-chart'],
      wallSizes: { 'cpu-chart': '2x2' },
    })
  await saveScreenshot(page, 'wall-arranged')

  // A reload shows the same arrangement: it is the profile's.
  await page.goto(`${app.url}/wall`)
  await expect.poll(() => wallPanel('CPU').count()).toBe(1)
  const cpu = await wallPanel('CPU').boundingBox()
  const p99 = await wallPanel('p99 latency').boundingBox()
  const cpuNow = await wallPanel('CPU now').boundingBox()
  expect(p99?.x).toBeLessThan(cpuNow?.x ?? 0)
  expect(cpu?.width).toBeGreaterThan((p99?.width ?? 0) * 1.8)
  expect(cpu?.height).toBeGreaterThan((p99?.height ?? 0) * 1.8)
  expect(errors).toEqual([])
})

test('a playlist turns to the next wall page every N seconds and comes back', async () => {
  await command('layout:save', {
    wallPanels: ['cpu-now', 'p99-now'],
    wallPages: [{ title: 'Traffic', panels: ['rps-chart'] }],
    wallRotateSeconds: 1,
  })
  await page.goto(`${app.url}/wall`)
  const heading = page.getByRole('heading', { level: 1 })
  await heading.getByText('Traffic (2/2)').waitFor({ timeout: 5000 })
  expect(await wallPanel('Requests per second').count()).toBe(1)
  expect(await wallPanel('CPU now').count()).toBe(0)
  await heading.getByText('Page 1 (1/2)').waitFor({ timeout: 5000 })
  expect(await wallPanel('CPU now').count()).toBe(1)
  expect(errors).toEqual([])
})

test("/wall/<profile> shows that profile's wall, whichever profile is the default", async () => {
  await command('profiles:duplicate', { name: 'Demo', newName: 'Lobby TV' })
  await command('layout:save', { profile: 'Lobby TV', wallPanels: ['memory-chart'] })
  await command('profiles:start', { name: 'Lobby TV' })
  await page.goto(`${app.url}/wall/Lobby%20TV`)
  await page.getByRole('heading', { name: /Lobby TV/ }).waitFor()
  await expect.poll(() => page.getByRole('article').count()).toBe(1)
  await expect
    .poll(
      () =>
        wallPanel('Memory')
          .getByText(/Updated (just now|\d+ s ago)/)
          .count(),
      {
        timeout: 10_000,
      },
    )
    .toBe(1)
  expect(errors).toEqual([])
})

test('a read-only server keeps the wall as it is and says why when it is arranged', async () => {
  const readOnly = await startServedApp(['--read-only'])
  try {
    await page.goto(`${readOnly.url}/wall`)
    await expect.poll(() => wallPanel('CPU').count()).toBe(1)
    await page.mouse.move(200, 300)
    await page.getByRole('button', { name: 'Arrange' }).click()
    await page.getByRole('button', { name: 'Move CPU now later' }).click()
    await page
      .getByRole('alert')
      .filter({ hasText: /read-only/ })
      .waitFor()
    const { layout } = (await apiCommand(readOnly.url, 'profiles:active', {})).profile
    expect(layout.wallPanels[0]).toBe('cpu-now')
    expect(errors.filter((error) => !/status of 403/.test(error))).toEqual([])
  } finally {
    await readOnly.stop()
  }
})

test('a new tile goes on the wall unless "Show on wall" is unticked in its editor', async () => {
  const makeTile = async (title: string, onWall: boolean): Promise<void> => {
    await page.getByRole('button', { name: 'New tile' }).click()
    const dialog = page.getByRole('dialog', { name: 'New tile' })
    await dialog.getByLabel('Event', { exact: true }).selectOption('metrics')
    await dialog.getByLabel('Number in the latest event').selectOption('rps')
    await dialog.getByRole('button', { name: 'Use field', exact: true }).click()
    await dialog.getByLabel('Title').fill(title)
    const showOnWall = dialog.getByRole('checkbox', { name: 'Show on wall' })
    expect(await showOnWall.isChecked()).toBe(true)
    if (!onWall) await showOnWall.uncheck()
    await dialog.getByRole('button', { name: 'Save tile' }).click()
    await dialog.waitFor({ state: 'detached' })
  }
  await page.goto(`${app.url}/#/feeds/demo/charts`)
  await page.getByRole('heading', { name: 'Charts' }).waitFor()
  await makeTile('Requests now', true)
  await makeTile('Requests kept off', false)

  await page.goto(`${app.url}/wall`)
  await expect.poll(() => wallPanel('Requests now').count()).toBe(1)
  expect(await wallPanel('Requests kept off').count()).toBe(0)
  expect(errors).toEqual([])
})

test('a key shows the controls, and they stay while the keyboard is on them', async () => {
  await page.goto(`${app.url}/wall`)
  const wall = page.getByRole('main', { name: 'Ops wall' })
  await wall.waitFor()
  await page.keyboard.press('Tab')
  const leaveButton = page.getByRole('button', { name: 'Leave wall' })
  await leaveButton.focus()
  // Longer than the controls stay after the last key or mouse movement.
  await page.waitForTimeout(3500)
  expect(await leaveButton.isVisible()).toBe(true)
  await page.keyboard.press('Enter')
  await wall.waitFor({ state: 'detached' })
  expect(errors).toEqual([])
})
