/**
 * What the UI and `/metrics` learn about delivering alert notices to contact points: a bounded log
 * of what happened ("delivered 14:02:11", "failed: 503, retrying in 8 s") and running totals.
 */

/** One line of the delivery log. */
export interface DeliveryLogEntry {
  /** Epoch ms. */
  readonly at: number
  readonly contactPointId: string
  /** The contact point's name when it happened. */
  readonly contactPoint: string
  /**
   * `delivered`: the receiver accepted it; `retrying`: an attempt failed and another follows in
   * `retryInMs`; `failed`: given up (not retryable, or every attempt failed); `dropped`: the
   * contact point's queue was full.
   */
  readonly outcome: 'delivered' | 'retrying' | 'failed' | 'dropped'
  /** What was sent: the notice's title, or "Test notification". */
  readonly label: string
  /** 1-based attempt that ended this way. */
  readonly attempt?: number
  /** Why it failed: `503 Service Unavailable`, `timed out after 5 s`, `connection refused`. */
  readonly reason?: string
  readonly retryInMs?: number
}

/** The delivery log of one profile, oldest first, and how many older lines were dropped. */
export interface DeliveryLog {
  readonly entries: readonly DeliveryLogEntry[]
  readonly dropped: number
}

/** Running totals of one contact point. */
export interface ContactPointStats {
  readonly contactPointId: string
  /** The contact point's name, as people know it. */
  readonly name: string
  /** Requests the receiver accepted. */
  readonly delivered: number
  /** Attempts that failed (each retry counts). */
  readonly failed: number
  /** Notices given up on: the queue was full, or every attempt failed. */
  readonly dropped: number
  /** Notices waiting to be sent. */
  readonly queued: number
}
