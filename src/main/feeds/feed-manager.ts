import type { ConnectionOptions, ConnectionState } from '../../shared/connection'
import type { FeedEvent } from '../../shared/feed-event'
import type { FeedStatus } from '../../shared/feed-status'
import { headerValueProblem } from '../../shared/http-header'
import type { Feed } from '../../shared/profile'
import { SseConnection, type ConnectionDeps } from '../engine/sse-connection'
import { EventRing, type EventQuery } from './event-ring'

/** Receives every event and state change of every feed, synchronously. */
export interface FeedManagerListener {
  onEvent(feedId: string, event: FeedEvent): void
  onState(feedId: string, state: ConnectionState): void
}

/** One feed's connection, buffer and the settings they were made from. */
interface FeedEntry {
  feed: Feed
  connection: SseConnection
  /** The options the connection was made with, as JSON, to tell whether an update must reconnect. */
  optionsKey: string
  ring: EventRing
  filter: ReadonlySet<string> | undefined
  /** Sequence numbers continue across connection objects, so the log never restarts at 1. */
  seqOffset: number
}

/** The engine options a feed stands for. Pure, so a profile edit can be compared without connecting. */
export function feedConnectionOptions(feed: Feed, lastEventId: string): ConnectionOptions {
  return {
    url: feed.url,
    method: feed.method,
    headers: Object.fromEntries(feed.headers.map((header) => [header.name, header.value])),
    ...(feed.body === undefined ? {} : { body: feed.body }),
    ...(feed.autoReconnect === undefined ? {} : { autoReconnect: feed.autoReconnect }),
    ...(feed.reconnectDelay === undefined ? {} : { reconnectDelay: feed.reconnectDelay }),
    ...(feed.maxReconnectAttempts === undefined
      ? {}
      : { maxReconnectAttempts: feed.maxReconnectAttempts }),
    ...(feed.maxReconnectDelay === undefined ? {} : { maxReconnectDelay: feed.maxReconnectDelay }),
    ...(feed.staleTimeout === undefined ? {} : { staleTimeout: feed.staleTimeout }),
    ...(feed.maxEventBytes === undefined ? {} : { maxEventBytes: feed.maxEventBytes }),
    ...(feed.ca === undefined ? {} : { ca: feed.ca }),
    insecure: feed.insecure,
    lastEventId,
  }
}

/**
 * One engine connection per enabled feed of the active profile, each with a ring buffer of recent
 * events. Feeds come in as whole validated lists ({@link FeedManager.apply}); the manager works out
 * what changed, and reconnects only feeds whose connection settings did.
 */
export class FeedManager {
  private readonly entries = new Map<string, FeedEntry>()

  constructor(
    private readonly listener: FeedManagerListener,
    private readonly connectionDeps: ConnectionDeps = {},
  ) {}

  /**
   * Makes the running feeds match `feeds`: new ones connect (when enabled), removed ones close,
   * changed connection settings reconnect (keeping the buffer and the last event ID), and enabling or
   * disabling connects or disconnects.
   *
   * @param lastEventIds - where to resume new feeds, by feed id (from the saved runtime state).
   */
  apply(feeds: readonly Feed[], lastEventIds: Readonly<Record<string, string>> = {}): void {
    const wanted = new Set(feeds.map((feed) => feed.id))
    for (const [id, entry] of this.entries) {
      if (!wanted.has(id)) {
        entry.connection.disconnect()
        this.entries.delete(id)
      }
    }
    for (const feed of feeds) {
      const entry = this.entries.get(feed.id)
      if (entry === undefined) this.add(feed, lastEventIds[feed.id] ?? '')
      else this.update(entry, feed)
    }
  }

  /** Connects a feed now (resuming from its last event ID); a no-op while it is already running. */
  connect(feedId: string): void {
    this.entry(feedId).connection.connect()
  }

  /** Disconnects a feed until {@link FeedManager.connect} or the next start. */
  disconnect(feedId: string): void {
    this.entry(feedId).connection.disconnect()
  }

  /** Skips any pending backoff and reconnects with a fresh attempt counter. */
  retryNow(feedId: string): void {
    const { connection } = this.entry(feedId)
    connection.disconnect()
    connection.connect()
  }

  /** The status of one feed. */
  status(feedId: string): FeedStatus {
    return this.describe(this.entry(feedId))
  }

  /** The status of every feed, in profile order. */
  statuses(): FeedStatus[] {
    return [...this.entries.values()].map((entry) => this.describe(entry))
  }

  /** Buffered events of one feed, oldest first. */
  events(feedId: string, query?: EventQuery): FeedEvent[] {
    return this.entry(feedId).ring.query(query)
  }

  /** Last event ID of every feed, for the runtime state file. */
  lastEventIds(): Record<string, string> {
    return Object.fromEntries(
      [...this.entries].map(([id, entry]) => [id, entry.connection.lastEventId]),
    )
  }

  /** True when the manager runs a feed with this id. */
  has(feedId: string): boolean {
    return this.entries.has(feedId)
  }

  /** Disconnects every feed and forgets them. */
  close(): void {
    for (const entry of this.entries.values()) entry.connection.disconnect()
    this.entries.clear()
  }

  private add(feed: Feed, lastEventId: string): void {
    const entry: FeedEntry = {
      feed,
      connection: this.newConnection(feed, lastEventId),
      optionsKey: connectionKey(feed),
      ring: new EventRing(feed.bufferSize),
      filter: eventFilter(feed),
      seqOffset: 0,
    }
    this.entries.set(feed.id, entry)
    if (feed.enabled) entry.connection.connect()
  }

  private update(entry: FeedEntry, feed: Feed): void {
    const wasEnabled = entry.feed.enabled
    entry.feed = feed
    entry.filter = eventFilter(feed)
    entry.ring.resize(feed.bufferSize)
    const key = connectionKey(feed)
    if (key !== entry.optionsKey) {
      const lastEventId = entry.connection.lastEventId
      entry.connection.disconnect()
      entry.seqOffset += entry.connection.stats().events
      entry.connection = this.newConnection(feed, lastEventId)
      entry.optionsKey = key
      if (feed.enabled) entry.connection.connect()
    } else if (feed.enabled !== wasEnabled) {
      if (feed.enabled) entry.connection.connect()
      else entry.connection.disconnect()
    }
  }

  /**
   * A connection whose output counts only while it is its feed's current one. Settings the engine
   * refuses leave this feed `failed` with the reason instead of throwing past the other feeds.
   */
  private newConnection(feed: Feed, lastEventId: string): SseConnection {
    // A carried-over id that cannot be a header (a server sent a control character in `id:`) would
    // be refused as a starting point; requests would go without it anyway, so start without it.
    const resumeFrom = headerValueProblem(lastEventId) === undefined ? lastEventId : ''
    const connection: SseConnection = new SseConnection(
      feedConnectionOptions(feed, resumeFrom),
      {
        onEvent: (event) => {
          const entry = this.entries.get(feed.id)
          if (entry?.connection === connection) this.accept(entry, event)
        },
        onState: (state) => {
          if (this.entries.get(feed.id)?.connection === connection)
            this.listener.onState(feed.id, state)
        },
      },
      { ...this.connectionDeps, invalidOptions: 'fail' },
    )
    return connection
  }

  private accept(entry: FeedEntry, event: FeedEvent): void {
    if (entry.filter !== undefined && !entry.filter.has(event.event)) return
    const stamped = entry.seqOffset === 0 ? event : { ...event, seq: event.seq + entry.seqOffset }
    entry.ring.push(stamped)
    this.listener.onEvent(entry.feed.id, stamped)
  }

  private describe(entry: FeedEntry): FeedStatus {
    return {
      feedId: entry.feed.id,
      state: entry.connection.state,
      stats: entry.connection.stats(),
      lastEventId: entry.connection.lastEventId,
      buffered: entry.ring.length,
      dropped: entry.ring.dropped,
    }
  }

  private entry(feedId: string): FeedEntry {
    const entry = this.entries.get(feedId)
    if (entry === undefined) throw new UnknownFeedError(feedId)
    return entry
  }
}

/** No running feed has this id. */
export class UnknownFeedError extends Error {
  override readonly name = 'UnknownFeedError'
  constructor(readonly feedId: string) {
    super(`no feed with id "${feedId}"`)
  }
}

/** The connection settings of a feed, as a comparable string. */
function connectionKey(feed: Feed): string {
  return JSON.stringify(feedConnectionOptions(feed, ''))
}

function eventFilter(feed: Feed): ReadonlySet<string> | undefined {
  return feed.eventFilter.length === 0 ? undefined : new Set(feed.eventFilter)
}
