import type { RouteLocationNormalizedLoaded } from 'vue-router'

/** The profile a wall address names (`#/wall/Ops`), or undefined for `#/wall` and every other route. */
export function wallProfileOf(route: RouteLocationNormalizedLoaded): string | undefined {
  if (route.name !== 'wall') return undefined
  const param = route.params['profile']
  const text = Array.isArray(param) ? param[0] : param
  return text === undefined || text === '' ? undefined : text
}
