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
  /**
   * Most bytes of event data (with ids and names) one push carries, whatever the number of events:
   * events may be megabytes each. The newest event always goes, however large.
   * @defaultValue `4 MiB`
   */
  readonly maxBytes?: number
}

/** What an event adds to a push beside its strings: the JSON keys and numbers. */
const EVENT_OVERHEAD_BYTES = 64

/** About what an event takes in a push (UTF-16 code units stand for bytes: cheap, and close). */
function sizeOf(event: FeedEvent): number {
  return event.data.length + event.id.length + event.event.length + EVENT_OVERHEAD_BYTES
}

/**
 * Gathers events for the display stream into about one push per 50 ms, bounded in events and in
 * bytes. Only what is shown live is dropped when too much arrives: the feed buffers and the alert
 * engine see every event.
 */
export class EventBatcher {
  private readonly intervalMs: number
  private readonly maxEvents: number
  private readonly maxBytes: number
  private pending = new Map<string, FeedEvent[]>()
  private count = 0
  private bytes = 0
  private dropped = 0
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly emit: (batch: EventBatch) => void,
    options: EventBatcherOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 50
    this.maxEvents = options.maxEvents ?? 5000
    this.maxBytes = options.maxBytes ?? 4 * 1024 * 1024
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
    this.bytes += sizeOf(event)
    // Trimming now and then rather than at every add keeps the cost per event constant.
    if (this.count > this.maxEvents * 2 || this.bytes > this.maxBytes * 2) this.trim()
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
    this.bytes = 0
    this.dropped = 0
    this.emit(batch)
  }

  /** Drops pending pushes and stops the timer. */
  close(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    this.pending = new Map()
    this.count = 0
    this.bytes = 0
  }

  /** True while the pending events are beyond a bound (the newest event alone never is). */
  private get over(): boolean {
    return this.count > this.maxEvents || (this.bytes > this.maxBytes && this.count > 1)
  }

  /** Keeps the newest events within both bounds across feeds, dropping the oldest by arrival time. */
  private trim(): void {
    while (this.over) {
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
      let take = 0
      do {
        const event = oldest[take]
        if (event === undefined) break
        this.bytes -= sizeOf(event)
        this.count--
        this.dropped++
        take++
      } while (this.over && (oldest[take]?.receivedAt ?? Number.POSITIVE_INFINITY) <= runnerUpAt)
      oldest.splice(0, take)
      if (oldest.length === 0) this.pending.delete(oldestFeed)
    }
  }
}
