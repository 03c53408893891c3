/** Smallest base delay a server's `retry:` field may set, so `retry: 0` cannot make us hammer it. */
export const MIN_SERVER_RETRY_MS = 100

/** Jitter spreads clients that failed together so they do not all return at the same instant. */
const JITTER = 0.2

/**
 * Delay before reconnect attempt `attempt` (1-based): `min(maxDelay, base × 2^(attempt−1))` with ±20%
 * jitter. The cap applies before jitter, so clients held at the cap still spread out.
 *
 * @param random - a number in [0, 1); 0.5 means no jitter.
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxDelayMs: number,
  random: number,
): number {
  const capped = Math.min(maxDelayMs, baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(capped * (1 + JITTER * (2 * random - 1)))
}

/** The base delay a server's `retry:` value sets, clamped to [{@link MIN_SERVER_RETRY_MS}, maxDelay]. */
export function clampServerRetry(retryMs: number, maxDelayMs: number): number {
  return Math.min(Math.max(retryMs, MIN_SERVER_RETRY_MS), Math.max(maxDelayMs, MIN_SERVER_RETRY_MS))
}
