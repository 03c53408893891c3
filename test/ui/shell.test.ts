import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Browser } from 'playwright-core'
import {
  collectPageErrors,
  launchChromium,
  saveScreenshot,
  startServedApp,
  type ServedApp,
} from './harness'

let app: ServedApp
let browser: Browser

beforeAll(async () => {
  app = await startServedApp()
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

test('the app loads in Chromium from feedwatch serve with no page errors', async () => {
  const page = await browser.newPage()
  const errors = collectPageErrors(page)
  await page.goto(app.url)
  // A firing alert prefixes its count ("(1) Feedwatch"); the Demo profile's rules may fire at any time.
  await expect.poll(() => page.title()).toMatch(/^(\(\d+\) )?Dashboard · Feedwatch$/)
  await page.getByRole('heading', { name: 'Feedwatch' }).waitFor()
  await saveScreenshot(page, 'shell')
  expect(errors).toEqual([])
  await page.close()
})
