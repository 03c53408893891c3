import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  Notification,
  safeStorage,
  screen,
  shell,
  type WebContents,
} from 'electron'
import type { PushMessage } from '../../shared/api'
import { WALL_ROUTE } from '../../shared/api-channels'
import type { Profile } from '../../shared/profile'
import type { Notifier } from '../alerts/alert-engine'
import { dispatchCommand, type CommandHandlers } from '../api/command-dispatch'
import type { SecretCipher } from '../profiles/secret-cipher'
import { appMenuTemplate } from './app-menu'
import { flagsFromInstanceData, flagsToInstanceData, parseDesktopFlags } from './command-line'
import { createDesktopNotifier, type NotificationPreferences } from './desktop-notifier'
import { forwardPushes, registerCommandHandlers, sendDesktopPush, senderOf } from './ipc'
import { MAIN_WINDOW_MINIMUM, mainWindowOptions } from './main-window'
import { safeStorageCipher } from './safe-storage-cipher'
import { createHealthTray, type HealthTray } from './tray'
import type { OverallHealth } from './tray-health'
import { isRendererUrl, isTrustedSender } from './trusted-sender'
import { denyAllPermissions, hardenWebContents } from './web-contents-security'
import { fitBoundsToDisplays, type WindowState } from './window-bounds'
import { readWindowState, WINDOW_STATE_FILE, writeWindowState } from './window-state-file'

/**
 * The desktop shell: app lifecycle, the window, the tray, notifications and IPC, wired around the
 * service. Everything with a decision in it lives in a pure module beside this one; this file only
 * connects Electron's objects to them.
 */

/** What the shell gives the service (`FeedwatchServiceOptions`). */
export interface DesktopServiceOptions {
  dataDir: string
  profileName?: string
  cipher?: SecretCipher
  notifier: Notifier
  log?: (line: string) => void
}

/** What the shell uses of the service (`FeedwatchService`). */
export interface DesktopService {
  readonly handlers: CommandHandlers
  subscribe(listener: (message: PushMessage) => void): () => void
  overallHealth(): OverallHealth
  close(): Promise<void>
}

/** Starts the service (`FeedwatchService.start`). */
export type StartService = (options: DesktopServiceOptions) => Promise<DesktopService>

/** Windows groups notifications by this id; without one they do not show at all. */
const APP_USER_MODEL_ID = 'app.feedwatch.desktop'

/** How long quitting waits for the service to close (flush profiles, alert state) before it exits. */
const CLOSE_TIMEOUT_MS = 5000

/** What notifications do before the profile is loaded: the profile schema's defaults. */
const DEFAULT_PREFERENCES: NotificationPreferences = {
  enabled: true,
  soundSeverities: ['critical'],
}

function log(line: string): void {
  console.log(`[feedwatch] ${line}`)
}

/** What {@link runDesktopApp} needs. */
export interface DesktopAppOptions {
  /** Starts the service (`FeedwatchService.start`). */
  readonly startService: StartService
  /**
   * The folder of the main entry script (`out/main`): the preload, the page and the icon are found
   * from it. Passed in because only the entry file knows where it is once bundled into chunks.
   */
  readonly mainDir: string
  /** The command line after the executable; `process.argv.slice(1)` when left out. */
  readonly args?: readonly string[]
}

/** Runs the desktop app. Call once, at the top of the main process. */
export function runDesktopApp(options: DesktopAppOptions): void {
  // A separate data folder (tests, a second setup) also gets its own single-instance lock.
  const userDataDir = app.commandLine.getSwitchValue('user-data-dir')
  if (userDataDir !== '') app.setPath('userData', userDataDir)

  const flags = parseDesktopFlags(options.args ?? process.argv.slice(1))
  for (const problem of flags.problems) log(problem)
  if (!app.requestSingleInstanceLock(flagsToInstanceData(flags))) {
    // The first instance has the flags now and comes forward.
    app.quit()
    return
  }
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID)

  const desktop = new DesktopShell(options.startService, options.mainDir, flags.wall, flags.profile)

  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, (url) => void shell.openExternal(url), desktop.isOwnPage)
    denyAllPermissions(contents.session)
  })
  app.on('second-instance', (_event, _argv, _cwd, data) =>
    desktop.secondInstance(flagsFromInstanceData(data)),
  )
  app.on('activate', () => desktop.showWindow())
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('before-quit', (event) => {
    if (desktop.closed) return
    event.preventDefault()
    void desktop.shutdown().finally(() => app.quit())
  })
  void app
    .whenReady()
    .then(() => desktop.start())
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error)
      log(`could not start: ${message}`)
      dialog.showErrorBox('Feedwatch could not start', message)
      app.exit(1)
    })
}

class DesktopShell {
  /** True once the service is closed and quitting may go ahead. */
  closed = false
  private service: DesktopService | undefined
  private window: BrowserWindow | undefined
  /** The window being opened, so two requests at once do not open two. */
  private opening: Promise<BrowserWindow> | undefined
  /** Web contents of the windows we created, by id: the only senders IPC accepts. */
  private readonly trusted = new Map<number, WebContents>()
  private tray: HealthTray | undefined
  private preferences = DEFAULT_PREFERENCES
  private readonly cleanups: (() => void)[] = []
  private quitting = false
  private starting: Promise<void> | undefined
  private savingState: Promise<void> = Promise.resolve()

  private readonly rendererFile: string
  private readonly devServerUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL']
  /** The URL of our page: only it may use the API and receive pushes. */
  private readonly rendererUrl: string

  constructor(
    private readonly startService: StartService,
    private readonly mainDir: string,
    private wall: boolean,
    private readonly profileName: string | undefined,
  ) {
    this.rendererFile = join(mainDir, '../renderer/index.html')
    this.rendererUrl = this.devServerUrl ?? pathToFileURL(this.rendererFile).href
  }

  readonly isOwnPage = (url: string): boolean =>
    isRendererUrl(url, this.rendererUrl, process.platform === 'win32')

  /** Starts the service, then IPC, the window and the tray. */
  start(): Promise<void> {
    this.starting ??= this.startOnce()
    return this.starting
  }

  private async startOnce(): Promise<void> {
    const notifier = createDesktopNotifier({
      create: (options) => new Notification(options),
      isSupported: () => Notification.isSupported(),
      preferences: () => this.preferences,
      onClick: (notice) => this.focusFeed(notice.feedId),
    })
    const cipher = safeStorageCipher(safeStorage)
    if (cipher === undefined) log('no OS keychain: secret header values are stored unencrypted')
    const service = await this.startService({
      dataDir: app.getPath('userData'),
      ...(this.profileName === undefined ? {} : { profileName: this.profileName }),
      ...(cipher === undefined ? {} : { cipher }),
      notifier,
      log,
    })
    this.service = service
    await this.loadPreferences(service)

    this.cleanups.push(
      registerCommandHandlers(
        ipcMain,
        service,
        (event) =>
          isTrustedSender(senderOf(event), {
            webContentsIds: new Set(this.trusted.keys()),
            rendererUrl: this.rendererUrl,
            caseInsensitivePaths: process.platform === 'win32',
          }),
        { onInternalError: (error, command) => log(`${command} failed: ${String(error)}`) },
      ),
      forwardPushes(service, () => this.pushTargets()),
      service.subscribe((message) => this.onPush(message)),
    )
    this.applyMenu()
    await this.ensureWindow()
    this.tray = createHealthTray(service.overallHealth(), {
      wall: () => this.wall,
      onShowWindow: () => this.showWindow(),
      onToggleWall: () => this.setWall(!this.wall),
      onQuit: () => app.quit(),
    })
  }

  /** Stops everything in order: window state saved, IPC removed, the service closed. */
  async shutdown(): Promise<void> {
    this.quitting = true
    try {
      // Quitting while the service starts: let it finish starting, so it can close properly.
      await this.starting?.catch(() => undefined)
      const window = this.window
      if (window !== undefined && !window.isDestroyed()) this.saveWindowState(window)
      await this.savingState
      this.cleanups.splice(0).forEach((cleanup) => cleanup())
      this.tray?.destroy()
      await withTimeout(this.service?.close() ?? Promise.resolve(), CLOSE_TIMEOUT_MS)
    } catch (error) {
      log(`closing failed: ${String(error)}`)
    } finally {
      this.closed = true
    }
  }

  /** Brings the window forward (opening it again on macOS, where the app outlives it). */
  showWindow(): void {
    void this.ensureWindow().then((window) => {
      if (window === undefined) return
      if (window.isMinimized()) window.restore()
      window.show()
      window.focus()
    })
  }

  /** Another `feedwatch` was started: come forward and do what its flags ask. */
  secondInstance(flags: { profile?: string; wall: boolean }): void {
    this.showWindow()
    if (flags.wall) this.setWall(true)
    const service = this.service
    if (flags.profile !== undefined && service !== undefined) {
      void dispatchCommand(service.handlers, 'profiles:switch', { name: flags.profile }).then(
        (result) => {
          if (!result.ok) log(`--profile ${flags.profile}: ${result.error.message}`)
        },
      )
    }
  }

  /** The window, opened if there is none; undefined until the service runs. */
  private async ensureWindow(): Promise<BrowserWindow | undefined> {
    if (this.service === undefined || this.quitting) return undefined
    if (this.window !== undefined && !this.window.isDestroyed()) return this.window
    this.opening ??= this.openWindow().finally(() => (this.opening = undefined))
    return this.opening
  }

  private async openWindow(): Promise<BrowserWindow> {
    const saved = await readWindowState(join(app.getPath('userData'), WINDOW_STATE_FILE))
    const workAreas = [
      screen.getPrimaryDisplay().workArea,
      ...screen
        .getAllDisplays()
        .filter((display) => display.id !== screen.getPrimaryDisplay().id)
        .map((display) => display.workArea),
    ]
    const bounds =
      saved === undefined
        ? undefined
        : fitBoundsToDisplays(saved.bounds, workAreas, MAIN_WINDOW_MINIMUM)
    const window = new BrowserWindow(
      mainWindowOptions(
        join(this.mainDir, '../preload/index.js'),
        join(this.mainDir, '../../resources/icon.png'),
        bounds,
      ),
    )
    this.window = window
    const contents = window.webContents
    const contentsId = contents.id
    this.trusted.set(contentsId, contents)
    if (saved?.maximized) window.maximize()

    window.once('ready-to-show', () => {
      window.show()
      if (this.wall) window.setFullScreen(true)
    })
    window.on('leave-full-screen', () => {
      // Left full screen by other means (the OS's own controls): the wall is off too.
      if (this.wall) this.setWall(false)
    })
    window.on('close', () => {
      if (!this.quitting) this.saveWindowState(window)
    })
    window.on('closed', () => {
      this.trusted.delete(contentsId)
      if (this.window === window) this.window = undefined
    })
    // After every load (a reload too) the page learns whether the wall is on.
    contents.on('did-finish-load', () => sendDesktopPush(contents, 'app:wall', { on: this.wall }))

    const hash = this.wall ? WALL_ROUTE : undefined
    const loading =
      this.devServerUrl === undefined
        ? window.loadFile(this.rendererFile, hash === undefined ? {} : { hash })
        : window.loadURL(hash === undefined ? this.devServerUrl : `${this.devServerUrl}#${hash}`)
    loading.catch((error: unknown) => log(`could not load the page: ${String(error)}`))
    return window
  }

  private saveWindowState(window: BrowserWindow): void {
    const state: WindowState = { bounds: window.getNormalBounds(), maximized: window.isMaximized() }
    const path = join(app.getPath('userData'), WINDOW_STATE_FILE)
    this.savingState = this.savingState
      .then(() => writeWindowState(path, state))
      .catch((error: unknown) => log(`could not save the window's bounds: ${String(error)}`))
  }

  /** Switches the full-screen ops wall on or off and tells the page. */
  private setWall(on: boolean): void {
    if (this.wall === on) return
    this.wall = on
    const window = this.window
    if (window !== undefined && !window.isDestroyed()) {
      window.setFullScreen(on)
      sendDesktopPush(window.webContents, 'app:wall', { on })
    }
    this.tray?.refreshMenu()
    this.applyMenu()
  }

  /** A notification was clicked: show the window on that feed. */
  private focusFeed(feedId: string): void {
    this.showWindow()
    void this.ensureWindow().then((window) => {
      if (window === undefined || window.isDestroyed()) return
      const contents = window.webContents
      const send = (): void => sendDesktopPush(contents, 'app:focus-feed', { feedId })
      if (contents.isLoading()) contents.once('did-finish-load', send)
      else send()
    })
  }

  private onPush(message: PushMessage): void {
    if (message.type === 'profiles:changed')
      this.preferences = preferencesOf(message.payload.profile.settings)
    this.tray?.setHealth(this.service?.overallHealth() ?? 'idle')
  }

  private async loadPreferences(service: DesktopService): Promise<void> {
    try {
      const active = await service.handlers['profiles:active']({})
      this.preferences = preferencesOf(active.profile.settings)
    } catch (error) {
      log(`could not read the notification settings: ${String(error)}`)
    }
  }

  /** Our windows that show our page: pushes go nowhere else. */
  private *pushTargets(): Iterable<WebContents> {
    for (const contents of this.trusted.values()) {
      if (!contents.isDestroyed() && this.isOwnPage(contents.getURL())) yield contents
    }
  }

  private applyMenu(): void {
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        appMenuTemplate({
          platform: process.platform,
          development: !app.isPackaged,
          wall: this.wall,
          onToggleWall: () => this.setWall(!this.wall),
        }),
      ),
    )
  }
}

function preferencesOf(settings: Profile['settings']): NotificationPreferences {
  return { enabled: settings.notifications, soundSeverities: settings.soundSeverities }
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<void>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
