import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
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
 * Running profiles in Chromium against `feedwatch serve`: two walls of two running profiles, each
 * in its own window, keep updating while a third window creates, views and edits another profile;
 * a profile is started and stopped from the Profiles dialog.
 */

let app: ServedApp
let browser: Browser
let context: BrowserContext
let feed: MetronomeFeed
let errors: string[]

beforeAll(async () => {
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
})

beforeEach(async () => {
  app = await startServedApp()
  context = await browser.newContext({ viewport: { width: 1200, height: 800 } })
  feed = new MetronomeFeed()
  await feed.start()
  errors = []
})

afterEach(async () => {
  await context?.close()
  await feed?.stop()
  await app?.stop()
})

async function newWindow(path: string): Promise<Page> {
  const page = await context.newPage()
  errors.push(...collectPageErrors(page))
  await page.goto(`${app.url}${path}`)
  return page
}

/** A profile with one feed on the metronome and one tile of its value on the wall, running. */
async function runningProfileWithTile(name: string): Promise<void> {
  await apiCommand(app.url, 'profiles:create', { name })
  const added = await apiCommand(app.url, 'feeds:add', {
    profile: name,
    name: 'Metronome',
    url: `http://127.0.0.1:${feed.port}/events`,
  })
  await apiCommand(app.url, 'panels:save', {
    profile: name,
    id: 'beat',
    kind: 'tile',
    title: `${name} beat`,
    source: { feedId: added.id, path: 'v' },
  })
  await apiCommand(app.url, 'layout:save', { profile: name, wallPanels: ['beat'] })
  await apiCommand(app.url, 'profiles:start', { name })
}

function tileValue(wall: Page, title: string): Locator {
  return wall
    .getByRole('main', { name: 'Ops wall' })
    .getByRole('article', { name: title, exact: true })
    .getByTestId('tile-value')
}

/** Waits until the tile shows a value other than `than` (the wall is updating). */
async function changes(wall: Page, title: string, than?: string | null): Promise<string | null> {
  const value = tileValue(wall, title)
  await expect
    .poll(
      async () => {
        const text = await value.textContent()
        return text !== null && /\d/.test(text) && text !== than
      },
      { timeout: 10_000 },
    )
    .toBe(true)
  return value.textContent()
}

test('two walls of two running profiles keep updating while another window creates, views and edits a profile', async () => {
  await runningProfileWithTile('Blue')
  await runningProfileWithTile('Green')
  const blue = await newWindow('/wall/Blue')
  const green = await newWindow('/wall/Green')
  await blue.getByRole('heading', { level: 1, name: /^Blue/ }).waitFor()
  await green.getByRole('heading', { level: 1, name: /^Green/ }).waitFor()
  const blueBefore = await changes(blue, 'Blue beat')
  const greenBefore = await changes(green, 'Green beat')

  // A third window creates a profile (and shows it), edits it and views another.
  const main = await newWindow('/')
  await main.getByRole('button', { name: 'Manage profiles' }).click()
  const dialog = main.getByRole('dialog', { name: 'Profiles' })
  await dialog.getByLabel('Name', { exact: true }).fill('Red')
  await dialog.getByRole('button', { name: 'Create profile' }).click()
  await dialog.getByText('Created “Red” and switched to it.').waitFor()
  await dialog.getByRole('button', { name: 'Done' }).click()
  await main.getByLabel('Theme').selectOption('dark')
  await expect
    .poll(async () => (await apiCommand(app.url, 'profiles:active', { name: 'Red' })).profile)
    .toMatchObject({ settings: { theme: 'dark' } })
  await main.getByLabel('Profile', { exact: true }).selectOption('Demo')

  // Both walls still show their own profile, live.
  await changes(blue, 'Blue beat', blueBefore)
  await changes(green, 'Green beat', greenBefore)
  expect(await blue.getByRole('heading', { level: 1, name: /^Blue/ }).count()).toBe(1)
  expect(await green.getByRole('heading', { level: 1, name: /^Green/ }).count()).toBe(1)
  expect(
    await blue
      .getByRole('status')
      .filter({ hasText: /STALE|FAILED/ })
      .count(),
  ).toBe(0)
  const running = await apiCommand(app.url, 'profiles:running', {})
  expect(running.map((status) => status.profile)).toEqual(['Blue', 'Demo', 'Green'])
  await saveScreenshot(blue, 'wall-blue')
  expect(errors).toEqual([])
})

test('a profile is started and stopped from the Profiles dialog, and its wall says when it is stopped', async () => {
  await runningProfileWithTile('Night')
  await apiCommand(app.url, 'profiles:stop', { name: 'Night' })
  const wall = await newWindow('/wall/Night')
  await wall.getByRole('status').filter({ hasText: '“Night” is stopped' }).waitFor()
  // Its rules are not evaluated: the strip does not claim that nothing fires.
  await wall
    .getByRole('region', { name: 'Firing alerts' })
    .getByText('No rules evaluated: the profile is stopped')
    .waitFor()

  const main = await newWindow('/')
  await main.getByRole('button', { name: 'Manage profiles' }).click()
  const dialog = main.getByRole('dialog', { name: 'Profiles' })
  const row = dialog.getByRole('row', { name: /^Night/ })
  await row.getByText('stopped').waitFor()
  await dialog.getByRole('button', { name: 'Start Night' }).click()
  await dialog.getByText('Started “Night”.').waitFor()
  await row.getByText('running').waitFor()

  // The wall window hears of it and goes live without a reload.
  await changes(wall, 'Night beat')
  await dialog.getByRole('button', { name: 'Stop Night' }).click()
  await dialog.getByText('Stopped “Night”.').waitFor()
  await wall.getByRole('status').filter({ hasText: '“Night” is stopped' }).waitFor()

  // Started again, its feeds count their events from 1 again: the wall follows the new run.
  await dialog.getByRole('button', { name: 'Start Night' }).click()
  await dialog.getByText('Started “Night”.').waitFor()
  const first = await changes(wall, 'Night beat')
  await changes(wall, 'Night beat', first)
  expect(errors).toEqual([])
})

test('a wall follows its profile when another window renames it, address included', async () => {
  await runningProfileWithTile('Blue')
  const wall = await newWindow('/wall/Blue')
  const before = await changes(wall, 'Blue beat')
  await apiCommand(app.url, 'profiles:rename', { name: 'Blue', newName: 'Azure' })
  await wall.getByRole('heading', { level: 1, name: /^Azure/ }).waitFor()
  await expect.poll(() => new URL(wall.url()).hash).toBe('#/wall/Azure')
  await changes(wall, 'Blue beat', before)
  expect(errors).toEqual([])
})

test("w shows the wall of the window's own profile, whatever another window switched to since", async () => {
  await runningProfileWithTile('Blue')
  const mine = await newWindow('/')
  await mine.getByLabel('Profile', { exact: true }).selectOption('Blue')
  await mine.getByRole('heading', { name: 'Dashboard' }).first().waitFor()
  const other = await newWindow('/')
  await other.getByLabel('Profile', { exact: true }).selectOption('Demo')
  await expect
    .poll(async () => (await apiCommand(app.url, 'profiles:active', {})).profile.name)
    .toBe('Demo')

  await mine.keyboard.press('w')
  await mine.getByRole('heading', { level: 1, name: /^Blue/ }).waitFor()
  await changes(mine, 'Blue beat')
  expect(errors).toEqual([])
})
