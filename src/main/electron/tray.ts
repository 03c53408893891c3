import { Menu, nativeImage, Tray, type NativeImage } from 'electron'
import { dotBitmap, trayAppearance, type OverallHealth } from './tray-health'

/** The tray (notification area, menu bar) icon: the feeds' overall health at a glance. */
export interface HealthTray {
  /** Shows this health; does nothing when it is already shown. */
  setHealth(health: OverallHealth): void
  /** Rebuilds the menu (after the wall was switched). */
  refreshMenu(): void
  destroy(): void
}

export interface HealthTrayOptions {
  readonly wall: () => boolean
  readonly onShowWindow: () => void
  readonly onToggleWall: () => void
  readonly onQuit: () => void
}

/** Tray icons are 16 DIPs; drawn at 32 pixels for high-density displays. */
const ICON_PIXELS = 32

function healthIcon(health: OverallHealth): NativeImage {
  const { color } = trayAppearance(health)
  return nativeImage.createFromBitmap(dotBitmap(color, ICON_PIXELS), {
    width: ICON_PIXELS,
    height: ICON_PIXELS,
    scaleFactor: 2,
  })
}

/** Creates the tray icon, showing `health`. */
export function createHealthTray(health: OverallHealth, options: HealthTrayOptions): HealthTray {
  const tray = new Tray(healthIcon(health))
  let shown = health
  tray.setToolTip(trayAppearance(health).tooltip)
  const refreshMenu = (): void => {
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Show Feedwatch', click: () => options.onShowWindow() },
        {
          label: 'Ops Wall',
          type: 'checkbox',
          checked: options.wall(),
          click: () => options.onToggleWall(),
        },
        { type: 'separator' },
        { label: 'Quit Feedwatch', click: () => options.onQuit() },
      ]),
    )
  }
  refreshMenu()
  // Windows and most Linux trays: a click shows the window (macOS opens the menu instead).
  tray.on('click', () => options.onShowWindow())
  return {
    setHealth(next) {
      if (next === shown || tray.isDestroyed()) return
      shown = next
      tray.setImage(healthIcon(next))
      tray.setToolTip(trayAppearance(next).tooltip)
    },
    refreshMenu: () => {
      if (!tray.isDestroyed()) refreshMenu()
    },
    destroy: () => {
      if (!tray.isDestroyed()) tray.destroy()
    },
  }
}
