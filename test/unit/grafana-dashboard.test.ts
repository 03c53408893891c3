import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { profileSchema } from '../../src/shared/profile'
import { createFeedwatchMetrics } from '../../src/main/metrics/feedwatch-metrics'

interface Target {
  readonly expr: string
}
interface Dashboard {
  readonly uid: string
  readonly panels: readonly {
    readonly id: number
    readonly title: string
    readonly targets: readonly Target[]
  }[]
  readonly templating: { readonly list: readonly { readonly query: unknown }[] }
}

const dashboard = JSON.parse(
  readFileSync(new URL('../../resources/grafana-dashboard.json', import.meta.url), 'utf8'),
) as Dashboard

/** Every PromQL expression of the dashboard: panel targets and variable queries. */
const expressions = [
  ...dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr)),
  ...dashboard.templating.list.flatMap((variable) =>
    typeof variable.query === 'object' && variable.query !== null && 'query' in variable.query
      ? [String(variable.query.query)]
      : [],
  ),
]

/** The metric names /metrics exposes, from its `# TYPE` lines, with one series of each kind. */
async function exposedMetrics(): Promise<Set<string>> {
  const profile = profileSchema.parse({ version: 1, name: 'Ops' })
  const metrics = createFeedwatchMetrics(() => [
    { profile, feeds: [], panelValues: [], alerts: [], deliveries: [] },
  ])
  const { body } = await metrics.render()
  return new Set([...body.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1] ?? ''))
}

test('the Grafana dashboard reads only metrics that /metrics exposes', async () => {
  const exposed = await exposedMetrics()
  const used = new Set(expressions.flatMap((expr) => expr.match(/\bfeedwatch_[a-z_]+/g) ?? []))
  expect(used.size).toBeGreaterThanOrEqual(10)
  expect([...used].filter((name) => !exposed.has(name))).toEqual([])
})

test('every panel of the Grafana dashboard queries a Feedwatch metric', () => {
  for (const panel of dashboard.panels) {
    expect(panel.targets.length, panel.title).toBeGreaterThan(0)
    for (const { expr } of panel.targets) expect(expr, panel.title).toMatch(/\bfeedwatch_[a-z_]+/)
  }
})

test('the Grafana dashboard has a fixed uid and unique panel ids', () => {
  expect(dashboard.uid).toBe('feedwatch-feeds')
  const ids = dashboard.panels.map((panel) => panel.id)
  expect(new Set(ids).size).toBe(ids.length)
})
