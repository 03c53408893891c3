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
  const registers = [registry]
  const feedLabels = ['profile', 'feed'] as const

  const state = new Gauge({
    name: 'feedwatch_feed_state',
    help: 'Connection state of a feed: 1 for the current state, 0 for the others.',
    labelNames: [...feedLabels, 'state'],
    registers,
  })
  const up = new Gauge({
    name: 'feedwatch_feed_up',
    help: '1 when the feed is connected (open), 0 otherwise.',
    labelNames: feedLabels,
    registers,
  })
  const events = new Counter({
    name: 'feedwatch_feed_events_total',
    help: 'Events dispatched by the feed.',
    labelNames: feedLabels,
    registers,
  })
  const bytes = new Counter({
    name: 'feedwatch_feed_bytes_total',
    help: 'Body bytes received by the feed, after decompression.',
    labelNames: feedLabels,
    registers,
  })
  const reconnects = new Counter({
    name: 'feedwatch_feed_reconnects_total',
    help: 'Reconnect attempts the feed started.',
    labelNames: feedLabels,
    registers,
  })
  const lastEvent = new Gauge({
    name: 'feedwatch_feed_last_event_timestamp_seconds',
    help: 'Unix time of the feed’s last event; absent before the first.',
    labelNames: feedLabels,
    registers,
  })
  const connectedSince = new Gauge({
    name: 'feedwatch_feed_connected_since_timestamp_seconds',
    help: 'Unix time since when the feed’s current connection is open; absent while not open.',
    labelNames: feedLabels,
    registers,
  })
  const rate = new Gauge({
    name: 'feedwatch_feed_events_per_second',
    help: 'Events per second over the last 10 seconds.',
    labelNames: feedLabels,
    registers,
  })
  const panelValue = new Gauge({
    name: 'feedwatch_panel_value',
    help: 'Latest value of a chart series or tile: the field it reads from the last event that had it.',
    labelNames: ['profile', 'panel', 'series'],
    registers,
  })
  const alerts = new Gauge({
    name: 'feedwatch_alerts',
    help: 'Pending and firing alerts, like Prometheus’ ALERTS: 1 per active alert.',
    labelNames: ['profile', 'alertname', 'alertstate', 'severity', 'feed'],
    registers,
  })
  const notifications = new Counter({
    name: 'feedwatch_notifications_total',
    help: 'Notices sent to contact points, by outcome: delivered, failed (each attempt) or dropped.',
    labelNames: ['profile', 'contact_point', 'outcome'],
    registers,
  })
  const queued = new Gauge({
    name: 'feedwatch_notification_queue_length',
    help: 'Notices waiting to be sent to a contact point.',
    labelNames: ['profile', 'contact_point'],
    registers,
  })
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
      const labels = { profile, feed: feedNames.get(status.feedId) ?? status.feedId }
      const current = status.state.state
      for (const name of STATES) state.set({ ...labels, state: name }, name === current ? 1 : 0)
      up.set(labels, current === 'open' ? 1 : 0)
      events.inc(labels, status.stats.events)
      bytes.inc(labels, status.stats.bytes)
      reconnects.inc(labels, status.stats.reconnects)
      rate.set(labels, status.stats.eventsPerSecond)
      if (status.stats.lastEventAt !== null) lastEvent.set(labels, status.stats.lastEventAt / 1000)
      if (status.stats.connectedSince !== null)
        connectedSince.set(labels, status.stats.connectedSince / 1000)
    }
    const panels = new Map(entry.profile.panels.map((panel) => [panel.id, panel]))
    const panelNames = uniqueLabels(entry.profile.panels, (panel) => panel.title)
    for (const { panelId, seriesIndex, value } of entry.panelValues) {
      const panel = panels.get(panelId)
      if (panel === undefined) continue
      panelValue.set(
        {
          profile,
          panel: panelNames.get(panelId) ?? panelId,
          series: seriesNames(panel)[seriesIndex] ?? String(seriesIndex),
        },
        value,
      )
    }
    for (const alert of entry.alerts) {
      alerts.set(
        {
          profile,
          alertname: alert.ruleName,
          alertstate: alert.state,
          severity: alert.severity,
          feed: feedNames.get(alert.feedId) ?? alert.feedId,
        },
        1,
      )
    }
    const pointNames = uniqueLabels(
      entry.deliveries.map((point) => ({ id: point.contactPointId, name: point.name })),
      (point) => point.name,
    )
    for (const point of entry.deliveries) {
      const labels = { profile, contact_point: pointNames.get(point.contactPointId) ?? point.name }
      notifications.inc({ ...labels, outcome: 'delivered' }, point.delivered)
      notifications.inc({ ...labels, outcome: 'failed' }, point.failed)
      notifications.inc({ ...labels, outcome: 'dropped' }, point.dropped)
      queued.set(labels, point.queued)
    }
  }

  return {
    registry,
    async render() {
      // Start from nothing each scrape: a removed feed or a resolved alert must disappear.
      for (const metric of sampled) metric.reset()
      for (const entry of source()) record(entry)
      return { contentType: registry.contentType, body: await registry.metrics() }
    },
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
