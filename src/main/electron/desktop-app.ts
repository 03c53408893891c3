import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  Notification,
  protocol,
  safeStorage,
  screen,
  shell,
  type WebContents,
} from 'electron'
import type { AlertNotice } from '../../shared/alerts'
import type { PushMessage } from '../../shared/api'
import { WALL_ROUTE } from '../../shared/api-channels'
import type { Profile } from '../../shared/profile'
import { dispatchCommand, type CommandHandlers } from '../api/command-dispatch'
import { createFeedwatchMetrics } from '../metrics/feedwatch-metrics'
import { MetricsExposure } from '../metrics/metrics-exposure'
import type { ProfileMetrics } from '../metrics/metrics-source'
import { openDataFolder } from '../profiles/data-folder'
import type { SecretCipher } from '../profiles/secret-cipher'
import {
  appMenuTemplate,
  isLeaveWallKey,
  type DesktopMenuActions,
  type DesktopMenuState,
} from './app-menu'
import {
  APP_PAGE_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  appResponse,
  rendererFolder,
} from './app-scheme'
import {
  flagsFromInstanceData,
  flagsToInstanceData,
  parseDesktopFlags,
  type DesktopFlags,
} from './command-line'
import {
  APP_USER_MODEL_ID,
  createDesktopNotifier,
  type NoticeAction,
  type NotificationPreferences,
} from './desktop-notifier'
import { MUTE_DURATION_MS, stillRunningNotice } from './desktop-settings'
import { DesktopSettingsStore } from './desktop-settings-store'
import {
  forwardPushes,
  registerCommandHandlers,
  registerDesktopCommandHandlers,
  sendDesktopPush,
  senderOf,
} from './ipc'
import type { LoginItemContext } from './login-item'
import { MAIN_WINDOW_MINIMUM, mainWindowOptions } from './main-window'
import { safeStorageCipher } from './safe-storage-cipher'
import { exportProfileWithSecrets } from './secret-export'
import {
  DESKTOP_SETTINGS_FILE,
  readStateFile,
  WINDOW_STATE_FILE,
  writeStateFile,
} from './state-file'
import { createHealthTray, type HealthTray } from './tray'
import type { ProfileHealthInput } from './tray-health'
import { isRendererUrl, isTrustedSender } from './trusted-sender'
import type { DisplayInfo } from './wall-display'
import { WallWindows } from './wall-windows'
import { denyAllPermissions, hardenWebContents } from './web-contents-security'
import { fitBoundsToDisplays, parseWindowState, type WindowState } from './window-bounds'

/**
 * The desktop shell: app lifecycle, the windows, the tray, notifications and IPC, wired around the
 * service. Everything with a decision in it lives in a pure module beside this one; this file only
 * connects Electron's objects to them.
 */

/** An alert notice; the service's carry the profile whose rule sent them. */
type DesktopNotice = AlertNotice & { readonly profile?: string }

/** What the shell gives the service (`FeedwatchServiceOptions`). */
export interface DesktopServiceOptions {
  dataDir: string
  profileName?: string
  cipher?: SecretCipher
  notifier: { notify(notice: DesktopNotice): void }
  log?: (line: string) => void
}

/** What the shell uses of the service (`FeedwatchService`). */
export interface DesktopService {
  readonly handlers: CommandHandlers
  subscribe(listener: (message: PushMessage) => void): () => void
  /** Every running profile with its health and firing alerts: what the tray shows. */
  runningProfiles(): readonly ProfileHealthInput[]
  /** The profile windows open by default. */
  readonly profileName?: string
  /** The profile as JSON with its secret values (`FeedwatchService.exportProfileWithSecrets`). */
  exportProfileWithSecrets?(name: string): Promise<{ json: string; notices: string[] }>
  /** What `/metrics` shows of every running profile (`FeedwatchService.metrics`). */
  metrics?(): ProfileMetrics[]
  close(): Promise<void>
}

/** Starts the service (`FeedwatchService.start`). */
export type StartService = (options: DesktopServiceOptions) => Promise<DesktopService>

/**
 * How long quitting may take in all (start-up still running, window state, the service flushing
 * profiles and alert state) before the app exits anyway: a quit must never hang.
 */
export const QUIT_TIMEOUT_MS = 4000

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
  // Before ready: our scheme must be standard and secure from the first page on.
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])

  const desktop = new DesktopShell(options.startService, options.mainDir, flags)

  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, (url) => void shell.openExternal(url), desktop.isOwnPage)
    denyAllPermissions(contents.session)
  })
  app.on('second-instance', (_event, _argv, _cwd, data) =>
    desktop.secondInstance(flagsFromInstanceData(data)),
  )
  app.on('activate', () => desktop.showWindow())
  app.on('window-all-closed', () => {
    // Windows are hidden, not closed, while the app keeps running in the tray.
    if (process.platform !== 'darwin' && !desktop.keepsRunning()) app.quit()
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
  /** True once everything is closed (or quitting gave up waiting) and the app may exit. */
  closed = false
  private service: DesktopService | undefined
  private window: BrowserWindow | undefined
  /** The window being opened, so two requests at once do not open two. */
  private opening: Promise<BrowserWindow> | undefined
  /** Wall windows on other displays. */
  private readonly wallWindows = new WallWindows({
    createWindow: (bounds) => this.createWindow(bounds),
    load: (window, route) => this.load(window, route),
    setFullScreen: (window, on) => this.applyWall(window, on),
    displays: () => this.displays(),
    mainDisplayId: () =>
      this.window === undefined || this.window.isDestroyed()
        ? undefined
        : screen.getDisplayMatching(this.window.getBounds()).id,
    remember: (walls) => this.settings.update({ walls }),
    quitting: () => this.quitting,
  })
  /** Web contents of the windows we created, by id: the only senders IPC accepts. */
  private readonly trusted = new Map<number, WebContents>()
  private tray: HealthTray | undefined
  /** The setting "Serve Prometheus Metrics on 127.0.0.1" (off by default). */
  private metricsExposure: MetricsExposure | undefined
  private preferences = DEFAULT_PREFERENCES
  /** The desktop settings: the defaults until start-up has read them. */
  private readonly settings: DesktopSettingsStore
  private readonly cleanups: (() => void)[] = []
  private quitting = false
  private starting: Promise<void> | undefined
  private shuttingDown: Promise<void> | undefined
  private savingState: Promise<void> = Promise.resolve()
  /** What a second instance asked for while this one was still starting. */
  private pendingFlags: DesktopFlags | undefined
  /** The running profiles the menus last offered for a wall window. */
  private menuProfiles: readonly string[] = []
  private wall: boolean
  private readonly timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' })

  private readonly devServerUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL']
  /** The URL of our page: only it may use the API and receive pushes. */
  private readonly rendererUrl: string

  constructor(
    private readonly startService: StartService,
    private readonly mainDir: string,
    private readonly flags: DesktopFlags,
  ) {
    this.wall = flags.wall
    this.rendererUrl = this.devServerUrl ?? APP_PAGE_URL
    this.settings = new DesktopSettingsStore({
      path: this.dataPath(DESKTOP_SETTINGS_FILE),
      loginItems: app,
      loginItemContext: this.loginItemContext(),
      onChange: () => this.refreshMenus(),
      log,
    })
  }

  readonly isOwnPage = (url: string): boolean => isRendererUrl(url, this.rendererUrl)

  /** Whether closing the last window leaves the app running in the tray. */
  keepsRunning(): boolean {
    return this.settings.current.keepRunningWhenClosed && !this.quitting
  }

  /** Starts the service, then IPC, the window and the tray. */
  start(): Promise<void> {
    this.starting ??= this.startOnce()
    return this.starting
  }

  private async startOnce(): Promise<void> {
    // One writer per data folder: a `feedwatch serve` on the same folder would erase our saves.
    const folder = await openDataFolder(app.getPath('userData'), {
      command: 'the Feedwatch desktop app',
    })
    for (const path of folder.removed) log(`removed ${path}, left by an interrupted write`)
    const root = rendererFolder(this.mainDir)
    protocol.handle(APP_SCHEME, (request) =>
      appResponse(request.url, root, (path) => readFile(path)),
    )
    await this.settings.load()
    const notifier = createDesktopNotifier({
      create: (options) => new Notification(options),
      isSupported: () => Notification.isSupported(),
      preferences: () => ({
        ...this.preferences,
        enabled: this.preferences.enabled && !this.settings.muted(),
      }),
      onClick: (notice) => this.focusFeed(notice.feedId),
      onAction: (notice, action) => this.noticeAction(notice, action),
    })
    const cipher = safeStorageCipher(safeStorage)
    if (cipher === undefined) log('no OS keychain: secret header values are stored unencrypted')
    const serviceOptions: DesktopServiceOptions = {
      dataDir: app.getPath('userData'),
      ...(cipher === undefined ? {} : { cipher }),
      notifier,
      log,
    }
    const requested = this.flags.profile
    let notice: string | undefined
    let service: DesktopService
    try {
      service = await this.startService({
        ...serviceOptions,
        ...(requested === undefined ? {} : { profileName: requested }),
      })
    } catch (error) {
      if (requested === undefined) throw error
      // A mistyped --profile must not keep the app (and every other profile's alerts) from running.
      notice = `The profile "${requested}" could not be opened (${errorText(error)}); Feedwatch opened the last profile instead.`
      log(notice)
      service = await this.startService(serviceOptions)
    }
    if (this.quitting) {
      await service.close()
      return
    }
    this.service = service
    if (service.metrics !== undefined) {
      const metrics = createFeedwatchMetrics(() => service.metrics?.() ?? [])
      this.metricsExposure = new MetricsExposure(() => metrics.render())
      void this.applyMetricsExposure()
    }
    await this.loadPreferences(service)

    const isTrusted = (event: Electron.IpcMainInvokeEvent): boolean =>
      isTrustedSender(senderOf(event), {
        webContentsIds: new Set(this.trusted.keys()),
        rendererUrl: this.rendererUrl,
      })
    this.cleanups.push(
      registerCommandHandlers(ipcMain, service, isTrusted, {
        onInternalError: (error, command) => log(`${command} failed: ${String(error)}`),
      }),
      registerDesktopCommandHandlers(
        ipcMain,
        { 'app:set-wall': ({ on }, sender) => this.wallRequested(on, sender) },
        isTrusted,
      ),
      forwardPushes(service, () => this.pushTargets()),
      service.subscribe((message) => this.onPush(message)),
    )
    this.applyMenu()
    const hidden =
      this.flags.hidden === true ||
      (process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin)
    if (!hidden || this.wall) await this.ensureWindow()
    this.tray = createHealthTray(this.runningProfiles(), () => this.menuState(), this.menuActions())
    for (const placement of this.settings.current.walls) this.wallWindows.open(placement)
    // "Open Wall on Display" lists the displays there are now.
    const displaysChanged = (): void => this.refreshMenus()
    screen.on('display-added', displaysChanged)
    screen.on('display-removed', displaysChanged)
    this.cleanups.push(() => {
      screen.off('display-added', displaysChanged)
      screen.off('display-removed', displaysChanged)
    })
    if (notice !== undefined) this.showNotice(notice)
    const pending = this.pendingFlags
    this.pendingFlags = undefined
    if (pending !== undefined) this.secondInstance(pending)
  }

  /**
   * Stops everything in order (window state saved, IPC removed, the service closed), giving up after
   * {@link QUIT_TIMEOUT_MS} in all: whatever hangs (a start-up that never ends, a disk that does
   * not answer), the app still quits.
   */
  shutdown(): Promise<void> {
    this.shuttingDown ??= withTimeout(this.closeEverything(), QUIT_TIMEOUT_MS)
      .catch((error: unknown) => log(`closing: ${errorText(error)}; quitting anyway`))
      .finally(() => {
        this.closed = true
      })
    return this.shuttingDown
  }

  private async closeEverything(): Promise<void> {
    this.quitting = true
    this.settings.dispose()
    // Quitting while the service starts: let it finish starting, so it can close properly.
    await this.starting?.catch(() => undefined)
    const window = this.window
    if (window !== undefined && !window.isDestroyed()) this.saveWindowState(window)
    await Promise.all([this.savingState, this.settings.flushed()])
    this.cleanups.splice(0).forEach((cleanup) => cleanup())
    this.tray?.destroy()
    await this.metricsExposure?.set(false)
    await this.service?.close()
  }

  /** Brings the window forward (opening it again if it was closed). */
  showWindow(): void {
    void this.ensureWindow().then((window) => {
      if (window === undefined) return
      if (window.isMinimized()) window.restore()
      window.show()
      window.focus()
    })
  }

  /** Another `feedwatch` was started: come forward and do what its flags ask, once we are up. */
  secondInstance(flags: DesktopFlags): void {
    const service = this.service
    if (service === undefined) {
      // Still starting: the flags wait for the service rather than being dropped.
      this.pendingFlags = flags
      return
    }
    this.showWindow()
    if (flags.wall) this.setWall(true)
    const name = flags.profile
    if (name === undefined) return
    void (async () => {
      const started = await dispatchCommand(service.handlers, 'profiles:start', { name })
      const switched = started.ok
        ? await dispatchCommand(service.handlers, 'profiles:switch', { name })
        : started
      if (!switched.ok)
        this.showNotice(`The profile "${name}" could not be opened: ${switched.error.message}`)
    })()
  }

  private dataPath(file: string): string {
    return join(app.getPath('userData'), file)
  }

  /** The window, opened if there is none; undefined until the service runs. */
  private async ensureWindow(): Promise<BrowserWindow | undefined> {
    if (this.service === undefined || this.quitting) return undefined
    if (this.window !== undefined && !this.window.isDestroyed()) return this.window
    this.opening ??= this.openWindow().finally(() => (this.opening = undefined))
    return this.opening
  }

  private async openWindow(): Promise<BrowserWindow> {
    const saved = await readStateFile(this.dataPath(WINDOW_STATE_FILE), parseWindowState)
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
    const window = this.createWindow(bounds)
    this.window = window
    if (saved?.maximized) window.maximize()

    window.once('ready-to-show', () => {
      window.show()
      if (this.wall) this.applyWall(window, true)
    })
    window.on('leave-full-screen', () => {
      // Left full screen by other means (the OS's own controls): the wall is off too.
      if (this.wall) this.setWall(false)
    })
    window.on('close', (event) => {
      if (this.quitting) return
      this.saveWindowState(window)
      if (!this.settings.current.keepRunningWhenClosed) return
      // Feeds, rules and notifications keep running; the tray brings the window back.
      event.preventDefault()
      if (this.wall) this.setWall(false)
      window.hide()
      this.tellStillRunningOnce()
    })
    window.on('closed', () => {
      if (this.window === window) this.window = undefined
    })
    // Windows logging off or shutting down: closing must not be refused, or it would hold that up.
    window.on('session-end', () => void this.shutdown().finally(() => app.quit()))
    const contents = window.webContents
    // Esc leaves the wall; the page never sees it then (a dialog there would close as well).
    contents.on('before-input-event', (event, input) => {
      if (this.wall && isLeaveWallKey(input)) {
        event.preventDefault()
        this.setWall(false)
      }
    })
    // After every load (a reload too) the page learns whether the wall is on.
    contents.on('did-finish-load', () => sendDesktopPush(contents, 'app:wall', { on: this.wall }))
    this.load(window, this.wall ? WALL_ROUTE : undefined)
    return window
  }

  /** A window with our page's options and its web contents trusted while it lives. */
  private createWindow(bounds: WindowState['bounds'] | undefined): BrowserWindow {
    const window = new BrowserWindow(
      mainWindowOptions(
        join(this.mainDir, '../preload/index.js'),
        join(this.mainDir, '../../resources/icon.png'),
        bounds,
      ),
    )
    const contents = window.webContents
    const contentsId = contents.id
    this.trusted.set(contentsId, contents)
    window.on('closed', () => this.trusted.delete(contentsId))
    return window
  }

  /** Loads our page, on route `route` (`/wall`, `/wall/Ops`) when given. */
  private load(window: BrowserWindow, route: string | undefined): void {
    const base = this.devServerUrl ?? APP_PAGE_URL
    window
      .loadURL(route === undefined ? base : `${base}#${route}`)
      .catch((error: unknown) => log(`could not load the page: ${errorText(error)}`))
  }

  private saveWindowState(window: BrowserWindow): void {
    const state: WindowState = { bounds: window.getNormalBounds(), maximized: window.isMaximized() }
    const path = this.dataPath(WINDOW_STATE_FILE)
    this.savingState = this.savingState
      .then(() => writeStateFile(path, state))
      .catch((error: unknown) => log(`could not save the window's bounds: ${errorText(error)}`))
  }

  /** The first time the window is closed to the tray, say that Feedwatch still runs and how to quit. */
  private tellStillRunningOnce(): void {
    if (this.settings.current.closeNoticeShown) return
    this.settings.update({ closeNoticeShown: true })
    if (!Notification.isSupported()) return
    new Notification({ ...stillRunningNotice(process.platform), silent: true }).show()
  }

  /** Switches the main window's full-screen ops wall on or off; every menu and page follows. */
  private setWall(on: boolean): void {
    if (this.wall === on) return
    this.wall = on
    const window = this.window
    if (window !== undefined && !window.isDestroyed()) {
      if (on) window.show()
      this.applyWall(window, on)
      sendDesktopPush(window.webContents, 'app:wall', { on })
    }
    this.refreshMenus()
  }

  /**
   * A page asked for the wall (`w`, the Wall button, leaving the wall route): the main window
   * switches; a wall window on another display exists only as a wall, so leaving it closes it.
   */
  private wallRequested(on: boolean, sender: number): void {
    if (this.wallWindows.wallRequested(on, sender)) return
    if (this.window !== undefined && this.window.webContents.id === sender) this.setWall(on)
  }

  /** Full screen without the menu bar for the wall; back to a normal window without it. */
  private applyWall(window: BrowserWindow, on: boolean): void {
    if (process.platform !== 'darwin') window.setMenuBarVisibility(!on)
    window.setFullScreen(on)
  }

  private displays(): DisplayInfo[] {
    const primary = screen.getPrimaryDisplay()
    return [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)].map((d) => ({
      id: d.id,
      bounds: d.bounds,
      label: d.label,
    }))
  }

  /** A notification was clicked: leave the wall and show the window on that feed. */
  private focusFeed(feedId: string): void {
    this.setWall(false)
    this.showWindow()
    void this.ensureWindow().then((window) => {
      if (window === undefined || window.isDestroyed()) return
      const contents = window.webContents
      const send = (): void => sendDesktopPush(contents, 'app:focus-feed', { feedId })
      if (contents.isLoading()) contents.once('did-finish-load', send)
      else send()
    })
  }

  /** "Acknowledge" or "Silence 1 h" on a notification (macOS). */
  private noticeAction(notice: DesktopNotice, action: NoticeAction): void {
    const service = this.service
    if (service === undefined) return
    const scope = notice.profile === undefined ? {} : { profile: notice.profile }
    const done =
      action === 'acknowledge'
        ? dispatchCommand(service.handlers, 'alerts:ack', { ...scope, alertId: notice.alertId })
        : dispatchCommand(service.handlers, 'alerts:silence', {
            ...scope,
            ruleId: notice.ruleId,
            until: Date.now() + MUTE_DURATION_MS,
          })
    void done.then((result) => {
      if (!result.ok) log(`${action} of "${notice.title}" failed: ${result.error.message}`)
    })
  }

  /** A message for the user that does not stop anything: a sheet on the window, or a notification. */
  private showNotice(message: string): void {
    const window = this.window
    if (window !== undefined && !window.isDestroyed()) {
      void dialog.showMessageBox(window, { type: 'warning', message, buttons: ['OK'] })
    } else if (Notification.isSupported()) {
      new Notification({ title: 'Feedwatch', body: message }).show()
    }
  }

  private onPush(message: PushMessage): void {
    if (message.type === 'events:batch') return
    if (message.type === 'profiles:changed')
      this.preferences = preferencesOf(message.payload.profile.settings)
    const profiles = this.runningProfiles()
    this.tray?.setProfiles(profiles)
    if (profiles.map((p) => p.profile).join('\n') !== this.menuProfiles.join('\n'))
      this.refreshMenus()
  }

  private runningProfiles(): readonly ProfileHealthInput[] {
    return this.service?.runningProfiles() ?? []
  }

  private async loadPreferences(service: DesktopService): Promise<void> {
    try {
      const active = await service.handlers['profiles:active']({})
      this.preferences = preferencesOf(active.profile.settings)
    } catch (error) {
      log(`could not read the notification settings: ${errorText(error)}`)
    }
  }

  /** Our windows that show our page: pushes go nowhere else. */
  private *pushTargets(): Iterable<WebContents> {
    for (const contents of this.trusted.values()) {
      if (!contents.isDestroyed() && this.isOwnPage(contents.getURL())) yield contents
    }
  }

  private menuState(): DesktopMenuState {
    this.menuProfiles = this.runningProfiles().map((p) => p.profile)
    return {
      wall: this.wall,
      settings: this.settings.current,
      now: Date.now(),
      formatTime: (at) => this.timeFormat.format(at),
      displays: this.displays(),
      profiles: this.menuProfiles,
    }
  }

  private menuActions(): DesktopMenuActions {
    return {
      onShowWindow: () => this.showWindow(),
      onToggleWall: () => this.setWall(!this.wall),
      onOpenWallOnDisplay: (displayId, profile) => {
        const display = this.displays().find((d) => d.id === displayId)
        if (display !== undefined)
          this.wallWindows.open({ displayId, displayBounds: display.bounds, profile })
      },
      onToggleMute: () => this.settings.toggleMute(),
      onToggleKeepRunning: () => this.settings.toggleKeepRunning(),
      onToggleStartAtLogin: () => this.settings.toggleStartAtLogin(),
      onQuit: () => app.quit(),
      onToggleExposeMetrics: () => {
        this.settings.update({ exposeMetrics: !this.settings.current.exposeMetrics })
        void this.applyMetricsExposure()
      },
      onExportWithSecrets: () => void this.exportWithSecrets(),
    }
  }

  /** File › Export Profile with Secrets…: the default profile, to a file chosen in our own dialog. */
  private async exportWithSecrets(): Promise<void> {
    const profile = this.service?.profileName
    const exportJson = this.service?.exportProfileWithSecrets?.bind(this.service)
    if (exportJson === undefined || profile === undefined) return
    const window = this.window
    try {
      const outcome = await exportProfileWithSecrets(profile, {
        exportJson,
        showSaveDialog: (options) =>
          window === undefined || window.isDestroyed()
            ? dialog.showSaveDialog(options)
            : dialog.showSaveDialog(window, options),
        folder: app.getPath('documents'),
      })
      if (outcome.saved) for (const notice of outcome.notices) log(notice)
    } catch (error) {
      dialog.showErrorBox('The profile could not be exported', errorText(error))
    }
  }

  private loginItemContext(): LoginItemContext {
    return {
      platform: process.platform,
      // An AppImage is started through its own file, not the binary it unpacks to a temporary folder.
      executable: process.env['APPIMAGE'] ?? process.execPath,
      env: process.env,
      home: homedir(),
    }
  }

  /** Serves `/metrics` on 127.0.0.1 or stops, as the setting says; a taken port is told, not fatal. */
  private async applyMetricsExposure(): Promise<void> {
    const state = await this.metricsExposure?.set(
      this.settings.current.exposeMetrics && !this.quitting,
    )
    if (state === undefined) return
    if ('problem' in state)
      this.showNotice(`Prometheus metrics cannot be served: ${state.problem}.`)
    else if (state.on) log(`Prometheus metrics at ${state.url}`)
  }

  private refreshMenus(): void {
    this.applyMenu()
    this.tray?.refreshMenu()
  }

  private applyMenu(): void {
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        appMenuTemplate({
          ...this.menuState(),
          ...this.menuActions(),
          platform: process.platform,
          development: !app.isPackaged,
        }),
      ),
    )
  }
}

function preferencesOf(settings: Profile['settings']): NotificationPreferences {
  return { enabled: settings.notifications, soundSeverities: settings.soundSeverities }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<void>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
