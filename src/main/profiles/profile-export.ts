import { quoteText } from '../../shared/safe-text'
import type { Header, Profile } from '../../shared/profile'
import type { ProfileNotice } from './profile-notice'
import {
  contactPointOwnerId,
  secretKey,
  type SecretOwner,
  type UnreadableSecret,
} from './secret-cipher'

/**
 * What an exported profile looks like. It is an ordinary profile document (any Feedwatch can import
 * it), with secret header values replaced by `""` and marked `"redacted": true` unless the person
 * asked for them. The marker is for people reading the file; the profile schema drops it on import.
 */

/** A header as it appears in an export. */
interface ExportedHeader {
  readonly name: string
  readonly value: string
  readonly secret: boolean
  readonly redacted?: true
}

/**
 * The JSON text of an export, and notices for secrets that were asked for but could not be decrypted.
 * @param profile - with secrets revealed (as `load` returns it).
 * @param unreadable - the secrets `load` could not decrypt; their values are never exported.
 */
export function exportProfileJson(
  profile: Profile,
  includeSecrets: boolean,
  unreadable: readonly UnreadableSecret[],
): { json: string; notices: ProfileNotice[] } {
  const lost = new Set(unreadable.map((secret) => secretKey(secret.feedId, secret.header)))
  const notices: ProfileNotice[] = []
  const exportHeaders = (
    headers: readonly Header[],
    owner: SecretOwner,
    ownerKind: string,
  ): ExportedHeader[] =>
    headers.map((header): ExportedHeader => {
      if (!header.secret) return header
      const unavailable = lost.has(secretKey(owner.id, header.name))
      if (includeSecrets && !unavailable) return header
      if (includeSecrets) {
        notices.push({
          code: 'secret-left-out',
          message: `The secret header ${quoteText(header.name)} of ${ownerKind} ${quoteText(owner.name)} was exported without its value: it could not be decrypted on this computer.`,
        })
      }
      return { ...header, value: '', redacted: true }
    })
  const doc = {
    ...profile,
    feeds: profile.feeds.map((feed) => ({
      ...feed,
      headers: exportHeaders(feed.headers, feed, 'feed'),
    })),
    contactPoints: profile.contactPoints.map((point) => ({
      ...point,
      headers: exportHeaders(
        point.headers,
        { id: contactPointOwnerId(point.id), name: point.name },
        'contact point',
      ),
    })),
  }
  return { json: `${JSON.stringify(doc, null, 2)}\n`, notices }
}

/** Notices for an imported profile's secret headers that arrived without a value. */
export function emptySecretNotices(profile: Profile): ProfileNotice[] {
  return profile.feeds.flatMap((feed) =>
    feed.headers
      .filter((header) => header.secret && header.value === '')
      .map((header): ProfileNotice => ({
        code: 'secret-left-out',
        message: `The secret header ${quoteText(header.name)} of feed ${quoteText(feed.name)} has no value (exports leave secrets out unless asked); enter it again.`,
      })),
  )
}
