import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import type { CommandHandlers } from '../../src/main/api/command-dispatch'
import type { DesktopService, DesktopServiceOptions } from '../../src/main/electron/desktop-app'
import type { PushMessage } from '../../src/shared/api'

/**
 * The desktop shell's wiring, run against a stand-in `electron` (there is no Electron binary under
 * plain Node): single-instance lock, what the service is started with, the window and its page, the
 * sender check on real registered handlers, pushes, the wall, notification clicks and quitting.
 */
const fake = await vi.hoisted(async () => {
  const { EventEmitter } = await import('node:events')

  class FakeWebContents extends EventEmitter {
    static nextId = 1
    readonly id = FakeWebContents.nextId++
    url = ''
    destroyed = false
    loading = true
    readonly sent: [string, unknown][] = []
    readonly session = {}
    send(channel: string, payload: unknown) {
      this.sent.push([channel, payload])
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
    /** The page finished loading at `url`. */
    finishLoad(url: string) {
      this.url = url
      this.loading = false
      this.emit('did-finish-load')
    }
  }

  class FakeBrowserWindow extends EventEmitter {
    static all: FakeBrowserWindow[] = []
    readonly webContents = new FakeWebContents()
    fullScreen = false
    shown = false
    focused = 0
    destroyed = false
    loadedFile: { path: string; options: { hash?: string } } | undefined
    constructor(readonly options: Record<string, unknown>) {
      super()
      FakeBrowserWindow.all.push(this)
    }
    loadFile(path: string, options: { hash?: string }) {
      this.loadedFile = { path, options }
      return Promise.resolve()
    }
    loadURL() {
      return Promise.resolve()
    }
    show() {
      this.shown = true
    }
    focus() {
      this.focused += 1
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
    setFullScreen(on: boolean) {
      this.fullScreen = on
    }
    getNormalBounds() {
      return { x: 10, y: 20, width: 1000, height: 700 }
    }
  }

  class FakeNotification extends EventEmitter {
    static all: FakeNotification[] = []
    constructor(readonly options: Record<string, unknown>) {
      super()
      FakeNotification.all.push(this)
    }
    static isSupported() {
      return true
    }
    show() {}
  }

  class FakeTray extends EventEmitter {
    static all: FakeTray[] = []
    tooltip = ''
    destroyed = false
    constructor() {
      super()
      FakeTray.all.push(this)
    }
    setToolTip(text: string) {
      this.tooltip = text
    }
    setContextMenu() {}
    setImage() {}
    isDestroyed() {
      return this.destroyed
    }
    destroy() {
      this.destroyed = true
    }
  }

  const app = Object.assign(new EventEmitter(), {
    isPackaged: true,
    lock: true,
    userData: '',
    lockData: undefined as unknown,
    commandLine: { getSwitchValue: () => '' },
    setPath: () => {},
    getPath: () => app.userData,
    requestSingleInstanceLock: (data: unknown) => {
      app.lockData = data
      return app.lock
    },
    setAppUserModelId: () => {},
    whenReady: () => Promise.resolve(),
    quit: vi.fn(),
    exit: vi.fn(),
  })

  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>()

  return {
    app,
    handlers,
    FakeBrowserWindow,
    FakeNotification,
    FakeTray,
    electron: {
      app,
      BrowserWindow: FakeBrowserWindow,
      Notification: FakeNotification,
      Tray: FakeTray,
      ipcMain: {
        handle: (channel: string, listener: (event: unknown, ...args: unknown[]) => unknown) =>
          handlers.set(channel, listener),
        removeHandler: (channel: string) => handlers.delete(channel),
      },
      Menu: { buildFromTemplate: (template: unknown) => template, setApplicationMenu: () => {} },
      nativeImage: { createFromBitmap: () => ({}) },
      safeStorage: {
        isEncryptionAvailable: () => true,
        getSelectedStorageBackend: () => 'gnome_libsecret',
        encryptString: (plain: string) => Buffer.from(plain),
        decryptString: (encrypted: Buffer) => encrypted.toString(),
      },
      screen: {
        getPrimaryDisplay: () => ({ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }),
        getAllDisplays: () => [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }],
      },
      shell: { openExternal: vi.fn(() => Promise.resolve()) },
      dialog: { showErrorBox: vi.fn() },
    },
  }
})

vi.mock('electron', () => fake.electron)

const MAIN_DIR = '/opt/feedwatch/out/main'
const PAGE_URL = pathToFileURL('/opt/feedwatch/out/renderer/index.html').href

/** A service that answers profiles:active and records the rest. */
function fakeService() {
  const listeners = new Set<(message: PushMessage) => void>()
  const profilesSwitch = vi.fn((request: { name: string }) => ({ switchedTo: request.name }))
  const settings = { theme: 'system', notifications: true, soundSeverities: ['critical'] }
  const handlers = {
    'profiles:active': () => ({ profile: { name: 'Demo', settings }, notices: [] }),
    'profiles:switch': profilesSwitch,
  } as unknown as CommandHandlers
  const service: DesktopService = {
    handlers,
    subscribe: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    overallHealth: () => 'ok',
    close: vi.fn(() => Promise.resolve()),
  }
  const push = (message: PushMessage) => listeners.forEach((listener) => listener(message))
  return { service, push, profilesSwitch, listeners }
}

let userData = ''

beforeEach(() => {
  vi.resetModules()
  userData = mkdtempSync(join(tmpdir(), 'feedwatch-desktop-'))
  fake.app.removeAllListeners()
  fake.app.userData = userData
  fake.app.lock = true
  fake.app.quit.mockReset()
  fake.handlers.clear()
  fake.FakeBrowserWindow.all.length = 0
  fake.FakeNotification.all.length = 0
  fake.FakeTray.all.length = 0
  vi.spyOn(console, 'log').mockImplementation(() => {})
})

afterEach(() => {
  rmSync(userData, { recursive: true, force: true })
  vi.restoreAllMocks()
})

/** Runs the app with `args` and waits until its window is open. */
async function run(args: string[] = []) {
  const { runDesktopApp } = await import('../../src/main/electron/desktop-app')
  const started = fakeService()
  const startService = vi.fn(async (_options: DesktopServiceOptions) => started.service)
  runDesktopApp({ startService, mainDir: MAIN_DIR, args })
  await vi.waitFor(() => expect(fake.FakeTray.all).toHaveLength(1))
  const window = fake.FakeBrowserWindow.all[0]
  if (window === undefined) throw new Error('no window')
  return { ...started, startService, window }
}

/** Invokes a registered command handler as IPC would, from `contents` (frame: its main frame). */
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

test('a second instance hands its flags to the first and quits without starting anything', async () => {
  fake.app.lock = false
  const { runDesktopApp } = await import('../../src/main/electron/desktop-app')
  const startService = vi.fn()
  runDesktopApp({ startService, mainDir: MAIN_DIR, args: ['--wall', '--profile', 'ops'] })
  expect(fake.app.quit).toHaveBeenCalled()
  expect(fake.app.lockData).toMatchObject({ wall: true, profile: 'ops' })
  await Promise.resolve()
  expect(startService).not.toHaveBeenCalled()
})

test('the service starts in the data folder with the keychain cipher, a notifier and --profile', async () => {
  const { startService } = await run(['--profile', 'ops'])
  const options = startService.mock.calls[0]?.[0]
  expect(options).toMatchObject({ dataDir: userData, profileName: 'ops' })
  expect(options?.cipher?.decrypt(options.cipher.encrypt('s3cret'))).toBe('s3cret')
  expect(typeof options?.notifier.notify).toBe('function')
})

test('the window gets the secure options, the preload beside the main script and our page', async () => {
  const { window } = await run()
  expect(window.options).toMatchObject({
    title: 'Feedwatch',
    webPreferences: {
      preload: join(MAIN_DIR, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  })
  expect(window.loadedFile).toEqual({
    path: join(MAIN_DIR, '../renderer/index.html'),
    options: {},
  })
})

test('our page in our window may use the API; anything else is forbidden', async () => {
  const { window } = await run()
  window.webContents.finishLoad(PAGE_URL)
  const ours = { id: window.webContents.id, url: PAGE_URL }
  await expect(invoke('profiles:active', ours, {})).resolves.toMatchObject({ ok: true })
  const forbidden = { ok: false, error: { code: 'forbidden' } }
  await expect(invoke('profiles:active', { ...ours, id: 999 }, {})).resolves.toMatchObject(
    forbidden,
  )
  await expect(invoke('profiles:active', ours, {}, false)).resolves.toMatchObject(forbidden)
  await expect(
    invoke('profiles:active', { ...ours, url: 'https://evil.example/' }, {}),
  ).resolves.toMatchObject(forbidden)
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

test('--wall loads the wall route and goes full screen when the window shows', async () => {
  const { window } = await run(['--wall'])
  expect(window.loadedFile?.options).toEqual({ hash: '/wall' })
  window.emit('ready-to-show')
  expect(window.shown).toBe(true)
  expect(window.fullScreen).toBe(true)
})

test('a second `feedwatch --wall --profile ops` turns the wall on and switches profile', async () => {
  const { window, profilesSwitch } = await run()
  window.webContents.finishLoad(PAGE_URL)
  fake.app.emit('second-instance', {}, [], '/', { feedwatch: 1, wall: true, profile: 'ops' })
  await vi.waitFor(() => expect(profilesSwitch).toHaveBeenCalledWith({ name: 'ops' }))
  expect(window.fullScreen).toBe(true)
  expect(window.webContents.sent).toContainEqual(['app:wall', { on: true }])
  expect(window.focused).toBeGreaterThan(0)
})

test('leaving full screen by other means turns the wall off and tells the page', async () => {
  const { window } = await run(['--wall'])
  window.webContents.finishLoad(PAGE_URL)
  window.emit('leave-full-screen')
  expect(window.webContents.sent).toContainEqual(['app:wall', { on: false }])
})

test('clicking an alert notification focuses the window and selects the feed', async () => {
  const { window, startService } = await run()
  window.webContents.finishLoad(PAGE_URL)
  const notifier = startService.mock.calls[0]?.[0].notifier
  notifier?.notify({
    kind: 'firing',
    title: 'Firing: CPU high',
    body: 'cpu is 0.97',
    severity: 'critical',
    feedId: 'prod-api',
    ruleId: 'cpu',
    alertId: 'a1',
    at: 0,
  })
  const notification = fake.FakeNotification.all[0]
  expect(notification?.options).toMatchObject({
    title: 'Firing: CPU high (critical)',
    silent: false,
  })
  notification?.emit('click')
  await vi.waitFor(() =>
    expect(window.webContents.sent).toContainEqual(['app:focus-feed', { feedId: 'prod-api' }]),
  )
  expect(window.focused).toBeGreaterThan(0)
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
  startService.mock.calls[0]?.[0].notifier.notify({
    kind: 'firing',
    title: 't',
    body: 'b',
    severity: 'info',
    feedId: 'f',
    ruleId: 'r',
    alertId: 'a',
    at: 0,
  })
  expect(fake.FakeNotification.all).toHaveLength(0)
})

test('the tray shows the overall health', async () => {
  await run()
  expect(fake.FakeTray.all[0]?.tooltip).toBe('Feedwatch: all feeds OK')
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

test('remembered bounds are restored, fitted to the display', async () => {
  const { writeFileSync } = await import('node:fs')
  writeFileSync(
    join(userData, 'window-state.json'),
    JSON.stringify({ bounds: { x: 3000, y: 100, width: 1200, height: 800 }, maximized: false }),
  )
  const { window } = await run()
  expect(window.options).toMatchObject({ x: 720, y: 100, width: 1200, height: 800 })
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
