/**
 * The samples of one rule's time window and their reduction (`avg`, `p99`, `rate`, …), kept so that
 * each event and each sample leaving the window costs O(log n) plus a typed-array shift, never a
 * pass over the whole window.
 *
 * A sample taken at `t` is in the window at `at` while `at - t < windowMs`: it leaves at exactly
 * `t + windowMs`. Memory is bounded: at most {@link WINDOW_SAMPLES_MAX} samples per rule (160 KB of
 * values and times, twice that with a sorted copy for `min`, `max` and percentiles). A window that
 * would hold more drops its oldest samples early and says so (`truncated`): `avg`, `min`, `max`,
 * `last` and percentiles then describe the newest samples, and `count`, `sum` and `rate` are scaled
 * up from the time span those samples cover.
 */
import type { Reducer } from '../../shared/rule-window'

/** Samples a time window keeps at most (see the module comment for what happens beyond). */
export const WINDOW_SAMPLES_MAX = 10_000

/** A window's reduced value, and whether it had to leave samples out. */
export interface Reduction {
  readonly value: number
  /** Samples left the window early to keep it within {@link WINDOW_SAMPLES_MAX}. */
  readonly truncated: boolean
}

/** Slots allocated at first; most windows never need more than a few hundred. */
const INITIAL_SLOTS = 64

const PERCENTILES: Partial<Record<Reducer, number>> = { p50: 0.5, p90: 0.9, p99: 0.99 }

export class TimeWindowBuffer {
  /** Ring buffers of the samples' times and values; they grow by doubling up to the capacity. */
  private times: Float64Array
  private values: Float64Array
  /** The same values in ascending order, only for reducers that need order. */
  private sorted: Float64Array | undefined
  private head = 0
  private size = 0
  private sum = 0
  /** Removals since the running sum was last recomputed, to keep rounding drift away. */
  private removals = 0
  /** Time of the newest sample dropped early for the cap; the window is truncated until it would have left. */
  private droppedAt = -Infinity

  constructor(
    readonly windowMs: number,
    readonly reducer: Reducer,
    private readonly capacity: number = WINDOW_SAMPLES_MAX,
  ) {
    const initial = Math.min(capacity, INITIAL_SLOTS)
    this.times = new Float64Array(initial)
    this.values = new Float64Array(initial)
    if (reducer === 'min' || reducer === 'max' || reducer in PERCENTILES)
      this.sorted = new Float64Array(initial)
  }

  /** Samples in the window now. */
  get length(): number {
    return this.size
  }

  /** Adds a sample taken at `at` (not earlier than the previous one). */
  add(at: number, value: number): void {
    if (this.size === this.capacity) {
      this.droppedAt = this.times[this.head] as number
      this.removeOldest()
    } else if (this.size === this.times.length) {
      this.grow()
    }
    if (this.sorted) {
      const index = this.lowerBound(value)
      this.sorted.copyWithin(index + 1, index, this.size)
      this.sorted[index] = value
    }
    const slot = (this.head + this.size) % this.times.length
    this.times[slot] = at
    this.values[slot] = value
    this.size++
    this.sum += value
  }

  /** When the oldest sample leaves the window, epoch ms; Infinity when the window is empty. */
  nextExpiry(): number {
    return this.size === 0 ? Infinity : (this.times[this.head] as number) + this.windowMs
  }

  /** Removes the samples that have left the window at `at`. */
  expire(at: number): void {
    while (this.size > 0 && (this.times[this.head] as number) + this.windowMs <= at)
      this.removeOldest()
  }

  /**
   * The window reduced at `at` (call {@link expire} first). Undefined for an empty window, except
   * for `count`, `sum` and `rate`, where an empty window is 0.
   */
  reduce(at: number): Reduction | undefined {
    const truncated = this.droppedAt + this.windowMs > at
    const counting = this.reducer === 'count' || this.reducer === 'rate' || this.reducer === 'sum'
    if (this.size === 0) return counting ? { value: 0, truncated } : undefined
    // Over the cap, the kept samples cover less than the window: scale counts up to the whole window.
    const oldest = this.times[this.head] as number
    const scale = truncated ? this.windowMs / Math.max(1, at - oldest) : 1
    let value: number
    switch (this.reducer) {
      case 'count':
        value = this.size * scale
        break
      case 'rate':
        value = (this.size * scale * 1000) / this.windowMs
        break
      case 'sum':
        value = this.sum * scale
        break
      case 'avg':
        value = this.sum / this.size
        break
      case 'last':
        value = this.values[(this.head + this.size - 1) % this.values.length] as number
        break
      case 'min':
        value = (this.sorted as Float64Array)[0] as number
        break
      case 'max':
        value = (this.sorted as Float64Array)[this.size - 1] as number
        break
      default: {
        const share = PERCENTILES[this.reducer] as number
        value = (this.sorted as Float64Array)[nearestRank(share, this.size) - 1] as number
      }
    }
    return { value, truncated }
  }

  private removeOldest(): void {
    const value = this.values[this.head] as number
    if (this.sorted) {
      const index = this.lowerBound(value)
      this.sorted.copyWithin(index, index + 1, this.size)
    }
    this.head = (this.head + 1) % this.times.length
    this.size--
    if (this.size === 0) {
      this.sum = 0
      this.removals = 0
    } else if (++this.removals >= this.capacity) {
      this.sum = 0
      for (let i = 0; i < this.size; i++)
        this.sum += this.values[(this.head + i) % this.values.length] as number
      this.removals = 0
    } else {
      this.sum -= value
    }
  }

  /** Doubles the buffers (up to the capacity), keeping the samples in order from slot 0. */
  private grow(): void {
    const slots = Math.min(this.capacity, this.times.length * 2)
    const reorder = (ring: Float64Array): Float64Array => {
      const next = new Float64Array(slots)
      next.set(ring.subarray(this.head))
      next.set(ring.subarray(0, this.head), ring.length - this.head)
      return next
    }
    this.times = reorder(this.times)
    this.values = reorder(this.values)
    this.head = 0
    if (this.sorted) {
      const sorted = new Float64Array(slots)
      sorted.set(this.sorted)
      this.sorted = sorted
    }
  }

  /** First index of the sorted values not below `value`. */
  private lowerBound(value: number): number {
    const sorted = this.sorted as Float64Array
    let low = 0
    let high = this.size
    while (low < high) {
      const mid = (low + high) >>> 1
      if ((sorted[mid] as number) < value) low = mid + 1
      else high = mid
    }
    return low
  }
}

/** 1-based nearest rank of the percentile `share` (0–1] among `size` samples. */
export function nearestRank(share: number, size: number): number {
  // The epsilon keeps 0.9 × 10 at rank 9 despite floating point (0.9 × 10 = 9.000000000000002).
  return Math.max(1, Math.ceil(share * size - 1e-9))
}
