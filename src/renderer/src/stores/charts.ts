import { defineStore } from 'pinia'
import { watch } from 'vue'
import type { FeedEvent } from '../../../shared/feed-event'
import {
  parseEventData,
  parseFieldPath,
  readEventNumber,
  type EventData,
  type FieldPath,
} from '../../../shared/field-path'
import type { FieldSource, Layout, Panel } from '../../../shared/profile'
import { setOnWall as wallLayoutWith } from '../../../shared/wall-layout'
import { feedwatchClient } from '../api/client'
import { SERIES_CAPACITY, SeriesBuffer } from '../components/charts/series-buffer'
import { useEventsStore } from './events'
import { useProfileStore } from './profile'
import { unwrap } from './unwrap'

/** The key of a series: the same feed, event name and path share one buffer (a chart and a tile). */
export function seriesKey(source: FieldSource): string {
  return JSON.stringify([source.feedId, source.event ?? '', source.path])
}

/** Every field a panel reads. */
export function panelSources(panel: Panel): FieldSource[] {
  return panel.kind === 'tile' ? [panel.source] : panel.series
}

interface Tracked {
  readonly source: FieldSource
  /** Parsed once; undefined when the path cannot be parsed (the series then stays empty). */
  readonly path: FieldPath | undefined
  readonly buffer: SeriesBuffer
}

/** A point read from an event, before it goes into a buffer. */
interface ReadPoint {
  readonly seq: number
  readonly x: number
  readonly y: number
}

/**
 * The numbers charts and tiles show: one {@link SeriesBuffer} per field that a panel of the active
 * profile reads, seeded from the engine's buffered events (`events:query`) and appended to from every
 * event batch as it arrives. Buffers and points live outside Vue's reactivity; panels subscribe with
 * {@link onSeriesChange} and redraw through the frame scheduler. Also saves and removes panels and
 * the wall layout.
 */
export const useChartsStore = defineStore('charts', () => {
  const client = feedwatchClient()
  const events = useEventsStore()
  const profiles = useProfileStore()
  const tracked = new Map<string, Tracked>()
  /** Tracked series per feed, for the event path. */
  const byFeed = new Map<string, Tracked[]>()
  const listeners = new Map<string, Set<() => void>>()
  /**
   * How far this machine's clock is ahead of the engine's (event times are the engine's): the
   * smallest recent `Date.now() - receivedAt`, which also holds the push delay. Matters when a
   * browser on another machine shows `feedwatch serve`.
   */
  let clockOffset: number | undefined

  /** The tracked entry of a field, and whether it is new (then it still needs seeding). */
  function track(source: FieldSource): { entry: Tracked; added: boolean } {
    const key = seriesKey(source)
    let entry = tracked.get(key)
    const added = entry === undefined
    if (entry === undefined) {
      let path: FieldPath | undefined
      try {
        path = parseFieldPath(source.path)
      } catch {
        path = undefined
      }
      entry = { source, path, buffer: new SeriesBuffer() }
      tracked.set(key, entry)
      const list = byFeed.get(source.feedId) ?? []
      list.push(entry)
      byFeed.set(source.feedId, list)
    }
    return { entry, added }
  }

  function untrack(key: string): void {
    const entry = tracked.get(key)
    if (entry === undefined) return
    tracked.delete(key)
    const list = (byFeed.get(entry.source.feedId) ?? []).filter((each) => each !== entry)
    if (list.length === 0) byFeed.delete(entry.source.feedId)
    else byFeed.set(entry.source.feedId, list)
  }

  /** Tracks exactly the fields the profile's panels read. */
  function syncWithProfile(panels: readonly Panel[]): void {
    const wanted = new Map<string, FieldSource>()
    for (const panel of panels)
      for (const source of panelSources(panel)) wanted.set(seriesKey(source), source)
    for (const key of [...tracked.keys()]) if (!wanted.has(key)) untrack(key)
    const added: Tracked[] = []
    for (const source of wanted.values()) {
      const { entry, added: isNew } = track(source)
      if (isNew) added.push(entry)
    }
    // One query per feed and event name for all new series (a wall of 12 charts on one feed: one).
    if (added.length > 0) void seed(added)
  }

  /** Reads the points of `entries` (all of one feed) from a list of events. */
  function readPoints(
    entries: readonly Tracked[],
    list: readonly FeedEvent[],
  ): Map<Tracked, ReadPoint[]> {
    const points = new Map<Tracked, ReadPoint[]>(entries.map((entry) => [entry, []]))
    for (const event of list) {
      let data: EventData | undefined
      for (const entry of entries) {
        if (entry.path === undefined) continue
        if (entry.source.event !== undefined && entry.source.event !== event.event) continue
        // Parse each event once, whatever the number of series reading it.
        data ??= parseEventData(event.data)
        const y = readEventNumber(data, entry.path)
        if (y !== undefined) points.get(entry)?.push({ seq: event.seq, x: event.receivedAt, y })
      }
    }
    return points
  }

  /**
   * Loads what the engine buffered for these series (one query per feed and event name) and merges
   * it with what arrived live meanwhile: older points go in front, newer ones (after a resync) at the
   * end.
   */
  async function seed(entries: readonly Tracked[]): Promise<void> {
    const groups = new Map<string, Tracked[]>()
    for (const entry of entries) {
      const key = JSON.stringify([entry.source.feedId, entry.source.event ?? ''])
      groups.set(key, [...(groups.get(key) ?? []), entry])
    }
    await Promise.all(
      [...groups.values()].map(async (group) => {
        const { feedId, event } = (group[0] as Tracked).source
        const result = await client.call('events:query', {
          ...profiles.scope(),
          feedId,
          ...(event === undefined ? {} : { event }),
          limit: SERIES_CAPACITY,
        })
        // A feed that is gone or not running yet has nothing buffered; live events still arrive.
        if (!result.ok) return
        const changed: string[] = []
        for (const [entry, points] of readPoints(group, result.value.events)) {
          // The series may have been dropped (or replaced) while the query ran.
          if (tracked.get(seriesKey(entry.source)) !== entry || points.length === 0) continue
          const newest = entry.buffer.latest
          entry.buffer.prepend(points)
          for (const point of points)
            if (newest !== undefined && point.x > newest.x)
              entry.buffer.append(point.seq, point.x, point.y)
          changed.push(seriesKey(entry.source))
        }
        notify(changed)
      }),
    )
  }

  function notify(keys: Iterable<string>): void {
    for (const key of keys) for (const listener of listeners.get(key) ?? []) listener()
  }

  events.onEvents((feedId, batch) => {
    const last = batch[batch.length - 1]
    if (last !== undefined) {
      const offset = Date.now() - last.receivedAt
      // Take a smaller offset at once; let a larger one in slowly (a late batch is not a new clock).
      clockOffset =
        clockOffset === undefined || offset < clockOffset
          ? offset
          : clockOffset + (offset - clockOffset) * 0.01
    }
    const entries = byFeed.get(feedId)
    if (entries === undefined) return
    const changed: string[] = []
    for (const [entry, points] of readPoints(entries, batch)) {
      let any = false
      for (const point of points) any = entry.buffer.append(point.seq, point.x, point.y) || any
      if (any) changed.push(seriesKey(entry.source))
    }
    notify(changed)
  })

  // After pushes were lost, fetch what the engine buffered meanwhile.
  client.onResync(() => void seed([...tracked.values()]))

  // Another profile's feeds may reuse ids with other data: start again on a switch. (A profile
  // stopped and started numbers its events from 1 again; the buffers take those by time.)
  watch(
    () => profiles.name,
    (name, previous) => {
      if (previous === undefined || name === previous) return
      // Emptied in place, not replaced: panels hold on to their buffers, and may stay on screen
      // (the profile was renamed, or has panels of the same ids).
      const kept = [...tracked.values()]
      for (const entry of kept) entry.buffer.clear()
      clockOffset = undefined
      syncWithProfile(profiles.panels)
      void seed(kept.filter((entry) => tracked.get(seriesKey(entry.source)) === entry))
      notify(listeners.keys())
    },
    { flush: 'sync' },
  )
  watch(() => profiles.panels, syncWithProfile, { immediate: true })

  /** The buffer of a field (tracked from now on if no panel of the profile reads it yet). */
  function buffer(source: FieldSource): SeriesBuffer {
    const { entry, added } = track(source)
    if (added) void seed([entry])
    return entry.buffer
  }

  /** Calls `listener` whenever any of these fields gets new points; returns the unsubscribe. */
  function onSeriesChange(sources: readonly FieldSource[], listener: () => void): () => void {
    const keys = sources.map(seriesKey)
    for (const key of keys) {
      let set = listeners.get(key)
      if (set === undefined) {
        set = new Set()
        listeners.set(key, set)
      }
      set.add(listener)
    }
    return () => {
      for (const key of keys) {
        const set = listeners.get(key)
        set?.delete(listener)
        if (set?.size === 0) listeners.delete(key)
      }
    }
  }

  /** The engine's clock as best this machine can tell: the right edge of every chart. */
  function engineNow(): number {
    return Date.now() - (clockOffset ?? 0)
  }

  async function savePanel(panel: Panel): Promise<Panel> {
    return unwrap(await client.call('panels:save', { ...panel, ...profiles.scope() }))
  }

  async function removePanel(id: string): Promise<void> {
    unwrap(await client.call('panels:remove', { id, ...profiles.scope() }))
  }

  /** Saves the ops wall's layout (order, sizes, pages, rotation) of the profile shown. */
  async function saveLayout(layout: Layout): Promise<Layout> {
    return unwrap(await client.call('layout:save', { ...layout, ...profiles.scope() }))
  }

  /** Puts a panel on the ops wall (at the end of its first page) or takes it off every page. */
  async function setOnWall(id: string, on: boolean): Promise<Layout> {
    const layout = profiles.profile?.layout
    if (layout === undefined) throw new Error('no profile is shown')
    return saveLayout(wallLayoutWith(layout, id, on))
  }

  return { buffer, onSeriesChange, engineNow, savePanel, removePanel, saveLayout, setOnWall }
})
