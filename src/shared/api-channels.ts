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

/** The URL fragment the window is loaded with when it starts in ops-wall mode (`#/wall`). */
export const WALL_ROUTE = '/wall'
