import type { BrowserWindow } from 'electron'
import { wallPath } from '../../shared/api-channels'
import { isLeaveWallKey } from './app-menu'
import type { WallPlacement } from './desktop-settings'
import { sendDesktopPush } from './ipc'
import { displayForWall, type DisplayInfo } from './wall-display'
import type { Rectangle } from './window-bounds'

/**
 * Wall windows on other displays ("Open Wall on Display"): each shows one profile's ops wall full
 * screen on its display, one per display, and is remembered so it comes back there after a restart.
 * Such a window exists only as a wall: Esc, or its page leaving the wall route, closes it.
 */

/** What the wall windows need of the desktop shell. */
export interface WallWindowsHost {
  /** A window of ours (trusted for IPC while it lives) at these bounds. */
  createWindow(bounds: Rectangle): BrowserWindow
  /** Loads our page on `route` into `window`. */
  load(window: BrowserWindow, route: string): void
  /** Full screen (without the menu bar) on or off. */
  setFullScreen(window: BrowserWindow, on: boolean): void
  /** The displays there are now, the primary one first. */
  displays(): DisplayInfo[]
  /** The display the main window is on, which a wall should avoid when its own display is gone. */
  mainDisplayId(): number | undefined
  /** The walls to remember changed. */
  remember(placements: WallPlacement[]): void
  /** True while the app quits: walls closed by quitting stay remembered. */
  quitting(): boolean
}

export class WallWindows {
  private readonly windows = new Map<BrowserWindow, WallPlacement>()

  constructor(private readonly host: WallWindowsHost) {}

  /**
   * Opens a full-screen wall window for `placement.profile` on its display (or the fallback, when
   * that display is gone) and remembers it.
   */
  open(placement: WallPlacement): void {
    const display = displayForWall(placement, this.host.displays(), this.host.mainDisplayId())
    if (display === undefined) return
    const remembered: WallPlacement = {
      displayId: display.id,
      displayBounds: display.bounds,
      profile: placement.profile,
    }
    // One wall per display: a new choice replaces the wall shown there.
    for (const [window, shown] of this.windows)
      if (shown.displayId === display.id && !window.isDestroyed()) window.close()
    const window = this.host.createWindow(display.bounds)
    this.windows.set(window, remembered)
    window.once('ready-to-show', () => {
      window.show()
      this.host.setFullScreen(window, true)
    })
    window.webContents.on('before-input-event', (event, input) => {
      if (isLeaveWallKey(input)) {
        event.preventDefault()
        window.close()
      }
    })
    window.webContents.on('did-finish-load', () =>
      sendDesktopPush(window.webContents, 'app:wall', { on: true }),
    )
    window.on('closed', () => {
      this.windows.delete(window)
      // Closed by the user: forget it. Closed by quitting: it comes back next time.
      if (!this.host.quitting()) this.rememberAll()
    })
    this.host.load(window, wallPath(placement.profile))
    this.rememberAll()
  }

  /**
   * The page in `sender` asked for the wall on or off. Returns false when `sender` is no wall
   * window; leaving the wall closes the window.
   */
  wallRequested(on: boolean, sender: number): boolean {
    for (const window of this.windows.keys()) {
      if (window.webContents.id !== sender) continue
      if (!on) window.close()
      return true
    }
    return false
  }

  private rememberAll(): void {
    this.host.remember([...this.windows.values()])
  }
}
