import { expect, test, vi } from 'vitest'
import {
  appMenuTemplate,
  isLeaveWallKey,
  trayMenuTemplate,
  wallAccelerator,
  type AppMenuOptions,
  type DesktopMenuActions,
} from '../../src/main/electron/app-menu'
import { DEFAULT_DESKTOP_SETTINGS } from '../../src/main/electron/desktop-settings'

type MenuItemConstructorOptions = import('electron').MenuItemConstructorOptions
type Template = MenuItemConstructorOptions[]

function submenu(template: Template, label: string): Template {
  const item = template.find((each) => each.label === label)
  return Array.isArray(item?.submenu) ? item.submenu : []
}

function actions() {
  return {
    onShowWindow: vi.fn<() => void>(),
    onToggleWall: vi.fn<() => void>(),
    onOpenWallOnDisplay: vi.fn<(displayId: number, profile: string) => void>(),
    onToggleMute: vi.fn<() => void>(),
    onToggleKeepRunning: vi.fn<() => void>(),
    onToggleStartAtLogin: vi.fn<() => void>(),
    onQuit: vi.fn<() => void>(),
  } satisfies DesktopMenuActions
}

const NOW = Date.UTC(2026, 0, 5, 14, 0)
const DISPLAYS = [
  { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, label: 'Built-in' },
  { id: 7, bounds: { x: 1920, y: 0, width: 3840, height: 2160 }, label: '' },
]

function options(overrides: Partial<AppMenuOptions> = {}) {
  return {
    platform: 'linux',
    development: false,
    wall: false,
    settings: DEFAULT_DESKTOP_SETTINGS,
    now: NOW,
    formatTime: (at) => at.toISOString().slice(11, 16),
    displays: DISPLAYS,
    profiles: ['Demo'],
    ...actions(),
    ...overrides,
  } satisfies AppMenuOptions
}

function click(item: MenuItemConstructorOptions | undefined): void {
  item?.click?.(undefined as never, undefined, undefined as never)
}

test('the View menu toggles the ops wall with F11, or Ctrl+Cmd+F on macOS', () => {
  const wall = submenu(appMenuTemplate(options()), 'View').find((item) => item.label === 'Ops Wall')
  expect(wall).toMatchObject({ type: 'checkbox', checked: false, accelerator: 'F11' })
  expect(wallAccelerator('darwin')).toBe('Ctrl+Command+F')
})

test('the wall item is checked while the wall is on, in the app menu and the tray alike', () => {
  const onToggleWall = vi.fn()
  const menu = options({ wall: true, onToggleWall })
  const viewItem = submenu(appMenuTemplate(menu), 'View').find((item) => item.label === 'Ops Wall')
  const trayItem = trayMenuTemplate(menu, menu).find((item) => item.label === 'Ops Wall')
  expect(viewItem?.checked).toBe(true)
  expect(trayItem?.checked).toBe(true)
  click(viewItem)
  click(trayItem)
  expect(onToggleWall).toHaveBeenCalledTimes(2)
})

test('developer tools are in the menu only in development', () => {
  const roles = (development: boolean) =>
    submenu(appMenuTemplate(options({ development })), 'View').map((item) => item.role)
  expect(roles(false)).not.toContain('toggleDevTools')
  expect(roles(true)).toContain('toggleDevTools')
})

test('there is an Edit menu (copy and paste in text fields need it on macOS)', () => {
  expect(appMenuTemplate(options({ platform: 'darwin' })).map((item) => item.role)).toEqual([
    'appMenu',
    undefined,
    'editMenu',
    undefined,
    'windowMenu',
  ])
})

test('Quit Feedwatch is in the File menu with Ctrl+Q; on macOS the app menu has Quit', () => {
  const onQuit = vi.fn()
  const quit = submenu(appMenuTemplate(options({ onQuit })), 'File').find(
    (item) => item.label === 'Quit Feedwatch',
  )
  expect(quit?.accelerator).toBe('CmdOrCtrl+Q')
  click(quit)
  expect(onQuit).toHaveBeenCalledOnce()
  const macFile = submenu(appMenuTemplate(options({ platform: 'darwin' })), 'File')
  expect(macFile.map((item) => item.label)).not.toContain('Quit Feedwatch')
})

test('the tray menu shows the window, toggles the wall, holds the settings and quits', () => {
  const menu = options()
  expect(trayMenuTemplate(menu, menu).map((item) => item.label ?? item.type)).toEqual([
    'Show Feedwatch',
    'Ops Wall',
    'Open Wall on Display',
    'separator',
    'Mute Notifications for 1 Hour',
    'Keep Running When the Window Is Closed',
    'Start at Login',
    'separator',
    'Quit Feedwatch',
  ])
  click(trayMenuTemplate(menu, menu).at(-1))
  expect(menu.onQuit).toHaveBeenCalledOnce()
})

test('the settings checkboxes follow the settings: keep running is on by default', () => {
  const items = trayMenuTemplate(options(), options())
  const checked = (label: string) => items.find((item) => item.label === label)?.checked
  expect(checked('Keep Running When the Window Is Closed')).toBe(true)
  expect(checked('Start at Login')).toBe(false)
  expect(checked('Mute Notifications for 1 Hour')).toBe(false)
})

test('while muted the mute item is checked and says until when', () => {
  const settings = { ...DEFAULT_DESKTOP_SETTINGS, mutedUntil: NOW + 30 * 60_000 }
  const mute = trayMenuTemplate(options({ settings }), options()).find((item) =>
    item.label?.startsWith('Notifications muted'),
  )
  expect(mute).toMatchObject({
    checked: true,
    label: 'Notifications muted until 14:30 (click to unmute)',
  })
})

test('a mute that has ended shows as not muted', () => {
  const settings = { ...DEFAULT_DESKTOP_SETTINGS, mutedUntil: NOW - 1 }
  const labels = trayMenuTemplate(options({ settings }), options()).map((item) => item.label)
  expect(labels).toContain('Mute Notifications for 1 Hour')
})

test('Open Wall on Display lists every display and opens the wall of the one running profile', () => {
  const menu = options()
  const displays = submenu(trayMenuTemplate(menu, menu), 'Open Wall on Display')
  expect(displays.map((item) => item.label)).toEqual([
    'Display 1: Built-in (1920×1080)',
    'Display 2 (3840×2160)',
  ])
  click(displays[1])
  expect(menu.onOpenWallOnDisplay).toHaveBeenCalledWith(7, 'Demo')
})

test('with several running profiles, a display asks which profile to show', () => {
  const menu = options({ profiles: ['Demo', 'Ops'] })
  const display = submenu(trayMenuTemplate(menu, menu), 'Open Wall on Display')[1]
  const profiles = Array.isArray(display?.submenu) ? display.submenu : []
  expect(profiles.map((item) => item.label)).toEqual(['Demo', 'Ops'])
  click(profiles[1])
  expect(menu.onOpenWallOnDisplay).toHaveBeenCalledWith(7, 'Ops')
})

test('Esc alone, pressed, leaves the wall; other keys and Esc with modifiers do not', () => {
  const key = {
    type: 'keyDown',
    key: 'Escape',
    alt: false,
    control: false,
    meta: false,
    shift: false,
  }
  expect(isLeaveWallKey(key)).toBe(true)
  expect(isLeaveWallKey({ ...key, type: 'keyUp' })).toBe(false)
  expect(isLeaveWallKey({ ...key, key: 'w' })).toBe(false)
  expect(isLeaveWallKey({ ...key, shift: true })).toBe(false)
  expect(isLeaveWallKey({ ...key, meta: true })).toBe(false)
})
