import { computed, type ComputedRef } from 'vue'
import type { ConnectionState } from '../../../../shared/connection'
import { describeStateReason } from '../../../../shared/reason-text'
import { useFeedsStore } from '../../stores/feeds'
import { useProfileStore } from '../../stores/profile'

/** What a chart or tile says when a feed it reads is not live, so an old value never looks current. */
export interface FeedStateNote {
  /** `Demo feed is reconnecting`, `Demo feed failed`, `Demo feed is disabled` */
  readonly headline: string
  /** The reason in words, when there is one. */
  readonly sentence: string
  readonly tone: 'warn' | 'danger' | 'neutral'
}

/** One feed a panel reads, as the note needs it. */
export interface FeedStateInput {
  readonly name: string
  readonly enabled: boolean
  /** Undefined while the feed's state is not known yet. */
  readonly state: ConnectionState | undefined
}

const RANK: Readonly<Record<FeedStateNote['tone'], number>> = { danger: 2, warn: 1, neutral: 0 }

/** The note for one feed, or undefined when it is live (or its state is not known yet). */
function noteFor(feed: FeedStateInput): FeedStateNote | undefined {
  const { state } = feed
  if (!feed.enabled) return { headline: `${feed.name} is disabled`, sentence: '', tone: 'neutral' }
  if (state === undefined || state.state === 'open' || state.state === 'idle') return undefined
  const sentence = describeStateReason(state)?.sentence ?? ''
  switch (state.state) {
    case 'connecting':
      return { headline: `${feed.name} is connecting`, sentence, tone: 'warn' }
    case 'reconnecting':
      return { headline: `${feed.name} is reconnecting`, sentence, tone: 'warn' }
    case 'closed':
      return { headline: `${feed.name} is disconnected`, sentence, tone: 'neutral' }
    case 'failed':
      return { headline: `${feed.name} failed`, sentence, tone: 'danger' }
  }
}

/** The most serious note among the feeds a panel reads, or undefined when all of them are live. */
export function feedStateNote(feeds: readonly FeedStateInput[]): FeedStateNote | undefined {
  let worst: FeedStateNote | undefined
  for (const feed of feeds) {
    const note = noteFor(feed)
    if (note !== undefined && (worst === undefined || RANK[note.tone] > RANK[worst.tone]))
      worst = note
  }
  return worst
}

/** {@link feedStateNote} for the feeds with these ids, kept current from the stores. */
export function useFeedStateNote(
  feedIds: () => readonly string[],
): ComputedRef<FeedStateNote | undefined> {
  const feeds = useFeedsStore()
  const profiles = useProfileStore()
  return computed(() =>
    feedStateNote(
      [...new Set(feedIds())].map((id) => {
        const feed = profiles.feeds.find((each) => each.id === id)
        return {
          name: feed?.name ?? id,
          enabled: feed?.enabled ?? true,
          state: feeds.statuses.get(id)?.state,
        }
      }),
    ),
  )
}
