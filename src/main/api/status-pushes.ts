import type { FeedStatus } from '../../shared/feed-status'

/**
 * Housekeeping ticks between pushes of every feed's status, changed or not (30 s at one tick a
 * second): a slow heartbeat that puts right anything a client might have missed.
 */
const HEARTBEAT_TICKS = 30

/**
 * Decides which feed statuses a housekeeping tick pushes: those that changed since they were last
 * pushed, and every one on a heartbeat tick. A feed that is quiet, failed or disconnected costs no
 * push, so 500 idle feeds do not fill every client's stream and the replay log every second.
 */
export class StatusPushes {
  private readonly lastPushed = new Map<string, string>()
  private tick = 0

  constructor(private readonly heartbeatTicks = HEARTBEAT_TICKS) {}

  /** The statuses to push on this tick, in the order given. */
  due(statuses: readonly FeedStatus[]): FeedStatus[] {
    // Starting over on a heartbeat also forgets feeds that were removed.
    if (this.tick++ % this.heartbeatTicks === 0) this.lastPushed.clear()
    return statuses.filter((status) => {
      const shown = JSON.stringify(status)
      if (this.lastPushed.get(status.feedId) === shown) return false
      this.lastPushed.set(status.feedId, shown)
      return true
    })
  }
}
