import type { AlertPreview, PreviewFiring } from '../../shared/alerts'
import { parseEventData } from '../../shared/field-path'
import type { FeedEvent } from '../../shared/feed-event'
import type { AlertRule } from '../../shared/profile'
import { compileRule } from './compiled-rule'
import { DEFAULT_STABLE_CONNECTION_MS } from './feed-liveness'
import { createTracker } from './rule-tracker'

/**
 * How many times, and when, `rule` would have fired over `events` (one feed's buffered events, oldest
 * first), for "would have fired 3 times in the last 10 minutes". It runs the live state machine with
 * each event's `receivedAt` as the clock, then lets time run on to `now` (so a condition still
 * holding, or a quiet stretch at the end, counts). Pending periods and recovery thresholds apply; repeats,
 * silences and acknowledgements do not (they change notices, not firing). `enabled` is ignored.
 *
 * The clock starts at the first event: for a no-data rule the buffer's start stands in for "the feed
 * opened", and `count`, `sum` and `rate` windows (and event-count rules) are judged from one whole
 * window after it, as the live engine judges them one whole window after the rule was set. Feed-down rules depend on connection states, which events do not carry: `supported` is
 * false. Throws `AlertRuleError` for a rule `setRules` would refuse.
 */
export function previewRule(
  rule: AlertRule,
  events: readonly FeedEvent[],
  now: number,
): AlertPreview {
  const compiled = compileRule(rule)
  const from = events[0]?.receivedAt ?? null
  if (compiled.kind === 'feed-down') return { supported: false, firings: [], from, to: now }
  const firings: PreviewFiring[] = []
  const tracker = createTracker(compiled, {
    listener: ({ to, at }) => {
      if (to === 'firing') firings.push({ at, value: tracker.lastValue })
    },
    // A value too long to test is reported by the live engine; the preview just does not count it.
    onProblem: () => undefined,
    stableMs: DEFAULT_STABLE_CONNECTION_MS,
  })
  let at = from ?? now
  tracker.begin(at, undefined)
  for (const event of events) {
    // Buffers are in arrival order; a clock step back (NTP) must not run the trackers backwards.
    at = Math.max(at, event.receivedAt)
    tracker.onEvent(event, () => parseEventData(event.data), at)
  }
  tracker.advance(Math.max(at, now))
  return { supported: true, firings, from, to: now }
}
