import { PROFILE_VERSION, type ProfileInput } from '../../shared/profile'

/** Id of the demo feed, which every panel and rule of the demo profile reads. */
export const DEMO_FEED_ID = 'demo'

/** Where a panel or rule reads a field of the demo feed's `metrics` events. */
function metric(path: string): { feedId: string; event: string; path: string } {
  return { feedId: DEMO_FEED_ID, event: 'metrics', path }
}

/**
 * The "Demo" profile: the demo server's feed (`feedwatch demo-server`, src/main/demo/demo-server.ts)
 * with charts, tiles, alert rules and a wall laid out for it. Its CPU and latency rules fire every
 * few minutes on the demo data and resolve again, so a first-time user sees alerts work.
 *
 * CPU and memory are fractions (0.42 is 42 %), as the feed sends them: their panels use the unit
 * `percentunit`, so 0.42 reads `42 %`.
 *
 * @param demoUrl - the demo server's `/events` URL, e.g. `http://127.0.0.1:8080/events`.
 */
export function createDemoProfile(demoUrl: string): ProfileInput {
  return {
    version: PROFILE_VERSION,
    name: 'Demo',
    feeds: [
      {
        id: DEMO_FEED_ID,
        name: 'Demo feed',
        url: demoUrl,
        demo: true,
        // The demo server may be stopped and started again; keep trying; the feed-down rule says so.
        maxReconnectAttempts: 'unlimited',
      },
    ],
    panels: [
      { id: 'cpu-now', kind: 'tile', title: 'CPU now', unit: 'percentunit', source: metric('cpu') },
      {
        id: 'p99-now',
        kind: 'tile',
        title: 'p99 latency',
        unit: 'ms',
        source: metric('latencyMs.p99'),
      },
      {
        id: 'cpu-chart',
        kind: 'chart',
        title: 'CPU',
        unit: 'percentunit',
        series: [{ ...metric('cpu'), label: 'CPU' }],
      },
      {
        id: 'memory-chart',
        kind: 'chart',
        title: 'Memory',
        unit: 'percentunit',
        series: [{ ...metric('mem'), label: 'Memory' }],
      },
      {
        id: 'latency-chart',
        kind: 'chart',
        title: 'Latency',
        unit: 'ms',
        series: [
          { ...metric('latencyMs.p50'), label: 'p50' },
          { ...metric('latencyMs.p99'), label: 'p99' },
        ],
      },
      {
        id: 'rps-chart',
        kind: 'chart',
        title: 'Requests per second',
        unit: 'reqps',
        series: [{ ...metric('rps'), label: 'Requests/s' }],
      },
    ],
    rules: [
      {
        id: 'cpu-high',
        kind: 'condition',
        name: 'CPU above 90 %',
        severity: 'warning',
        source: metric('cpu'),
        operator: '>',
        value: 0.9,
        pendingSeconds: 5,
        recoveryValue: 0.8,
      },
      {
        id: 'p99-latency-high',
        kind: 'condition',
        name: 'p99 latency above 400 ms',
        severity: 'critical',
        source: metric('latencyMs.p99'),
        operator: '>',
        value: 400,
      },
      {
        id: 'demo-feed-down',
        kind: 'feed-down',
        name: 'Demo feed down',
        severity: 'critical',
        feedId: DEMO_FEED_ID,
        forSeconds: 10,
      },
      {
        id: 'demo-no-data',
        kind: 'no-data',
        name: 'No metrics from the demo feed',
        severity: 'warning',
        feedId: DEMO_FEED_ID,
        event: 'metrics',
        forSeconds: 10,
      },
    ],
    layout: {
      wallPanels: ['cpu-now', 'p99-now', 'cpu-chart', 'latency-chart', 'rps-chart', 'memory-chart'],
    },
  }
}
