import type { AlertRule, Comparison, FieldSource, Severity } from '../../../../shared/profile'
import { formatValue } from '../../../../shared/units'

/** A condition rule's numeric threshold as a chart shows it: a labelled horizontal line. */
export interface Threshold {
  readonly ruleId: string
  readonly value: number
  readonly operator: Comparison
  readonly severity: Severity
  /** `CPU above 90 % (warning: > 90 %)`: the value in the panel's unit. */
  readonly label: string
}

/** Comparisons a number can be drawn for. `contains` and `matches` compare text. */
const NUMERIC: ReadonlySet<Comparison> = new Set(['>', '>=', '<', '<=', '==', '!='])

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, critical: 2 }

/** True when a rule on `rule` reads the same values as a series on `source`. */
function sameField(rule: FieldSource, source: FieldSource): boolean {
  // A rule without an event name looks at every event, so it applies to any series of that field;
  // a rule for one event name applies to series of that event (or of every event).
  return (
    rule.feedId === source.feedId &&
    rule.path === source.path &&
    (rule.event === undefined || source.event === undefined || rule.event === source.event)
  )
}

/**
 * The thresholds of enabled condition rules with a numeric value on the same feed and path as any
 * of `sources`, one per rule, most severe first; labels give the value in `unit` (see
 * `src/shared/units.ts`).
 */
export function thresholdsFor(
  sources: readonly FieldSource[],
  rules: readonly AlertRule[],
  unit = '',
  decimals?: number,
): Threshold[] {
  const found: Threshold[] = []
  for (const rule of rules) {
    if (rule.kind !== 'condition' || !rule.enabled || typeof rule.value !== 'number') continue
    if (!NUMERIC.has(rule.operator)) continue
    if (!sources.some((source) => sameField(rule.source, source))) continue
    found.push({
      ruleId: rule.id,
      value: rule.value,
      operator: rule.operator,
      severity: rule.severity,
      label: `${rule.name} (${rule.severity}: ${rule.operator} ${formatValue(rule.value, unit, decimals)})`,
    })
  }
  return found.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity])
}

/** True when `value` meets the threshold's condition (the alert rule would hold). */
export function breaches(value: number, threshold: Threshold): boolean {
  switch (threshold.operator) {
    case '>':
      return value > threshold.value
    case '>=':
      return value >= threshold.value
    case '<':
      return value < threshold.value
    case '<=':
      return value <= threshold.value
    case '==':
      return value === threshold.value
    case '!=':
      return value !== threshold.value
    default:
      return false
  }
}

/** The most severe threshold `value` breaches (thresholds come most severe first), if any. */
export function worstBreach(
  value: number,
  thresholds: readonly Threshold[],
): Threshold | undefined {
  return thresholds.find((threshold) => breaches(value, threshold))
}

/** Words for a comparison, for people: `above`, `at or below`. */
export function comparisonWords(operator: Comparison): string {
  switch (operator) {
    case '>':
      return 'above'
    case '>=':
      return 'at or above'
    case '<':
      return 'below'
    case '<=':
      return 'at or below'
    case '==':
      return 'equal to'
    case '!=':
      return 'not equal to'
    default:
      return operator
  }
}
