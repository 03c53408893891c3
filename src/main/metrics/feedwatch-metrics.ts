import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client'
import type { ConnectionStateName } from '../../shared/connection'
import type { Panel } from '../../shared/profile'
import { uniqueLabels } from './label-names'
import type { MetricsSource, ProfileMetrics } from './metrics-source'

/** Every connection state, so `feedwatch_feed_state` has one series per state (the enum pattern). */
const STATES: readonly ConnectionStateName[] = [
  'idle',
  'connecting',
  'open',
  'reconnecting',
  'closed',
  'failed',
]

/** A scrape's answer. */
export interface MetricsPage {
  readonly contentType: string
  readonly body: string
}

/** The registry behind `/metrics` and the function that renders it. */
export interface FeedwatchMetrics {
  readonly registry: Registry
  /** Reads the source and renders every metric in the Prometheus text format. */
  render(): Promise<MetricsPage>
}

/** Options of {@link createFeedwatchMetrics}. */
export interface FeedwatchMetricsOptions {
  /**
   * Add prom-client's process and Node.js metrics (memory, CPU, event loop lag, file descriptors):
   * a headless server left running for weeks should show what it costs.
   * @defaultValue `true`
   */
  readonly processMetrics?: boolean
}

/**
 * The metrics of every running profile, read from `source` at scrape time: nothing is counted on the
 * event path, so `/metrics` costs nothing until Prometheus asks. Labels are made only from names in
 * the profile (feeds, panels, rules, contact points) and fixed words, never from event data, so the
 * number of series stays bounded by the profile.
 */
export function createFeedwatchMetrics(
  source: MetricsSource,
  options: FeedwatchMetricsOptions = {},
): FeedwatchMetrics {
  const registry = new Registry()
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry })
  const gauge = (name: string, help: string): SampledGauge =>
    new SampledGauge({ name, help, registers: [registry] })
  const counter = (name: string, help: string): SampledCounter =>
    new SampledCounter({ name, help, registers: [registry] })

  const state = gauge(
    'feedwatch_feed_state',
    'Connection state of a feed: 1 for the current state, 0 for the others.',
  )
  const up = gauge('feedwatch_feed_up', '1 when the feed is connected (open), 0 otherwise.')
  const events = counter('feedwatch_feed_events_total', 'Events dispatched by the feed.')
  const bytes = counter(
    'feedwatch_feed_bytes_total',
    'Body bytes received by the feed, after decompression.',
  )
  const reconnects = counter(
    'feedwatch_feed_reconnects_total',
    'Reconnect attempts the feed started.',
  )
  const lastEvent = gauge(
    'feedwatch_feed_last_event_timestamp_seconds',
    'Unix time of the feed’s last event; absent before the first.',
  )
  const connectedSince = gauge(
    'feedwatch_feed_connected_since_timestamp_seconds',
    'Unix time since when the feed’s current connection is open; absent while not open.',
  )
  const rate = gauge(
    'feedwatch_feed_events_per_second',
    'Events per second over the last 10 seconds.',
  )
  const panelValue = gauge(
    'feedwatch_panel_value',
    'Latest value of a chart series or tile: the field it reads from the last event that had it.',
  )
  const alerts = gauge(
    'feedwatch_alerts',
    'Pending and firing alerts, like Prometheus’ ALERTS: 1 per active alert.',
  )
  const notifications = counter(
    'feedwatch_notifications_total',
    'Notices sent to contact points, by outcome: delivered, failed (each attempt) or dropped.',
  )
  const queued = gauge(
    'feedwatch_notification_queue_length',
    'Notices waiting to be sent to a contact point.',
  )
  const sampled = [
    state,
    up,
    events,
    bytes,
    reconnects,
    lastEvent,
    connectedSince,
    rate,
    panelValue,
    alerts,
    notifications,
    queued,
  ]

  function record(entry: ProfileMetrics): void {
    const profile = entry.profile.name
    const feedNames = uniqueLabels(entry.profile.feeds, (feed) => feed.name)
    for (const status of entry.feeds) {
      // One labels object shared by every series of the feed: prom-client formats it once.
      const feed = { profile, feed: feedNames.get(status.feedId) ?? status.feedId }
      const current = status.state.state
      for (const name of STATES) state.samples.add(name === current ? 1 : 0, feed, { state: name })
      up.samples.add(current === 'open' ? 1 : 0, feed)
      events.samples.add(status.stats.events, feed)
      bytes.samples.add(status.stats.bytes, feed)
      reconnects.samples.add(status.stats.reconnects, feed)
      rate.samples.add(status.stats.eventsPerSecond, feed)
      if (status.stats.lastEventAt !== null)
        lastEvent.samples.add(status.stats.lastEventAt / 1000, feed)
      if (status.stats.connectedSince !== null)
        connectedSince.samples.add(status.stats.connectedSince / 1000, feed)
    }
    const panels = new Map(entry.profile.panels.map((panel) => [panel.id, panel]))
    const panelNames = uniqueLabels(entry.profile.panels, (panel) => panel.title)
    for (const { panelId, seriesIndex, value } of entry.panelValues) {
      const panel = panels.get(panelId)
      if (panel === undefined) continue
      panelValue.samples.add(value, {
        profile,
        panel: panelNames.get(panelId) ?? panelId,
        series: seriesNames(panel)[seriesIndex] ?? String(seriesIndex),
      })
    }
    for (const alert of entry.alerts) {
      alerts.samples.add(1, {
        profile,
        alertname: alert.ruleName,
        alertstate: alert.state,
        severity: alert.severity,
        feed: feedNames.get(alert.feedId) ?? alert.feedId,
      })
    }
    const pointNames = uniqueLabels(
      entry.deliveries.map((point) => ({ id: point.contactPointId, name: point.name })),
      (point) => point.name,
    )
    for (const point of entry.deliveries) {
      const labels = { profile, contact_point: pointNames.get(point.contactPointId) ?? point.name }
      notifications.samples.add(point.delivered, labels, { outcome: 'delivered' })
      notifications.samples.add(point.failed, labels, { outcome: 'failed' })
      notifications.samples.add(point.dropped, labels, { outcome: 'dropped' })
      queued.samples.add(point.queued, labels)
    }
  }

  return {
    registry,
    async render() {
      // Start from nothing each scrape: a removed feed or a resolved alert must disappear.
      for (const metric of sampled) metric.samples.list = []
      for (const entry of source()) record(entry)
      return { contentType: registry.contentType, body: await registry.metrics() }
    },
  }
}

/**
 * One series as prom-client renders it. `sharedLabels` is how prom-client's own histograms share
 * labels between buckets: it formats such an object once per scrape, however many series carry
 * it. A feed's labels are one such object for its dozen series, which makes a scrape of 500 feeds
 * several times cheaper than setting each series through `set()` (see bench/metrics.bench.ts).
 */
interface Sample {
  readonly value: number
  readonly labels: Readonly<Record<string, string>>
  readonly sharedLabels?: Readonly<Record<string, string>>
}

/** Samples of one metric for the current scrape. */
class Samples {
  list: Sample[] = []

  /** Adds one series: `shared` labels (formatted once per object), then its own. */
  add(value: number, shared: Readonly<Record<string, string>>, own: Record<string, string> = {}) {
    this.list.push({ value, labels: own, sharedLabels: shared })
  }
}

/** A gauge whose series are the samples of the current scrape. */
class SampledGauge extends Gauge {
  readonly samples = new Samples()

  override async get(): ReturnType<Gauge['get']> {
    return { ...(await super.get()), values: this.samples.list }
  }
}

/** A counter whose series are the totals read at this scrape. */
class SampledCounter extends Counter {
  readonly samples = new Samples()

  override async get(): ReturnType<Counter['get']> {
    return { ...(await super.get()), values: this.samples.list }
  }
}

/**
 * The series' labels of a panel: a chart series' own label, else its field path; a tile has one
 * series, named by its field. A label used twice in one chart gets its position appended.
 */
function seriesNames(panel: Panel): string[] {
  if (panel.kind === 'tile') return [panel.source.path]
  const series = panel.series.map((s, index) => ({
    id: `#${index + 1}`,
    name: s.label !== undefined && s.label !== '' ? s.label : s.path,
  }))
  const names = uniqueLabels(series, (s) => s.name)
  return series.map((s) => names.get(s.id) ?? s.name)
}
