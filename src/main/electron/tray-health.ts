/**
 * What the tray icon says about the feeds: a coloured dot and a tooltip per overall health. The dot
 * is drawn here as raw pixels, so the tray needs no image files and the mapping tests under Node.
 */

/** The service's overall health (`FeedwatchService.overallHealth()`). */
export type OverallHealth = 'ok' | 'degraded' | 'down' | 'idle'

/** An sRGB colour. */
export interface Rgb {
  readonly r: number
  readonly g: number
  readonly b: number
}

/** How the tray shows one health. */
export interface TrayAppearance {
  readonly color: Rgb
  readonly tooltip: string
}

const APPEARANCE: Record<OverallHealth, TrayAppearance> = {
  ok: { color: { r: 0x2e, g: 0xa0, b: 0x43 }, tooltip: 'Feedwatch: all feeds OK' },
  degraded: {
    color: { r: 0xe0, g: 0x9b, b: 0x1a },
    tooltip: 'Feedwatch: some feeds are reconnecting or alerting',
  },
  down: { color: { r: 0xd6, g: 0x33, b: 0x2a }, tooltip: 'Feedwatch: feeds are down' },
  idle: { color: { r: 0x8a, g: 0x90, b: 0x99 }, tooltip: 'Feedwatch: no feeds connected' },
}

/** The dot colour and tooltip for a health. */
export function trayAppearance(health: OverallHealth): TrayAppearance {
  return APPEARANCE[health]
}

/**
 * A filled, anti-aliased circle of `color` on a transparent square of `size` pixels, as the BGRA
 * bytes `nativeImage.createFromBitmap` takes (premultiplied alpha, 4 bytes per pixel, rows top to
 * bottom).
 */
export function dotBitmap(color: Rgb, size: number): Buffer {
  const pixels = Buffer.alloc(size * size * 4)
  const centre = size / 2
  const radius = size / 2 - size / 16 // a little margin, as tray icons have
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const distance = Math.hypot(x + 0.5 - centre, y + 0.5 - centre)
      // Coverage falls from 1 to 0 across the one pixel that the edge passes through.
      const alpha = Math.min(1, Math.max(0, radius - distance + 0.5))
      const offset = (y * size + x) * 4
      pixels[offset] = Math.round(color.b * alpha)
      pixels[offset + 1] = Math.round(color.g * alpha)
      pixels[offset + 2] = Math.round(color.r * alpha)
      pixels[offset + 3] = Math.round(255 * alpha)
    }
  }
  return pixels
}
