import type { ContactPoint, Profile, ProfileInput } from '../../shared/profile'
import { upsert } from '../app/profile-edits'
import { withStoredSecrets } from '../profiles/secret-redaction'

/*
 * Pure edits of a profile's contact points, used by the service's `contacts:*` commands: each takes
 * a profile and returns the next one, which the store then validates and saves.
 */

/**
 * The profile with `point` added or replacing the one with its id. A secret header sent without a
 * value keeps the stored one while the contact point stays on the same origin, as feeds do (see
 * {@link withStoredSecrets}): replies never carry secret values, so a form sends them back empty.
 */
export function withContactPoint(profile: Profile, point: ContactPoint): ProfileInput {
  const stored = profile.contactPoints.find((existing) => existing.id === point.id)
  return {
    ...profile,
    contactPoints: upsert(profile.contactPoints, withStoredSecrets(point, stored)),
  }
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
