import { markRaw } from 'vue'

/**
 * One point of a series in Chart.js's internal format, so a chart with `parsing: false` draws the
 * buffer's array as it is: `x` is the event's `receivedAt` (epoch ms), `y` the value.
 */
export interface SeriesPoint {
  readonly x: number
  readonly y: number
}

/**
 * Points kept per series: an hour at 10 points a second. A faster feed keeps its newest points and
 * counts the rest in {@link SeriesBuffer.dropped}.
 */
export const SERIES_CAPACITY = 36_000

/** Points older than this are let go of: the longest chart window. */
export const SERIES_MAX_AGE_MS = 60 * 60 * 1000

/** Points per block (2^6) of the min/max summary that makes {@link SeriesBuffer.rangeSince} cheap. */
const BLOCK_SHIFT = 6
const BLOCK = 1 << BLOCK_SHIFT

/**
 * The points of one series, oldest first, in a bounded array that Chart.js reads directly (no copy
 * per frame). Old points leave in chunks of an eighth of the capacity, so the array never holds more
 * than `capacity * 9 / 8` points and trimming the front costs O(1) per point amortised instead of an
 * O(n) `splice` per point. The array is `markRaw`: it must never become deeply
 * reactive (a push to a reactive array of thousands costs O(n), and Chart.js patches its methods).
 */
export class SeriesBuffer {
  /** The points, oldest first; Chart.js datasets use this very array. */
  readonly points: SeriesPoint[] = markRaw([])
  /** Points let go of because the buffer was full (not because they aged out). */
  dropped = 0
  /**
   * Points ever appended at the newest end; with {@link points} it tells how many are new since a
   * draw. Points put in front by {@link prepend} are history, not news, and do not count.
   */
  appended = 0
  /**
   * Bumped when points change other than by appending (history put in front, everything cleared):
   * a chart that draws only what was appended must then draw in full.
   */
  rewrites = 0
  /** Sequence number of the newest event appended, to skip events seen twice. */
  lastSeq = 0
  /** Sequence number of the oldest event held, so seeding does not add an event twice. */
  firstSeq = 0

  private readonly chunk: number
  /** Smallest and largest y of each run of {@link BLOCK} points, from the oldest point on. */
  private blockMin: number[] = []
  private blockMax: number[] = []

  constructor(
    readonly capacity = SERIES_CAPACITY,
    readonly maxAgeMs = SERIES_MAX_AGE_MS,
  ) {
    this.chunk = Math.max(1, Math.floor(capacity / 8))
  }

  /** The newest point, if any. */
  get latest(): SeriesPoint | undefined {
    return this.points[this.points.length - 1]
  }

  /**
   * Appends one point if it is new: `seq` beyond the newest seen, or (after the engine restarted and
   * its sequence numbers began again) a time after the newest point.
   */
  append(seq: number, x: number, y: number): boolean {
    const latest = this.latest
    if (latest !== undefined && seq <= this.lastSeq && x <= latest.x) return false
    if (latest === undefined) this.firstSeq = seq
    // Points stay sorted by x (Chart.js's decimation and binary searches rely on it).
    this.points.push({ x: latest !== undefined && x < latest.x ? latest.x : x, y })
    this.lastSeq = seq
    this.appended++
    const block = (this.points.length - 1) >> BLOCK_SHIFT
    if (block === this.blockMin.length) {
      this.blockMin.push(y)
      this.blockMax.push(y)
    } else {
      if (y < (this.blockMin[block] as number)) this.blockMin[block] = y
      if (y > (this.blockMax[block] as number)) this.blockMax[block] = y
    }
    this.trim(x)
    return true
  }

  /**
   * Puts points that are older than everything held in front (seeding from the engine's buffer
   * while live events already arrived). `older` must be sorted oldest first.
   */
  prepend(older: readonly { seq: number; x: number; y: number }[]): void {
    const first = this.points[0]
    const keep =
      first === undefined
        ? older
        : older.filter((point) => point.x <= first.x && point.seq < this.firstSeq)
    const oldest = keep[0]
    if (oldest === undefined) return
    const fresh = keep.map(({ x, y }) => ({ x, y }))
    // Chunks keep the argument list of unshift well under the engine's limit.
    for (let end = fresh.length; end > 0; end -= 10_000)
      this.points.unshift(...fresh.slice(Math.max(0, end - 10_000), end))
    this.firstSeq = oldest.seq
    this.rewrites++
    if (first === undefined) this.lastSeq = keep[keep.length - 1]?.seq ?? 0
    const latest = this.latest
    if (latest !== undefined) this.trim(latest.x)
    this.summarise()
  }

  /** Forgets every point (another profile, another feed with the same id). */
  clear(): void {
    this.rewrites++
    this.points.length = 0
    this.lastSeq = 0
    this.firstSeq = 0
    this.summarise()
  }

  /**
   * The smallest and largest y of the points at or after `x`, or undefined when there are none:
   * a chart's y range without a pass over every point (block summaries, O(n/64 + 64)).
   */
  rangeSince(x: number): { min: number; max: number } | undefined {
    const points = this.points
    let i = this.indexAtOrAfter(x)
    if (i >= points.length) return undefined
    let min = Number.POSITIVE_INFINITY
    let max = Number.NEGATIVE_INFINITY
    // The partial block at the start, point by point; then whole blocks.
    const firstWhole = Math.min(points.length, ((i + BLOCK - 1) >> BLOCK_SHIFT) << BLOCK_SHIFT)
    for (; i < firstWhole; i++) {
      const y = (points[i] as SeriesPoint).y
      if (y < min) min = y
      if (y > max) max = y
    }
    // Here i is the start of a block, or past the end (then there are no whole blocks left).
    for (let block = i >> BLOCK_SHIFT; i < points.length && block < this.blockMin.length; block++) {
      const low = this.blockMin[block] as number
      const high = this.blockMax[block] as number
      if (low < min) min = low
      if (high > max) max = high
    }
    return { min, max }
  }

  /** Index of the first point at or after `x` (binary search). */
  indexAtOrAfter(x: number): number {
    let lo = 0
    let hi = this.points.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((this.points[mid] as SeriesPoint).x < x) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** The newest point at or before `x`, if any. */
  pointAtOrBefore(x: number): SeriesPoint | undefined {
    const index = this.indexAtOrAfter(x)
    const at = this.points[index]
    if (at !== undefined && at.x === x) return at
    return this.points[index - 1]
  }

  /** How many points lie at or after `x`: the points a window starting at `x` shows. */
  countSince(x: number): number {
    return this.points.length - this.indexAtOrAfter(x)
  }

  /**
   * The usual time between points: the median gap of the newest 21 points, or undefined with fewer
   * than 3. Used to tell a quiet feed from a slow one.
   */
  typicalIntervalMs(): number | undefined {
    const n = this.points.length
    if (n < 3) return undefined
    const gaps: number[] = []
    for (let i = Math.max(1, n - 20); i < n; i++)
      gaps.push((this.points[i] as SeriesPoint).x - (this.points[i - 1] as SeriesPoint).x)
    gaps.sort((a, b) => a - b)
    return gaps[gaps.length >> 1]
  }

  /** Drops what is over capacity or older than {@link maxAgeMs}, a chunk at a time. */
  private trim(newestX: number): void {
    let trimmed = false
    const over = this.points.length - this.capacity
    if (over >= this.chunk) {
      this.points.splice(0, over)
      this.dropped += over
      trimmed = true
    }
    const first = this.points[0]
    if (first !== undefined && first.x < newestX - this.maxAgeMs) {
      const aged = this.indexAtOrAfter(newestX - this.maxAgeMs)
      if (aged >= this.chunk || aged === this.points.length) {
        this.points.splice(0, aged)
        trimmed = true
      }
    }
    // Blocks start at the oldest point, so they are rebuilt after the front moved (rarely: once a chunk).
    if (trimmed) this.summarise()
  }

  /** Rebuilds the block summaries from the points. */
  private summarise(): void {
    const points = this.points
    const blocks = (points.length + BLOCK - 1) >> BLOCK_SHIFT
    this.blockMin = new Array<number>(blocks)
    this.blockMax = new Array<number>(blocks)
    for (let block = 0; block < blocks; block++) {
      let min = Number.POSITIVE_INFINITY
      let max = Number.NEGATIVE_INFINITY
      const end = Math.min(points.length, (block + 1) * BLOCK)
      for (let i = block * BLOCK; i < end; i++) {
        const y = (points[i] as SeriesPoint).y
        if (y < min) min = y
        if (y > max) max = y
      }
      this.blockMin[block] = min
      this.blockMax[block] = max
    }
  }
}
