import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import {
  collectPageErrors,
  launchChromium,
  saveScreenshot,
  startServedApp,
  type ServedApp,
} from './harness'

/*
 * Contact points in the Alerts section, in Chromium against `feedwatch serve`: a webhook is added
 * with a secret header, its test notification fails once at a receiver of the test and is retried,
 * and the delivery log says so in words. The tests run in order on one page.
 */

let app: ServedApp
let browser: Browser
let page: Page
let errors: string[]
let receiver: Server
let receiverUrl: string
/** Statuses the receiver answers with, in turn; then 200. */
const statuses = [503]
const received: IncomingHttpHeaders[] = []

beforeAll(async () => {
  receiver = createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      const status = statuses.shift() ?? 200
      if (status === 200) received.push(request.headers)
      response.writeHead(status).end()
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
  app = await startServedApp()
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  page.setDefaultTimeout(10_000)
  errors = collectPageErrors(page)
  await page.goto(`${app.url}/#/alerts`)
}, 30_000)

afterAll(async () => {
  receiver?.closeAllConnections()
  await new Promise((resolve) => receiver?.close(resolve))
  await browser?.close()
  await app?.stop()
})

test('a webhook contact point is added with a secret header whose value is never shown again', async () => {
  await page.getByRole('button', { name: 'New contact point' }).click()
  const dialog = page.getByRole('dialog', { name: 'New contact point' })
  await dialog.getByLabel('Name', { exact: true }).fill('Team hook')
  await dialog.getByLabel('Kind', { exact: true }).selectOption({ label: 'Webhook' })
  await dialog.getByLabel('URL', { exact: true }).fill(receiverUrl)
  await dialog.getByRole('button', { name: 'Add header' }).click()
  await dialog.getByLabel('Header 1 name').fill('Authorization')
  await dialog.getByLabel('Header 1 value').fill('Bearer s3cret')
  await dialog.getByLabel('Secret').check()
  await dialog.getByRole('button', { name: 'Save contact point' }).click()
  await dialog.waitFor({ state: 'detached' })
  await page.getByRole('row', { name: /Team hook/ }).waitFor()

  await page.getByRole('button', { name: 'Edit Team hook' }).click()
  const editor = page.getByRole('dialog', { name: 'Edit contact point “Team hook”' })
  const value = editor.getByLabel('Header 1 value')
  expect(await value.inputValue()).toBe('')
  expect(await value.getAttribute('placeholder')).toBe('stored; leave empty to keep')
  await editor.getByRole('button', { name: 'Cancel' }).click()
  await editor.waitFor({ state: 'detached' })
  expect(errors).toEqual([])
})

test('a test notification that fails once shows as retried, then delivered, in the delivery log', async () => {
  await page.getByRole('button', { name: 'Send test notification to Team hook' }).click()
  const log = page.getByRole('list', { name: 'Delivery log' })
  await log.getByText(/^failed: 503 Service Unavailable, retrying in 1 s$/).waitFor()
  await log.getByText(/^delivered \d\d:\d\d:\d\d/).waitFor()
  await saveScreenshot(page, 'alerts-contact-points')
  expect(received).toHaveLength(1)
  expect(received[0]?.authorization).toBe('Bearer s3cret')
  expect(errors).toEqual([])
})

test('the rule editor lets a rule send its notices only to the contact points picked', async () => {
  await page.getByRole('button', { name: 'New rule' }).click()
  const dialog = page.getByRole('dialog', { name: 'New rule' })
  const sendTo = dialog.getByRole('group', { name: 'Send notices to' })
  const hook = sendTo.getByRole('checkbox', { name: 'Team hook' })
  expect(await sendTo.getByRole('radio', { name: 'All contact points' }).isChecked()).toBe(true)
  expect(await hook.isDisabled()).toBe(true)
  await sendTo.getByRole('radio', { name: 'Only these:' }).check()
  await hook.check()
  expect(await hook.isChecked()).toBe(true)
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await dialog.waitFor({ state: 'detached' })
  expect(errors).toEqual([])
})
