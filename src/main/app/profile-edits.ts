import { randomBytes } from 'node:crypto'
import type { Profile, ProfileInput } from '../../shared/profile'
import { keepWallPanels } from '../../shared/wall-layout'

/*
 * Pure edits of a profile document, used by the service's commands: each takes a profile and returns
 * the next one, which the store then validates and saves.
 */

export { sameName } from '../../shared/profile-name'

/** A short random id with a readable prefix: `feed-3f9a1c2b`. */
export function newId(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`
}

/** Replaces the item with the same id, or appends it. */
export function upsert<T extends { id: string }>(items: readonly T[], item: T): T[] {
  return items.some((existing) => existing.id === item.id)
    ? items.map((existing) => (existing.id === item.id ? item : existing))
    : [...items, item]
}

/** The profile without a feed and without the panels, series and rules that read it. */
export function withoutFeed(profile: Profile, feedId: string): ProfileInput {
  const panels = profile.panels
    .map((panel) =>
      panel.kind === 'chart'
        ? { ...panel, series: panel.series.filter((s) => s.feedId !== feedId) }
        : panel,
    )
    .filter((panel) =>
      panel.kind === 'chart' ? panel.series.length > 0 : panel.source.feedId !== feedId,
    )
  const panelIds = new Set(panels.map((panel) => panel.id))
  return {
    ...profile,
    feeds: profile.feeds.filter((feed) => feed.id !== feedId),
    panels,
    rules: profile.rules.filter(
      (rule) => (rule.kind === 'condition' ? rule.source.feedId : rule.feedId) !== feedId,
    ),
    layout: keepWallPanels(profile.layout, (id) => panelIds.has(id)),
  }
}
