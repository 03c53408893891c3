import type { FeedEvent } from '../../shared/feed-event'

/** What {@link EventRing.query} may narrow by. */
export interface EventQuery {
  /** Only events with this name. */
  readonly event?: string
  /** Only events whose data contains this text (case-insensitive). */
  readonly text?: string
  /** Only events older than this sequence number (for paging backwards). */
  readonly beforeSeq?: number
  /** At most this many, the newest ones. */
  readonly limit?: number
}

/**
 * The most recent events of one feed in a fixed-size ring: O(1) per push, no reallocation, and a
 * counter of what was pushed out so the UI can say "1,204 older events dropped".
 */
export class EventRing {
  private slots: (FeedEvent | undefined)[]
  private next = 0
  private size = 0
  private droppedCount = 0

  constructor(private capacity: number) {
    this.slots = new Array<FeedEvent | undefined>(capacity)
  }

  /** Events pushed out to make room since the ring was created. */
  get dropped(): number {
    return this.droppedCount
  }

  /** Events held now. */
  get length(): number {
    return this.size
  }

  push(event: FeedEvent): void {
    if (this.size === this.capacity) this.droppedCount++
    else this.size++
    this.slots[this.next] = event
    this.next = (this.next + 1) % this.capacity
  }

  /** Changes the capacity, keeping the newest events that fit (the rest count as dropped). */
  resize(capacity: number): void {
    if (capacity === this.capacity) return
    const kept = this.toArray().slice(-capacity)
    this.droppedCount += this.size - kept.length
    this.capacity = capacity
    this.slots = new Array<FeedEvent | undefined>(capacity)
    this.next = 0
    this.size = 0
    for (const event of kept) this.push(event)
  }

  /** The events held, oldest first. */
  toArray(): FeedEvent[] {
    const out: FeedEvent[] = []
    const start = (this.next - this.size + this.capacity) % this.capacity
    for (let i = 0; i < this.size; i++) {
      const event = this.slots[(start + i) % this.capacity]
      if (event !== undefined) out.push(event)
    }
    return out
  }

  /** Matching events, oldest first, at most `limit` of the newest. */
  query({ event, text, beforeSeq, limit }: EventQuery = {}): FeedEvent[] {
    const needle = text?.toLowerCase()
    const matches = this.toArray().filter(
      (e) =>
        (event === undefined || e.event === event) &&
        (beforeSeq === undefined || e.seq < beforeSeq) &&
        (needle === undefined || e.data.toLowerCase().includes(needle)),
    )
    return limit === undefined ? matches : matches.slice(-limit)
  }
}
