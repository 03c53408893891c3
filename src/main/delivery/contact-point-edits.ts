import type { ContactPoint, Profile, ProfileInput } from '../../shared/profile'
import { upsert } from '../app/profile-edits'

/*
 * Pure edits of a profile's contact points, used by the service's `contacts:*` commands: each takes
 * a profile and returns the next one, which the store then validates and saves.
 */

/**
 * The profile with `point` added or replacing the one with its id. A secret header sent without a
 * value keeps the value stored under its name: the UI never receives secret values, so it sends
 * them back empty unless the person typed a new one.
 */
export function withContactPoint(profile: Profile, point: ContactPoint): ProfileInput {
  const stored = profile.contactPoints.find((existing) => existing.id === point.id)
  const headers = point.headers.map((header) => {
    if (!header.secret || header.value !== '') return header
    const kept = stored?.headers.find(
      (old) => old.secret && old.name.toLowerCase() === header.name.toLowerCase(),
    )
    return kept === undefined ? header : { ...header, value: kept.value }
  })
  return { ...profile, contactPoints: upsert(profile.contactPoints, { ...point, headers }) }
}

/** The profile without contact point `id`, and without it in the rules that picked it. */
export function withoutContactPoint(profile: Profile, id: string): ProfileInput {
  return {
    ...profile,
    contactPoints: profile.contactPoints.filter((point) => point.id !== id),
    rules: profile.rules.map((rule) =>
      Array.isArray(rule.contactPoints)
        ? { ...rule, contactPoints: rule.contactPoints.filter((picked) => picked !== id) }
        : rule,
    ),
  }
}

/** A contact point as the UI may see it: secret header values left out. */
export function redactContactPoint(point: ContactPoint): ContactPoint {
  return {
    ...point,
    headers: point.headers.map((header) => (header.secret ? { ...header, value: '' } : header)),
  }
}
