import { readFileSync } from 'node:fs'
import type { ParseArgsConfig } from 'node:util'
import { UNLIMITED, type AttemptLimit, type ConnectionOptions } from '../../shared/connection'
import { headerNameProblem, headerValueProblem } from '../../shared/http-header'
import { firstLine, parseStrictArgs } from './strict-args'
import { UsageError } from './usage-error'

/** What `feedwatch tail` was asked to do. */
export interface TailOptions {
  /** Handed to the engine unchanged. */
  readonly connection: ConnectionOptions
  /** Print only events with one of these names; empty prints every event. */
  readonly events: readonly string[]
  /** Stop after printing this many events; undefined runs until the feed closes or fails. */
  readonly maxEvents: number | undefined
}

/** The result of parsing: either a request for help or the options to run with. */
export type TailCommandLine = { readonly help: true } | ({ readonly help: false } & TailOptions)

/** Where the parser gets file contents (`-d @file`, `--ca FILE`); tests pass a map. */
export interface TailOptionsDeps {
  /**
   * Reads a whole file as UTF-8 text; throws (with a Node `code` such as `ENOENT`) when it cannot.
   * @defaultValue `fs.readFileSync(path, 'utf8')`
   */
  readonly readTextFile?: (path: string) => string
}

/** Shown by `feedwatch tail --help` and `feedwatch help tail`. */
export const TAIL_USAGE = `Usage: feedwatch tail [options] URL

Connects to one Server-Sent Events feed and prints one JSON object per line on stdout:
state lines {"type":"state",...} and event lines {"type":"event",...}. No line is ever
dropped: while stdout is full (a slower program reading the pipe), the feed is not read.

Options:
  -H, --header "Name: value"            extra request header (repeatable)
  -X, --method METHOD                   HTTP method (default GET, or POST when --data is given)
  -d, --data BODY                       request body; @file reads it from a file
      --last-event-id ID                resume after this event ID (sent as Last-Event-ID)
      --no-reconnect                    do not reconnect; a stream that ends is closed
      --reconnect-delay MS              base reconnect delay (default 1000)
      --max-reconnect-attempts N|unlimited
                                        reconnect attempts in a row before giving up (default 5)
      --max-reconnect-delay MS          cap on the backoff before jitter (default 30000)
      --stale-timeout MS                reconnect when nothing arrives for this long
                                        (default 45000, 0 disables)
      --event NAME                      print only events of this name (repeatable)
      --max-events N                    exit after N events
      --insecure                        accept any TLS certificate
      --ca FILE                         also trust the PEM certificate authorities in FILE
  -h, --help                            show this help

Exit status: 0 when the feed is closed (204, the stream ended with --no-reconnect, --max-events
reached, SIGINT or SIGTERM), 1 when it failed, 2 for a usage error.
`

const OPTIONS = {
  header: { type: 'string', short: 'H', multiple: true },
  method: { type: 'string', short: 'X' },
  data: { type: 'string', short: 'd' },
  'last-event-id': { type: 'string' },
  // Its own option rather than a negation of `reconnect`: parseArgs in Node 20 has no allowNegative.
  'no-reconnect': { type: 'boolean' },
  'reconnect-delay': { type: 'string' },
  'max-reconnect-attempts': { type: 'string' },
  'max-reconnect-delay': { type: 'string' },
  'stale-timeout': { type: 'string' },
  event: { type: 'string', multiple: true },
  'max-events': { type: 'string' },
  insecure: { type: 'boolean' },
  ca: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>

/**
 * Node's timers fire at once (with a warning) for delays above 2^31 − 1 ms, so a longer delay would
 * turn a patient setting into a tight loop. Refuse it here, where the user can still fix it.
 */
const MAX_TIMER_MS = 2 ** 31 - 1

/** An HTTP token (RFC 9110 §5.6.2): what methods are made of. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/**
 * Parses `feedwatch tail`'s arguments (everything after `tail`).
 * @throws {@link UsageError} for any input the user has to fix.
 */
export function parseTailArgs(
  argv: readonly string[],
  deps: TailOptionsDeps = {},
): TailCommandLine {
  const readTextFile = deps.readTextFile ?? ((path: string) => readFileSync(path, 'utf8'))
  const { values, positionals } = parseStrictArgs(argv, OPTIONS, true)
  if (values.help === true) return { help: true }

  const url = parseUrl(positionals)
  const headers = parseHeaders(values.header ?? [])
  const body = values.data === undefined ? undefined : readData(values.data, readTextFile)
  const method = parseMethod(values.method, body !== undefined)
  const lastEventId = values['last-event-id']
  const lastEventIdProblem = lastEventId === undefined ? undefined : headerValueProblem(lastEventId)
  if (lastEventIdProblem !== undefined) {
    throw new UsageError(
      `--last-event-id: ${lastEventIdProblem}, so it cannot be sent as Last-Event-ID`,
    )
  }
  const ca = values.ca === undefined ? undefined : readCa(values.ca, readTextFile)

  const connection: ConnectionOptions = {
    url,
    ...(method !== undefined && { method }),
    ...(headers !== undefined && { headers }),
    ...(body !== undefined && { body }),
    ...(lastEventId !== undefined && { lastEventId }),
    ...(values['no-reconnect'] === true && { autoReconnect: false }),
    ...optionalNumber('reconnectDelay', '--reconnect-delay', values['reconnect-delay']),
    ...optionalNumber('maxReconnectDelay', '--max-reconnect-delay', values['max-reconnect-delay']),
    ...optionalNumber('staleTimeout', '--stale-timeout', values['stale-timeout']),
    ...(values['max-reconnect-attempts'] !== undefined && {
      maxReconnectAttempts: parseAttemptLimit(values['max-reconnect-attempts']),
    }),
    ...(values.insecure === true && { insecure: true }),
    ...(ca !== undefined && { ca }),
  }

  const events = values.event ?? []
  if (events.some((name) => name === '')) throw new UsageError('--event: expected an event name')
  const maxEvents =
    values['max-events'] === undefined ? undefined : parseMaxEvents(values['max-events'])

  return { help: false, connection, events, maxEvents }
}

function parseUrl(positionals: readonly string[]): string {
  const [raw, extra] = positionals
  if (raw === undefined) throw new UsageError('URL: missing the feed URL')
  if (extra !== undefined)
    throw new UsageError(`unexpected argument ${JSON.stringify(extra)} after the URL`)
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new UsageError(`URL: expected an absolute http or https URL, got ${JSON.stringify(raw)}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`URL: expected an http or https URL, got ${JSON.stringify(raw)}`)
  }
  return raw
}

/**
 * `-H "Name: value"`, curl style: the name ends at the first colon and whitespace around the value
 * is dropped. A name given twice (in any case) is sent once with its values joined by ", ", which is
 * how HTTP combines repeated fields; the first spelling of the name is kept.
 */
function parseHeaders(raw: readonly string[]): Record<string, string> | undefined {
  if (raw.length === 0) return undefined
  const headers: Record<string, string> = {}
  const spelling = new Map<string, string>()
  for (const line of raw) {
    const colon = line.indexOf(':')
    if (colon === -1) {
      throw new UsageError(
        `--header: expected "Name: value", got ${JSON.stringify(line)} (no colon)`,
      )
    }
    const name = line.slice(0, colon).trim()
    const value = line.slice(colon + 1).trim()
    // JSON quoting shows a control character in the name as an escape, never raw on the terminal.
    const nameProblem = headerNameProblem(name)
    if (nameProblem !== undefined)
      throw new UsageError(`--header: ${JSON.stringify(name)}: ${nameProblem}`)
    const valueProblem = headerValueProblem(value)
    if (valueProblem !== undefined)
      throw new UsageError(`--header "${name}": the value ${valueProblem}`)
    const key = spelling.get(name.toLowerCase()) ?? name
    spelling.set(name.toLowerCase(), key)
    const previous = headers[key]
    headers[key] = previous === undefined ? value : `${previous}, ${value}`
  }
  return headers
}

/** `-X`; without it, `-d` means POST (as in curl) and no body means the engine's default, GET. */
function parseMethod(raw: string | undefined, hasBody: boolean): string | undefined {
  if (raw === undefined) return hasBody ? 'POST' : undefined
  if (!TOKEN.test(raw))
    throw new UsageError(`--method: ${JSON.stringify(raw)} is not a valid HTTP method`)
  const upper = raw.toUpperCase()
  if (hasBody && (upper === 'GET' || upper === 'HEAD')) {
    throw new UsageError(`--data: a ${upper} request cannot have a body`)
  }
  return raw
}

/** `-d BODY` or `-d @file`. The file is sent as read (curl's -d would strip its newlines). */
function readData(raw: string, readTextFile: (path: string) => string): string {
  if (!raw.startsWith('@')) return raw
  const path = raw.slice(1)
  if (path === '') throw new UsageError('--data: expected a file name after "@"')
  return readFileFor('--data', path, readTextFile)
}

function readCa(path: string, readTextFile: (path: string) => string): string {
  const pem = readFileFor('--ca', path, readTextFile)
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new UsageError(`--ca: "${path}" holds no PEM certificate`)
  }
  return pem
}

function readFileFor(option: string, path: string, readTextFile: (path: string) => string): string {
  try {
    return readTextFile(path)
  } catch (error) {
    throw new UsageError(`${option}: cannot read "${path}": ${describeFileError(error)}`)
  }
}

function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ENOENT') return 'no such file'
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  if (code === 'EISDIR') return 'it is a directory'
  return firstLine(error)
}

/**
 * A whole number of milliseconds that Node's timers can wait for. Messages quote what the user typed
 * with JSON escapes, here and below, so a control character in it never reaches the terminal raw.
 */
function parseMilliseconds(option: string, raw: string): number {
  const value = parseWholeNumber(raw)
  if (value === undefined) {
    throw new UsageError(
      `${option}: expected a whole number of milliseconds, got ${JSON.stringify(raw)}`,
    )
  }
  if (value > MAX_TIMER_MS) {
    throw new UsageError(
      `${option}: expected at most ${MAX_TIMER_MS} ms, got ${JSON.stringify(raw)}`,
    )
  }
  return value
}

function optionalNumber<K extends 'reconnectDelay' | 'maxReconnectDelay' | 'staleTimeout'>(
  key: K,
  option: string,
  raw: string | undefined,
): Partial<Record<K, number>> {
  if (raw === undefined) return {}
  return { [key]: parseMilliseconds(option, raw) } as Partial<Record<K, number>>
}

function parseAttemptLimit(raw: string): AttemptLimit {
  if (raw === UNLIMITED) return UNLIMITED
  const value = parseWholeNumber(raw)
  if (value === undefined) {
    throw new UsageError(
      `--max-reconnect-attempts: expected a whole number or "${UNLIMITED}", got ${JSON.stringify(raw)}`,
    )
  }
  return value
}

function parseMaxEvents(raw: string): number {
  const value = parseWholeNumber(raw)
  if (value === undefined || value === 0) {
    throw new UsageError(
      `--max-events: expected a whole number of at least 1, got ${JSON.stringify(raw)}`,
    )
  }
  return value
}

/** ASCII digits only (no sign, exponent, fraction or spaces), small enough to be exact. */
function parseWholeNumber(raw: string): number | undefined {
  if (!/^[0-9]+$/.test(raw)) return undefined
  const value = Number(raw)
  return Number.isSafeInteger(value) ? value : undefined
}
