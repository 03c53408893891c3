import type { Layout, WallSize } from './profile'

/*
 * Pure edits of the ops wall's layout, shared by the service (panels removed with their feed) and
 * the wall's arrangement controls. Each takes a layout and returns the next one.
 */

/** One page of the wall as it is shown: its title (none for the first page) and panel ids. */
export interface WallPageView {
  readonly title: string | undefined
  readonly panels: readonly string[]
}

/** Every page of the wall, the first (`wallPanels`) first. */
export function wallPages(layout: Layout): WallPageView[] {
  return [
    { title: undefined, panels: layout.wallPanels },
    ...layout.wallPages.map((page) => ({ title: page.title, panels: page.panels })),
  ]
}

/** The layout with only the panels `keep` accepts, on every page and in the sizes. */
export function keepWallPanels(layout: Layout, keep: (panelId: string) => boolean): Layout {
  return {
    ...layout,
    wallPanels: layout.wallPanels.filter(keep),
    wallPages: layout.wallPages.map((page) => ({ ...page, panels: page.panels.filter(keep) })),
    wallSizes: Object.fromEntries(Object.entries(layout.wallSizes).filter(([id]) => keep(id))),
  }
}

/** Whether a panel is on any page of the wall. */
export function isOnWall(layout: Layout, panelId: string): boolean {
  return wallPages(layout).some((page) => page.panels.includes(panelId))
}

/** Puts a panel at the end of the first page, or takes it off every page. */
export function setOnWall(layout: Layout, panelId: string, on: boolean): Layout {
  if (!on) return keepWallPanels(layout, (id) => id !== panelId)
  return isOnWall(layout, panelId)
    ? layout
    : { ...layout, wallPanels: [...layout.wallPanels, panelId] }
}

/** Moves a panel `by` places (negative: earlier) within its page, stopping at either end. */
export function moveOnWall(layout: Layout, panelId: string, by: number): Layout {
  const move = (ids: readonly string[]): string[] => {
    const from = ids.indexOf(panelId)
    if (from === -1) return [...ids]
    const to = Math.max(0, Math.min(ids.length - 1, from + by))
    const next = ids.filter((id) => id !== panelId)
    next.splice(to, 0, panelId)
    return next
  }
  return {
    ...layout,
    wallPanels: move(layout.wallPanels),
    wallPages: layout.wallPages.map((page) => ({ ...page, panels: move(page.panels) })),
  }
}

/** Moves a panel to the end of page `page` (0 is the first), off the page it was on. */
export function moveToWallPage(layout: Layout, panelId: string, page: number): Layout {
  const without = keepWallPanels(layout, (id) => id !== panelId)
  const kept = { ...without, wallSizes: layout.wallSizes }
  if (page <= 0) return { ...kept, wallPanels: [...kept.wallPanels, panelId] }
  return {
    ...kept,
    wallPages: kept.wallPages.map((each, index) =>
      index === page - 1 ? { ...each, panels: [...each.panels, panelId] } : each,
    ),
  }
}

/** Gives a panel its size on the wall (1×1 is the default and is not stored). */
export function resizeOnWall(layout: Layout, panelId: string, size: WallSize): Layout {
  const wallSizes = { ...layout.wallSizes }
  if (size === '1x1') delete wallSizes[panelId]
  else wallSizes[panelId] = size
  return { ...layout, wallSizes }
}

/** Columns and rows a size takes. */
export function wallSpan(size: WallSize | undefined): { columns: number; rows: number } {
  switch (size) {
    case '2x1':
      return { columns: 2, rows: 1 }
    case '2x2':
      return { columns: 2, rows: 2 }
    default:
      return { columns: 1, rows: 1 }
  }
}
