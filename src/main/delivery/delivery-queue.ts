import { backoffDelay } from '../engine/backoff'
import type { PostOutcome } from './http-post'

/** One thing to deliver to one contact point. */
export interface DeliveryJob {
  /** What the delivery log calls it: the notice's title, or "Test notification". */
  readonly label: string
  /** The request body, built at each attempt (an Alertmanager alert's `endsAt` moves with time). */
  readonly body: () => string
}

/** What happened to a job: each attempt that failed, and how it ended. */
export type DeliveryReport =
  | { readonly outcome: 'delivered'; readonly label: string; readonly attempt: number }
  | {
      readonly outcome: 'retrying'
      readonly label: string
      readonly attempt: number
      readonly reason: string
      readonly retryInMs: number
    }
  | {
      /** Not retried (a 4xx) or every attempt failed. */
      readonly outcome: 'failed'
      readonly label: string
      readonly attempt: number
      readonly reason: string
    }
  | { readonly outcome: 'dropped'; readonly label: string; readonly reason: string }

/** The timer functions the queue uses; tests pass fakes to assert exact retry times. */
export interface DeliveryTimers {
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/** Options of {@link DeliveryQueue}. */
export interface DeliveryQueueOptions {
  /** Sends one body; must not throw (a rejection counts as a retryable failure). */
  readonly send: (body: string) => Promise<PostOutcome>
  /** Told about every attempt that failed and how each job ended. */
  readonly onReport: (report: DeliveryReport) => void
  /** @defaultValue the global `setTimeout` and `clearTimeout` */
  readonly timers?: DeliveryTimers
  /** A number in [0, 1) for the backoff's jitter; 0.5 means none. @defaultValue `Math.random` */
  readonly random?: () => number
  /** Jobs waiting at most; the oldest waiting one is dropped for a new one. @defaultValue `100` */
  readonly maxJobs?: number
  /** Bytes of waiting bodies at most, likewise. @defaultValue 1 MiB */
  readonly maxBytes?: number
  /** Attempts per job before it is given up. @defaultValue `10` */
  readonly maxAttempts?: number
  /** Delay before the first retry; it doubles with each. @defaultValue `1000` */
  readonly baseDelayMs?: number
  /** Cap of the doubling delay (a receiver's `Retry-After` may ask for more). @defaultValue `60000` */
  readonly maxDelayMs?: number
}

/** Longest `Retry-After` a receiver may ask of us: the alert would be stale long before. */
const MAX_RETRY_AFTER_MS = 5 * 60 * 1000

interface Queued {
  readonly job: DeliveryJob
  readonly bytes: number
  attempts: number
}

/**
 * The jobs of one contact point, sent one at a time in order (a resolution never overtakes its
 * firing), retried with exponential backoff and jitter. {@link DeliveryQueue.push} only appends, so
 * the alert engine that calls it is never held up by a slow or dead receiver; the queue is bounded
 * in jobs and bytes and drops the oldest waiting job, with a report, when full.
 */
export class DeliveryQueue {
  private readonly jobs: Queued[] = []
  private bytes = 0
  private busy = false
  private closed = false
  private retryTimer: unknown
  private readonly timers: DeliveryTimers
  private readonly random: () => number
  private readonly maxJobs: number
  private readonly maxBytes: number
  private readonly maxAttempts: number
  private readonly baseDelayMs: number
  private readonly maxDelayMs: number

  constructor(private readonly options: DeliveryQueueOptions) {
    this.timers = options.timers ?? {
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    }
    this.random = options.random ?? Math.random
    this.maxJobs = options.maxJobs ?? 100
    this.maxBytes = options.maxBytes ?? 1024 * 1024
    this.maxAttempts = options.maxAttempts ?? 10
    this.baseDelayMs = options.baseDelayMs ?? 1000
    this.maxDelayMs = options.maxDelayMs ?? 60_000
  }

  /** Jobs waiting or being sent. */
  get length(): number {
    return this.jobs.length
  }

  /** Appends a job and starts sending if idle. Returns at once. */
  push(job: DeliveryJob): void {
    if (this.closed) return
    const bytes = Buffer.byteLength(job.body())
    this.jobs.push({ job, bytes, attempts: 0 })
    this.bytes += bytes
    // The head may be in flight: drop from the jobs behind it.
    while (
      this.jobs.length > 1 &&
      (this.jobs.length > this.maxJobs || this.bytes > this.maxBytes)
    ) {
      const [dropped] = this.jobs.splice(this.busy ? 1 : 0, 1)
      if (dropped === undefined) break
      this.bytes -= dropped.bytes
      this.report({ outcome: 'dropped', label: dropped.job.label, reason: 'the queue was full' })
    }
    this.pump()
  }

  /** Stops sending; waiting jobs are forgotten. */
  close(): void {
    this.closed = true
    if (this.retryTimer !== undefined) this.timers.clearTimeout(this.retryTimer)
    this.retryTimer = undefined
    this.jobs.length = 0
    this.bytes = 0
  }

  private pump(): void {
    if (this.busy || this.closed) return
    const head = this.jobs[0]
    if (head === undefined) return
    this.busy = true
    head.attempts++
    let sending: Promise<PostOutcome>
    try {
      sending = this.options.send(head.job.body())
    } catch (error) {
      sending = Promise.reject(error instanceof Error ? error : new Error(String(error)))
    }
    sending
      .catch((error: unknown): PostOutcome => ({
        ok: false,
        reason: error instanceof Error ? error.message : String(error),
        retryable: true,
      }))
      .then((outcome) => this.settle(head, outcome))
      .catch((error: unknown) => {
        // Nothing in a callback may end the process; the queue goes on with the next job.
        console.error('feedwatch: delivery failed unexpectedly:', error)
        this.finish(head)
      })
  }

  private settle(head: Queued, outcome: PostOutcome): void {
    if (this.closed) return
    const { label } = head.job
    if (outcome.ok) {
      this.finish(head)
      this.report({ outcome: 'delivered', label, attempt: head.attempts })
    } else if (outcome.retryable && head.attempts < this.maxAttempts) {
      const backoff = backoffDelay(head.attempts, this.baseDelayMs, this.maxDelayMs, this.random())
      const retryInMs = Math.max(backoff, Math.min(outcome.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS))
      this.report({
        outcome: 'retrying',
        label,
        attempt: head.attempts,
        reason: outcome.reason,
        retryInMs,
      })
      this.retryTimer = this.timers.setTimeout(() => {
        this.retryTimer = undefined
        this.busy = false
        this.pump()
      }, retryInMs)
      return
    } else {
      this.finish(head)
      const reason = outcome.retryable
        ? `${outcome.reason} (gave up after ${head.attempts} attempts)`
        : outcome.reason
      this.report({ outcome: 'failed', label, attempt: head.attempts, reason })
    }
    this.pump()
  }

  /** Removes the head job and frees the queue for the next one. */
  private finish(head: Queued): void {
    if (this.jobs[0] === head) {
      this.jobs.shift()
      this.bytes -= head.bytes
    }
    this.busy = false
  }

  private report(report: DeliveryReport): void {
    try {
      this.options.onReport(report)
    } catch (error) {
      console.error('feedwatch: the delivery log failed:', error)
    }
  }
}
