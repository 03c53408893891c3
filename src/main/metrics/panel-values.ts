import type { FeedEvent } from '../../shared/feed-event'
import {
  parseEventData,
  parseFieldPath,
  readEventNumber,
  type EventData,
  type FieldPath,
} from '../../shared/field-path'
import type { FieldSource, Panel } from '../../shared/profile'

/** The latest value of one chart series or tile. */
export interface LatestPanelValue {
  readonly panelId: string
  /** Position of the series in a chart; 0 for a tile. */
  readonly seriesIndex: number
  readonly value: number
}

/** One field some panel reads, shared by every series that reads the same feed, event and path. */
interface WatchedField {
  readonly key: string
  readonly event: string | undefined
  readonly path: FieldPath
}

/**
 * Keeps the latest numeric value of every chart series and tile of a profile, so `/metrics` can hand
 * them to Prometheus without scanning event buffers at scrape time. Each event's data is parsed at
 * most once, and only when a panel reads its feed.
 */
export class PanelValueTracker {
  /** Watched fields by feed id. */
  private byFeed = new Map<string, WatchedField[]>()
  /** Latest value by field key; survives a panel edit that keeps the field. */
  private values = new Map<string, number>()
  /** Which field each series reads, in profile order. */
  private series: { panelId: string; seriesIndex: number; key: string }[] = []

  /** Starts watching the fields of `panels`; values of fields still read are kept. */
  setPanels(panels: readonly Panel[]): void {
    const byFeed = new Map<string, WatchedField[]>()
    const keys = new Set<string>()
    this.series = []
    for (const panel of panels) {
      const sources: readonly FieldSource[] = panel.kind === 'tile' ? [panel.source] : panel.series
      sources.forEach((source, seriesIndex) => {
        const key = fieldKey(source)
        this.series.push({ panelId: panel.id, seriesIndex, key })
        if (keys.has(key)) return
        let path: FieldPath
        try {
          path = parseFieldPath(source.path)
        } catch {
          // A path the charts cannot read either: the series simply has no value.
          return
        }
        keys.add(key)
        const watched = byFeed.get(source.feedId) ?? []
        watched.push({ key, event: source.event, path })
        byFeed.set(source.feedId, watched)
      })
    }
    this.byFeed = byFeed
    for (const key of this.values.keys()) if (!keys.has(key)) this.values.delete(key)
  }

  /** Takes the numbers an event carries for the fields being watched. */
  handleEvent(feedId: string, event: FeedEvent): void {
    const watched = this.byFeed.get(feedId)
    if (watched === undefined) return
    let data: EventData | undefined
    for (const field of watched) {
      if (field.event !== undefined && field.event !== event.event) continue
      data ??= parseEventData(event.data)
      const value = readEventNumber(data, field.path)
      if (value !== undefined) this.values.set(field.key, value)
    }
  }

  /** The latest value of every series that has had one, in profile order. */
  latest(): LatestPanelValue[] {
    const out: LatestPanelValue[] = []
    for (const { panelId, seriesIndex, key } of this.series) {
      const value = this.values.get(key)
      if (value !== undefined) out.push({ panelId, seriesIndex, value })
    }
    return out
  }
}

function fieldKey(source: FieldSource): string {
  return JSON.stringify([source.feedId, source.event ?? null, source.path])
}
