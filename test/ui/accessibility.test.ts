import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import {
  collectPageErrors,
  launchChromium,
  saveScreenshot,
  startServedApp,
  type ServedApp,
} from './harness'

/*
 * Keyboard use, accessible names and themes, on the Demo profile of a fresh `feedwatch serve`. One
 * app for the file; every test has its own page.
 */

let app: ServedApp
let browser: Browser
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
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  page.setDefaultTimeout(10_000)
  errors = collectPageErrors(page)
  await page.goto(`${app.url}/#/feeds`)
  await page
    .getByRole('navigation', { name: 'Feeds' })
    .getByRole('link', { name: /^Demo feed/ })
    .waitFor()
})

afterEach(async () => {
  await page?.close()
})

/**
 * Whether an element has the keyboard focus. Runs in the page; typed without the DOM library, which
 * this (Node) project does not load.
 */
function isFocused(element: { ownerDocument: { activeElement: unknown } }): boolean {
  return element === element.ownerDocument.activeElement
}

/** Roles a person operates: each needs a name a screen reader can say. */
const CONTROL_ROLES = new Set([
  'button',
  'checkbox',
  'combobox',
  'link',
  'listbox',
  'menuitem',
  'option',
  'radio',
  'searchbox',
  'slider',
  'spinbutton',
  'switch',
  'tab',
  'textbox',
])

/**
 * Every control on the page without an accessible name, as Chromium computes names for assistive
 * technology (the full accessibility tree over CDP), each described by its HTML.
 */
async function controlsWithoutName(): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page)
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree')
    const unnamed = nodes.filter(
      (node) =>
        !node.ignored &&
        CONTROL_ROLES.has(String(node.role?.value ?? '')) &&
        String(node.name?.value ?? '').trim() === '',
    )
    const described: string[] = []
    for (const node of unnamed) {
      let html = '(no DOM node)'
      if (node.backendDOMNodeId !== undefined) {
        const { object } = await cdp.send('DOM.resolveNode', {
          backendNodeId: node.backendDOMNodeId,
        })
        const { result } = await cdp.send('Runtime.callFunctionOn', {
          objectId: object.objectId,
          functionDeclaration:
            'function () { return (this.outerHTML ?? String(this)).slice(0, 200) }',
          returnByValue: true,
        })
        html = String(result.value)
      }
      described.push(`${String(node.role?.value)}: ${html}`)
    }
    return described
  } finally {
    await cdp.detach()
  }
}

/** Also counts the plain DOM: every button, input, select and textarea, so none can slip past. */
async function formControlsCount(): Promise<number> {
  return page.locator('button, input, select, textarea').count()
}

test('the name check finds a control without a name', async () => {
  await page.evaluate(
    "document.body.append(Object.assign(document.createElement('button'), { id: 'nameless' }))",
  )
  expect(await controlsWithoutName()).toEqual(['button: <button id="nameless"></button>'])
})

test('every control has an accessible name: main view, dialogs, event details and every tab', async () => {
  expect(await formControlsCount()).toBeGreaterThan(10)
  expect(await controlsWithoutName()).toEqual([])

  // The event detail pane.
  const log = page.getByRole('listbox', { name: 'Events' })
  await log.getByRole('option').first().click()
  await page.getByRole('region', { name: /^Event #/ }).waitFor()
  expect(await controlsWithoutName()).toEqual([])

  // The feed dialog, with a header row.
  await page.getByRole('button', { name: 'Edit' }).click()
  const feedDialog = page.getByRole('dialog', { name: /Edit feed/ })
  await feedDialog.getByRole('button', { name: 'Add header' }).click()
  await feedDialog.getByLabel('Method').selectOption('POST')
  expect(await controlsWithoutName()).toEqual([])
  await feedDialog.getByRole('button', { name: 'Cancel' }).click()

  // The profiles dialog, with a rename under way and the delete confirmation.
  await page.getByRole('button', { name: 'Manage profiles' }).click()
  const profiles = page.getByRole('dialog', { name: 'Profiles' })
  await profiles.getByRole('button', { name: 'Rename Demo' }).click()
  expect(await controlsWithoutName()).toEqual([])
  await profiles.getByRole('button', { name: 'Done' }).click()

  // The other tabs (charts and alerts have their own authors; names are a whole-app property).
  for (const tab of ['Charts', 'Alerts']) {
    await page.getByRole('tab', { name: tab }).click()
    await page.getByRole('tabpanel', { name: tab }).waitFor()
    expect(await controlsWithoutName()).toEqual([])
  }
  // The other sections and the shortcuts overlay.
  for (const section of ['Dashboard', 'Alerts']) {
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('link', { name: section })
      .click()
    await page
      .getByRole('heading', { name: new RegExp(`^${section}`) })
      .first()
      .waitFor()
    expect(await controlsWithoutName()).toEqual([])
  }
  await page.getByRole('button', { name: 'Shortcuts' }).click()
  await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor()
  expect(await controlsWithoutName()).toEqual([])
  expect(errors).toEqual([])
})

test('n opens the add-feed dialog with focus inside, typing does not trigger shortcuts, Escape closes it', async () => {
  await page.locator('body').click({ position: { x: 5, y: 880 } })
  await page.keyboard.press('n')
  const dialog = page.getByRole('dialog', { name: 'Add feed' })
  await dialog.waitFor()
  await expect.poll(() => dialog.getByLabel('URL', { exact: true }).evaluate(isFocused)).toBe(true)
  // Letters typed into a field are text, not shortcuts.
  await page.keyboard.type('nw/')
  expect(await dialog.getByLabel('URL', { exact: true }).inputValue()).toBe('nw/')
  expect(await page.getByRole('dialog').count()).toBe(1)
  await saveScreenshot(page, 'feed-dialog')

  // Focus stays in the dialog however far one tabs.
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab')
    const inside = await page.evaluate(
      "document.activeElement?.closest('dialog[open]') !== null || document.activeElement === document.body",
    )
    expect(inside).toBe(true)
  }

  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'hidden' })
  expect(await page.getByRole('dialog').count()).toBe(0)
  expect(errors).toEqual([])
})

test('/ goes to the log search and w opens and leaves the ops wall', async () => {
  await page.getByRole('tab', { name: 'Charts' }).click()
  await page.locator('body').click({ position: { x: 5, y: 880 } })
  await page.keyboard.press('/')
  const search = page.getByLabel('Search', { exact: true })
  await expect.poll(() => search.evaluate(isFocused)).toBe(true)
  await expect
    .poll(() => page.getByRole('tab', { name: 'Events' }).getAttribute('aria-selected'))
    .toBe('true')
  await page.keyboard.type('w')
  expect(await search.inputValue()).toBe('w')
  expect(await page.getByRole('main', { name: 'Ops wall' }).count()).toBe(0)

  await search.blur()
  await page.keyboard.press('w')
  await page.getByRole('main', { name: 'Ops wall' }).waitFor()
  expect(new URL(page.url()).hash).toBe('#/wall')
  await saveScreenshot(page, 'wall-from-shortcut')
  await page.keyboard.press('w')
  await page.getByRole('heading', { name: /^Dashboard/ }).waitFor()
  expect(new URL(page.url()).hash).toBe('#/')
  // Back returns to the wall, as the address says.
  await page.goBack()
  await page.getByRole('main', { name: 'Ops wall' }).waitFor()
  expect(errors).toEqual([])
})

test('the wall has its own address: /wall and #/wall open it full screen', async () => {
  await page.goto(`${app.url}/wall`)
  await page.getByRole('main', { name: 'Ops wall' }).waitFor()
  expect(await page.getByRole('navigation', { name: 'Feeds' }).count()).toBe(0)
  await page.goto(`${app.url}/#/wall`)
  await page.getByRole('main', { name: 'Ops wall' }).waitFor()
  await page.getByRole('link', { name: 'Wall' }).waitFor({ state: 'detached' })
  expect(errors).toEqual([])
})

test('the tabs follow the arrow keys, and the header Wall link and alerts indicator work', async () => {
  const events = page.getByRole('tab', { name: 'Events' })
  await events.focus()
  await page.keyboard.press('ArrowRight')
  const charts = page.getByRole('tab', { name: 'Charts' })
  await expect.poll(() => charts.getAttribute('aria-selected')).toBe('true')
  await expect.poll(() => charts.evaluate(isFocused)).toBe(true)
  await page.keyboard.press('End')
  await expect
    .poll(() => page.getByRole('tab', { name: 'Alerts' }).getAttribute('aria-selected'))
    .toBe('true')
  await page.keyboard.press('Home')
  await expect.poll(() => events.getAttribute('aria-selected')).toBe('true')

  await page.getByRole('link', { name: /^Alerts: \d+ firing$/ }).click()
  await page.getByRole('heading', { name: 'Active alerts' }).waitFor()
  expect(new URL(page.url()).hash).toBe('#/alerts')
  await page.getByRole('link', { name: 'Wall' }).click()
  await page.getByRole('main', { name: 'Ops wall' }).waitFor()
  expect(errors).toEqual([])
})

test('the theme follows the OS unless the profile overrides it, and badges say their state in words', async () => {
  const background = (): Promise<string> =>
    page.evaluate('getComputedStyle(document.body).backgroundColor').then(String)
  await page.emulateMedia({ colorScheme: 'dark' })
  await expect.poll(background).toBe('rgb(17, 20, 24)')
  await saveScreenshot(page, 'main-view-dark')
  await page.emulateMedia({ colorScheme: 'light' })
  await expect.poll(background).toBe('rgb(244, 246, 248)')

  // The profile's theme wins over the OS, and is saved with the profile.
  await page.getByLabel('Theme').selectOption('dark')
  await expect.poll(background).toBe('rgb(17, 20, 24)')
  await page.reload()
  await expect.poll(background, { timeout: 5000 }).toBe('rgb(17, 20, 24)')
  await page.getByLabel('Theme').selectOption('system')
  await expect.poll(background).toBe('rgb(244, 246, 248)')

  const badge = page
    .getByRole('navigation', { name: 'Feeds' })
    .getByRole('link', { name: /^Demo feed/ })
    .getByTestId('state-badge')
  expect(await badge.innerText()).toMatch(/live/)
  expect(errors).toEqual([])
})
