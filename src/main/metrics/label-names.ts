/**
 * Label values made from names people chose (feeds, panels, rules). Names are what a Grafana legend
 * or an Alertmanager route should show, but they need not be unique: a name that appears more than
 * once gets its id appended, `API (feed-3f9a1c2b)`, so two feeds never share one series.
 */
export function uniqueLabels<T extends { readonly id: string }>(
  items: readonly T[],
  name: (item: T) => string,
): Map<string, string> {
  const counts = new Map<string, number>()
  for (const item of items) counts.set(name(item), (counts.get(name(item)) ?? 0) + 1)
  return new Map(
    items.map((item) => {
      const label = name(item)
      return [item.id, (counts.get(label) ?? 0) > 1 ? `${label} (${item.id})` : label]
    }),
  )
}
