import { expect, test, vi } from 'vitest'
import {
  findChromium,
  NO_BROWSER,
  systemBrowserCandidates,
  type BrowserDiscovery,
} from '../ui/harness'

/** How the browser tests find a browser on a fresh machine of each system. */

function discovery(overrides: Partial<BrowserDiscovery> & { present?: string[] } = {}) {
  const present = new Set(overrides.present ?? [])
  const installPlaywrightChromium = vi.fn(() => false)
  return {
    installPlaywrightChromium,
    options: {
      env: {},
      platform: 'linux' as NodeJS.Platform,
      home: '/home/ops',
      exists: (path: string) => present.has(path),
      playwrightChromium: () =>
        '/home/ops/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome',
      installPlaywrightChromium,
      ...overrides,
    },
  }
}

test('FEEDWATCH_CHROMIUM comes first, even when a system browser exists', () => {
  const { options } = discovery({
    env: { FEEDWATCH_CHROMIUM: '/opt/chromium/chrome' },
    present: ['/opt/chromium/chrome', '/usr/bin/chromium'],
  })
  expect(findChromium(options)).toEqual({ path: '/opt/chromium/chrome' })
})

test('a FEEDWATCH_CHROMIUM that does not exist is said so, not passed over', () => {
  const { options } = discovery({
    env: { FEEDWATCH_CHROMIUM: '/nowhere/chrome' },
    present: ['/usr/bin/chromium'],
  })
  expect(findChromium(options)).toEqual({
    problem: 'FEEDWATCH_CHROMIUM is /nowhere/chrome, which does not exist.',
  })
})

test("on Linux Debian's Chromium, then other packages' Chromium and Chrome are found", () => {
  expect(findChromium(discovery({ present: ['/usr/bin/chromium'] }).options)).toEqual({
    path: '/usr/bin/chromium',
  })
  expect(findChromium(discovery({ present: ['/snap/bin/chromium'] }).options)).toEqual({
    path: '/snap/bin/chromium',
  })
  expect(findChromium(discovery({ present: ['/usr/bin/google-chrome-stable'] }).options)).toEqual({
    path: '/usr/bin/google-chrome-stable',
  })
})

test('on macOS Chromium or Chrome in Applications is found', () => {
  const chrome = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'
  const { options } = discovery({ platform: 'darwin', present: [chrome] })
  expect(findChromium(options)).toEqual({ path: chrome })
  expect(systemBrowserCandidates('darwin', {}, '/Users/ops')).toContain(
    '/Users/ops/Applications/Chromium.app/Contents/MacOS/Chromium',
  )
})

test('on Windows Chrome is found under Program Files, and Edge where there is no Chrome', () => {
  const env = {
    PROGRAMFILES: 'C:\\Program Files',
    'PROGRAMFILES(X86)': 'C:\\Program Files (x86)',
    LOCALAPPDATA: 'C:\\Users\\ops\\AppData\\Local',
  }
  const chrome = 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe'
  const edge = 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe'
  expect(
    findChromium(discovery({ platform: 'win32', env, present: [chrome, edge] }).options),
  ).toEqual({
    path: chrome,
  })
  expect(findChromium(discovery({ platform: 'win32', env, present: [edge] }).options)).toEqual({
    path: edge,
  })
})

test("without a system browser Playwright's own Chromium is used when installed", () => {
  const own = '/home/ops/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome'
  const { options, installPlaywrightChromium } = discovery({ present: [own] })
  expect(findChromium(options)).toEqual({ path: own })
  expect(installPlaywrightChromium).not.toHaveBeenCalled()
})

test("with no browser at all Playwright's Chromium is downloaded, then used", () => {
  const own = '/home/ops/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome'
  const present: string[] = []
  const install = vi.fn(() => {
    present.push(own)
    return true
  })
  const { options } = discovery({
    exists: (path) => present.includes(path),
    installPlaywrightChromium: install,
  })
  expect(findChromium(options)).toEqual({ path: own })
  expect(install).toHaveBeenCalledOnce()
})

test('when the download cannot happen either, one sentence says what to install', () => {
  const { options, installPlaywrightChromium } = discovery()
  expect(findChromium(options)).toEqual({ problem: NO_BROWSER })
  expect(installPlaywrightChromium).toHaveBeenCalledOnce()
  expect(NO_BROWSER.split('. ')).toHaveLength(1)
})
