import { readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
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
 * Profiles through the UI: switch, create, duplicate, rename, delete, export and import, and the
 * notices the store has about a profile. Profiles change what the whole app shows, so every test has
 * its own `feedwatch serve` (a fresh data folder with the Demo profile) and its own page.
 */

let browser: Browser
let app: ServedApp
let context: BrowserContext
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
  context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
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
  await app?.stop()
})

/** Opens the profiles dialog from the header. */
async function openProfiles(): Promise<Locator> {
  await page.getByRole('button', { name: 'Manage profiles' }).click()
  const dialog = page.getByRole('dialog', { name: 'Profiles' })
  await dialog.waitFor()
  return dialog
}

/** The names the header's profile switcher offers. */
async function switcherNames(): Promise<string[]> {
  return (
    await page.getByLabel('Profile', { exact: true }).locator('option').allTextContents()
  ).map((name) => name.trim())
}

/** Exports a profile from the dialog and returns the downloaded file's path and text. */
async function exportFrom(dialog: Locator, name: string): Promise<{ path: string; json: string }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: `Export ${name}`, exact: true }).click(),
  ])
  const path = await download.path()
  return { path, json: await readFile(path, 'utf8') }
}

test('a profile exported to a file imports again, under a new name when its own is taken', async () => {
  const dialog = await openProfiles()
  await saveScreenshot(page, 'profiles-dialog')
  const exported = await exportFrom(dialog, 'Demo')
  expect((JSON.parse(exported.json) as { name: string }).name).toBe('Demo')
  await dialog.getByText('Exported “Demo” (secret values left out).').waitFor()

  await dialog.getByLabel('Profile file').setInputFiles(exported.path)
  await dialog.getByRole('button', { name: 'Import profile' }).click()
  // "Demo" exists: the store refuses, and the dialog says so.
  await dialog.getByRole('alert').filter({ hasText: /Demo/ }).waitFor()

  await dialog.getByLabel('Import as (optional)').fill('Demo restored')
  await dialog.getByRole('button', { name: 'Import profile' }).click()
  await dialog.getByText('Imported “Demo restored” (1 feeds).').waitFor()
  await dialog.getByRole('rowheader', { name: 'Demo restored' }).waitFor()
  expect(await switcherNames()).toEqual(['Demo', 'Demo restored'])

  await dialog.getByRole('button', { name: 'Switch to Demo restored' }).click()
  await dialog.getByText('Switched to “Demo restored”.').waitFor()
  await dialog.getByRole('button', { name: 'Done' }).click()
  await dialog.waitFor({ state: 'hidden' })
  expect(await page.getByLabel('Profile', { exact: true }).inputValue()).toBe('Demo restored')
  await page
    .getByRole('navigation', { name: 'Feeds' })
    .getByRole('link', { name: /^Demo feed/ })
    .waitFor()
  expect(errors.filter((error) => !/status of 409/.test(error))).toEqual([])
})

test('a file that is not a profile is refused with the reason', async () => {
  const dialog = await openProfiles()
  const bogus = join(app.dataDir, 'not-a-profile.json')
  await writeFile(bogus, '{"version":1,"name":"","feeds":[{"id":"x"}]}')
  await dialog.getByLabel('Profile file').setInputFiles(bogus)
  await dialog.getByRole('button', { name: 'Import profile' }).click()
  const alert = dialog.getByRole('alert')
  await alert.getByText(/not valid/).waitFor()
  // The path-precise problems are listed.
  await alert.getByText(/feeds\[0\]\.url/).waitFor()
  expect(await switcherNames()).toEqual(['Demo'])
})

test('profiles are created, switched, duplicated, renamed and deleted after a confirmation', async () => {
  const dialog = await openProfiles()
  await dialog.getByLabel('Name', { exact: true }).fill('Staging')
  await dialog.getByRole('button', { name: 'Create profile' }).click()
  await dialog.getByText('Created “Staging” and switched to it.').waitFor()
  expect(await page.getByLabel('Profile', { exact: true }).inputValue()).toBe('Staging')
  await page.getByText('No feeds in this profile yet.').waitFor()

  await dialog.getByRole('button', { name: 'Duplicate Demo', exact: true }).click()
  await dialog.getByLabel('Name of the copy of “Demo”').fill('Demo EU')
  await dialog.getByRole('button', { name: 'Duplicate profile' }).click()
  await dialog.getByText('Copied “Demo” to “Demo EU”.').waitFor()

  await dialog.getByRole('button', { name: 'Rename Demo EU', exact: true }).click()
  await dialog.getByLabel('New name for “Demo EU”').fill('Demo Europe')
  await dialog.getByRole('button', { name: 'Rename profile' }).click()
  await dialog.getByText('Renamed “Demo EU” to “Demo Europe”.').waitFor()
  expect(await switcherNames()).toEqual(['Demo', 'Demo Europe', 'Staging'])

  // The active profile cannot be deleted; another one can, once confirmed.
  expect(await dialog.getByRole('button', { name: 'Delete Staging' }).isDisabled()).toBe(true)
  await dialog.getByRole('button', { name: 'Delete Demo Europe' }).click()
  const confirm = page.getByRole('dialog', { name: 'Delete profile' })
  await confirm.getByRole('button', { name: 'Cancel' }).click()
  await confirm.waitFor({ state: 'hidden' })
  expect(await switcherNames()).toContain('Demo Europe')
  await dialog.getByRole('button', { name: 'Delete Demo Europe' }).click()
  await confirm.getByRole('button', { name: 'Delete profile' }).click()
  await confirm.waitFor({ state: 'hidden' })
  await dialog.getByText('Deleted “Demo Europe”.').waitFor()
  expect(await switcherNames()).toEqual(['Demo', 'Staging'])
  await dialog.getByRole('button', { name: 'Done' }).click()

  // The header's switcher switches too.
  await page.getByLabel('Profile', { exact: true }).selectOption('Demo')
  await page
    .getByRole('navigation', { name: 'Feeds' })
    .getByRole('link', { name: /^Demo feed/ })
    .waitFor()
  expect(errors).toEqual([])
})

test('exports leave secret header values out, and the feed form shows a stored secret only as set', async () => {
  await page
    .getByRole('navigation', { name: 'Feeds' })
    .getByRole('button', { name: 'Add feed' })
    .click()
  const feedDialog = page.getByRole('dialog', { name: 'Add feed' })
  await feedDialog.getByLabel('URL', { exact: true }).fill('http://127.0.0.1:9/never')
  await feedDialog.getByLabel('Name', { exact: true }).fill('With a token')
  await feedDialog.getByRole('button', { name: 'Add header' }).click()
  await feedDialog.getByLabel('Header 1 name').fill('Authorization')
  await feedDialog.getByLabel('Header 1 value').fill('Bearer s3cret-token')
  await feedDialog.getByRole('checkbox', { name: /^Secret/ }).check()
  await feedDialog.getByRole('button', { name: 'Add feed' }).click()
  await feedDialog.waitFor({ state: 'hidden' })

  const dialog = await openProfiles()
  await dialog.getByText(/Exports leave secret header values out/).waitFor()
  expect((await exportFrom(dialog, 'Demo')).json).not.toContain('s3cret-token')
  await dialog.getByRole('button', { name: 'Done' }).click()

  await page
    .getByRole('navigation', { name: 'Feeds' })
    .getByRole('link', { name: /^With a token/ })
    .click()
  await page.getByRole('button', { name: 'Edit', exact: true }).click()
  const editDialog = page.getByRole('dialog', { name: 'Edit feed “With a token”' })
  await editDialog.getByText('•••• set').waitFor()
  expect(await editDialog.getByLabel('Header 1 value').count()).toBe(0)
  await editDialog.getByRole('button', { name: 'Replace the secret value of header 1' }).click()
  expect(await editDialog.getByLabel('Header 1 value').inputValue()).toBe('')
})

test('what the store had to say about loading a profile shows as a banner that can be dismissed', async () => {
  const dialog = await openProfiles()
  await dialog.getByLabel('Name', { exact: true }).fill('Fragile')
  await dialog.getByRole('button', { name: 'Create profile' }).click()
  await dialog.getByText('Created “Fragile” and switched to it.').waitFor()
  await dialog.getByRole('button', { name: 'Done' }).click()
  // A save keeps the previous version as a backup.
  await page.getByLabel('Theme').selectOption('dark')
  await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark')
  await page.getByLabel('Profile', { exact: true }).selectOption('Demo')
  await page
    .getByRole('navigation', { name: 'Feeds' })
    .getByRole('link', { name: /^Demo feed/ })
    .waitFor()

  const folder = join(app.dataDir, 'profiles')
  expect(await readdir(folder)).toContain('fragile.json.bak')
  await writeFile(join(folder, 'fragile.json'), '{ this is not json')
  await page.getByLabel('Profile', { exact: true }).selectOption('Fragile')

  const notice = page.getByRole('status').filter({ hasText: 'Profile notice' })
  await notice.getByText(/could not be read/).waitFor()
  await notice.getByText(/backup/).waitFor()
  await saveScreenshot(page, 'profile-notice')
  await notice.getByRole('button', { name: 'Dismiss notice 1' }).click()
  await notice.waitFor({ state: 'detached' })
  expect(errors).toEqual([])
})
