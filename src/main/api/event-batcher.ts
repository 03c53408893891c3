import type { EventBatch } from '../../shared/api'
import type { FeedEvent } from '../../shared/feed-event'

/** Options of {@link EventBatcher}. */
export interface EventBatcherOptions {
  /**
   * How long events gather before a push.
   * @defaultValue `50`
   */
  readonly intervalMs?: number
  /**
   * Most events one push carries; older ones beyond it are dropped from the display stream only.
   * @defaultValue `5000`
   */
  readonly maxEvents?: number
}

/**
 * Gathers events for the display stream into about one push per 50 ms, bounded in size. Only what is
 * shown live is dropped when too much arrives: the feed buffers and the alert engine see every event.
 */
export class EventBatcher {
  private readonly intervalMs: number
  private readonly maxEvents: number
  private pending = new Map<string, FeedEvent[]>()
  private count = 0
  private dropped = 0
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly emit: (batch: EventBatch) => void,
    options: EventBatcherOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 50
    this.maxEvents = options.maxEvents ?? 5000
  }

  /** Queues one event for the next push. */
  add(feedId: string, event: FeedEvent): void {
    let list = this.pending.get(feedId)
    if (list === undefined) {
      list = []
      this.pending.set(feedId, list)
    }
    list.push(event)
    this.count++
    if (this.count > this.maxEvents * 2) this.trim()
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs)
  }

  /** Pushes what is queued now. */
  flush(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    if (this.count === 0 && this.dropped === 0) return
    this.trim()
    const batch: EventBatch = {
      feeds: [...this.pending].map(([feedId, events]) => ({ feedId, events })),
      dropped: this.dropped,
    }
    this.pending = new Map()
    this.count = 0
    this.dropped = 0
    this.emit(batch)
  }

  /** Drops pending pushes and stops the timer. */
  close(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    this.pending = new Map()
    this.count = 0
  }

  /** Keeps the newest `maxEvents` across feeds, dropping the oldest by arrival time. */
  private trim(): void {
    let excess = this.count - this.maxEvents
    if (excess <= 0) return
    this.dropped += excess
    this.count = this.maxEvents
    while (excess > 0) {
      // The feed holding the oldest event, and the arrival time of the oldest event of any other feed.
      let oldest: FeedEvent[] | undefined
      let oldestFeed = ''
      let oldestAt = Number.POSITIVE_INFINITY
      let runnerUpAt = Number.POSITIVE_INFINITY
      for (const [feedId, events] of this.pending) {
        const at = events[0]?.receivedAt ?? Number.POSITIVE_INFINITY
        if (at < oldestAt) {
          runnerUpAt = oldestAt
          oldestAt = at
          oldest = events
          oldestFeed = feedId
        } else if (at < runnerUpAt) runnerUpAt = at
      }
      if (oldest === undefined) return
      // Drop that feed's events up to the runner-up's oldest in one splice (at least one).
      let take = 1
      while (take < excess && take < oldest.length && (oldest[take]?.receivedAt ?? 0) <= runnerUpAt)
        take++
      oldest.splice(0, take)
      excess -= take
      if (oldest.length === 0) this.pending.delete(oldestFeed)
    }
  }
}
