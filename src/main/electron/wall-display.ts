import type { WallPlacement } from './desktop-settings'
import type { Rectangle } from './window-bounds'

/**
 * Which display a remembered wall window goes back to. Display ids are stable while a display stays
 * connected, but some systems renumber them after a restart or a docking change, so a display with
 * the same bounds is the next best match; when neither exists (the TV was unplugged) the wall goes to
 * a display other than the main window's, or the primary one when there is no other.
 */

/** A display as `screen.getAllDisplays()` describes it. */
export interface DisplayInfo {
  readonly id: number
  readonly bounds: Rectangle
  /** A name for menus ("DELL U2720Q"); Electron's `label`, empty where the OS gives none. */
  readonly label: string
}

/**
 * The display for `placement`: by id, else by bounds, else the first display that is not
 * `avoidId` (the main window's), else the first one. `undefined` only when there are no displays.
 *
 * @param displays - The displays now, the primary one first.
 */
export function displayForWall(
  placement: WallPlacement,
  displays: readonly DisplayInfo[],
  avoidId?: number,
): DisplayInfo | undefined {
  const same = (a: Rectangle, b: Rectangle): boolean =>
    a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height
  return (
    displays.find((display) => display.id === placement.displayId) ??
    displays.find((display) => same(display.bounds, placement.displayBounds)) ??
    displays.find((display) => display.id !== avoidId) ??
    displays[0]
  )
}

/** "Display 2: DELL U2720Q (2560×1440)", how the menu names a display. */
export function displayMenuLabel(display: DisplayInfo, index: number): string {
  const size = `${display.bounds.width}×${display.bounds.height}`
  const name = display.label.trim()
  return name === '' ? `Display ${index + 1} (${size})` : `Display ${index + 1}: ${name} (${size})`
}
