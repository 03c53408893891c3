import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test, vi } from 'vitest'
import {
  DEFAULT_DESKTOP_SETTINGS,
  isMuted,
  parseDesktopSettings,
  stillRunningNotice,
} from '../../src/main/electron/desktop-settings'
import {
  autostartEntry,
  autostartPath,
  HIDDEN_FLAG,
  setStartAtLogin,
  startsAtLogin,
} from '../../src/main/electron/login-item'
import { DesktopSettingsStore } from '../../src/main/electron/desktop-settings-store'
import { displayForWall, displayMenuLabel } from '../../src/main/electron/wall-display'
import { readStateFile, writeStateFile } from '../../src/main/electron/state-file'

let scratch = ''
afterEach(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true })
  scratch = ''
})

test('a new installation keeps running when closed, does not start at login and is not muted', () => {
  expect(parseDesktopSettings(undefined)).toEqual(DEFAULT_DESKTOP_SETTINGS)
  expect(DEFAULT_DESKTOP_SETTINGS).toMatchObject({
    keepRunningWhenClosed: true,
    startAtLogin: false,
    mutedUntil: 0,
  })
})

test('each malformed setting takes its default without costing the others', () => {
  expect(
    parseDesktopSettings({
      keepRunningWhenClosed: 'no',
      startAtLogin: true,
      mutedUntil: Number.NaN,
      walls: [
        { displayId: 7, displayBounds: { x: 0, y: 0, width: 10, height: 10 }, profile: 'Ops' },
        { displayId: 'x', displayBounds: {}, profile: 'Ops' },
        { displayId: 8, displayBounds: { x: 0, y: 0, width: 10, height: 10 }, profile: '' },
      ],
    }),
  ).toEqual({
    keepRunningWhenClosed: true,
    startAtLogin: true,
    mutedUntil: 0,
    closeNoticeShown: false,
    walls: [{ displayId: 7, displayBounds: { x: 0, y: 0, width: 10, height: 10 }, profile: 'Ops' }],
    exposeMetrics: false,
  })
})

test('muted means until the end of the mute, not after', () => {
  const settings = { ...DEFAULT_DESKTOP_SETTINGS, mutedUntil: 1000 }
  expect(isMuted(settings, 999)).toBe(true)
  expect(isMuted(settings, 1000)).toBe(false)
})

test('settings survive the trip through their file; a broken file gives none', async () => {
  scratch = mkdtempSync(join(tmpdir(), 'feedwatch-settings-'))
  const path = join(scratch, 'desktop-settings.json')
  const settings = { ...DEFAULT_DESKTOP_SETTINGS, startAtLogin: true }
  await writeStateFile(path, settings)
  await expect(readStateFile(path, parseDesktopSettings)).resolves.toEqual(settings)
  writeFileSync(path, '{ broken')
  await expect(readStateFile(path, parseDesktopSettings)).resolves.toBeUndefined()
})

test('the first-close notice says it still runs and how to quit, per system', () => {
  expect(stillRunningNotice('linux')).toEqual({
    title: 'Feedwatch is still running',
    body: expect.stringMatching(/tray icon.*Quit Feedwatch.*Ctrl\+Q/),
  })
  expect(stillRunningNotice('darwin').body).toMatch(/menu bar icon.*Cmd\+Q/)
})

const TV = { id: 7, label: 'TV', bounds: { x: 1920, y: 0, width: 3840, height: 2160 } }
const LAPTOP = { id: 1, label: '', bounds: { x: 0, y: 0, width: 1920, height: 1080 } }

test('a wall goes back to its display by id', () => {
  const placement = { displayId: 7, displayBounds: LAPTOP.bounds, profile: 'Ops' }
  expect(displayForWall(placement, [LAPTOP, TV])).toBe(TV)
})

test('a wall whose display was renumbered is found by its bounds', () => {
  const placement = { displayId: 70, displayBounds: TV.bounds, profile: 'Ops' }
  expect(displayForWall(placement, [LAPTOP, { ...TV, id: 71 }])?.id).toBe(71)
})

test('a wall whose display is gone goes to another display than the main window, else the first', () => {
  const placement = {
    displayId: 9,
    displayBounds: { x: 9, y: 9, width: 9, height: 9 },
    profile: 'Ops',
  }
  expect(displayForWall(placement, [LAPTOP, TV], LAPTOP.id)).toBe(TV)
  expect(displayForWall(placement, [LAPTOP], LAPTOP.id)).toBe(LAPTOP)
  expect(displayForWall(placement, [])).toBeUndefined()
})

test('displays are named by number, name and size', () => {
  expect(displayMenuLabel(TV, 1)).toBe('Display 2: TV (3840×2160)')
  expect(displayMenuLabel(LAPTOP, 0)).toBe('Display 1 (1920×1080)')
})

test('the autostart entry lives in XDG_CONFIG_HOME/autostart, by default ~/.config/autostart', () => {
  expect(autostartPath({}, '/home/ops')).toBe(
    '/home/ops/.config/autostart/app.feedwatch.desktop.desktop',
  )
  expect(autostartPath({ XDG_CONFIG_HOME: '/cfg' }, '/home/ops')).toBe(
    '/cfg/autostart/app.feedwatch.desktop.desktop',
  )
  // A relative XDG_CONFIG_HOME is invalid by the specification and is ignored.
  expect(autostartPath({ XDG_CONFIG_HOME: 'cfg' }, '/home/ops')).toBe(
    '/home/ops/.config/autostart/app.feedwatch.desktop.desktop',
  )
})

test('the autostart entry starts Feedwatch hidden, its path quoted as Exec requires', () => {
  const entry = autostartEntry('/opt/My Apps/Feedwatch "beta"/feedwatch')
  expect(entry).toContain('[Desktop Entry]')
  expect(entry).toContain('Type=Application')
  expect(entry).toContain(`Exec="/opt/My Apps/Feedwatch \\\\"beta\\\\"/feedwatch" ${HIDDEN_FLAG}`)
  expect(autostartEntry('/opt/100%/feedwatch')).toContain('Exec="/opt/100%%/feedwatch" --hidden')
})

test('on Linux start at login writes and removes the autostart entry', async () => {
  scratch = mkdtempSync(join(tmpdir(), 'feedwatch-autostart-'))
  const app = {
    setLoginItemSettings: vi.fn(),
    getLoginItemSettings: () => ({ openAtLogin: false }),
  }
  const context = {
    platform: 'linux' as const,
    executable: '/opt/feedwatch/feedwatch',
    env: { XDG_CONFIG_HOME: scratch },
    home: '/home/ops',
  }
  await setStartAtLogin(true, app, context)
  const path = join(scratch, 'autostart', 'app.feedwatch.desktop.desktop')
  expect(readFileSync(path, 'utf8')).toContain('Exec="/opt/feedwatch/feedwatch" --hidden')
  await expect(startsAtLogin(app, context)).resolves.toBe(true)
  await setStartAtLogin(false, app, context)
  expect(existsSync(path)).toBe(false)
  await expect(startsAtLogin(app, context)).resolves.toBe(false)
  expect(app.setLoginItemSettings).not.toHaveBeenCalled()
})

test('on macOS and Windows start at login is the login item, with --hidden', async () => {
  for (const platform of ['darwin', 'win32'] as const) {
    const app = {
      setLoginItemSettings: vi.fn(),
      getLoginItemSettings: vi.fn(() => ({ openAtLogin: true })),
    }
    const context = { platform, executable: 'x', env: {}, home: '/' }
    await setStartAtLogin(true, app, context)
    expect(app.setLoginItemSettings).toHaveBeenCalledWith({ openAtLogin: true, args: ['--hidden'] })
    await expect(startsAtLogin(app, context)).resolves.toBe(true)
    expect(app.getLoginItemSettings).toHaveBeenCalledWith({ args: ['--hidden'] })
  }
})

function store(path: string, now: () => number) {
  const onChange = vi.fn()
  const settings = new DesktopSettingsStore({
    path,
    loginItems: {
      setLoginItemSettings: vi.fn(),
      getLoginItemSettings: () => ({ openAtLogin: false }),
    },
    loginItemContext: { platform: 'darwin', executable: 'x', env: {}, home: '/' },
    onChange,
    log: () => {},
    now,
  })
  return { settings, onChange }
}

test('the store starts with the defaults and loads the saved settings', async () => {
  scratch = mkdtempSync(join(tmpdir(), 'feedwatch-store-'))
  const path = join(scratch, 'desktop-settings.json')
  await writeStateFile(path, { ...DEFAULT_DESKTOP_SETTINGS, keepRunningWhenClosed: false })
  const { settings } = store(path, Date.now)
  expect(settings.current).toEqual(DEFAULT_DESKTOP_SETTINGS)
  await settings.load()
  expect(settings.current.keepRunningWhenClosed).toBe(false)
})

test('changes are saved in order and the menus are told each time', async () => {
  scratch = mkdtempSync(join(tmpdir(), 'feedwatch-store-'))
  const path = join(scratch, 'desktop-settings.json')
  const { settings, onChange } = store(path, Date.now)
  settings.toggleKeepRunning()
  settings.toggleKeepRunning()
  settings.toggleKeepRunning()
  await settings.flushed()
  expect(onChange).toHaveBeenCalledTimes(3)
  expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ keepRunningWhenClosed: false })
})

test('a mute lasts one hour, and the menus are told when it ends by itself', async () => {
  vi.useFakeTimers()
  try {
    scratch = mkdtempSync(join(tmpdir(), 'feedwatch-store-'))
    const { settings, onChange } = store(join(scratch, 'desktop-settings.json'), () => Date.now())
    settings.toggleMute()
    expect(settings.muted()).toBe(true)
    expect(settings.current.mutedUntil).toBe(Date.now() + 60 * 60 * 1000)
    onChange.mockClear()
    vi.advanceTimersByTime(60 * 60 * 1000 - 1)
    expect(settings.muted()).toBe(true)
    expect(onChange).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1001)
    expect(settings.muted()).toBe(false)
    expect(onChange).toHaveBeenCalledOnce()
    settings.dispose()
    await settings.flushed()
  } finally {
    vi.useRealTimers()
  }
})

test('muting again while muted unmutes', async () => {
  scratch = mkdtempSync(join(tmpdir(), 'feedwatch-store-'))
  const { settings } = store(join(scratch, 'desktop-settings.json'), () => 1000)
  settings.toggleMute()
  settings.toggleMute()
  expect(settings.muted()).toBe(false)
  expect(settings.current.mutedUntil).toBe(0)
  settings.dispose()
  await settings.flushed()
})
