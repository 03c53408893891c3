import { parseRectangle, type Rectangle } from './window-bounds'

/**
 * The desktop app's own settings: how it behaves on this computer (stay in the tray, start at
 * login, quiet for an hour, wall windows on other displays). They live in the data folder beside
 * the window state (`state-file.ts`), not in a profile, so importing a colleague's profile never
 * changes them.
 */

/** A wall window on a display of its own, to open again after a restart. */
export interface WallPlacement {
  /** `Display.id` of the display it was on. */
  readonly displayId: number
  /** That display's bounds, to recognise it when its id changed (some systems renumber displays). */
  readonly displayBounds: Rectangle
  /** The profile the wall shows. */
  readonly profile: string
}

/** Every desktop setting. */
export interface DesktopSettings {
  /** Closing the window hides it; feeds, rules and notifications keep running. */
  readonly keepRunningWhenClosed: boolean
  /** Start Feedwatch (hidden, in the tray) when the user logs in. */
  readonly startAtLogin: boolean
  /** Epoch ms until which notifications are muted; 0 when they are not. */
  readonly mutedUntil: number
  /** Whether the "Feedwatch is still running" notification was shown (once only). */
  readonly closeNoticeShown: boolean
  /** Wall windows open on other displays. */
  readonly walls: readonly WallPlacement[]
  /** Serve Prometheus metrics on 127.0.0.1 for a Prometheus or agent on this computer. */
  readonly exposeMetrics: boolean
}

/** What a new installation starts with. */
export const DEFAULT_DESKTOP_SETTINGS: DesktopSettings = {
  keepRunningWhenClosed: true,
  startAtLogin: false,
  mutedUntil: 0,
  closeNoticeShown: false,
  walls: [],
  exposeMetrics: false,
}

/** How long "Mute notifications for 1 h" mutes them. */
export const MUTE_DURATION_MS = 60 * 60 * 1000

/** At most this many wall windows are remembered (one per display is the usual case). */
const MAX_WALLS = 16

/**
 * Reads saved settings. Each field that is missing or malformed takes its default, so a file from an
 * older version (or a hand edit gone wrong) never costs the other settings.
 */
export function parseDesktopSettings(value: unknown): DesktopSettings {
  const saved =
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
  const flag = (key: keyof DesktopSettings, fallback: boolean): boolean =>
    typeof saved[key] === 'boolean' ? saved[key] : fallback
  const mutedUntil = saved['mutedUntil']
  const walls = Array.isArray(saved['walls']) ? saved['walls'] : []
  return {
    keepRunningWhenClosed: flag('keepRunningWhenClosed', true),
    startAtLogin: flag('startAtLogin', false),
    mutedUntil:
      typeof mutedUntil === 'number' && Number.isFinite(mutedUntil) && mutedUntil > 0
        ? Math.round(mutedUntil)
        : 0,
    closeNoticeShown: flag('closeNoticeShown', false),
    exposeMetrics: flag('exposeMetrics', false),
    walls: walls
      .map(parseWallPlacement)
      .filter((wall): wall is WallPlacement => wall !== undefined)
      .slice(0, MAX_WALLS),
  }
}

function parseWallPlacement(value: unknown): WallPlacement | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const { displayId, displayBounds, profile } = value as Record<string, unknown>
  const bounds = parseRectangle(displayBounds)
  if (typeof displayId !== 'number' || !Number.isSafeInteger(displayId) || bounds === undefined)
    return undefined
  if (typeof profile !== 'string' || profile.trim() === '' || profile.length > 120) return undefined
  return { displayId, displayBounds: bounds, profile }
}

/** True while notifications are muted. */
export function isMuted(settings: DesktopSettings, now: number): boolean {
  return settings.mutedUntil > now
}

/** "Muted until 14:05", in the user's clock format; `formatTime` is `Intl.DateTimeFormat#format`. */
export function mutedUntilLabel(
  settings: DesktopSettings,
  formatTime: (at: Date) => string,
): string {
  return `Notifications muted until ${formatTime(new Date(settings.mutedUntil))}`
}

/**
 * The notification shown the first time the window is closed while Feedwatch keeps running: that
 * it still runs, and how to quit.
 */
export function stillRunningNotice(platform: NodeJS.Platform): { title: string; body: string } {
  const where = platform === 'darwin' ? 'menu bar' : 'tray'
  const quit = platform === 'darwin' ? 'Cmd+Q' : 'Ctrl+Q'
  return {
    title: 'Feedwatch is still running',
    body: `Feeds, alerts and notifications keep running. Open it again from the ${where} icon; to stop it, choose Quit Feedwatch there or press ${quit}.`,
  }
}
