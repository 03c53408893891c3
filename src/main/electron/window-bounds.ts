/**
 * Remembering where the window was. The saved bounds come from a file written on another day, maybe
 * with another monitor attached, so they are checked and fitted onto a display that exists now: a
 * window restored off-screen is a window the user cannot reach.
 */

/** A rectangle in screen coordinates (DIPs), as Electron's `Rectangle`. */
export interface Rectangle {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

/** What is saved when the window closes. */
export interface WindowState {
  /** The bounds of the window in its normal state (not maximized, not full screen). */
  readonly bounds: Rectangle
  readonly maximized: boolean
}

/** The smallest window Feedwatch allows. */
export interface MinimumSize {
  readonly minWidth: number
  readonly minHeight: number
}

/** Reads a saved {@link WindowState}; anything malformed gives `undefined` (the defaults are used). */
export function parseWindowState(value: unknown): WindowState | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const { bounds, maximized } = value as { bounds?: unknown; maximized?: unknown }
  const rectangle = parseRectangle(bounds)
  return rectangle === undefined ? undefined : { bounds: rectangle, maximized: maximized === true }
}

/** Reads a saved rectangle: finite numbers, rounded, with a positive size; else `undefined`. */
export function parseRectangle(value: unknown): Rectangle | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const { x, y, width, height } = value as Record<string, unknown>
  const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n)
  if (!finite(x) || !finite(y) || !finite(width) || !finite(height)) return undefined
  if (width <= 0 || height <= 0) return undefined
  return {
    x: Math.round(x),
    y: Math.round(y),
    width: Math.round(width),
    height: Math.round(height),
  }
}

/**
 * Fits remembered bounds onto the displays there are now. The window goes to the work area it
 * overlaps most (the first one, the primary display, when it overlaps none), is shrunk to fit it
 * (never below the minimum size, unless the work area itself is smaller) and moved until it lies
 * wholly inside it. Returns `undefined` when there is no work area to fit into.
 *
 * @param workAreas - `screen.getAllDisplays().map(d => d.workArea)`, the primary display first.
 */
export function fitBoundsToDisplays(
  saved: Rectangle,
  workAreas: readonly Rectangle[],
  minimum: MinimumSize,
): Rectangle | undefined {
  const area = bestWorkArea(saved, workAreas)
  if (area === undefined) return undefined
  const width = Math.min(Math.max(saved.width, minimum.minWidth), area.width)
  const height = Math.min(Math.max(saved.height, minimum.minHeight), area.height)
  const x = clamp(saved.x, area.x, area.x + area.width - width)
  const y = clamp(saved.y, area.y, area.y + area.height - height)
  return { x, y, width, height }
}

function bestWorkArea(saved: Rectangle, workAreas: readonly Rectangle[]): Rectangle | undefined {
  let best: Rectangle | undefined
  let bestOverlap = 0
  for (const area of workAreas) {
    const overlap = overlapArea(saved, area)
    if (overlap > bestOverlap) {
      best = area
      bestOverlap = overlap
    }
  }
  return best ?? workAreas[0]
}

function overlapArea(a: Rectangle, b: Rectangle): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return width > 0 && height > 0 ? width * height : 0
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high)
}
