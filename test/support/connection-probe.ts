import type { ConnectionOptions, ConnectionState } from '../../src/shared/connection'
import type { FeedEvent } from '../../src/shared/feed-event'
import { SseConnection, type ConnectionDeps } from '../../src/main/engine/sse-connection'

/** The state of the given name, narrowed to its fields. */
export type StateNamed<N extends ConnectionState['state']> = Extract<ConnectionState, { state: N }>

/** A connection under test and everything it reported, in order. */
export interface ConnectionProbe {
  readonly connection: SseConnection
  readonly states: readonly ConnectionState[]
  readonly events: readonly FeedEvent[]
  /** The names of the states reported so far, e.g. `['connecting', 'open']`. */
  names(): string[]
  /** Every reported state named `name`, in order. */
  all<N extends ConnectionState['state']>(name: N): StateNamed<N>[]
  /** Waits until `count` states named `name` have been reported and returns the last of them. */
  waitForState<N extends ConnectionState['state']>(
    name: N,
    options?: { readonly count?: number; readonly timeoutMs?: number },
  ): Promise<StateNamed<N>>
  /** Waits until `count` events have arrived and returns them all. */
  waitForEvents(count: number, timeoutMs?: number): Promise<readonly FeedEvent[]>
}

const probes = new Set<SseConnection>()

/**
 * Creates a connection that records its states and events. It is not connected yet; call
 * `probe.connection.connect()`. `deps.env` defaults to an empty environment so a proxy set on the
 * machine running the tests cannot reroute them.
 */
export function watchConnection(
  options: ConnectionOptions,
  deps: ConnectionDeps = {},
): ConnectionProbe {
  const states: ConnectionState[] = []
  const events: FeedEvent[] = []
  const connection = new SseConnection(
    options,
    { onEvent: (event) => events.push(event), onState: (state) => states.push(state) },
    { env: {}, ...deps },
  )
  probes.add(connection)
  const all = <N extends ConnectionState['state']>(name: N): StateNamed<N>[] =>
    states.filter((state): state is StateNamed<N> => state.state === name)
  return {
    connection,
    states,
    events,
    names: () => states.map((state) => state.state),
    all,
    waitForState: (name, { count = 1, timeoutMs } = {}) =>
      waitFor(
        () => all(name)[count - 1],
        timeoutMs,
        () => `state "${name}" #${count}; states so far: ${JSON.stringify(states)}`,
      ),
    waitForEvents: (count, timeoutMs) =>
      waitFor(
        () => events.length >= count && events,
        timeoutMs,
        () => `${count} events; got ${events.length}; states: ${JSON.stringify(states)}`,
      ),
  }
}

/** Disconnects every connection {@link watchConnection} made; call it in `afterEach`. */
export function disconnectAll(): void {
  for (const connection of probes) connection.disconnect()
  probes.clear()
}

/**
 * Polls `check` (which may be async) every few ms until it returns something other than undefined,
 * null or false, and returns that. Rejects after `timeoutMs` with `describe()` in the message.
 */
export async function waitFor<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 3000,
  describe: () => string = () => 'a condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== null && value !== false) return value
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${describe()}`)
    await sleep(5)
  }
}

/** Resolves after `ms` real milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
