import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import type { CommandHandlers } from '../../src/main/api/command-dispatch'
import type { DesktopService, DesktopServiceOptions } from '../../src/main/electron/desktop-app'
import type { ProfileHealthInput } from '../../src/main/electron/tray-health'
import type { AlertNotice } from '../../src/shared/alerts'
import type { PushMessage } from '../../src/shared/api'

/**
 * The desktop shell's wiring, run against a stand-in `electron` (there is no Electron binary under
 * plain Node): single-instance lock, what the service is started with, the window and its page on
 * our scheme, the sender check on real registered handlers, pushes, the wall, the tray, closing to
 * the tray, notifications and quitting.
 *
 * The stand-in is typed against Electron's own declarations: constructor options are Electron's
 * option types, each fake implements the methods it has with Electron's signatures, and the events
 * a test fires must be events the real object has (`RealEvent`), so the fake cannot accept what the
 * real API lacks.
 */

type ElectronModule = typeof import('electron')
type RealBrowserWindow = import('electron').BrowserWindow
type RealWebContents = import('electron').WebContents
type RealNotification = import('electron').Notification
type RealTray = import('electron').Tray
type RealApp = import('electron').App
type MenuTemplate = import('electron').MenuItemConstructorOptions[]

/** `E` when Electron's `T` has an event named `E` (one of its `on` overloads takes it), else never. */
type RealEvent<T, E extends string> = T extends {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any listener: only the name is checked
  on(event: E, listener: (...args: any[]) => void): unknown
}
  ? E
  : never

const fake = await vi.hoisted(async () => {
  const { EventEmitter } = await import('node:events')

  /** An Electron-style event: preventDefault and whether it was called. */
  const electronEvent = () => {
    const event = {
      defaultPrevented: false,
      preventDefault: () => {
        event.defaultPrevented = true
      },
    }
    return event
  }

  class FakeWebContents
    extends EventEmitter
    implements Pick<RealWebContents, 'send' | 'isDestroyed' | 'getURL' | 'isLoading'>
  {
    static nextId = 1
    readonly id = FakeWebContents.nextId++
    url = ''
    destroyed = false
    loading = true
    readonly sent: [string, unknown][] = []
    readonly session = {}
    send(channel: string, ...args: unknown[]) {
      this.sent.push([channel, args[0]])
    }
    isDestroyed() {
      return this.destroyed
    }
    getURL() {
      return this.url
    }
    isLoading() {
      return this.loading
    }
    /** Fires an event the real WebContents has. */
    fire<E extends string>(event: E & RealEvent<RealWebContents, E>, ...args: unknown[]) {
      return this.emit(event, ...args)
    }
    /** The page finished loading at `url`. */
    finishLoad(url: string) {
      this.url = url
      this.loading = false
      this.fire('did-finish-load')
    }
    /** A key press reaches the window; returns whether main kept it from the page. */
    press(key: string) {
      const event = electronEvent()
      const input = { type: 'keyDown', key, alt: false, control: false, meta: false, shift: false }
      this.fire('before-input-event', event, input)
      return event.defaultPrevented
    }
  }

  class FakeBrowserWindow
    extends EventEmitter
    implements
      Pick<
        RealBrowserWindow,
        | 'loadURL'
        | 'show'
        | 'hide'
        | 'focus'
        | 'close'
        | 'restore'
        | 'maximize'
        | 'isMinimized'
        | 'isMaximized'
        | 'isDestroyed'
        | 'setFullScreen'
        | 'setMenuBarVisibility'
        | 'getNormalBounds'
        | 'getBounds'
      >
  {
    static all: FakeBrowserWindow[] = []
    readonly webContents = new FakeWebContents()
    fullScreen = false
    menuBarVisible = true
    shown = false
    focused = 0
    destroyed = false
    loadedUrl = ''
    constructor(readonly options: import('electron').BrowserWindowConstructorOptions) {
      super()
      FakeBrowserWindow.all.push(this)
    }
    /** Fires an event the real BrowserWindow has. */
    fire<E extends string>(event: E & RealEvent<RealBrowserWindow, E>, ...args: unknown[]) {
      return this.emit(event, ...args)
    }
    loadURL(url: string) {
      this.loadedUrl = url
      return Promise.resolve()
    }
    show() {
      this.shown = true
    }
    hide() {
      this.shown = false
    }
    focus() {
      this.focused += 1
    }
    /** As Electron: 'close' first, which may be prevented; else the window is gone. */
    close() {
      const event = electronEvent()
      this.fire('close', event)
      if (event.defaultPrevented) return
      this.destroyed = true
      this.webContents.destroyed = true
      this.fire('closed')
    }
    restore() {}
    maximize() {}
    isMinimized() {
      return false
    }
    isMaximized() {
      return false
    }
    isDestroyed() {
      return this.destroyed
    }
    setFullScreen(flag: boolean) {
      this.fullScreen = flag
    }
    setMenuBarVisibility(visible: boolean) {
      this.menuBarVisible = visible
    }
    getNormalBounds() {
      return { x: 10, y: 20, width: 1000, height: 700 }
    }
    getBounds() {
      return this.getNormalBounds()
    }
  }

  class FakeNotification extends EventEmitter implements Pick<RealNotification, 'show'> {
    static all: FakeNotification[] = []
    constructor(readonly options: import('electron').NotificationConstructorOptions) {
      super()
      FakeNotification.all.push(this)
    }
    static isSupported() {
      return true
    }
    /** Fires an event the real Notification has. */
    fire<E extends string>(event: E & RealEvent<RealNotification, E>, ...args: unknown[]) {
      return this.emit(event, ...args)
    }
    show() {}
  }

  class FakeTray
    extends EventEmitter
    implements Pick<RealTray, 'setToolTip' | 'setImage' | 'isDestroyed' | 'destroy'>
  {
    static all: FakeTray[] = []
    tooltip = ''
    destroyed = false
    menu: MenuTemplate = []
    constructor(readonly image: import('electron').NativeImage | string) {
      super()
      FakeTray.all.push(this)
    }
    setToolTip(toolTip: string) {
      this.tooltip = toolTip
    }
    setContextMenu(menu: import('electron').Menu | null) {
      this.menu = (menu as unknown as { template: MenuTemplate } | null)?.template ?? []
    }
    setImage(image: import('electron').NativeImage | string) {
      void image
    }
    isDestroyed() {
      return this.destroyed
    }
    destroy() {
      this.destroyed = true
    }
    /** Clicks the menu item with this label, looking into submenus. */
    clickItem(...labels: string[]) {
      let items = this.menu
      let item: import('electron').MenuItemConstructorOptions | undefined
      for (const label of labels) {
        item = items.find((each) => each.label === label)
        items = Array.isArray(item?.submenu) ? item.submenu : []
      }
      if (item?.click === undefined) throw new Error(`no menu item ${labels.join(' > ')}`)
      item.click(undefined as never, undefined, undefined as never)
    }
  }

  const displays = [
    { id: 1, label: 'Built-in', bounds: { x: 0, y: 0, width: 1920, height: 1080 } },
    { id: 7, label: 'TV', bounds: { x: 1920, y: 0, width: 3840, height: 2160 } },
  ]
  const screenDisplays = () =>
    displays.map((d) => ({ ...d, workArea: { ...d.bounds, height: d.bounds.height - 40 } }))

  const app = Object.assign(new EventEmitter(), {
    isPackaged: true,
    lock: true,
    userData: '',
    lockData: undefined as unknown,
    commandLine: { getSwitchValue: () => '' },
    setPath: (_name: string, _path: string) => {},
    getPath: (_name: string): string => app.userData,
    requestSingleInstanceLock: (data?: Record<string, unknown>): boolean => {
      app.lockData = data
      return app.lock
    },
    setAppUserModelId: vi.fn((_id: string) => {}),
    whenReady: () => Promise.resolve(),
    getLoginItemSettings: () => ({ wasOpenedAtLogin: false, openAtLogin: false }),
    setLoginItemSettings: vi.fn(),
    quit: vi.fn(),
    exit: vi.fn(),
  }) satisfies Pick<
    RealApp,
    'setPath' | 'getPath' | 'requestSingleInstanceLock' | 'setAppUserModelId' | 'whenReady'
  >

  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>()
  const schemes = new Map<string, (request: Request) => Promise<Response> | Response>()

  const electron = {
    app,
    BrowserWindow: FakeBrowserWindow,
    Notification: FakeNotification,
    Tray: FakeTray,
    ipcMain: {
      handle: (channel: string, listener: (event: unknown, ...args: unknown[]) => unknown) => {
        if (handlers.has(channel)) throw new Error(`a second handler for ${channel}`)
        handlers.set(channel, listener)
      },
      removeHandler: (channel: string) => handlers.delete(channel),
    },
    Menu: {
      buildFromTemplate: (template: MenuTemplate) =>
        ({ template }) as unknown as import('electron').Menu,
      setApplicationMenu: vi.fn((_menu: import('electron').Menu | null) => {}),
    },
    nativeImage: {
      createFromBitmap: (
        _buffer: Buffer,
        _options: import('electron').CreateFromBitmapOptions,
      ): import('electron').NativeImage => ({}) as import('electron').NativeImage,
    },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(
        (_schemes: import('electron').CustomScheme[]) => undefined,
      ),
      handle: (scheme: string, handler: (request: Request) => Promise<Response> | Response) =>
        void schemes.set(scheme, handler),
    },
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret' as const,
      encryptString: (plain: string) => Buffer.from(plain),
      decryptString: (encrypted: Buffer) => encrypted.toString(),
    },
    screen: {
      getPrimaryDisplay: () => screenDisplays()[0],
      getAllDisplays: () => screenDisplays(),
      getDisplayMatching: (_rect: import('electron').Rectangle) => screenDisplays()[0],
      on: vi.fn(),
      off: vi.fn(),
    },
    shell: { openExternal: vi.fn((_url: string) => Promise.resolve()) },
    dialog: {
      showErrorBox: vi.fn((_title: string, _content: string) => {}),
      showMessageBox: vi.fn((_window: unknown, _options: import('electron').MessageBoxOptions) =>
        Promise.resolve({ response: 0, checkboxChecked: false }),
      ),
    },
  } satisfies {
    [K in keyof ElectronModule]?: unknown
  }

  return {
    app,
    handlers,
    schemes,
    displays,
    electron,
    FakeBrowserWindow,
    FakeNotification,
    FakeTray,
  }
})

vi.mock('electron', () => fake.electron)

const PAGE_URL = 'feedwatch://app/index.html'

/** A service that answers the commands the shell sends and records them. */
function fakeService(
  running: ProfileHealthInput[] = [{ profile: 'Demo', health: 'ok', firing: 0 }],
) {
  const listeners = new Set<(message: PushMessage) => void>()
  const calls: [string, unknown][] = []
  const record =
    (name: string, answer: unknown = null) =>
    (request: unknown) => {
      calls.push([name, request])
      return answer
    }
  const settings = { theme: 'system', notifications: true, soundSeverities: ['critical'] }
  const active = { profile: { name: 'Demo', settings }, notices: [], running: true }
  const handlers = {
    'profiles:active': () => active,
    'profiles:switch': record('profiles:switch', active),
    'profiles:start': record('profiles:start', { name: 'ops' }),
    'alerts:ack': record('alerts:ack', {}),
    'alerts:silence': record('alerts:silence'),
  } as unknown as CommandHandlers
  const service: DesktopService = {
    handlers,
    subscribe: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    runningProfiles: () => running,
    profileName: 'Demo',
    close: vi.fn(() => Promise.resolve()),
  }
  const push = (message: PushMessage) => listeners.forEach((listener) => listener(message))
  return { service, push, calls, listeners }
}

let userData = ''
let mainDir = ''

beforeEach(() => {
  vi.resetModules()
  userData = mkdtempSync(join(tmpdir(), 'feedwatch-desktop-'))
  // The build's layout: out/main beside out/renderer.
  mainDir = join(userData, 'app', 'out', 'main')
  mkdirSync(join(userData, 'app', 'out', 'renderer'), { recursive: true })
  writeFileSync(join(userData, 'app', 'out', 'renderer', 'index.html'), '<title>Feedwatch</title>')
  fake.app.removeAllListeners()
  fake.app.userData = userData
  fake.app.lock = true
  fake.app.quit.mockReset()
  fake.app.exit.mockReset()
  fake.app.setAppUserModelId.mockClear()
  fake.handlers.clear()
  fake.schemes.clear()
  fake.electron.dialog.showMessageBox.mockClear()
  fake.FakeBrowserWindow.all.length = 0
  fake.FakeNotification.all.length = 0
  fake.FakeTray.all.length = 0
  vi.spyOn(console, 'log').mockImplementation(() => {})
})

afterEach(() => {
  vi.useRealTimers()
  rmSync(userData, { recursive: true, force: true })
  vi.restoreAllMocks()
})

/** Runs the app with `args` and waits until its tray is up. */
async function run(args: string[] = [], started = fakeService()) {
  const { runDesktopApp } = await import('../../src/main/electron/desktop-app')
  const startService = vi.fn(async (_options: DesktopServiceOptions) => started.service)
  runDesktopApp({ startService, mainDir, args })
  await vi.waitFor(() => expect(fake.FakeTray.all).toHaveLength(1))
  const window = fake.FakeBrowserWindow.all[0]
  if (window === undefined) throw new Error('no window')
  const tray = fake.FakeTray.all[0]
  if (tray === undefined) throw new Error('no tray')
  return { ...started, startService, window, tray }
}

/** Invokes a registered handler as IPC would, from `contents` (frame: its main frame). */
function invoke(
  channel: string,
  contents: { id: number; url: string },
  payload: unknown,
  mainFrame = true,
) {
  const handler = fake.handlers.get(channel)
  if (handler === undefined) throw new Error(`no handler for ${channel}`)
  const event = {
    sender: { id: contents.id },
    senderFrame: { url: contents.url, parent: mainFrame ? null : {} },
  }
  return handler(event, payload)
}

function notice(overrides: Partial<AlertNotice> = {}): AlertNotice {
  return {
    kind: 'firing',
    title: 'Firing: CPU high',
    body: 'cpu is 0.97',
    severity: 'critical',
    feedId: 'prod-api',
    ruleId: 'cpu',
    alertId: 'a1',
    at: 0,
    ...overrides,
  }
}

function settingsFile(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(userData, 'desktop-settings.json'), 'utf8')) as Record<
    string,
    unknown
  >
}

test('a second instance hands its flags to the first and quits without starting anything', async () => {
  fake.app.lock = false
  const { runDesktopApp } = await import('../../src/main/electron/desktop-app')
  const startService = vi.fn()
  runDesktopApp({ startService, mainDir, args: ['--wall', '--profile', 'ops'] })
  expect(fake.app.quit).toHaveBeenCalled()
  expect(fake.app.lockData).toMatchObject({ wall: true, profile: 'ops' })
  await Promise.resolve()
  expect(startService).not.toHaveBeenCalled()
})

test('on Windows the app sets the AppUserModelId its notifications need', async () => {
  const platform = Object.getOwnPropertyDescriptor(process, 'platform')
  Object.defineProperty(process, 'platform', { value: 'win32', configurable: true })
  try {
    await run()
  } finally {
    if (platform !== undefined) Object.defineProperty(process, 'platform', platform)
  }
  const { APP_USER_MODEL_ID } = await import('../../src/main/electron/desktop-notifier')
  expect(fake.app.setAppUserModelId).toHaveBeenCalledWith(APP_USER_MODEL_ID)
})

test('the service starts in the data folder with the keychain cipher, a notifier and --profile', async () => {
  const { startService } = await run(['--profile', 'ops'])
  const options = startService.mock.calls[0]?.[0]
  expect(options).toMatchObject({ dataDir: userData, profileName: 'ops' })
  expect(options?.cipher?.decrypt(options.cipher.encrypt('s3cret'))).toBe('s3cret')
  expect(typeof options?.notifier.notify).toBe('function')
})

test('an unknown --profile opens the app on the last profile with a notice instead of exiting', async () => {
  const started = fakeService()
  const { runDesktopApp } = await import('../../src/main/electron/desktop-app')
  const startService = vi.fn(async (options: DesktopServiceOptions) => {
    if (options.profileName !== undefined) throw new Error('no profile named "nope"')
    return started.service
  })
  runDesktopApp({ startService, mainDir, args: ['--profile', 'nope'] })
  await vi.waitFor(() => expect(fake.FakeTray.all).toHaveLength(1))
  expect(startService).toHaveBeenCalledTimes(2)
  expect(fake.app.exit).not.toHaveBeenCalled()
  expect(fake.FakeBrowserWindow.all).toHaveLength(1)
  const [, options] = fake.electron.dialog.showMessageBox.mock.calls[0] ?? []
  expect(options?.message).toMatch(/The profile "nope" could not be opened .*last profile/)
})

test('the window gets the secure options and loads our page from the feedwatch:// scheme', async () => {
  const { window } = await run()
  expect(window.options).toMatchObject({
    title: 'Feedwatch',
    webPreferences: {
      preload: join(mainDir, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  })
  expect(window.loadedUrl).toBe(PAGE_URL)
})

test('the scheme is registered as privileged before start and serves the renderer folder', async () => {
  await run()
  expect(fake.electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
    expect.objectContaining({ scheme: 'feedwatch' }),
  ])
  const handler = fake.schemes.get('feedwatch')
  const page = await handler?.(new Request(PAGE_URL))
  expect(page?.status).toBe(200)
  expect(await page?.text()).toBe('<title>Feedwatch</title>')
  const outside = await handler?.(new Request('feedwatch://app/..%2F..%2Fdesktop-settings.json'))
  expect(outside?.status).toBe(403)
})

test('our page in our window may use the API; anything else is forbidden', async () => {
  const { window } = await run()
  window.webContents.finishLoad(PAGE_URL)
  const ours = { id: window.webContents.id, url: `${PAGE_URL}#/wall` }
  await expect(invoke('profiles:active', ours, {})).resolves.toMatchObject({ ok: true })
  const forbidden = { ok: false, error: { code: 'forbidden' } }
  await expect(invoke('profiles:active', { ...ours, id: 999 }, {})).resolves.toMatchObject(
    forbidden,
  )
  await expect(invoke('profiles:active', ours, {}, false)).resolves.toMatchObject(forbidden)
  for (const url of ['https://evil.example/', 'file:///app/out/renderer/index.html'])
    await expect(invoke('profiles:active', { ...ours, url }, {})).resolves.toMatchObject(forbidden)
  expect(invoke('app:set-wall', { ...ours, id: 999 }, { on: true })).toMatchObject(forbidden)
})

test('pushes reach the window once it shows our page', async () => {
  const { window, push } = await run()
  const message: PushMessage = { type: 'alerts:changed', payload: { profile: 'Demo', active: [] } }
  push(message)
  expect(window.webContents.sent).toEqual([])
  window.webContents.finishLoad(PAGE_URL)
  push(message)
  expect(window.webContents.sent).toContainEqual(['alerts:changed', message.payload])
})

test('after each page load the page is told whether the wall is on', async () => {
  const { window } = await run()
  window.webContents.finishLoad(PAGE_URL)
  expect(window.webContents.sent).toContainEqual(['app:wall', { on: false }])
})

test('--wall loads the wall route and goes full screen without the menu bar when shown', async () => {
  const { window } = await run(['--wall'])
  expect(window.loadedUrl).toBe(`${PAGE_URL}#/wall`)
  window.fire('ready-to-show')
  expect(window.shown).toBe(true)
  expect(window.fullScreen).toBe(true)
  expect(window.menuBarVisible).toBe(false)
})

/** The checked state of the wall item in the View menu and in the tray menu. */
function wallCheckboxes(tray: InstanceType<typeof fake.FakeTray>) {
  const calls = fake.electron.Menu.setApplicationMenu.mock.calls
  const menu = (calls.at(-1)?.[0] as unknown as { template: MenuTemplate }).template
  const view = menu.find((item) => item.label === 'View')?.submenu as MenuTemplate
  return {
    menu: view.find((item) => item.label === 'Ops Wall')?.checked,
    tray: tray.menu.find((item) => item.label === 'Ops Wall')?.checked,
  }
}

test('the page asks main for the wall: full screen, the page told, menu and tray checked', async () => {
  const { window, tray } = await run()
  window.webContents.finishLoad(PAGE_URL)
  const ours = { id: window.webContents.id, url: PAGE_URL }
  await expect(invoke('app:set-wall', ours, { on: true })).toEqual({ ok: true, value: null })
  expect(window.fullScreen).toBe(true)
  expect(window.webContents.sent.at(-1)).toEqual(['app:wall', { on: true }])
  expect(wallCheckboxes(tray)).toEqual({ menu: true, tray: true })
  invoke('app:set-wall', ours, { on: false })
  expect(window.fullScreen).toBe(false)
  expect(window.menuBarVisible).toBe(true)
  expect(wallCheckboxes(tray)).toEqual({ menu: false, tray: false })
})

test('a malformed wall request is refused as invalid', async () => {
  const { window } = await run()
  window.webContents.finishLoad(PAGE_URL)
  const ours = { id: window.webContents.id, url: PAGE_URL }
  for (const payload of [undefined, {}, { on: 'yes' }, { on: true, extra: 1 }])
    expect(invoke('app:set-wall', ours, payload)).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    })
  expect(window.fullScreen).toBe(false)
})

test('the tray toggles the same wall', async () => {
  const { window, tray } = await run()
  window.webContents.finishLoad(PAGE_URL)
  tray.clickItem('Ops Wall')
  expect(window.fullScreen).toBe(true)
  expect(wallCheckboxes(tray)).toEqual({ menu: true, tray: true })
})

test('Esc leaves the wall and is kept from the page; outside the wall it reaches the page', async () => {
  const { window, tray } = await run(['--wall'])
  window.fire('ready-to-show')
  window.webContents.finishLoad(`${PAGE_URL}#/wall`)
  expect(window.webContents.press('Escape')).toBe(true)
  expect(window.fullScreen).toBe(false)
  expect(window.webContents.sent.at(-1)).toEqual(['app:wall', { on: false }])
  expect(wallCheckboxes(tray)).toEqual({ menu: false, tray: false })
  expect(window.webContents.press('Escape')).toBe(false)
})

test('leaving full screen by other means turns the wall off and tells the page', async () => {
  const { window } = await run(['--wall'])
  window.webContents.finishLoad(PAGE_URL)
  window.fire('leave-full-screen')
  expect(window.webContents.sent).toContainEqual(['app:wall', { on: false }])
})

test('clicking an alert notification leaves the wall, focuses the window and selects the feed', async () => {
  const { window, startService } = await run(['--wall'])
  window.fire('ready-to-show')
  window.webContents.finishLoad(PAGE_URL)
  startService.mock.calls[0]?.[0].notifier.notify(notice())
  const notification = fake.FakeNotification.all[0]
  expect(notification?.options).toMatchObject({ title: 'Firing: CPU high (critical)' })
  notification?.fire('click')
  await vi.waitFor(() =>
    expect(window.webContents.sent).toContainEqual(['app:focus-feed', { feedId: 'prod-api' }]),
  )
  expect(window.fullScreen).toBe(false)
  expect(window.webContents.sent).toContainEqual(['app:wall', { on: false }])
  expect(window.focused).toBeGreaterThan(0)
})

test("a notification's Acknowledge and Silence buttons act on its alert in its profile", async () => {
  const { startService, calls } = await run()
  const notifier = startService.mock.calls[0]?.[0].notifier
  notifier?.notify({ ...notice({ alertId: 'a9', ruleId: 'cpu' }), profile: 'Ops' })
  fake.FakeNotification.all[0]?.fire('action', {}, 0)
  notifier?.notify({ ...notice({ alertId: 'a9', ruleId: 'cpu' }), profile: 'Ops' })
  fake.FakeNotification.all[1]?.fire('action', {}, 1)
  await vi.waitFor(() => expect(calls).toHaveLength(2))
  expect(calls[0]).toEqual(['alerts:ack', { profile: 'Ops', alertId: 'a9' }])
  expect(calls[1]).toMatchObject(['alerts:silence', { profile: 'Ops', ruleId: 'cpu' }])
})

test('notifications follow the profile: turned off there, none are shown', async () => {
  const { push, startService } = await run()
  push({
    type: 'profiles:changed',
    payload: {
      profile: { settings: { theme: 'system', notifications: false, soundSeverities: [] } },
      notices: [],
    } as never,
  })
  startService.mock.calls[0]?.[0].notifier.notify(notice({ severity: 'info' }))
  expect(fake.FakeNotification.all).toHaveLength(0)
})

test('"Mute Notifications for 1 Hour" in the tray mutes them, and the setting is saved', async () => {
  const { tray, startService } = await run()
  tray.clickItem('Mute Notifications for 1 Hour')
  startService.mock.calls[0]?.[0].notifier.notify(notice())
  expect(fake.FakeNotification.all).toHaveLength(0)
  await vi.waitFor(() => expect(settingsFile()['mutedUntil']).toBeGreaterThan(Date.now()))
  expect(tray.menu.find((item) => item.checked && item.label?.includes('muted'))).toBeDefined()
})

test('a second `feedwatch --wall --profile ops` starts and shows that profile on the wall', async () => {
  const { window, calls } = await run()
  window.webContents.finishLoad(PAGE_URL)
  fake.app.emit('second-instance', {}, [], '/', { feedwatch: 1, wall: true, profile: 'ops' })
  await vi.waitFor(() => expect(calls.map(([name]) => name)).toContain('profiles:switch'))
  expect(calls).toEqual([
    ['profiles:start', { name: 'ops' }],
    ['profiles:switch', { name: 'ops' }],
  ])
  expect(window.fullScreen).toBe(true)
  expect(window.focused).toBeGreaterThan(0)
})

test('a second instance while the first is still starting is honoured once the service is up', async () => {
  const started = fakeService()
  let release: () => void = () => {}
  const gate = new Promise<void>((resolve) => (release = resolve))
  const { runDesktopApp } = await import('../../src/main/electron/desktop-app')
  runDesktopApp({
    startService: async () => {
      await gate
      return started.service
    },
    mainDir,
    args: [],
  })
  await vi.waitFor(() => expect(fake.app.listenerCount('second-instance')).toBe(1))
  fake.app.emit('second-instance', {}, [], '/', { feedwatch: 1, wall: false, profile: 'ops' })
  release()
  await vi.waitFor(() => expect(started.calls.map(([name]) => name)).toContain('profiles:switch'))
})

test('an unknown profile from a second instance gives a notice', async () => {
  const started = fakeService()
  ;(started.service.handlers as unknown as Record<string, unknown>)['profiles:start'] = () => {
    throw Object.assign(new Error('no profile named "nope"'), { name: 'CommandError' })
  }
  const { window } = await run([], started)
  window.webContents.finishLoad(PAGE_URL)
  fake.app.emit('second-instance', {}, [], '/', { feedwatch: 1, wall: false, profile: 'nope' })
  await vi.waitFor(() => expect(fake.electron.dialog.showMessageBox).toHaveBeenCalled())
  const [, options] = fake.electron.dialog.showMessageBox.mock.calls[0] ?? []
  expect(options?.message).toMatch(/The profile "nope" could not be opened/)
})

test('closing the window hides it to the tray and says so, once', async () => {
  const { window, service } = await run()
  window.show()
  window.close()
  expect(window.destroyed).toBe(false)
  expect(window.shown).toBe(false)
  expect(service.close).not.toHaveBeenCalled()
  expect(fake.FakeNotification.all.map((n) => n.options.title)).toEqual([
    'Feedwatch is still running',
  ])
  expect(fake.FakeNotification.all[0]?.options.body).toMatch(/Quit Feedwatch.*Ctrl\+Q/)
  window.close()
  expect(fake.FakeNotification.all).toHaveLength(1)
  await vi.waitFor(() => expect(settingsFile()['closeNoticeShown']).toBe(true))
  fake.app.emit('window-all-closed')
  expect(fake.app.quit).not.toHaveBeenCalled()
})

test('when Windows ends the session, closing is no longer refused and the app quits', async () => {
  const { window } = await run()
  window.fire('session-end')
  window.close()
  expect(window.destroyed).toBe(true)
  await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalled())
})

test('the display list of "Open Wall on Display" is rebuilt when a display comes or goes', async () => {
  await run()
  const events = fake.electron.screen.on.mock.calls.map(([event]) => event)
  expect(events).toEqual(expect.arrayContaining(['display-added', 'display-removed']))
})

test('with "Keep Running" off, closing the window closes it and the app quits', async () => {
  const { window, tray } = await run()
  tray.clickItem('Keep Running When the Window Is Closed')
  window.close()
  expect(window.destroyed).toBe(true)
  fake.app.emit('window-all-closed')
  expect(fake.app.quit).toHaveBeenCalled()
})

test('the tray shows every running profile in its tooltip', async () => {
  await run(
    [],
    fakeService([
      { profile: 'Demo', health: 'ok', firing: 0 },
      { profile: 'Ops', health: 'degraded', firing: 1 },
    ]),
  )
  expect(fake.FakeTray.all[0]?.tooltip.split('\n')).toEqual([
    'Feedwatch: alerts firing',
    'Ops: 1 alert firing',
    'Demo: all feeds live',
  ])
})

test('the tray follows the service: a push updates its tooltip', async () => {
  const running: ProfileHealthInput[] = [{ profile: 'Demo', health: 'ok', firing: 0 }]
  const { push, tray } = await run([], fakeService(running))
  running[0] = { profile: 'Demo', health: 'down', firing: 0 }
  push({ type: 'alerts:changed', payload: { profile: 'Demo', active: [] } })
  expect(tray.tooltip).toContain('Demo: feeds failed')
})

test('"Open Wall on Display" opens a full-screen wall of the profile there and remembers it', async () => {
  const { tray } = await run()
  tray.clickItem('Open Wall on Display', 'Display 2: TV (3840×2160)')
  const wall = fake.FakeBrowserWindow.all[1]
  expect(wall?.options).toMatchObject({ x: 1920, y: 0, width: 3840, height: 2160 })
  expect(wall?.loadedUrl).toBe(`${PAGE_URL}#/wall/Demo`)
  wall?.fire('ready-to-show')
  expect(wall?.fullScreen).toBe(true)
  await vi.waitFor(() =>
    expect(settingsFile()['walls']).toEqual([
      { displayId: 7, displayBounds: fake.displays[1]?.bounds, profile: 'Demo' },
    ]),
  )
})

test('a remembered wall comes back on its display after a restart, or on another when it is gone', async () => {
  const tv = { x: 1920, y: 0, width: 3840, height: 2160 }
  writeFileSync(
    join(userData, 'desktop-settings.json'),
    JSON.stringify({ walls: [{ displayId: 7, displayBounds: tv, profile: 'Demo' }] }),
  )
  await run()
  expect(fake.FakeBrowserWindow.all[1]?.options).toMatchObject(tv)

  const gone = { x: 0, y: 2000, width: 800, height: 600 }
  writeFileSync(
    join(userData, 'desktop-settings.json'),
    JSON.stringify({ walls: [{ displayId: 99, displayBounds: gone, profile: 'Demo' }] }),
  )
  fake.FakeTray.all.length = 0
  fake.FakeBrowserWindow.all.length = 0
  fake.handlers.clear()
  vi.resetModules()
  await run()
  // The main window is on display 1, so the wall goes to the other one.
  expect(fake.FakeBrowserWindow.all[1]?.options).toMatchObject(tv)
})

test('Esc in a wall window closes it, and it is not reopened after a restart', async () => {
  const { tray } = await run()
  tray.clickItem('Open Wall on Display', 'Display 2: TV (3840×2160)')
  const wall = fake.FakeBrowserWindow.all[1]
  expect(wall?.webContents.press('Escape')).toBe(true)
  expect(wall?.destroyed).toBe(true)
  await vi.waitFor(() => expect(settingsFile()['walls']).toEqual([]))
})

test('a wall window whose page leaves the wall closes; the main window stays as it is', async () => {
  const { tray, window } = await run()
  tray.clickItem('Open Wall on Display', 'Display 2: TV (3840×2160)')
  const wall = fake.FakeBrowserWindow.all[1]
  if (wall === undefined) throw new Error('no wall window')
  wall.webContents.finishLoad(`${PAGE_URL}#/wall/Demo`)
  const sender = { id: wall.webContents.id, url: wall.webContents.url }
  expect(invoke('app:set-wall', sender, { on: false })).toEqual({ ok: true, value: null })
  expect(wall.destroyed).toBe(true)
  expect(window.destroyed).toBe(false)
  expect(window.fullScreen).toBe(false)
})

test('quitting saves the window bounds, removes IPC and closes the service before going on', async () => {
  const { service, listeners } = await run()
  const event = { preventDefault: vi.fn() }
  fake.app.emit('before-quit', event)
  expect(event.preventDefault).toHaveBeenCalled()
  await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalled())
  expect(service.close).toHaveBeenCalledOnce()
  expect(fake.handlers.size).toBe(0)
  expect(listeners.size).toBe(0)
  expect(fake.FakeTray.all[0]?.destroyed).toBe(true)
  expect(JSON.parse(readFileSync(join(userData, 'window-state.json'), 'utf8'))).toEqual({
    bounds: { x: 10, y: 20, width: 1000, height: 700 },
    maximized: false,
  })
  // The second before-quit (from app.quit) goes through.
  const second = { preventDefault: vi.fn() }
  fake.app.emit('before-quit', second)
  expect(second.preventDefault).not.toHaveBeenCalled()
})

test('Quit in the tray quits, and closing windows no longer hides them', async () => {
  const { tray, window } = await run()
  tray.clickItem('Quit Feedwatch')
  expect(fake.app.quit).toHaveBeenCalledOnce()
  fake.app.emit('before-quit', { preventDefault: () => {} })
  window.close()
  expect(window.destroyed).toBe(true)
})

test('quitting finishes within the quit timeout when the service never closes', async () => {
  const started = fakeService()
  started.service.close = vi.fn(() => new Promise<void>(() => {}))
  await run([], started)
  const { QUIT_TIMEOUT_MS } = await import('../../src/main/electron/desktop-app')
  vi.useFakeTimers()
  fake.app.emit('before-quit', { preventDefault: () => {} })
  await vi.advanceTimersByTimeAsync(QUIT_TIMEOUT_MS - 1)
  expect(fake.app.quit).not.toHaveBeenCalled()
  await vi.advanceTimersByTimeAsync(1)
  // What is left after the timeout are promise steps, not time.
  vi.useRealTimers()
  await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalledOnce())
  expect(QUIT_TIMEOUT_MS).toBeLessThanOrEqual(5000)
})

test('quitting while start-up hangs still finishes within the quit timeout', async () => {
  const { runDesktopApp, QUIT_TIMEOUT_MS } = await import('../../src/main/electron/desktop-app')
  runDesktopApp({ startService: () => new Promise(() => {}), mainDir, args: [] })
  await vi.waitFor(() => expect(fake.app.listenerCount('before-quit')).toBe(1))
  vi.useFakeTimers()
  fake.app.emit('before-quit', { preventDefault: () => {} })
  await vi.advanceTimersByTimeAsync(QUIT_TIMEOUT_MS - 1)
  expect(fake.app.quit).not.toHaveBeenCalled()
  await vi.advanceTimersByTimeAsync(1)
  vi.useRealTimers()
  await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalledOnce())
})

test('remembered bounds are restored, fitted to the display', async () => {
  writeFileSync(
    join(userData, 'window-state.json'),
    JSON.stringify({ bounds: { x: 7000, y: 100, width: 1200, height: 800 }, maximized: false }),
  )
  const { window } = await run()
  expect(window.options).toMatchObject({ x: 720, y: 100, width: 1200, height: 800 })
})

test('--hidden (a start at login) opens no window, only the tray', async () => {
  const { runDesktopApp } = await import('../../src/main/electron/desktop-app')
  const started = fakeService()
  runDesktopApp({ startService: async () => started.service, mainDir, args: ['--hidden'] })
  await vi.waitFor(() => expect(fake.FakeTray.all).toHaveLength(1))
  expect(fake.FakeBrowserWindow.all).toHaveLength(0)
  fake.FakeTray.all[0]?.clickItem('Show Feedwatch')
  await vi.waitFor(() => expect(fake.FakeBrowserWindow.all).toHaveLength(1))
})

test('every new web contents is locked down: window.open is denied', async () => {
  await run()
  let openHandler: ((details: { url: string }) => unknown) | undefined
  const contents = Object.assign(new (await import('node:events')).EventEmitter(), {
    setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
    session: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() },
  })
  fake.app.emit('web-contents-created', {}, contents)
  expect(openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' })
  expect(fake.electron.shell.openExternal).toHaveBeenCalledWith('https://example.com/')
  expect(contents.session.setPermissionRequestHandler).toHaveBeenCalled()
})
