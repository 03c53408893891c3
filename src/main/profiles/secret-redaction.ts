import type { ShownHeader } from '../../shared/api'
import type { Feed, Header } from '../../shared/profile'
import { storedSecretApplies } from '../../shared/stored-secret'

/**
 * Secret header values stay in the main process. Every reply and push shows a secret header with
 * the value `""` and `valueSet` saying whether one is stored; a form sends a secret back empty
 * unless the person typed a new one, and the stored value is then kept. Only the desktop app's own
 * export, in the main process, ever writes them out (`FeedwatchService.exportProfileWithSecrets`).
 *
 * A stored secret is kept only while the feed's URL stays on the same origin
 * ({@link storedSecretApplies}).
 */

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

function isSecretHeader(value: Record<string, unknown>): value is Header & { secret: true } {
  return value.secret === true && typeof value.name === 'string' && typeof value.value === 'string'
}

/**
 * `value` with every secret header in it, at any depth, shown as `{ …, value: "", valueSet }`. Parts
 * without secret headers are returned as they are, not copied, so a large reply costs one walk.
 */
export function hideSecretValues<T>(value: T): T {
  return hide(value) as T
}

function hide(value: unknown): unknown {
  if (!isObject(value)) return value
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined
    value.forEach((item, index) => {
      const shown = hide(item)
      if (shown !== item) (copy ??= [...value])[index] = shown
    })
    return copy ?? value
  }
  if (isSecretHeader(value)) {
    const shown: ShownHeader = { ...value, value: '', valueSet: value.value !== '' }
    return shown
  }
  let copy: Record<string, unknown> | undefined
  for (const [key, item] of Object.entries(value)) {
    const shown = hide(item)
    if (shown !== item) (copy ??= { ...value })[key] = shown
  }
  return copy ?? value
}

/**
 * `next` (a feed as a form sent it) with each secret header that came without a value given the
 * value `stored` has for a secret header of that name, if the feed still points at the same origin.
 * A new value, a header no longer secret, or a feed moved to another origin keeps what was sent.
 */
export function withStoredSecrets<F extends Pick<Feed, 'url'> & { headers?: Header[] }>(
  next: F,
  stored: Pick<Feed, 'url' | 'headers'> | undefined,
): F {
  if (
    stored === undefined ||
    next.headers === undefined ||
    !storedSecretApplies(next.url, stored.url)
  )
    return next
  const headers = next.headers.map((header) => {
    if (!header.secret || header.value !== '') return header
    const kept = stored.headers.find(
      (old) => old.secret && old.name.toLowerCase() === header.name.toLowerCase(),
    )
    return kept === undefined ? header : { ...header, value: kept.value }
  })
  return { ...next, headers }
}

/** Pushes that carry only events and connection states, many times a second: never a header. */
const HEADERLESS_PUSHES: ReadonlySet<string> = new Set(['events:batch', 'feeds:state'])

/** `message` as it may leave the main process: see {@link hideSecretValues}. */
export function hideSecretsInPush<M extends { readonly type: string }>(message: M): M {
  return HEADERLESS_PUSHES.has(message.type) ? message : hideSecretValues(message)
}

/**
 * `handlers` with every reply passed through {@link hideSecretValues}, but for the commands in
 * `headerless`, whose replies are large and never hold a header (event queries).
 */
export function hideSecretsInReplies<H extends Record<string, (request: never) => unknown>>(
  handlers: H,
  headerless: readonly (keyof H)[],
): H {
  const wrapped: Record<string, (request: never) => unknown> = {}
  for (const [name, handler] of Object.entries(handlers)) {
    wrapped[name] = headerless.includes(name)
      ? handler
      : (request) => {
          const reply = handler(request)
          return reply instanceof Promise ? reply.then(hideSecretValues) : hideSecretValues(reply)
        }
  }
  // The same keys, each with the same signature: only the values inside the replies changed.
  return wrapped as H
}
