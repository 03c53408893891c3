import { AlertEngine, type AlertEngineOptions } from '../../src/main/alerts/alert-engine'
import type { AlertNotice } from '../../src/shared/alerts'
import type { FeedEvent } from '../../src/shared/feed-event'
import type { ConditionRule } from '../../src/shared/profile'

const engines: AlertEngine[] = []

/** An engine with a 10 ms tick whose notices are recorded; {@link disposeEngines} stops it. */
export function recordingEngine(options: Partial<AlertEngineOptions> = {}) {
  const notices: AlertNotice[] = []
  const engine = new AlertEngine({
    notifier: { notify: (n) => notices.push(n) },
    tickMs: 10,
    ...options,
  })
  engines.push(engine)
  return { engine, notices, kinds: () => notices.map((notice) => notice.kind) }
}

/** Stops every engine {@link recordingEngine} made; for `afterEach`. */
export function disposeEngines(): void {
  for (const engine of engines.splice(0)) engine.dispose()
}

/** "CPU high": `cpu > 90` on feed `api`, critical, firing at once unless told otherwise. */
export function cpuHigh(overrides: Partial<ConditionRule> = {}): ConditionRule {
  return {
    id: 'cpu-high',
    name: 'CPU high',
    enabled: true,
    severity: 'critical',
    repeatIntervalSeconds: 0,
    kind: 'condition',
    source: { feedId: 'api', path: 'cpu' },
    operator: '>',
    value: 90,
    pendingSeconds: 0,
    ...overrides,
  }
}

let seq = 0
/** An event received now whose data is `data` as JSON (or as is, when a string). */
export function jsonEvent(data: unknown, name = 'message'): FeedEvent {
  return {
    event: name,
    id: '',
    data: typeof data === 'string' ? data : JSON.stringify(data),
    receivedAt: Date.now(),
    seq: ++seq,
  }
}
