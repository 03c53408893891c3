/**
 * Feedwatch UI benchmark: 12 live charts of 5-minute windows fed 50 points a second each, from a
 * local SSE feed through `feedwatch serve` into Chromium, drawn by Feedwatch's ops wall (Chart.js)
 * and, as the anchor, by uPlot on a static page of ours fed the same way in the same run.
 *
 * Run:   npm run bench:ui                         (builds, then about 6 minutes: 5 to fill the windows)
 *        node --import tsx bench/ui/charts.bench.ts [--window 5m|1m] [--fill S] [--warmup S]
 *          [--measure S] [--rounds N] [--with-dashboard]   (--fill defaults to the window's length)
 *        FEEDWATCH_OUT_DIR=out-other ...           (measure another build folder)
 *
 * What happens: a feed on 127.0.0.1 sends one `metrics` event every 20 ms with 12 numeric fields;
 * `feedwatch serve` runs a profile with that feed (buffer 20 000 events) and 12 one-series charts,
 * all on the wall. After `--fill` seconds (default 300: the windows are full, 15 000 points each),
 * each page is opened in turn at 1920×1080, seeds its charts from the engine's buffer, warms up,
 * and is measured for `--measure` seconds (default 20):
 *   - main-thread busy share: CDP Performance.getMetrics TaskDuration delta over wall time;
 *   - long tasks over 50 ms: the Long Tasks API;
 *   - frame time p95: requestAnimationFrame deltas;
 *   - event-to-screen latency p99: for every point, the time its chart drew it for the first time
 *     minus the event's `receivedAt` (both this machine's clock).
 * With `--with-dashboard`, the dashboard (`#/`, the same 12 charts as cards) is open in a second
 * page of the same browser while the wall is measured, as on a desk with a wall on the next screen;
 * its own busy share over the same seconds is printed under the table.
 * Each page's last frame is saved as test-results/screenshots/bench-ui-{chartjs,uplot}.png.
 * Targets (Chart.js): busy under 35 %, no long task, p99 latency under 100 ms. Exit status 0 when
 * both pages produced numbers (targets met or not), 1 when the harness failed.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { Browser, CDPSession, Page } from 'playwright-core'
import type { ProfileInput } from '../../src/shared/profile'
import { launchChromium, SCREENSHOT_DIR } from '../../test/ui/harness'
import { startBenchFeed, type BenchFeed } from './bench-feed'
import { startFeedwatchServe, type ServedFeedwatch } from './served-app'
import { formatTable, reportRows, type PageMeasurement } from './ui-report'

const SERIES = 12
const EVENTS_PER_SECOND = 50
const WINDOWS = { '1m': 60_000, '5m': 5 * 60_000 } as const
const FEED_ID = 'bench'
const VIEWPORT = { width: 1920, height: 1080 }

const root = resolve(__dirname, '../..')
const buildDir = resolve(root, process.env['FEEDWATCH_OUT_DIR'] ?? 'out')

interface Config {
  readonly window: keyof typeof WINDOWS
  readonly fillSeconds: number
  readonly warmupSeconds: number
  readonly measureSeconds: number
  readonly rounds: number
  /** Keep the dashboard open beside the wall while the wall is measured. */
  readonly withDashboard: boolean
}

function readConfig(): Config {
  const { values } = parseArgs({
    options: {
      window: { type: 'string', default: '5m' },
      fill: { type: 'string' },
      warmup: { type: 'string', default: '5' },
      measure: { type: 'string', default: '20' },
      rounds: { type: 'string', default: '1' },
      'with-dashboard': { type: 'boolean', default: false },
    },
  })
  const number = (name: string, text: string, min: number): number => {
    const value = Number(text)
    if (!Number.isFinite(value) || value < min)
      throw new Error(`--${name}: expected a number ≥ ${min}`)
    return value
  }
  const window = values.window
  if (window !== '1m' && window !== '5m') throw new Error('--window: expected 1m or 5m')
  return {
    window,
    fillSeconds: number('fill', values.fill ?? String(WINDOWS[window] / 1000), 0),
    warmupSeconds: number('warmup', values.warmup, 0),
    measureSeconds: number('measure', values.measure, 1),
    rounds: Math.round(number('rounds', values.rounds, 1)),
    withDashboard: values['with-dashboard'] ?? false,
  }
}

/** The profile `feedwatch serve` runs: the feed and twelve 5-minute charts, all on the wall. */
function benchProfile(feedUrl: string, window: Config['window']): ProfileInput {
  const panels = Array.from({ length: SERIES }, (_, i) => ({
    id: `series-${i + 1}`,
    kind: 'chart' as const,
    title: `Series ${i + 1}`,
    window,
    series: [{ feedId: FEED_ID, event: 'metrics', path: `s${i}`, label: `Series ${i + 1}` }],
  }))
  return {
    version: 1,
    name: 'UI bench',
    feeds: [
      {
        id: FEED_ID,
        name: 'Bench feed',
        url: feedUrl,
        bufferSize: 20_000,
        maxReconnectAttempts: 'unlimited',
      },
    ],
    panels,
    layout: { wallPanels: panels.map((panel) => panel.id) },
  }
}

const log = (line: string): void => void process.stderr.write(`bench:ui: ${line}\n`)
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Serves the uPlot anchor page and its scripts at feedwatch serve's origin, so it uses the same API. */
async function routeAnchorPage(page: Page, origin: string): Promise<void> {
  const files: Record<string, { path: string; type: string }> = {
    'uplot.html': { path: join(__dirname, 'uplot-page.html'), type: 'text/html' },
    'uplot-page.js': { path: join(__dirname, 'uplot-page.js'), type: 'text/javascript' },
    'uPlot.iife.min.js': {
      path: join(root, 'node_modules/uplot/dist/uPlot.iife.min.js'),
      type: 'text/javascript',
    },
    'uPlot.min.css': {
      path: join(root, 'node_modules/uplot/dist/uPlot.min.css'),
      type: 'text/css',
    },
  }
  await page.route(`${origin}/bench-anchor/**`, async (route) => {
    const name = new URL(route.request().url()).pathname.replace('/bench-anchor/', '')
    const file = files[name]
    if (file === undefined) return route.fulfill({ status: 404, body: 'not found' })
    return route.fulfill({ status: 200, contentType: file.type, body: await readFile(file.path) })
  })
}

/** The renderer's CDP performance counters (seconds for durations and Timestamp). */
async function metrics(session: CDPSession): Promise<Map<string, number>> {
  const { metrics: list } = await session.send('Performance.getMetrics')
  return new Map(list.map((metric) => [metric.name, metric.value]))
}

/** Waits until every chart of a Feedwatch page says its window holds points (seeded). */
async function waitForSeededCharts(page: Page, what: string): Promise<void> {
  const summaries = page.getByTestId('chart-summary')
  const deadline = Date.now() + 60_000
  for (;;) {
    const texts = await summaries.allTextContents()
    const counts = texts.map((text) => Number(/(\d+) points/.exec(text)?.[1] ?? 0))
    if (counts.length === SERIES && counts.every((n) => n > 0)) return
    if (Date.now() > deadline)
      throw new Error(`the ${what} did not show its charts: ${texts.join(' | ')}`)
    await sleep(250)
  }
}

/** The dashboard open beside the wall: its page and its busy share while the wall was measured. */
interface Companion {
  readonly page: Page
  readonly session: CDPSession
  before?: Map<string, number>
  busyShare?: number
}

/** Opens one page, waits until its charts show the seeded windows, warms up and measures. */
async function measurePage(
  browser: Browser,
  kind: 'chartjs' | 'uplot',
  origin: string,
  config: Config,
  companion?: Companion,
): Promise<PageMeasurement> {
  const page = await browser.newPage({ viewport: VIEWPORT })
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  try {
    await page.addInitScript({ path: join(__dirname, 'page-probe.js') })
    if (kind === 'chartjs') {
      await page.goto(`${origin}/wall`)
      // Every chart says how many points its window holds; wait until all were seeded.
      await waitForSeededCharts(page, 'wall')
    } else {
      await routeAnchorPage(page, origin)
      await page.goto(
        `${origin}/bench-anchor/uplot.html?feed=${FEED_ID}&series=${SERIES}&window=${WINDOWS[config.window]}`,
      )
      await page.waitForFunction('window.uplotReady === true', undefined, { timeout: 60_000 })
    }
    await sleep(config.warmupSeconds * 1000)

    const session = await page.context().newCDPSession(page)
    await session.send('Performance.enable', { timeDomain: 'timeTicks' })
    const before = await metrics(session)
    if (kind === 'chartjs' && companion !== undefined)
      companion.before = await metrics(companion.session)
    await page.evaluate('window.uiBench.start()')
    await sleep(config.measureSeconds * 1000)
    if (kind === 'chartjs' && companion?.before !== undefined) {
      const now = await metrics(companion.session)
      const span = (now.get('Timestamp') ?? 0) - (companion.before.get('Timestamp') ?? 0)
      companion.busyShare =
        ((now.get('TaskDuration') ?? 0) - (companion.before.get('TaskDuration') ?? 0)) / span
    }
    const recorded = (await page.evaluate('window.uiBench.stop()')) as {
      frames: number[]
      longTasks: number[]
      latencies: number[]
    }
    const after = await metrics(session)
    await mkdir(SCREENSHOT_DIR, { recursive: true })
    await page.screenshot({ path: join(SCREENSHOT_DIR, `bench-ui-${kind}.png`) })
    const delta = (name: string): number => (after.get(name) ?? 0) - (before.get(name) ?? 0)
    const seconds = delta('Timestamp')
    if (errors.length > 0) throw new Error(`${kind} page errors: ${errors.join('; ')}`)
    return {
      busyShare: delta('TaskDuration') / seconds,
      scriptShare: delta('ScriptDuration') / seconds,
      longTasks: recorded.longTasks,
      frames: recorded.frames,
      latencies: recorded.latencies,
      seconds,
    }
  } finally {
    await page.close()
  }
}

async function main(): Promise<number> {
  const config = readConfig()
  const work = await mkdtemp(join(tmpdir(), 'feedwatch-bench-ui-'))
  let feed: BenchFeed | undefined
  let served: ServedFeedwatch | undefined
  let browser: Browser | undefined
  const stopAll = async (): Promise<void> => {
    await browser?.close().catch(() => undefined)
    await served?.stop().catch(() => undefined)
    await feed?.close().catch(() => undefined)
    await rm(work, { recursive: true, force: true })
  }
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)))
  process.once('SIGTERM', () => void stopAll().then(() => process.exit(143)))
  try {
    feed = await startBenchFeed({ series: SERIES, eventsPerSecond: EVENTS_PER_SECOND })
    const profileFile = join(work, 'ui-bench.json')
    await writeFile(profileFile, JSON.stringify(benchProfile(feed.url, config.window), null, 2))
    served = await startFeedwatchServe(buildDir, [
      '--data-dir',
      join(work, 'data'),
      '--profile',
      profileFile,
    ])
    log(`feedwatch serve at ${served.url}, feed at ${feed.url} (build: ${buildDir})`)
    for (let left = config.fillSeconds; left > 0; left -= 30) {
      log(`filling the ${config.window} windows: ${left} s to go`)
      await sleep(Math.min(30, left) * 1000)
    }
    browser = await launchChromium()
    let companion: Companion | undefined
    if (config.withDashboard) {
      const page = await browser.newPage({ viewport: VIEWPORT })
      await page.goto(`${served.url}/#/`)
      await waitForSeededCharts(page, 'dashboard')
      const session = await page.context().newCDPSession(page)
      await session.send('Performance.enable', { timeDomain: 'timeTicks' })
      companion = { page, session }
      log('the dashboard is open beside the wall')
    }
    const loadBefore = loadavg()[0] ?? 0
    const ours: PageMeasurement[] = []
    const anchor: PageMeasurement[] = []
    for (let round = 1; round <= config.rounds; round++) {
      // Alternate which page goes first, so drift (a busier machine later on) hits both alike.
      const order: ('chartjs' | 'uplot')[] =
        round % 2 === 1 ? ['chartjs', 'uplot'] : ['uplot', 'chartjs']
      for (const kind of order) {
        log(
          `round ${round}: measuring ${kind === 'chartjs' ? 'Chart.js (the wall)' : 'uPlot anchor'}`,
        )
        const measured = await measurePage(browser, kind, served.url, config, companion)
        ;(kind === 'chartjs' ? ours : anchor).push(measured)
      }
    }
    process.stdout.write(
      `\nFeedwatch UI benchmark: ${SERIES} charts × ${EVENTS_PER_SECOND} points/s, ${config.window} windows ` +
        `(${config.fillSeconds} s filled), ${VIEWPORT.width}×${VIEWPORT.height}, ` +
        `${config.measureSeconds} s measured, ${config.rounds} round(s), median of rounds` +
        `${companion === undefined ? '' : ', the dashboard open beside the wall'}\n\n`,
    )
    process.stdout.write(`${formatTable(reportRows(ours, anchor))}\n`)
    if (companion?.busyShare !== undefined)
      process.stdout.write(
        `\ndashboard page beside the wall: main thread busy ${(companion.busyShare * 100).toFixed(1)} % ` +
          '(its charts off screen are not drawn)\n',
      )
    process.stdout.write(
      '\nbusy: CDP TaskDuration share of the renderer main thread; frame time: rAF deltas; ' +
        'latency: first draw of a point minus its receivedAt.\n' +
        `machine: ${availableParallelism()} CPUs, Chromium ${browser.version()} headless without GPU ` +
        `(canvas rasterised on the CPU), load average ${loadBefore.toFixed(2)} before and ` +
        `${(loadavg()[0] ?? 0).toFixed(2)} after the measurements (other work on the machine inflates busy).\n`,
    )
    return 0
  } catch (error) {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error))
    return 1
  } finally {
    await stopAll()
  }
}

void main().then((code) => process.exit(code))
