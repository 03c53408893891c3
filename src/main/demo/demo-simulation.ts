import type { Severity } from '../../shared/profile'

/**
 * Made-up but plausible monitoring data for the demo feed: one service's CPU, memory, traffic and
 * latency, with now and then a traffic surge (CPU pinned above 90 % for 10 to 25 s) or a slowdown
 * (p99 latency well above 400 ms for 4 to 12 s), deploys, and incidents from an imaginary incident
 * tool. The demo profile's alert rules are tuned to this: each fires every few minutes and resolves.
 *
 * Pure apart from `random`: the server calls {@link DemoSimulation.step} on a timer, tests call it in
 * a loop with a seeded generator and simulate hours in milliseconds.
 */

/** A `metrics` event's data. Fractions are of the whole machine (0.42 is 42 %). */
export interface DemoMetrics {
  readonly cpu: number
  readonly mem: number
  /** Requests per second, a whole number. */
  readonly rps: number
  /** Latency percentiles in whole milliseconds; `p99` is never below `p50`. */
  readonly latencyMs: { readonly p50: number; readonly p99: number }
}

/** A `deploy` event's data: `version` goes up with every deploy of a service. */
export interface DemoDeploy {
  readonly service: string
  readonly version: string
  readonly by: string
}

/** An `incident` event's data. */
export interface DemoIncident {
  readonly severity: Severity
  readonly title: string
}

/** Something that happened during one step, named by the SSE event it becomes. */
export type DemoHappening =
  | { readonly event: 'metrics'; readonly data: DemoMetrics }
  | { readonly event: 'deploy'; readonly data: DemoDeploy }
  | { readonly event: 'incident'; readonly data: DemoIncident }

export interface DemoSimulation {
  /**
   * Advances the simulation by `elapsedMs` and returns what happened: always one `metrics` first,
   * then any `deploy` or `incident`.
   */
  step(elapsedMs: number): DemoHappening[]
}

/** Average time between traffic surges (CPU above 90 %), in seconds. */
const SURGE_MEAN_GAP_S = 180
const SURGE_DURATION_S = { min: 10, max: 25 }
/** Average time between slowdowns (p99 latency above 400 ms), in seconds. */
const SLOWDOWN_MEAN_GAP_S = 240
const SLOWDOWN_DURATION_S = { min: 4, max: 12 }
const DEPLOY_MEAN_GAP_S = 120
/** How often the imaginary incident tool also reports a surge or slowdown that starts. */
const EPISODE_INCIDENT_CHANCE = 0.5
/** Incidents that have nothing to do with a surge or a slowdown. */
const INCIDENT_MEAN_GAP_S = 600

/** Memory creeps up this much per second until a deploy of the service restarts it. */
const MEM_LEAK_PER_S = 0.01 / 60

/** The service whose metrics are simulated; deploying it resets its memory. */
const WATCHED_SERVICE = 'api'

const SERVICES: readonly { readonly name: string; readonly version: string }[] = [
  { name: WATCHED_SERVICE, version: '1.4.2' },
  { name: 'web', version: '2.11.0' },
  { name: 'worker', version: '0.9.7' },
  { name: 'billing', version: '3.2.1' },
]
/** Who deploys by hand when CI does not. */
const PEOPLE = ['maria', 'tom', 'priya']

const SURGE_INCIDENT: DemoIncident = {
  severity: 'warning',
  title: `Traffic surge: requests/s on ${WATCHED_SERVICE} well above normal`,
}
const SLOWDOWN_INCIDENT: DemoIncident = {
  severity: 'critical',
  title: 'Slow queries on orders-db: p99 latency above 400 ms',
}
const OTHER_INCIDENTS: readonly DemoIncident[] = [
  { severity: 'info', title: 'Scheduled maintenance of eu-west-1 starts in 30 minutes' },
  { severity: 'info', title: 'TLS certificate of api.example.com expires in 14 days' },
  { severity: 'warning', title: 'Disk usage on db-2 above 80 %' },
  { severity: 'warning', title: 'Error rate of payments above 1 %' },
  { severity: 'critical', title: 'Replica db-3 is 90 s behind the primary' },
]

interface Episode {
  readonly kind: 'surge' | 'slowdown'
  remainingS: number
}

/**
 * Creates a simulation in its calm state.
 * @param random - uniform numbers in [0, 1). @defaultValue `Math.random`
 */
export function createDemoSimulation(random: () => number = Math.random): DemoSimulation {
  // Each value is pulled towards a target (which an episode moves) and jittered: a mean-reverting
  // random walk, so it wanders without drifting off, and returns once an episode ends.
  let cpuBase = 0.45
  let cpu = cpuBase
  let mem = 0.5
  let rpsBase = 1200
  let rps = rpsBase
  let p50 = 18
  let p99 = 140
  let episode: Episode | undefined
  const versions = new Map(SERVICES.map((service) => [service.name, service.version]))

  /** Standard normal noise (Box–Muller); `1 - random()` keeps the logarithm finite. */
  const gauss = (): number =>
    Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
  /** True with the probability that something happening every `meanGapS` on average happens now. */
  const happens = (meanGapS: number, dtS: number): boolean => random() < Math.min(1, dtS / meanGapS)
  const between = (range: { min: number; max: number }): number =>
    range.min + (range.max - range.min) * random()
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T

  function deploy(): DemoDeploy {
    const service = pick(SERVICES).name
    const [major = 0, minor = 0, patch = 0] = (versions.get(service) ?? '0.0.0')
      .split('.')
      .map(Number)
    const version = random() < 0.1 ? `${major}.${minor + 1}.0` : `${major}.${minor}.${patch + 1}`
    versions.set(service, version)
    // A restart frees what the service had leaked.
    if (service === WATCHED_SERVICE) mem = 0.45 + 0.08 * random()
    return { service, version, by: random() < 0.85 ? 'ci' : pick(PEOPLE) }
  }

  return {
    step(elapsedMs) {
      const dtS = Math.max(0, elapsedMs) / 1000
      const sqrtDt = Math.sqrt(dtS)
      /** Moves `value` towards `target`, covering 63 % of the distance in `tauS` seconds. */
      const pull = (value: number, target: number, tauS: number): number =>
        value + (target - value) * (1 - Math.exp(-dtS / tauS))
      const extras: DemoHappening[] = []

      if (episode !== undefined) {
        episode.remainingS -= dtS
        if (episode.remainingS <= 0) episode = undefined
      } else if (happens(SURGE_MEAN_GAP_S, dtS)) {
        episode = { kind: 'surge', remainingS: between(SURGE_DURATION_S) }
        if (random() < EPISODE_INCIDENT_CHANCE)
          extras.push({ event: 'incident', data: SURGE_INCIDENT })
      } else if (happens(SLOWDOWN_MEAN_GAP_S, dtS)) {
        episode = { kind: 'slowdown', remainingS: between(SLOWDOWN_DURATION_S) }
        if (random() < EPISODE_INCIDENT_CHANCE) {
          extras.push({ event: 'incident', data: SLOWDOWN_INCIDENT })
        }
      }
      const surge = episode?.kind === 'surge'
      const slowdown = episode?.kind === 'slowdown'

      cpuBase = clamp(cpuBase + 0.01 * sqrtDt * gauss(), 0.3, 0.6)
      // A busy CPU is pinned: its jitter shrinks as it nears 100 %, so a surge stays above 90 %.
      const cpuJitter = 0.04 * Math.min(1, 2 * (1 - cpu))
      cpu = clamp(pull(cpu, surge ? 0.96 : cpuBase, 1.5) + cpuJitter * sqrtDt * gauss(), 0.01, 0.99)

      mem = clamp(mem + MEM_LEAK_PER_S * dtS + 0.003 * sqrtDt * gauss(), 0.2, 0.95)

      rpsBase = clamp(rpsBase + 20 * sqrtDt * gauss(), 900, 1500)
      rps = Math.max(0, pull(rps, surge ? rpsBase * 1.7 : rpsBase, 2) + 40 * sqrtDt * gauss())

      const p50Target = slowdown ? 55 : surge ? 28 : 18
      const p99Target = slowdown ? 650 : surge ? 260 : 140
      p50 = Math.max(1, pull(p50, p50Target, 1) + 2 * sqrtDt * gauss())
      // Tail latency jitters in proportion to its size.
      p99 = clamp(pull(p99, p99Target, 0.8) * Math.exp(0.08 * sqrtDt * gauss()), 1, 5000)

      if (happens(DEPLOY_MEAN_GAP_S, dtS)) extras.push({ event: 'deploy', data: deploy() })
      if (happens(INCIDENT_MEAN_GAP_S, dtS)) {
        extras.push({ event: 'incident', data: pick(OTHER_INCIDENTS) })
      }

      const p50Ms = Math.round(p50)
      const metrics: DemoMetrics = {
        cpu: round2(cpu),
        mem: round2(mem),
        rps: Math.round(rps),
        latencyMs: { p50: p50Ms, p99: Math.max(p50Ms, Math.round(p99)) },
      }
      return [{ event: 'metrics', data: metrics }, ...extras]
    },
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}

function round2(value: number): number {
  return Math.round(value * 100) / 100
}
