/**
 * When a secret header value stored for a feed is kept although the form sent it back empty (the
 * form never receives secret values): only while the feed points at the same origin (scheme, host,
 * port) as when the secret was entered. Whoever may edit a feed must not be able to send its secret
 * to a server of their choosing without knowing it: the rule browsers apply to credentials on a
 * cross-origin redirect. Main applies it on save and test; the feed form uses it to show which
 * secrets will be kept.
 */
export function storedSecretApplies(nextUrl: string, storedUrl: string): boolean {
  try {
    return new URL(nextUrl).origin === new URL(storedUrl).origin
  } catch {
    return false
  }
}
