/**
 * Smallest delay a server's `retry:` field may lead to, so `retry: 0` cannot make us hammer it. It
 * wins over `maxReconnectDelay`: a cap below it does not bring a server-set delay under it either.
 */
export const MIN_SERVER_RETRY_MS = 100

/** Jitter spreads clients that failed together so they do not all return at the same instant. */
const JITTER = 0.2

/**
 * Delay before reconnect attempt `attempt` (1-based): `min(maxDelay, base × 2^(attempt−1))` with ±20%
 * jitter, never below `minMs`. The cap applies before jitter, so clients held at the cap still spread
 * out; `minMs` applies to the cap and after jitter, so it always wins.
 *
 * @param random - a number in [0, 1); 0.5 means no jitter.
 * @param minMs - the floor: {@link MIN_SERVER_RETRY_MS} once the server sent `retry:`, else 0.
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxDelayMs: number,
  random: number,
  minMs = 0,
): number {
  const capped = Math.min(Math.max(maxDelayMs, minMs), baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.max(minMs, Math.round(capped * (1 + JITTER * (2 * random - 1))))
}

/** The base delay a server's `retry:` value sets, clamped to [{@link MIN_SERVER_RETRY_MS}, maxDelay]. */
export function clampServerRetry(retryMs: number, maxDelayMs: number): number {
  return Math.min(Math.max(retryMs, MIN_SERVER_RETRY_MS), Math.max(maxDelayMs, MIN_SERVER_RETRY_MS))
}
