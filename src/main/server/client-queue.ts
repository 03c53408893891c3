import type { LoggedPush } from './logged-push'

/** What {@link ClientQueue.add} had to do to stay within its bound. */
export interface QueueOverflow {
  /** Events of the batches dropped, oldest first. */
  readonly droppedEvents: number
  /** True when dropping every batch was not enough: the queue was emptied and the client must resync. */
  readonly overflowed: boolean
}

/**
 * The pushes waiting for one client's socket to drain, in stream order and bounded by bytes. A push
 * that supersedes a queued one (the same feed's state, the profile, the active alerts) replaces it,
 * so those never pile up; event batches are dropped oldest first; and when the rest alone is beyond
 * the bound, the queue gives up and the client is told to reload instead.
 */
export class ClientQueue {
  /** By id: insertion order is stream order, and a superseded push leaves from the middle in O(1). */
  private readonly pushes = new Map<number, LoggedPush>()
  private readonly idByKey = new Map<string, number>()
  private heldBytes = 0

  constructor(private readonly maxBytes: number) {}

  /** Bytes of frames waiting. */
  get bytes(): number {
    return this.heldBytes
  }

  get size(): number {
    return this.pushes.size
  }

  /** Queues a push after the ones waiting, keeping within the bound. */
  add(push: LoggedPush): QueueOverflow {
    if (push.key !== undefined) {
      const previous = this.idByKey.get(push.key)
      if (previous !== undefined) this.remove(previous)
      this.idByKey.set(push.key, push.id)
    }
    this.pushes.set(push.id, push)
    this.heldBytes += push.bytes
    if (this.heldBytes <= this.maxBytes) return { droppedEvents: 0, overflowed: false }
    let droppedEvents = 0
    for (const queued of this.pushes.values()) {
      if (this.heldBytes <= this.maxBytes) break
      if (queued.type !== 'events:batch') continue
      this.remove(queued.id)
      droppedEvents += queued.events
    }
    if (this.heldBytes <= this.maxBytes) return { droppedEvents, overflowed: false }
    this.clear()
    return { droppedEvents, overflowed: true }
  }

  /** Takes the oldest waiting push. */
  shift(): LoggedPush | undefined {
    const first = this.pushes.values().next()
    if (first.done === true) return undefined
    this.remove(first.value.id)
    return first.value
  }

  clear(): void {
    this.pushes.clear()
    this.idByKey.clear()
    this.heldBytes = 0
  }

  private remove(id: number): void {
    const push = this.pushes.get(id)
    if (push === undefined) return
    this.pushes.delete(id)
    this.heldBytes -= push.bytes
    if (push.key !== undefined && this.idByKey.get(push.key) === id) this.idByKey.delete(push.key)
  }
}
