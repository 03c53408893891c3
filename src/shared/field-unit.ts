import type { FieldSource, Panel } from './profile'

/** How a field's values read: the unit and decimals of a panel that shows it. */
export interface FieldFormat {
  readonly unit: string
  readonly decimals?: number | undefined
}

/** True when two sources read the same values (a source without an event name reads every event). */
function sameField(a: FieldSource, b: FieldSource): boolean {
  return (
    a.feedId === b.feedId &&
    a.path === b.path &&
    (a.event === undefined || b.event === undefined || a.event === b.event)
  )
}

/**
 * The unit of a field as the profile's panels show it: the first panel with a unit that reads the
 * same feed and path. Rules have no unit of their own; this is how "cpu > 0.9" reads "cpu > 90 %"
 * when the CPU chart is in percent (0.0–1.0). Undefined when no panel gives one.
 */
export function fieldFormat(
  panels: readonly Panel[],
  source: FieldSource,
): FieldFormat | undefined {
  for (const panel of panels) {
    if (panel.unit === '' || panel.unit === 'none') continue
    const sources = panel.kind === 'tile' ? [panel.source] : panel.series
    if (sources.some((each) => sameField(each, source)))
      return { unit: panel.unit, decimals: panel.decimals }
  }
  return undefined
}
