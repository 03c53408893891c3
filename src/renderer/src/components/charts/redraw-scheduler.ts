/**
 * One place that decides when charts and tiles redraw: at most once per animation frame whatever
 * the number of event batches, never while the page is hidden (`document.hidden`; browsers also
 * pause animation frames then) and never for a panel scrolled out of view (its IntersectionObserver
 * says so). A dirty panel that was skipped is drawn as soon as it can be seen again.
 */

/** Something that draws itself from data that changed. */
export interface Drawable {
  /** False while the panel is out of view; set by the panel's IntersectionObserver. */
  visible: boolean
  /** Draws the current data; called from an animation frame. */
  draw(): void
  /**
   * Called once a second instead of {@link draw} while the panel is out of view, for what must stay
   * current without pixels: the text screen readers read.
   */
  offscreen?(): void
}

/**
 * What `bench/ui` installs (with Playwright's `addInitScript`) to learn when events reach the screen.
 * Absent in normal use: then it costs one property read per frame.
 */
export interface ChartDrawProbe {
  /** A chart drew `receivedAt` (epoch ms) of each event it had not drawn before. */
  drawn(receivedAt: readonly number[]): void
}

/**
 * Work a frame should take at most before optional work (a chart's periodic full redraw) waits for
 * the next one, so twelve charts whose full redraws fall due together do not make one long task.
 */
const FRAME_BUDGET_MS = 8

const dirty = new Set<Drawable>()
/** When the frame being drawn started, or undefined outside a frame. */
let frameStart: number | undefined
/** Panels that redraw every second even without data, so their time axis keeps sliding. */
const ticking = new Set<Drawable>()
let frame: number | undefined
let ticker: ReturnType<typeof setInterval> | undefined

/** How often a chart's time axis moves when no data arrives (a quiet feed still looks quiet). */
const TICK_MS = 1000

/** The installed probe, if any (see {@link ChartDrawProbe}). */
export function drawProbe(): ChartDrawProbe | undefined {
  return (globalThis as { feedwatchChartProbe?: ChartDrawProbe }).feedwatchChartProbe
}

/** Asks for `drawable` to be drawn in the next frame it can be seen in. */
export function requestDraw(drawable: Drawable): void {
  dirty.add(drawable)
  schedule()
}

/** Call when a panel's visibility changed: a dirty panel that came into view is drawn. */
export function visibilityChanged(drawable: Drawable): void {
  if (drawable.visible && dirty.has(drawable)) schedule()
}

/**
 * Redraws `drawable` every second while it is in view, and calls its `offscreen` every second while
 * it is not (and the page is shown); returns the function that stops it.
 */
export function tickEverySecond(drawable: Drawable): () => void {
  ticking.add(drawable)
  ticker ??= setInterval(() => {
    if (document.hidden) return
    for (const each of ticking) {
      if (each.visible) dirty.add(each)
      else each.offscreen?.()
    }
    schedule()
  }, TICK_MS)
  return () => {
    ticking.delete(drawable)
    dirty.delete(drawable)
    if (ticking.size === 0 && ticker !== undefined) {
      clearInterval(ticker)
      ticker = undefined
    }
  }
}

/** Forgets a panel that is going away. */
export function cancelDraw(drawable: Drawable): void {
  dirty.delete(drawable)
}

function schedule(): void {
  if (frame !== undefined || document.hidden) return
  for (const drawable of dirty) {
    if (drawable.visible) {
      frame = requestAnimationFrame(flush)
      return
    }
  }
}

/**
 * True while the current frame has time left for optional work. Outside a frame there is always
 * time. A drawable that skips optional work calls {@link requestDraw} again to get the next frame.
 */
export function frameHasTime(): boolean {
  return frameStart === undefined || performance.now() - frameStart < FRAME_BUDGET_MS
}

function flush(): void {
  frame = undefined
  if (document.hidden) return
  frameStart = performance.now()
  // A snapshot: panels that ask again while drawing get the next frame, not this one.
  const due = [...dirty].filter((drawable) => drawable.visible)
  for (const drawable of due) dirty.delete(drawable)
  for (const drawable of due) {
    try {
      drawable.draw()
    } catch (error) {
      // One broken panel must not stop the others from drawing; the error still reaches the console.
      queueMicrotask(() => {
        throw error
      })
    }
  }
  frameStart = undefined
}

document.addEventListener('visibilitychange', schedule)
