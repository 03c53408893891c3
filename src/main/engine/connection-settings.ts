import { UNLIMITED, type AttemptLimit, type ConnectionOptions } from '../../shared/connection'
import { InvalidConnectionOptionsError } from './invalid-options-error'

/** The product spec's defaults, and ours for what it leaves open (README, "Reconnect policy"). */
export const CONNECTION_DEFAULTS = {
  autoReconnect: true,
  reconnectDelay: 1000,
  maxReconnectAttempts: 5 as AttemptLimit,
  maxReconnectDelay: 30_000,
  staleTimeout: 45_000,
  maxEventBytes: 8 * 1024 * 1024,
} as const

/** The policy part of the options with every default filled in and every number checked. */
export interface ConnectionSettings {
  readonly autoReconnect: boolean
  readonly reconnectDelay: number
  readonly maxReconnectAttempts: AttemptLimit
  readonly maxReconnectDelay: number
  readonly staleTimeout: number
  readonly maxEventBytes: number
}

/**
 * Fills in defaults and checks every number.
 * @throws {@link InvalidConnectionOptionsError} naming the option and the problem.
 */
export function resolveSettings(options: ConnectionOptions): ConnectionSettings {
  const attempts = options.maxReconnectAttempts ?? CONNECTION_DEFAULTS.maxReconnectAttempts
  if (attempts !== UNLIMITED) wholeNumber('maxReconnectAttempts', attempts, 0)
  return {
    autoReconnect: options.autoReconnect ?? CONNECTION_DEFAULTS.autoReconnect,
    reconnectDelay: wholeNumber(
      'reconnectDelay',
      options.reconnectDelay ?? CONNECTION_DEFAULTS.reconnectDelay,
      0,
    ),
    maxReconnectAttempts: attempts,
    maxReconnectDelay: wholeNumber(
      'maxReconnectDelay',
      options.maxReconnectDelay ?? CONNECTION_DEFAULTS.maxReconnectDelay,
      0,
    ),
    staleTimeout: wholeNumber(
      'staleTimeout',
      options.staleTimeout ?? CONNECTION_DEFAULTS.staleTimeout,
      0,
    ),
    maxEventBytes: wholeNumber(
      'maxEventBytes',
      options.maxEventBytes ?? CONNECTION_DEFAULTS.maxEventBytes,
      1,
    ),
  }
}

/** Node timers overflow above 2^31−1 ms and then fire at once, so longer delays are refused. */
const MAX_TIMER_MS = 2 ** 31 - 1

function wholeNumber(name: string, value: unknown, min: number): number {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < min ||
    value > MAX_TIMER_MS
  ) {
    throw new InvalidConnectionOptionsError(
      `${name}: expected a whole number from ${min} to ${MAX_TIMER_MS}, got ${String(value)}`,
    )
  }
  return value
}
