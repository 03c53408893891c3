import { Menu, nativeImage, Tray, type NativeImage } from 'electron'
import { trayMenuTemplate, type DesktopMenuActions, type DesktopMenuState } from './app-menu'
import {
  trayIconBitmap,
  trayStatus,
  trayTooltip,
  type ProfileHealthInput,
  type TrayStatus,
} from './tray-health'

/**
 * The tray (notification area, menu bar) icon: every running profile's health at a glance, and the
 * menu that keeps Feedwatch reachable while its window is closed.
 */
export interface HealthTray {
  /** Shows the health of these running profiles. */
  setProfiles(profiles: readonly ProfileHealthInput[]): void
  /** Rebuilds the menu from the current state (after the wall or a setting changed). */
  refreshMenu(): void
  destroy(): void
}

/** Tray icons are 16 DIPs; drawn at 32 pixels for high-density displays. */
const ICON_PIXELS = 32

function statusIcon(status: TrayStatus): NativeImage {
  return nativeImage.createFromBitmap(trayIconBitmap(status, ICON_PIXELS), {
    width: ICON_PIXELS,
    height: ICON_PIXELS,
    scaleFactor: 2,
  })
}

/** Creates the tray icon for `profiles`; its menu is built from `state()` each time it changes. */
export function createHealthTray(
  profiles: readonly ProfileHealthInput[],
  state: () => DesktopMenuState,
  actions: DesktopMenuActions,
): HealthTray {
  let shownStatus = trayStatus(profiles)
  let shownTooltip = trayTooltip(profiles)
  const tray = new Tray(statusIcon(shownStatus))
  tray.setToolTip(shownTooltip)
  const refreshMenu = (): void => {
    if (!tray.isDestroyed())
      tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(state(), actions)))
  }
  refreshMenu()
  // Windows and most Linux trays: a click shows the window (macOS opens the menu instead).
  tray.on('click', () => actions.onShowWindow())
  return {
    setProfiles(next) {
      if (tray.isDestroyed()) return
      const status = trayStatus(next)
      const tooltip = trayTooltip(next)
      if (status !== shownStatus) tray.setImage(statusIcon(status))
      if (tooltip !== shownTooltip) tray.setToolTip(tooltip)
      shownStatus = status
      shownTooltip = tooltip
    },
    refreshMenu,
    destroy: () => {
      if (!tray.isDestroyed()) tray.destroy()
    },
  }
}
