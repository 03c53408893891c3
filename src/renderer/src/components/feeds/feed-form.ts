import type { CommandRequest, ShownFeed } from '../../../../shared/api'
import { UNLIMITED } from '../../../../shared/connection'
import { storedSecretApplies } from '../../../../shared/stored-secret'

/**
 * The add/edit feed form as plain data, and the pure steps around it: from a feed to the form, from
 * the form to a draft the engine validates, and from the engine's `path: message` issues back to the
 * field each concerns. Kept out of the component so the rules read in one place.
 */

/** The engine's defaults, shown as placeholders (README, "Reconnect policy"). */
export const RECONNECT_DEFAULTS = {
  reconnectDelay: 1000,
  maxReconnectAttempts: 5,
  maxReconnectDelay: 30_000,
  staleTimeout: 45_000,
} as const

/** Methods offered in the form; the schema accepts any token, these are the ones SSE servers use. */
export const METHODS = ['GET', 'POST', 'PUT', 'PATCH'] as const

export interface HeaderRow {
  /** Stable key for the list while rows are added and removed. */
  readonly key: number
  name: string
  /** For a stored secret, empty until the person types a new value: the form never sees it. */
  value: string
  secret: boolean
  /** The name a secret value is stored under, when the feed has one; the value is never sent here. */
  readonly storedName?: string
  /** The person chose to type a new value instead of keeping the stored secret. */
  replacing: boolean
}

export interface FeedForm {
  name: string
  url: string
  method: string
  headers: HeaderRow[]
  body: string
  /** Event names separated by commas or spaces; empty keeps every event. */
  eventFilter: string
  autoReconnect: boolean
  /**
   * Number fields as the inputs hold them: `v-model` on a number input gives a number, or the text
   * when it is empty. Empty means "the engine's default".
   */
  reconnectDelay: string | number
  maxReconnectAttempts: string | number
  unlimitedAttempts: boolean
  maxReconnectDelay: string | number
  staleTimeout: string | number
}

/** Where a problem is shown: a field of the form, a header cell (`headers.0.name`), or the form. */
export type FieldKey =
  | 'name'
  | 'url'
  | 'method'
  | 'body'
  | 'eventFilter'
  | 'reconnectDelay'
  | 'maxReconnectAttempts'
  | 'maxReconnectDelay'
  | 'staleTimeout'
  | `headers.${number}.name`
  | `headers.${number}.value`
  | 'form'

export type FieldErrors = Partial<Record<FieldKey, string>>

let nextRowKey = 1

export function headerRow(name = '', value = '', secret = false, storedName?: string): HeaderRow {
  return {
    key: nextRowKey++,
    name,
    value,
    secret,
    replacing: false,
    ...(storedName === undefined ? {} : { storedName }),
  }
}

/**
 * Whether the row shows "•••• set — replace" instead of a value field: a stored secret that saving
 * (or testing) keeps because the form sends it back empty. Not once the person chose to replace it,
 * renamed the header, unticked Secret, or pointed the feed at another origin (main then keeps no
 * stored secret: it must be typed again).
 */
export function keepsStoredSecret(
  row: HeaderRow,
  url: string,
  base?: Pick<ShownFeed, 'url'>,
): boolean {
  return (
    row.secret &&
    !row.replacing &&
    row.value === '' &&
    row.storedName !== undefined &&
    row.name.trim().toLowerCase() === row.storedName.toLowerCase() &&
    base !== undefined &&
    storedSecretApplies(url.trim(), base.url)
  )
}

/** Whether the feed has stored secrets that its new URL, on another origin, would not get. */
export function secretsLeftBehind(form: FeedForm, base?: ShownFeed): boolean {
  return (
    base !== undefined &&
    form.headers.some((row) => row.storedName !== undefined) &&
    !storedSecretApplies(form.url.trim(), base.url)
  )
}

const text = (value: number | undefined): string => (value === undefined ? '' : String(value))

/** The form for a new feed, or filled in from an existing one. */
export function formFromFeed(feed?: ShownFeed): FeedForm {
  return {
    name: feed?.name ?? '',
    url: feed?.url ?? '',
    method: feed?.method ?? 'GET',
    headers: (feed?.headers ?? []).map((header) =>
      headerRow(
        header.name,
        header.value,
        header.secret,
        header.secret && header.valueSet === true ? header.name : undefined,
      ),
    ),
    body: feed?.body ?? '',
    eventFilter: (feed?.eventFilter ?? []).join(', '),
    autoReconnect: feed?.autoReconnect ?? true,
    reconnectDelay: text(feed?.reconnectDelay),
    maxReconnectAttempts:
      typeof feed?.maxReconnectAttempts === 'number' ? String(feed.maxReconnectAttempts) : '',
    unlimitedAttempts: feed?.maxReconnectAttempts === UNLIMITED,
    maxReconnectDelay: text(feed?.maxReconnectDelay),
    staleTimeout: text(feed?.staleTimeout),
  }
}

/** Whether a method sends the body (GET and HEAD cannot). */
export function methodTakesBody(method: string): boolean {
  const upper = method.trim().toUpperCase()
  return upper !== 'GET' && upper !== 'HEAD'
}

/** What is wrong with a URL as typed, in words a person can act on; undefined when it is usable. */
export function urlProblem(value: string): string | undefined {
  const trimmed = value.trim()
  if (trimmed === '') return 'Enter the URL of the event stream.'
  let url: URL
  try {
    url = new URL(trimmed)
  } catch {
    return 'Enter a complete URL, such as https://example.com/events.'
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `Only http:// and https:// URLs can be watched (this one is ${url.protocol}).`
  }
  if (url.hostname === '') return 'The URL needs a host name.'
  return undefined
}

/** A whole number of milliseconds (or attempts) as typed; undefined when empty. */
function wholeNumber(
  value: string | number,
  field: FieldKey,
  errors: FieldErrors,
  label: string,
): number | undefined {
  const trimmed = String(value).trim()
  if (trimmed === '') return undefined
  if (!/^\d+$/.test(trimmed)) {
    errors[field] = `${label} must be a whole number, 0 or more.`
    return undefined
  }
  return Number(trimmed)
}

/** Fields the form edits; everything else of an edited feed (CA, buffer size, demo…) is kept. */
const EDITED = [
  'name',
  'url',
  'method',
  'headers',
  'body',
  'eventFilter',
  'autoReconnect',
  'reconnectDelay',
  'maxReconnectAttempts',
  'maxReconnectDelay',
  'staleTimeout',
] as const

/**
 * The draft to send (`feeds:add`, `feeds:update`, `feeds:test`), with the problems the form can see
 * itself. Empty optional fields are left out, so the engine's defaults apply.
 */
export function draftFromForm(
  form: FeedForm,
  base?: ShownFeed,
): { draft: CommandRequest<'feeds:add'>; errors: FieldErrors } {
  const errors: FieldErrors = {}
  const kept: Record<string, unknown> = { ...base }
  for (const key of EDITED) delete kept[key]
  const method = form.method.trim().toUpperCase() || 'GET'
  const urlError = urlProblem(form.url)
  if (urlError !== undefined) errors.url = urlError
  if (form.name.trim() === '') errors.name = 'Give the feed a name.'
  const headers = form.headers
    .filter((row) => row.name.trim() !== '' || row.value !== '')
    .map((row) => ({ name: row.name.trim(), value: row.value, secret: row.secret }))
  form.headers.forEach((row, index) => {
    if (row.name.trim() === '' && row.value !== '')
      errors[`headers.${index}.name`] = 'Enter the header name.'
  })
  const eventFilter = form.eventFilter
    .split(/[\s,]+/)
    .map((name) => name.trim())
    .filter((name) => name !== '')
  const reconnectDelay = wholeNumber(
    form.reconnectDelay,
    'reconnectDelay',
    errors,
    'Reconnect delay',
  )
  const attempts = form.unlimitedAttempts
    ? UNLIMITED
    : wholeNumber(form.maxReconnectAttempts, 'maxReconnectAttempts', errors, 'Attempts')
  const maxReconnectDelay = wholeNumber(
    form.maxReconnectDelay,
    'maxReconnectDelay',
    errors,
    'Longest delay',
  )
  const staleTimeout = wholeNumber(form.staleTimeout, 'staleTimeout', errors, 'Stale timeout')
  const draft = {
    ...kept,
    name: form.name.trim(),
    url: form.url.trim(),
    method,
    headers,
    eventFilter,
    ...(methodTakesBody(method) && form.body !== '' ? { body: form.body } : {}),
    ...(form.autoReconnect ? {} : { autoReconnect: false }),
    ...(reconnectDelay === undefined ? {} : { reconnectDelay }),
    ...(attempts === undefined ? {} : { maxReconnectAttempts: attempts }),
    ...(maxReconnectDelay === undefined ? {} : { maxReconnectDelay }),
    ...(staleTimeout === undefined ? {} : { staleTimeout }),
  } as CommandRequest<'feeds:add'>
  return { draft, errors }
}

const TOP_LEVEL_FIELDS = new Set<FieldKey>([
  'name',
  'url',
  'method',
  'body',
  'eventFilter',
  'reconnectDelay',
  'maxReconnectAttempts',
  'maxReconnectDelay',
  'staleTimeout',
])

/**
 * Puts the engine's issues next to their fields. An issue reads `url: must be an http(s) URL`, or
 * `feeds[2].headers[0].name: …` when it came from saving the whole profile; a header's value is
 * named by the header, `headers["X-Api-Key"]: …`, and lands on the row of that name. What matches no
 * field of the form (the id, the CA…) is shown for the form as a whole, path included.
 */
export function errorsFromIssues(
  issues: readonly string[],
  fallback: string,
  headerNames: readonly string[] = [],
): FieldErrors {
  const errors: FieldErrors = {}
  const general: string[] = []
  const add = (field: FieldKey, message: string): void => {
    errors[field] = errors[field] === undefined ? message : `${errors[field]} ${message}`
  }
  for (const issue of issues) {
    const byName = /^(?:feeds\[\d+\]\.)?headers\[("(?:[^"\\]|\\.)*")\]: (.*)$/s.exec(issue)
    const row = byName === null ? -1 : headerNames.indexOf(String(JSON.parse(byName[1] ?? '""')))
    if (byName !== null && row >= 0) {
      const message = byName[2] ?? ''
      add(`headers.${row}.value`, `The value ${message}.`)
      continue
    }
    const match = /^(?:feeds\[\d+\]\.)?([A-Za-z]+)(?:\[(\d+)\])?(?:\.([A-Za-z]+))?: (.*)$/s.exec(
      issue,
    )
    if (match === null) {
      general.push(issue)
      continue
    }
    const [, field = '', index, part, message = ''] = match
    const sentence = message.charAt(0).toUpperCase() + message.slice(1)
    if (field === 'headers' && index !== undefined) {
      add(
        part === 'value' ? `headers.${Number(index)}.value` : `headers.${Number(index)}.name`,
        sentence,
      )
    } else if (TOP_LEVEL_FIELDS.has(field as FieldKey)) {
      add(field as FieldKey, sentence)
    } else {
      general.push(issue)
    }
  }
  if (general.length > 0) errors.form = general.join('\n')
  else if (Object.keys(errors).length === 0) errors.form = fallback
  return errors
}
