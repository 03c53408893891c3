import { describe, expect, test } from 'vitest'
import {
  createDemoSimulation,
  type DemoDeploy,
  type DemoHappening,
  type DemoIncident,
  type DemoMetrics,
} from '../../src/main/demo/demo-simulation'

/** The demo server's default interval. */
const STEP_MS = 500
const SEEDS = [1, 2, 3, 4, 5]

/** mulberry32: a small seeded generator, so every run of these tests sees the same data. */
function seeded(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** Everything `seconds` of simulated time at {@link STEP_MS} produce, step by step. */
function simulate(seed: number, seconds: number): DemoHappening[][] {
  const simulation = createDemoSimulation(seeded(seed))
  return Array.from({ length: (seconds * 1000) / STEP_MS }, () => simulation.step(STEP_MS))
}

function metricsOf(steps: DemoHappening[][]): DemoMetrics[] {
  return steps.map((happenings) => {
    const first = happenings[0]
    if (first?.event !== 'metrics') throw new Error('a step did not start with metrics')
    return first.data
  })
}

function dataOf<E extends 'deploy' | 'incident'>(steps: DemoHappening[][], event: E) {
  return steps
    .flat()
    .filter((happening) => happening.event === event)
    .map((happening) => happening.data) as (E extends 'deploy' ? DemoDeploy : DemoIncident)[]
}

/**
 * Times the demo profile's CPU rule would fire (above 0.9 for 5 s) and resolve (below 0.8), as
 * [fired, resolved] step indexes.
 */
function cpuAlerts(metrics: DemoMetrics[]): [number, number | undefined][] {
  const alerts: [number, number | undefined][] = []
  let above = 0
  let firing: [number, number | undefined] | undefined
  metrics.forEach(({ cpu }, index) => {
    above = cpu > 0.9 ? above + 1 : 0
    if (firing === undefined && above * STEP_MS > 5000) {
      firing = [index, undefined]
      alerts.push(firing)
    } else if (firing !== undefined && cpu < 0.8) {
      firing[1] = index
      firing = undefined
    }
  })
  return alerts
}

test('every step yields exactly one metrics event, first', () => {
  for (const happenings of simulate(1, 600)) {
    expect(happenings.filter((happening) => happening.event === 'metrics')).toHaveLength(1)
    expect(happenings[0]?.event).toBe('metrics')
  }
})

test.each(SEEDS)('metrics stay plausible over a simulated day (seed %i)', (seed) => {
  const implausible = metricsOf(simulate(seed, 24 * 3600)).filter(
    ({ cpu, mem, rps, latencyMs: { p50, p99 } }) =>
      !(cpu > 0 && cpu < 1) ||
      !(mem > 0 && mem < 1) ||
      !(Number.isInteger(rps) && rps >= 0 && rps < 10_000) ||
      !(Number.isInteger(p50) && p50 >= 1) ||
      !(Number.isInteger(p99) && p99 >= p50 && p99 < 5000),
  )
  expect(implausible).toEqual([])
})

test('cpu and memory have at most two decimals', () => {
  for (const { cpu, mem } of metricsOf(simulate(1, 600))) {
    expect(Math.round(cpu * 100) / 100).toBe(cpu)
    expect(Math.round(mem * 100) / 100).toBe(mem)
  }
})

describe('over a simulated hour', () => {
  test.each(SEEDS)(
    'cpu stays above 0.9 for over 5 s every few minutes and drops below 0.8 again (seed %i)',
    (seed) => {
      const metrics = metricsOf(simulate(seed, 3600))
      const alerts = cpuAlerts(metrics)
      expect(alerts.length).toBeGreaterThanOrEqual(5)
      expect(alerts.length).toBeLessThanOrEqual(40)
      for (const [fired, resolved] of alerts) {
        expect(resolved, `the alert fired at step ${fired} never resolved`).toBeDefined()
        expect(((resolved ?? 0) - fired) * STEP_MS).toBeLessThan(60_000)
      }
      const high = metrics.filter(({ cpu }) => cpu > 0.9).length
      expect(high / metrics.length).toBeLessThan(0.2)
    },
  )

  test.each(SEEDS)(
    'p99 latency goes above 400 ms every few minutes and comes back (seed %i)',
    (seed) => {
      const p99 = metricsOf(simulate(seed, 3600)).map(({ latencyMs }) => latencyMs.p99)
      const rises = p99.filter((value, index) => value > 400 && (p99[index - 1] ?? 0) <= 400)
      expect(rises.length).toBeGreaterThanOrEqual(5)
      expect(rises.length).toBeLessThanOrEqual(40)
      expect(p99.filter((value) => value > 400).length / p99.length).toBeLessThan(0.2)
    },
  )

  test.each(SEEDS)('there are some deploys and incidents, not a flood (seed %i)', (seed) => {
    const steps = simulate(seed, 3600)
    expect(dataOf(steps, 'deploy').length).toBeGreaterThanOrEqual(5)
    expect(dataOf(steps, 'deploy').length).toBeLessThanOrEqual(120)
    expect(dataOf(steps, 'incident').length).toBeGreaterThanOrEqual(3)
    expect(dataOf(steps, 'incident').length).toBeLessThanOrEqual(60)
  })
})

test('deploys name a service, a version and who deployed, with versions going up', () => {
  const deploys = dataOf(simulate(1, 3 * 3600), 'deploy')
  const latest = new Map<string, number[]>()
  for (const deploy of deploys) {
    expect(Object.keys(deploy).sort()).toEqual(['by', 'service', 'version'])
    expect(deploy.service).toMatch(/^[a-z]+$/)
    expect(deploy.by).toMatch(/^[a-z]+$/)
    expect(deploy.version).toMatch(/^\d+\.\d+\.\d+$/)
    const version = deploy.version.split('.').map(Number)
    const previous = latest.get(deploy.service)
    if (previous !== undefined) expect(compareVersions(version, previous)).toBeGreaterThan(0)
    latest.set(deploy.service, version)
  }
  expect(deploys.some((deploy) => deploy.by === 'ci')).toBe(true)
})

test('incidents carry a severity and a title', () => {
  const incidents = dataOf(simulate(1, 3 * 3600), 'incident')
  expect(incidents.length).toBeGreaterThan(0)
  for (const incident of incidents) {
    expect(Object.keys(incident).sort()).toEqual(['severity', 'title'])
    expect(['info', 'warning', 'critical']).toContain(incident.severity)
    expect(incident.title.length).toBeGreaterThan(0)
  }
})

test('the same random numbers give the same data', () => {
  expect(simulate(7, 300)).toEqual(simulate(7, 300))
})

test('a long step (a late timer) still gives plausible metrics', () => {
  const simulation = createDemoSimulation(seeded(3))
  for (const elapsedMs of [0, 60_000, 3_600_000]) {
    const [metrics] = simulation.step(elapsedMs)
    expect(metrics?.event).toBe('metrics')
    if (metrics?.event !== 'metrics') continue
    expect(metrics.data.cpu).toBeGreaterThan(0)
    expect(metrics.data.cpu).toBeLessThan(1)
    expect(metrics.data.latencyMs.p99).toBeGreaterThanOrEqual(metrics.data.latencyMs.p50)
  }
})

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0)
    if (difference !== 0) return difference
  }
  return 0
}
