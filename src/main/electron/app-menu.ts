import type { MenuItemConstructorOptions } from 'electron'
import { DESKTOP_METRICS_PORT } from '../metrics/metrics-exposure'
import { isMuted, mutedUntilLabel, type DesktopSettings } from './desktop-settings'
import { exportWithSecretsMenuItem } from './secret-export'
import { displayMenuLabel, type DisplayInfo } from './wall-display'

/**
 * The application menu and the tray menu. Both are built from the same state on every change, so
 * their checkboxes (the wall, the settings) always agree with the main process. Besides the usual
 * roles (the Edit menu is what makes copy and paste work in text fields on macOS) the app menu has
 * the ops wall, "Open Wall on Display", the desktop settings and Quit. Developer tools are offered
 * only in development: in a build, the renderer's console is not a place for users.
 */

/** What the menus show. */
export interface DesktopMenuState {
  /** Whether the ops wall is on in the main window. */
  readonly wall: boolean
  readonly settings: DesktopSettings
  /** Epoch ms, to tell whether notifications are still muted. */
  readonly now: number
  /** Formats the end of a mute as a clock time (`Intl.DateTimeFormat#format`). */
  readonly formatTime: (at: Date) => string
  /** The displays there are, the primary one first. */
  readonly displays: readonly DisplayInfo[]
  /** The running profiles a wall window can show. */
  readonly profiles: readonly string[]
}

/** What the menus do. */
export interface DesktopMenuActions {
  readonly onShowWindow: () => void
  readonly onToggleWall: () => void
  readonly onOpenWallOnDisplay: (displayId: number, profile: string) => void
  readonly onToggleMute: () => void
  readonly onToggleKeepRunning: () => void
  readonly onToggleStartAtLogin: () => void
  readonly onQuit: () => void
  /** File › Export Profile with Secrets…; the item is left out without it. */
  readonly onExportWithSecrets?: () => void
  /** The setting "Serve Prometheus Metrics on 127.0.0.1"; the item is left out without it. */
  readonly onToggleExposeMetrics?: () => void
}

export interface AppMenuOptions extends DesktopMenuState, DesktopMenuActions {
  readonly platform: NodeJS.Platform
  /** True in development (`!app.isPackaged`). */
  readonly development: boolean
}

/** The wall's shortcut: F11 where that is the full-screen key, Ctrl+Cmd+F on macOS. */
export function wallAccelerator(platform: NodeJS.Platform): string {
  return platform === 'darwin' ? 'Ctrl+Command+F' : 'F11'
}

/** A key press as `before-input-event` reports it. */
export interface KeyInput {
  readonly type: string
  readonly key: string
  readonly alt: boolean
  readonly control: boolean
  readonly meta: boolean
  readonly shift: boolean
}

/** Esc alone, pressed: leaves the wall (full screen set by us does not end on Esc by itself). */
export function isLeaveWallKey(input: KeyInput): boolean {
  return (
    input.type === 'keyDown' &&
    input.key === 'Escape' &&
    !input.alt &&
    !input.control &&
    !input.meta &&
    !input.shift
  )
}

/** The "Ops Wall" checkbox. */
function wallItem(
  state: DesktopMenuState,
  actions: DesktopMenuActions,
): MenuItemConstructorOptions {
  return {
    label: 'Ops Wall',
    type: 'checkbox',
    checked: state.wall,
    click: () => actions.onToggleWall(),
  }
}

/**
 * "Open Wall on Display": a display, then the profile (directly when only one runs). The wall
 * window opens full screen there and comes back there after a restart.
 */
export function wallOnDisplayItem(
  state: DesktopMenuState,
  actions: DesktopMenuActions,
): MenuItemConstructorOptions {
  const submenu = state.displays.map((display, index): MenuItemConstructorOptions => {
    const label = displayMenuLabel(display, index)
    const [only] = state.profiles
    if (state.profiles.length === 1 && only !== undefined)
      return { label, click: () => actions.onOpenWallOnDisplay(display.id, only) }
    return {
      label,
      submenu: state.profiles.map((profile) => ({
        label: profile,
        click: () => actions.onOpenWallOnDisplay(display.id, profile),
      })),
    }
  })
  return {
    label: 'Open Wall on Display',
    enabled: submenu.length > 0 && state.profiles.length > 0,
    submenu,
  }
}

/** "Serve Prometheus Metrics on 127.0.0.1:PORT", when the shell offers it. */
function metricsItem(
  state: DesktopMenuState,
  actions: DesktopMenuActions,
): MenuItemConstructorOptions[] {
  const toggle = actions.onToggleExposeMetrics
  if (toggle === undefined) return []
  return [
    {
      label: `Serve Prometheus Metrics on 127.0.0.1:${DESKTOP_METRICS_PORT}`,
      type: 'checkbox',
      checked: state.settings.exposeMetrics,
      click: () => toggle(),
    },
  ]
}

/** The desktop settings as checkboxes: mute for an hour, keep running, start at login. */
export function settingsItems(
  state: DesktopMenuState,
  actions: DesktopMenuActions,
): MenuItemConstructorOptions[] {
  const muted = isMuted(state.settings, state.now)
  return [
    {
      label: muted
        ? `${mutedUntilLabel(state.settings, state.formatTime)} (click to unmute)`
        : 'Mute Notifications for 1 Hour',
      type: 'checkbox',
      checked: muted,
      click: () => actions.onToggleMute(),
    },
    {
      label: 'Keep Running When the Window Is Closed',
      type: 'checkbox',
      checked: state.settings.keepRunningWhenClosed,
      click: () => actions.onToggleKeepRunning(),
    },
    {
      label: 'Start at Login',
      type: 'checkbox',
      checked: state.settings.startAtLogin,
      click: () => actions.onToggleStartAtLogin(),
    },
    ...metricsItem(state, actions),
  ]
}

/** The menu template for `Menu.buildFromTemplate`. */
export function appMenuTemplate(options: AppMenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin'
  const view: MenuItemConstructorOptions[] = [
    { ...wallItem(options, options), accelerator: wallAccelerator(options.platform) },
    wallOnDisplayItem(options, options),
    { type: 'separator' },
    { role: 'reload' },
    ...(options.development ? [{ role: 'toggleDevTools' } as const] : []),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
  ]
  const file: MenuItemConstructorOptions[] = [
    ...(options.onExportWithSecrets === undefined
      ? []
      : [exportWithSecretsMenuItem(options.onExportWithSecrets), { type: 'separator' } as const]),
    ...settingsItems(options, options),
    { type: 'separator' },
    // Closing the window keeps Feedwatch in the tray; quitting is what stops the feeds.
    { label: 'Close Window', accelerator: 'CmdOrCtrl+W', role: 'close' },
    // macOS has Quit in the app menu (Cmd+Q) already.
    ...(mac
      ? []
      : [
          {
            label: 'Quit Feedwatch',
            accelerator: 'CmdOrCtrl+Q',
            click: () => options.onQuit(),
          },
        ]),
  ]
  return [
    ...(mac ? [{ role: 'appMenu' } as const] : []),
    { label: 'File', submenu: file },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
  ]
}

/** The tray's menu: the window, the wall, the settings and Quit. */
export function trayMenuTemplate(
  state: DesktopMenuState,
  actions: DesktopMenuActions,
): MenuItemConstructorOptions[] {
  return [
    { label: 'Show Feedwatch', click: () => actions.onShowWindow() },
    wallItem(state, actions),
    wallOnDisplayItem(state, actions),
    { type: 'separator' },
    ...settingsItems(state, actions),
    { type: 'separator' },
    { label: 'Quit Feedwatch', click: () => actions.onQuit() },
  ]
}
