/** Width of the window `perSecond` averages over. */
const WINDOW_SECONDS = 10

/**
 * Events per second over the last 10 s, in one-second buckets: O(1) per record, fixed memory, and no
 * timer of its own.
 */
export class EventRate {
  private readonly counts = new Float64Array(WINDOW_SECONDS)
  private readonly seconds = new Float64Array(WINDOW_SECONDS).fill(-1)

  /** Counts `count` events at time `now` (epoch ms). */
  record(now: number, count: number): void {
    const second = Math.floor(now / 1000)
    const slot = second % WINDOW_SECONDS
    if (this.seconds[slot] !== second) {
      this.seconds[slot] = second
      this.counts[slot] = 0
    }
    this.counts[slot] = (this.counts[slot] ?? 0) + count
  }

  /** The average rate over the 10 s before `now`. */
  perSecond(now: number): number {
    const current = Math.floor(now / 1000)
    let total = 0
    for (let slot = 0; slot < WINDOW_SECONDS; slot++) {
      const second = this.seconds[slot] ?? -1
      if (second > current - WINDOW_SECONDS && second <= current) total += this.counts[slot] ?? 0
    }
    return total / WINDOW_SECONDS
  }
}
