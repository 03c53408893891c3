import type { Feed, Header, Profile } from '../../shared/profile'

/**
 * Encrypts secret header values at rest. The Electron shell passes one backed by `safeStorage` (the
 * OS keychain); the headless server passes none, and values are then stored as typed. Both methods
 * may throw (a locked keychain, data from another computer).
 */
export interface SecretCipher {
  encrypt(plain: string): string
  decrypt(stored: string): string
}

/**
 * Marks a stored value as encrypted: `enc:v1:` + base64 of the UTF-8 of what the cipher returned.
 * Base64 keeps whatever the cipher returns a valid header value (no line breaks or NULs), so a file
 * with sealed values still passes the profile schema.
 */
export const SEALED_PREFIX = 'enc:v1:'

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** Characters a header value may not contain (the profile schema refuses them too). */
const FORBIDDEN_IN_VALUE = /[\r\n\0]/

export function isSealed(value: string): boolean {
  return value.startsWith(SEALED_PREFIX)
}

/**
 * The stored form of a secret value: sealed when there is a cipher, unchanged when there is none.
 * Empty values and values already sealed are left as they are.
 */
export function sealValue(value: string, cipher: SecretCipher | undefined): string {
  if (cipher === undefined || value === '' || isSealed(value)) return value
  return SEALED_PREFIX + Buffer.from(cipher.encrypt(value), 'utf8').toString('base64')
}

/** The plain value of a stored secret, or `undefined` when it is sealed and cannot be opened here. */
export function openValue(stored: string, cipher: SecretCipher | undefined): string | undefined {
  if (!isSealed(stored)) return stored
  const payload = stored.slice(SEALED_PREFIX.length)
  if (cipher === undefined || !BASE64.test(payload)) return undefined
  try {
    const plain = cipher.decrypt(Buffer.from(payload, 'base64').toString('utf8'))
    return typeof plain === 'string' && !FORBIDDEN_IN_VALUE.test(plain) ? plain : undefined
  } catch {
    return undefined
  }
}

/** Identifies a secret header across versions of a profile: the feed's id and the header's name. */
export function secretKey(feedId: string, headerName: string): string {
  return `${feedId}\n${headerName.toLowerCase()}`
}

/**
 * What holds secret headers: a feed, or a contact point (whose id is prefixed, so it never equals a
 * feed's id in {@link secretKey}).
 */
export type SecretOwner = Pick<Feed, 'id' | 'name'>

/** The owner id of a contact point's headers. */
export function contactPointOwnerId(contactPointId: string): string {
  return `contact-point:${contactPointId}`
}

/**
 * A copy of the profile with every secret header's value, of feeds and of contact points, replaced
 * by `replace(header, owner)`.
 */
export function mapSecretHeaders(
  profile: Profile,
  replace: (header: Header, owner: SecretOwner) => string,
): Profile {
  const mapHeaders = (headers: readonly Header[], owner: SecretOwner): Header[] =>
    headers.map((header) => (header.secret ? { ...header, value: replace(header, owner) } : header))
  return {
    ...profile,
    feeds: profile.feeds.map((feed) => ({ ...feed, headers: mapHeaders(feed.headers, feed) })),
    contactPoints: profile.contactPoints.map((point) => ({
      ...point,
      headers: mapHeaders(point.headers, { id: contactPointOwnerId(point.id), name: point.name }),
    })),
  }
}

/** A secret header whose stored value could not be decrypted on this computer. */
export interface UnreadableSecret {
  readonly feedId: string
  readonly feedName: string
  readonly header: string
  /** The sealed value as stored. */
  readonly stored: string
}

/**
 * The profile as people and the engine use it: secret values decrypted. A value that cannot be
 * decrypted becomes `''` and is listed in `unreadable`.
 */
export function revealSecrets(
  stored: Profile,
  cipher: SecretCipher | undefined,
): { profile: Profile; unreadable: UnreadableSecret[] } {
  const unreadable: UnreadableSecret[] = []
  const profile = mapSecretHeaders(stored, (header, feed) => {
    const plain = openValue(header.value, cipher)
    if (plain !== undefined) return plain
    unreadable.push({
      feedId: feed.id,
      feedName: feed.name,
      header: header.name,
      stored: header.value,
    })
    return ''
  })
  return { profile, unreadable }
}

/**
 * The profile as it is written to disk: secret values sealed. `keep` maps {@link secretKey}s to sealed
 * values that could not be decrypted when the profile was loaded: where the profile still has `''`
 * for such a header, the sealed value is written back, so saving on a computer that cannot decrypt a
 * secret never erases it.
 */
export function sealSecrets(
  profile: Profile,
  cipher: SecretCipher | undefined,
  keep: ReadonlyMap<string, string> = new Map(),
): Profile {
  return mapSecretHeaders(profile, (header, feed) => {
    const kept = keep.get(secretKey(feed.id, header.name))
    if (header.value === '' && kept !== undefined) return kept
    return sealValue(header.value, cipher)
  })
}

/** The sealed values of `stored` that this cipher cannot open, keyed for {@link sealSecrets}. */
export function unreadableSecrets(
  stored: Profile,
  cipher: SecretCipher | undefined,
): Map<string, string> {
  return new Map(
    revealSecrets(stored, cipher).unreadable.map((secret) => [
      secretKey(secret.feedId, secret.header),
      secret.stored,
    ]),
  )
}
