import type { ProfileHealth, RunningProfileStatus } from '../../shared/api'

/**
 * What the tray icon says about every running profile: one status for all of them, shown by shape
 * as well as colour (a colour-blind user, a monochrome macOS menu bar), and a tooltip with a line per
 * profile. The icons are drawn here as raw pixels, so the tray needs no image files and the mapping
 * tests under Node.
 */

/** How a running profile's enabled feeds are doing. */
export type FeedsHealth = ProfileHealth

/** One running profile, as the service reports it (`FeedwatchService.runningProfiles()`). */
export type ProfileHealthInput = RunningProfileStatus

/**
 * The tray's one status over every running profile, most urgent first: an alert is firing; feeds
 * have failed; some feeds are reconnecting or stale; everything is live; nothing runs.
 */
export type TrayStatus = 'firing' | 'failed' | 'stale' | 'live' | 'idle'

/** An sRGB colour. */
export interface Rgb {
  readonly r: number
  readonly g: number
  readonly b: number
}

/** The shape of each status, so it can be told without colour. */
export type TrayShape = 'triangle' | 'cross' | 'ring' | 'dot' | 'dash'

/** How the tray shows one status. */
export interface TrayAppearance {
  readonly color: Rgb
  readonly shape: TrayShape
  /** The status in words, for the tooltip's first line. */
  readonly summary: string
}

const APPEARANCE: Record<TrayStatus, TrayAppearance> = {
  firing: { color: { r: 0xd6, g: 0x33, b: 0x2a }, shape: 'triangle', summary: 'alerts firing' },
  failed: { color: { r: 0xd6, g: 0x33, b: 0x2a }, shape: 'cross', summary: 'feeds failed' },
  stale: { color: { r: 0xe0, g: 0x9b, b: 0x1a }, shape: 'ring', summary: 'some feeds stale' },
  live: { color: { r: 0x2e, g: 0xa0, b: 0x43 }, shape: 'dot', summary: 'all feeds live' },
  idle: { color: { r: 0x8a, g: 0x90, b: 0x99 }, shape: 'dash', summary: 'no feeds connected' },
}

/** The shape, colour and words of a status. */
export function trayAppearance(status: TrayStatus): TrayAppearance {
  return APPEARANCE[status]
}

/** One profile's status. */
export function profileStatus(input: ProfileHealthInput): TrayStatus {
  if (input.firing > 0) return 'firing'
  const byHealth: Record<FeedsHealth, TrayStatus> = {
    down: 'failed',
    degraded: 'stale',
    ok: 'live',
    idle: 'idle',
  }
  return byHealth[input.health]
}

const URGENCY: readonly TrayStatus[] = ['firing', 'failed', 'stale', 'live', 'idle']

/** The most urgent status of any running profile; `idle` when none runs. */
export function trayStatus(profiles: readonly ProfileHealthInput[]): TrayStatus {
  const statuses = new Set(profiles.map(profileStatus))
  return URGENCY.find((status) => statuses.has(status)) ?? 'idle'
}

/** Tooltips are cut by some systems (Windows: 127 characters); this many profiles get a line. */
const TOOLTIP_PROFILES = 4

/**
 * "Feedwatch: alerts firing", then a line per running profile ("Ops: 2 alerts firing",
 * "Demo: all feeds live"), at most {@link TOOLTIP_PROFILES} and "and 3 more".
 */
export function trayTooltip(profiles: readonly ProfileHealthInput[]): string {
  const lines = [`Feedwatch: ${trayAppearance(trayStatus(profiles)).summary}`]
  if (profiles.length === 0) return `${lines[0]} (no profile running)`
  const shown = [...profiles]
    .sort((a, b) => URGENCY.indexOf(profileStatus(a)) - URGENCY.indexOf(profileStatus(b)))
    .slice(0, TOOLTIP_PROFILES)
  for (const profile of shown) lines.push(`${profile.profile}: ${profileLine(profile)}`)
  if (profiles.length > shown.length) lines.push(`and ${profiles.length - shown.length} more`)
  return lines.join('\n')
}

function profileLine(profile: ProfileHealthInput): string {
  const status = profileStatus(profile)
  if (status !== 'firing') return trayAppearance(status).summary
  return profile.firing === 1 ? '1 alert firing' : `${profile.firing} alerts firing`
}

/**
 * The icon of a status: its shape in its colour on a transparent square of `size` pixels, as the
 * BGRA bytes `nativeImage.createFromBitmap` takes (premultiplied alpha, 4 bytes per pixel, rows top
 * to bottom). Edges are anti-aliased by sampling each pixel 4×4 times.
 */
export function trayIconBitmap(status: TrayStatus, size: number): Buffer {
  const { color, shape } = trayAppearance(status)
  const inside = SHAPES[shape]
  const pixels = Buffer.alloc(size * size * 4)
  const samples = 4
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      let covered = 0
      for (let sy = 0; sy < samples; sy += 1)
        for (let sx = 0; sx < samples; sx += 1)
          if (inside((x + (sx + 0.5) / samples) / size, (y + (sy + 0.5) / samples) / size))
            covered += 1
      const alpha = covered / (samples * samples)
      const offset = (y * size + x) * 4
      pixels[offset] = Math.round(color.b * alpha)
      pixels[offset + 1] = Math.round(color.g * alpha)
      pixels[offset + 2] = Math.round(color.r * alpha)
      pixels[offset + 3] = Math.round(255 * alpha)
    }
  }
  return pixels
}

/** Each shape as a test of a point in the unit square (0..1, y down). */
const SHAPES: Record<TrayShape, (x: number, y: number) => boolean> = {
  dot: (x, y) => Math.hypot(x - 0.5, y - 0.5) <= 0.44,
  ring: (x, y) => {
    const distance = Math.hypot(x - 0.5, y - 0.5)
    return distance <= 0.44 && distance >= 0.26
  },
  // Two bars crossing at the centre, each 0.2 wide.
  cross: (x, y) =>
    Math.max(Math.abs(x - 0.5), Math.abs(y - 0.5)) <= 0.42 &&
    (Math.abs(x - y) <= 0.14 || Math.abs(x + y - 1) <= 0.14),
  // A warning triangle, point up, with an exclamation mark cut out of it.
  triangle: (x, y) => {
    const inTriangle = y >= 0.08 && y <= 0.9 && Math.abs(x - 0.5) <= ((y - 0.08) / 0.82) * 0.46
    const bar = Math.abs(x - 0.5) <= 0.05 && y >= 0.36 && y <= 0.66
    const dot = Math.hypot(x - 0.5, y - 0.78) <= 0.055
    return inTriangle && !bar && !dot
  },
  dash: (x, y) => Math.abs(x - 0.5) <= 0.4 && Math.abs(y - 0.5) <= 0.12,
}
