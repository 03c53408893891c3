/**
 * One event as it reaches the app: the WHATWG `MessageEvent` fields plus what a monitoring tool
 * needs to order and age it.
 */
export interface FeedEvent {
  /** Event type; `"message"` when the server sent no `event:` field. */
  readonly event: string
  /** The last event ID in effect when the event was dispatched (`""` when none). */
  readonly id: string
  /** The event's data lines joined with `\n`. */
  readonly data: string
  /** Wall-clock time of dispatch, epoch milliseconds. */
  readonly receivedAt: number
  /** 1-based position of the event among all events of this feed, across reconnects. */
  readonly seq: number
}
