import { expect, test, vi } from 'vitest'
import { trayMenuTemplate, type AppMenuOptions } from '../../src/main/electron/app-menu'
import {
  DEFAULT_DESKTOP_SETTINGS,
  parseDesktopSettings,
} from '../../src/main/electron/desktop-settings'

const LABEL = 'Serve Prometheus Metrics on 127.0.0.1:9479'

function options(overrides: Partial<AppMenuOptions> = {}): AppMenuOptions {
  return {
    platform: 'linux',
    development: false,
    wall: false,
    settings: DEFAULT_DESKTOP_SETTINGS,
    now: 0,
    formatTime: () => '',
    displays: [],
    profiles: [],
    onShowWindow: () => undefined,
    onToggleWall: () => undefined,
    onOpenWallOnDisplay: () => undefined,
    onToggleMute: () => undefined,
    onToggleKeepRunning: () => undefined,
    onToggleStartAtLogin: () => undefined,
    onQuit: () => undefined,
    ...overrides,
  }
}

test('serving /metrics on 127.0.0.1 is off on a new installation and remembered when on', () => {
  expect(DEFAULT_DESKTOP_SETTINGS.exposeMetrics).toBe(false)
  expect(parseDesktopSettings({ exposeMetrics: true }).exposeMetrics).toBe(true)
  expect(parseDesktopSettings({ exposeMetrics: 'yes' }).exposeMetrics).toBe(false)
})

test('the settings menu has a checkbox for serving /metrics that follows the setting', () => {
  const onToggleExposeMetrics = vi.fn<() => void>()
  const menu = options({
    onToggleExposeMetrics,
    settings: { ...DEFAULT_DESKTOP_SETTINGS, exposeMetrics: true },
  })
  const item = trayMenuTemplate(menu, menu).find((each) => each.label === LABEL)
  expect(item).toMatchObject({ type: 'checkbox', checked: true })
  item?.click?.(undefined as never, undefined, undefined as never)
  expect(onToggleExposeMetrics).toHaveBeenCalledOnce()
})

test('without the action the menu has no metrics item', () => {
  const menu = options()
  expect(trayMenuTemplate(menu, menu).map((each) => each.label)).not.toContain(LABEL)
})
