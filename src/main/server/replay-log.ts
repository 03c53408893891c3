import type { LoggedPush } from './logged-push'

/** Bounds of {@link ReplayLog}. */
export interface ReplayLogLimits {
  /** Most bytes of frames kept. */
  readonly maxBytes: number
  /** Oldest push kept, in ms. */
  readonly maxAgeMs: number
}

/**
 * The pushes a client that reconnects with `Last-Event-ID` can be sent again, bounded by bytes and
 * by age. A push that a later one supersedes (an older state of the same feed) leaves the log at
 * once: a resuming client needs only the latest, and a feed's state every second would otherwise
 * fill the log with nothing worth replaying.
 */
export class ReplayLog {
  /** By id; a Map keeps insertion (= id) order and drops superseded pushes from the middle in O(1). */
  private readonly entries = new Map<number, LoggedPush>()
  private readonly latestByKey = new Map<string, number>()
  private heldBytes = 0
  private trimmed = 0

  constructor(private readonly limits: ReplayLogLimits) {}

  /** Bytes of frames held now. */
  get bytes(): number {
    return this.heldBytes
  }

  /** Pushes held now. */
  get size(): number {
    return this.entries.size
  }

  /**
   * The highest id let go of for size or age. A client that saw an earlier id missed something the
   * log cannot give back (superseded pushes do not count: their successor is still here).
   */
  get trimmedThrough(): number {
    return this.trimmed
  }

  /** Keeps a push, dropping the one it supersedes and then the oldest beyond the bounds. */
  append(push: LoggedPush): void {
    if (push.key !== undefined) {
      const previous = this.latestByKey.get(push.key)
      if (previous !== undefined) this.remove(previous)
      this.latestByKey.set(push.key, push.id)
    }
    this.entries.set(push.id, push)
    this.heldBytes += push.bytes
    this.trim(push.at)
  }

  /** Lets go of the oldest pushes beyond the byte bound or older than the age bound at `now`. */
  trim(now: number): void {
    for (const push of this.entries.values()) {
      if (this.heldBytes <= this.limits.maxBytes && now - push.at <= this.limits.maxAgeMs) break
      this.remove(push.id)
      if (push.key !== undefined && this.latestByKey.get(push.key) === push.id)
        this.latestByKey.delete(push.key)
      this.trimmed = push.id
    }
  }

  /**
   * The pushes after `id`, oldest first. The iterator is live: it also yields pushes appended while it
   * is read, and skips pushes that were removed meanwhile (check {@link ReplayLog.trimmedThrough}).
   */
  *after(id: number): Generator<LoggedPush, void, undefined> {
    for (const push of this.entries.values()) if (push.id > id) yield push
  }

  private remove(id: number): void {
    const push = this.entries.get(id)
    if (push === undefined) return
    this.entries.delete(id)
    this.heldBytes -= push.bytes
  }
}
