import type { AlertHistory, AlertHistoryEntry } from '../../shared/alerts'

/** The alert history: the newest `limit` entries, oldest first, and a count of the ones dropped. */
export class AlertHistoryLog {
  private entries: AlertHistoryEntry[] = []
  private dropped = 0

  constructor(private readonly limit: number) {}

  add(entry: AlertHistoryEntry): void {
    this.entries.push(entry)
    this.trim()
  }

  /** A copy, safe to hand out. */
  snapshot(): AlertHistory {
    return { entries: this.entries.slice(), dropped: this.dropped }
  }

  /** Puts restored entries before the ones recorded since start, then trims to the limit. */
  restore(entries: readonly AlertHistoryEntry[], dropped: number): void {
    this.entries = [...entries, ...this.entries]
    this.dropped += dropped
    this.trim()
  }

  private trim(): void {
    const excess = this.entries.length - this.limit
    if (excess <= 0) return
    this.entries.splice(0, excess)
    this.dropped += excess
  }
}
