import { defineStore } from 'pinia'
import { markRaw, ref, shallowRef, triggerRef, watch } from 'vue'
import type { FeedEvent } from '../../../shared/feed-event'
import { feedwatchClient } from '../api/client'
import { useProfileStore } from './profile'
import { unwrap } from './unwrap'

/** Events kept per feed in the renderer, whatever the feed's own buffer size. */
export const MAX_EVENTS_PER_FEED = 5000

/**
 * Recent events per feed for the log. Arrays are kept out of deep reactivity (a push to a deep-reactive
 * array of thousands costs O(n)); a version counter tells views to re-read.
 */
export const useEventsStore = defineStore('events', () => {
  const client = feedwatchClient()
  const profiles = useProfileStore()
  const byFeed = new Map<string, FeedEvent[]>()
  /** Feeds whose buffered events were fetched from the engine since the last reset. */
  const loaded = new Set<string>()
  /** Bumped whenever any feed's events change; views read {@link eventsOf} after it. */
  const version = shallowRef(0)
  /** Bumped when everything was forgotten (another profile): views load their feed again. */
  const generation = ref(0)
  /** Events the display stream had to leave out since the app started (the feed buffers have them). */
  const droppedInDisplay = ref(0)
  /** Listeners that want every event as it arrives (charts, tiles). */
  const listeners = new Set<(feedId: string, events: readonly FeedEvent[]) => void>()

  client.on('events:batch', (batch) => {
    if (!profiles.isShown(batch.profile)) return
    for (const { feedId, events } of batch.feeds) {
      append(feedId, events)
      for (const listener of listeners) listener(feedId, events)
    }
    droppedInDisplay.value += batch.dropped
    triggerRef(version)
  })
  // The server left batches out because this window read too slowly: the engine's buffers still
  // have those events, so the feeds on screen fetch them again to close the gap.
  client.on('events:dropped', ({ dropped }) => {
    droppedInDisplay.value += dropped
    for (const feedId of loaded) void loadFeed(feedId)
  })
  // Pushes were lost (or the server restarted and numbers events from 1 again): the engine's buffers
  // are the truth, so start over from them. The same when the profile was stopped and started.
  function startOver(): void {
    const shown = [...byFeed.keys()]
    reset()
    for (const feedId of shown) void loadFeed(feedId).catch(() => undefined)
  }
  client.onResync(startOver)
  profiles.onRestart(startOver)

  // Another profile's feeds may reuse ids (and start again at seq 1): forget everything on a switch.
  // `sync`, so events that arrive right after the switch are not thrown away with the old ones.
  watch(
    () => profiles.profile?.name,
    (name, previous) => {
      if (previous !== undefined && name !== previous) reset()
    },
    { flush: 'sync' },
  )

  function reset(): void {
    byFeed.clear()
    loaded.clear()
    generation.value++
    version.value++
  }

  function append(feedId: string, events: readonly FeedEvent[]): void {
    const list = byFeed.get(feedId) ?? markRaw([] as FeedEvent[])
    let lastSeq = list.at(-1)?.seq ?? 0
    for (const event of events) {
      if (event.seq > lastSeq) {
        list.push(event)
        lastSeq = event.seq
      }
    }
    // The log shows what the feed keeps (its header's count), so what goes here needs no count.
    if (list.length > MAX_EVENTS_PER_FEED) list.splice(0, list.length - MAX_EVENTS_PER_FEED)
    byFeed.set(feedId, list)
  }

  /**
   * Loads what the engine buffered for a feed (on first view, after a resync, and after the server
   * dropped batches), merged by sequence number with what arrived live meanwhile.
   */
  async function loadFeed(feedId: string): Promise<void> {
    const { events } = unwrap(
      await client.call('events:query', {
        feedId,
        limit: MAX_EVENTS_PER_FEED,
        ...profiles.scope(),
      }),
    )
    byFeed.set(
      feedId,
      markRaw(mergeBySeq(events, byFeed.get(feedId) ?? []).slice(-MAX_EVENTS_PER_FEED)),
    )
    loaded.add(feedId)
    version.value++
  }

  /** Loads a feed's buffered events once per profile: the pushes keep it current afterwards. */
  async function ensureLoaded(feedId: string): Promise<void> {
    if (!loaded.has(feedId)) await loadFeed(feedId)
  }

  /**
   * The events of a feed, oldest first; read inside a computed that also reads `version`. The array
   * is appended to in place: a computed returning it as is would look unchanged to Vue (same
   * object), so derive something from it or copy it.
   */
  function eventsOf(feedId: string): readonly FeedEvent[] {
    return byFeed.get(feedId) ?? []
  }

  /** Subscribes to every event as it arrives; returns the unsubscribe function. */
  function onEvents(listener: (feedId: string, events: readonly FeedEvent[]) => void): () => void {
    listeners.add(listener)
    return () => listeners.delete(listener)
  }

  return {
    version,
    generation,
    droppedInDisplay,
    loadFeed,
    ensureLoaded,
    eventsOf,
    onEvents,
    reset,
  }
})

/**
 * Two lists of one feed's events, each ordered by `seq`, as one ordered list with each event once
 * (the live copy where both have it).
 */
export function mergeBySeq(
  buffered: readonly FeedEvent[],
  live: readonly FeedEvent[],
): FeedEvent[] {
  const merged: FeedEvent[] = []
  let i = 0
  let j = 0
  for (;;) {
    const left = buffered[i]
    const right = live[j]
    let next: FeedEvent
    if (left === undefined && right === undefined) return merged
    if (right === undefined || (left !== undefined && left.seq < right.seq)) {
      next = left as FeedEvent
      i++
    } else {
      if (left !== undefined && left.seq === right.seq) i++
      next = right
      j++
    }
    if (next.seq > (merged.at(-1)?.seq ?? 0)) merged.push(next)
  }
}
