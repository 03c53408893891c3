import { defineStore } from 'pinia'
import { markRaw, ref, shallowRef, triggerRef } from 'vue'
import type { FeedEvent } from '../../../shared/feed-event'
import { feedwatchClient } from '../api/client'
import { unwrap } from './unwrap'

/** Events kept per feed in the renderer, whatever the feed's own buffer size. */
const MAX_EVENTS_PER_FEED = 5000

/**
 * Recent events per feed for the log. Arrays are kept out of deep reactivity (a push to a deep-reactive
 * array of thousands costs O(n)); a version counter per feed tells views to re-read.
 */
export const useEventsStore = defineStore('events', () => {
  const client = feedwatchClient()
  const byFeed = new Map<string, FeedEvent[]>()
  /** Bumped whenever any feed's events change; views read {@link eventsOf} after it. */
  const version = shallowRef(0)
  /** Events the display stream had to leave out since the app started (the feed buffers have them). */
  const droppedInDisplay = ref(0)
  /** Listeners that want every event as it arrives (charts, tiles). */
  const listeners = new Set<(feedId: string, events: readonly FeedEvent[]) => void>()

  client.on('events:batch', (batch) => {
    for (const { feedId, events } of batch.feeds) {
      append(feedId, events)
      for (const listener of listeners) listener(feedId, events)
    }
    droppedInDisplay.value += batch.dropped
    triggerRef(version)
  })
  client.onResync(() => {
    for (const feedId of byFeed.keys()) void loadFeed(feedId)
  })

  function append(feedId: string, events: readonly FeedEvent[]): void {
    const list = byFeed.get(feedId) ?? markRaw([] as FeedEvent[])
    const lastSeq = list.at(-1)?.seq ?? 0
    for (const event of events) if (event.seq > lastSeq) list.push(event)
    if (list.length > MAX_EVENTS_PER_FEED) list.splice(0, list.length - MAX_EVENTS_PER_FEED)
    byFeed.set(feedId, list)
  }

  /** Loads what the engine buffered for a feed (on first view, and after a resync). */
  async function loadFeed(feedId: string): Promise<void> {
    const { events } = unwrap(
      await client.call('events:query', { feedId, limit: MAX_EVENTS_PER_FEED }),
    )
    const live = byFeed.get(feedId) ?? []
    const firstLive = live[0]?.seq ?? Number.POSITIVE_INFINITY
    byFeed.set(feedId, markRaw([...events.filter((event) => event.seq < firstLive), ...live]))
    version.value++
  }

  /** The events of a feed, oldest first; read inside a computed that also reads `version`. */
  function eventsOf(feedId: string): readonly FeedEvent[] {
    return byFeed.get(feedId) ?? []
  }

  /** Subscribes to every event as it arrives; returns the unsubscribe function. */
  function onEvents(listener: (feedId: string, events: readonly FeedEvent[]) => void): () => void {
    listeners.add(listener)
    return () => listeners.delete(listener)
  }

  return { version, droppedInDisplay, loadFeed, eventsOf, onEvents }
})
