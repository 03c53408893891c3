/**
 * Pushes only the desktop shell sends, beside the contract's own pushes in `./api`: they are about
 * the window, not the engine, so `feedwatch serve` has no use for them. Main and the preload type
 * their channel names against {@link DesktopPushPayloads}, so a misspelt name does not compile.
 *
 * This module imports nothing at run time (the sandboxed preload may load only `electron`).
 */

/** What each desktop push carries. */
export interface DesktopPushPayloads {
  /** The user clicked an alert's notification: show this feed. */
  'app:focus-feed': { readonly feedId: string }
  /**
   * The ops wall was switched on or off (menu, tray, `--wall`, a second `feedwatch --wall`). Also sent
   * after every page load, so a reloaded renderer learns the current mode.
   */
  'app:wall': { readonly on: boolean }
}

/** The name of a desktop push. */
export type DesktopPushName = keyof DesktopPushPayloads

/**
 * Commands only the desktop shell answers, beside the contract's own: they are about the window,
 * which the main process owns. Each answers with a `Result` of `null`.
 */
export interface DesktopCommandRequests {
  /**
   * Switch the ops wall on or off (`w`, the Wall button): main takes the window full screen (or back)
   * and answers every window with `app:wall`, so menu, tray and page agree.
   */
  'app:set-wall': { readonly on: boolean }
}

/** The name of a desktop command. */
export type DesktopCommandName = keyof DesktopCommandRequests

/** Every desktop command, for registering exactly one handler each. */
export const DESKTOP_COMMANDS = ['app:set-wall'] as const satisfies readonly DesktopCommandName[]

/** The URL fragment the window is loaded with when it starts in ops-wall mode (`#/wall`). */
export const WALL_ROUTE = '/wall'

/** The address of a profile's ops wall, as a path (`feedwatch serve`) or a fragment: `/wall/Ops`. */
export function wallPath(profile: string): string {
  return `${WALL_ROUTE}/${encodeURIComponent(profile)}`
}

/**
 * Reads a wall address (`/wall`, `/wall/Ops`, `/wall/Night%20shift`): the profile it names, `''`
 * for the default one, or undefined when `path` is no wall address.
 */
export function parseWallPath(path: string): string | undefined {
  const match = /^\/wall(?:\/([^/]*))?\/?$/.exec(path)
  if (match === null) return undefined
  try {
    return decodeURIComponent(match[1] ?? '')
  } catch {
    return undefined
  }
}
