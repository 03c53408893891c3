import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { openEventStream, startServer } from '../support/http-server'
import {
  eventually,
  missingBinary,
  PROMETHEUS_BIN,
  startPrometheus,
  type OpsServer,
} from '../support/ops-binaries'
import { killServeProcesses, startServe } from '../support/serve-process'

const missing = missingBinary(PROMETHEUS_BIN)
const cleanups: (() => Promise<void> | void)[] = []
const TOKEN = 'scrape-token-1234'
/** The value every event of the test's feed carries. */
const CPU = 73.25

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** An SSE feed sending `{"cpu": 73.25, "n": …}` as `metrics` events every 100 ms. */
async function metricsFeed(): Promise<string> {
  let n = 0
  const server = await startServer((_req, res) => {
    openEventStream(res)
    const timer = setInterval(() => {
      n++
      res.write(`event: metrics\ndata: ${JSON.stringify({ cpu: CPU, n })}\n\n`)
    }, 100)
    res.on('close', () => clearInterval(timer))
  })
  cleanups.push(() => server.close())
  return `${server.origin}/events`
}

/** `feedwatch serve --token` running a profile with that feed and a CPU tile. */
async function serveProfile(feedUrl: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'feedwatch-prometheus-'))
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  const file = join(dir, 'ops.json')
  await writeFile(
    file,
    JSON.stringify({
      version: 1,
      name: 'Ops',
      feeds: [{ id: 'metrics', name: 'Metrics feed', url: feedUrl }],
      panels: [
        {
          id: 'cpu',
          kind: 'tile',
          title: 'CPU',
          source: { feedId: 'metrics', event: 'metrics', path: 'cpu' },
        },
      ],
    }),
  )
  const serve = startServe(dir, '--profile', file, '--token', TOKEN)
  cleanups.push(() => killServeProcesses())
  return (await serve.url).replace(/\/$/, '')
}

/** Prometheus scraping `origin`'s /metrics every second, with the token and without. */
async function prometheusScraping(origin: string): Promise<OpsServer> {
  const target = origin.replace('http://', '')
  const prometheus = await startPrometheus(`
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: feedwatch
    authorization:
      credentials: ${TOKEN}
    static_configs:
      - targets: ['${target}']
  - job_name: feedwatch-without-token
    static_configs:
      - targets: ['${target}']
`)
  cleanups.push(() => prometheus.close())
  return prometheus
}

/** The value of the one series `query` returns now, or undefined. */
async function queryValue(prometheus: OpsServer, query: string): Promise<number | undefined> {
  const response = await fetch(
    `${prometheus.origin}/api/v1/query?query=${encodeURIComponent(query)}`,
  )
  const body = (await response.json()) as {
    data: { result: { value: [number, string] }[] }
  }
  const [series] = body.data.result
  return series === undefined ? undefined : Number(series.value[1])
}

describe.skipIf(missing !== undefined)(
  `Prometheus${missing === undefined ? '' : ` (skipped: ${missing})`}`,
  () => {
    // One serve and one Prometheus for both tests: starting them is most of the time.
    let origin: string
    let prometheus: OpsServer
    beforeAll(async () => {
      origin = await serveProfile(await metricsFeed())
      prometheus = await prometheusScraping(origin)
    }, 60_000)

    test("Prometheus scrapes feedwatch serve: the feed's event counter rises and the tile shows the value sent", async () => {
      const events =
        'feedwatch_feed_events_total{job="feedwatch",profile="Ops",feed="Metrics feed"}'
      const first = await eventually(
        async () => {
          const value = await queryValue(prometheus, events)
          return value !== undefined && value > 0 ? value : undefined
        },
        10_000,
        'a first scrape with events',
      )
      await eventually(
        async () => {
          const value = await queryValue(prometheus, events)
          return value !== undefined && value > first ? value : undefined
        },
        10_000,
        'the event counter to rise',
      )
      expect(
        await queryValue(
          prometheus,
          'feedwatch_panel_value{profile="Ops",panel="CPU",series="cpu"}',
        ),
      ).toBe(CPU)
      expect(await queryValue(prometheus, 'feedwatch_feed_up{feed="Metrics feed"}')).toBe(1)
    }, 30_000)

    test('a scrape without the token of a token-protected serve fails and one with it succeeds', async () => {
      await eventually(
        async () =>
          (await queryValue(prometheus, 'up{job="feedwatch-without-token"}')) === 0 &&
          (await queryValue(prometheus, 'up{job="feedwatch"}')) === 1
            ? true
            : undefined,
        10_000,
        'both scrapes to have run',
      )
      expect((await fetch(`${origin}/metrics`)).status).toBe(401)
    }, 30_000)

    test('every query of the Grafana dashboard is valid PromQL for this Prometheus', async () => {
      const dashboard = JSON.parse(
        await readFile(new URL('../../resources/grafana-dashboard.json', import.meta.url), 'utf8'),
      ) as { panels: { targets: { expr: string }[] }[] }
      const queries = dashboard.panels.flatMap((panel) => panel.targets.map((t) => t.expr))
      for (const query of queries) {
        const promql = query
          .replaceAll('$__rate_interval', '1m')
          .replaceAll('$profile', '.*')
          .replaceAll('$feed', '.*')
        const response = await fetch(
          `${prometheus.origin}/api/v1/query?query=${encodeURIComponent(promql)}`,
        )
        expect(((await response.json()) as { status: string }).status, promql).toBe('success')
      }
    }, 30_000)
  },
)
