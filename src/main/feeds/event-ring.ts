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

/** Distinct event names a ring shares one string for; a feed with more keeps the rest as they come. */
const MAX_SHARED_NAMES = 64

/**
 * V8 keeps a substring of 13 or more characters as a slice of the string it was cut from: an event's
 * data would keep the whole network chunk it arrived in (framing, other fields, other events) alive
 * for as long as the ring holds it. Shorter ones are copied by V8 already.
 */
const SLICE_MIN_LENGTH = 13

/**
 * An id kept as a number instead of a string: a decimal integer without leading zeros, short enough
 * to be exact as a double. Many servers number their events, and a number costs no string.
 */
const NUMERIC_ID = /^(?:0|[1-9]\d{0,14})$/

/**
 * The most recent events of one feed in a fixed-size ring: O(1) per push, no reallocation, and a
 * counter of what was pushed out so the UI can say "1,204 older events dropped".
 *
 * A feed may buffer 100,000 events for weeks, so the ring stores each field in its own array (no
 * object and no boxed number per event), keeps its own copy of each string (see
 * {@link SLICE_MIN_LENGTH}), one string per event name, and numeric ids as numbers. An event with a
 * numeric id and 60 characters of data costs about 75 bytes of heap this way, against 230 for the
 * engine's event object and the chunk its strings were cut from. Events become objects again when
 * read.
 */
export class EventRing {
  private names: string[]
  /** Ids that are not {@link NUMERIC_ID}; the others are in {@link EventRing.numbers}. */
  private ids: (string | undefined)[]
  private data: string[]
  /** `receivedAt`, `seq` and the numeric id (NaN when the id is a string) of slot i from 3i. */
  private numbers: Float64Array
  private readonly sharedNames = new Map<string, string>()
  private next = 0
  private size = 0
  private droppedCount = 0

  constructor(private capacity: number) {
    this.names = new Array<string>(capacity)
    this.ids = new Array<string | undefined>(capacity)
    this.data = new Array<string>(capacity)
    this.numbers = new Float64Array(capacity * 3)
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
    const slot = this.next
    this.names[slot] = this.sharedName(event.event)
    const numericId = NUMERIC_ID.test(event.id)
    this.ids[slot] = numericId ? undefined : ownCopy(event.id)
    this.data[slot] = ownCopy(event.data)
    this.numbers[slot * 3] = event.receivedAt
    this.numbers[slot * 3 + 1] = event.seq
    this.numbers[slot * 3 + 2] = numericId ? Number(event.id) : Number.NaN
    this.next = (slot + 1) % this.capacity
  }

  /** Changes the capacity, keeping the newest events that fit (the rest count as dropped). */
  resize(capacity: number): void {
    if (capacity === this.capacity) return
    const kept = this.toArray().slice(-capacity)
    this.droppedCount += this.size - kept.length
    this.capacity = capacity
    this.names = new Array<string>(capacity)
    this.ids = new Array<string | undefined>(capacity)
    this.data = new Array<string>(capacity)
    this.numbers = new Float64Array(capacity * 3)
    this.next = 0
    this.size = 0
    for (const event of kept) this.push(event)
  }

  /** The events held, oldest first. */
  toArray(): FeedEvent[] {
    const out: FeedEvent[] = []
    const start = (this.next - this.size + this.capacity) % this.capacity
    for (let i = 0; i < this.size; i++) out.push(this.at((start + i) % this.capacity))
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

  private at(slot: number): FeedEvent {
    return {
      event: this.names[slot] ?? '',
      id: this.ids[slot] ?? String(this.numbers[slot * 3 + 2]),
      data: this.data[slot] ?? '',
      receivedAt: this.numbers[slot * 3] ?? 0,
      seq: this.numbers[slot * 3 + 1] ?? 0,
    }
  }

  /** One string per event name: a feed sends the same few names millions of times. */
  private sharedName(name: string): string {
    const shared = this.sharedNames.get(name)
    if (shared !== undefined) return shared
    const copy = ownCopy(name)
    if (this.sharedNames.size < MAX_SHARED_NAMES) this.sharedNames.set(copy, copy)
    return copy
  }
}

/**
 * A copy of `text` that holds only its own characters. A JSON round trip is the cheapest exact copy
 * (about 0.5 µs for a typical event; lone surrogates survive it).
 */
function ownCopy(text: string): string {
  return text.length < SLICE_MIN_LENGTH ? text : (JSON.parse(JSON.stringify(text)) as string)
}
