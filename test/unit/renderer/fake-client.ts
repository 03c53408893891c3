import type {
  CommandName,
  CommandRequest,
  CommandResponses,
  PushName,
  PushPayloads,
  Result,
} from '../../../src/shared/api'
import type { FeedwatchClient } from '../../../src/renderer/src/api/feedwatch-client'

/** What a test answers a command with: a value, or a function of the request. */
type Answer<N extends CommandName> =
  | CommandResponses[N]
  | ((request: CommandRequest<N>) => CommandResponses[N] | Result<CommandResponses[N]>)

/**
 * A {@link FeedwatchClient} for store and component tests: commands answered from a table the test
 * fills, every call recorded, pushes and resyncs sent by hand.
 */
export class FakeClient implements FeedwatchClient {
  readonly runtime = 'test'
  readonly calls: { name: CommandName; request: unknown }[] = []
  private readonly answers = new Map<CommandName, Answer<CommandName>>()
  private readonly listeners = new Map<PushName, Set<(payload: unknown) => void>>()
  private readonly resyncListeners = new Set<() => void>()
  private readonly streamListeners = new Set<(up: boolean) => void>()

  /** Answers `name` from now on. */
  answer<N extends CommandName>(name: N, answer: Answer<N>): this {
    this.answers.set(name, answer as Answer<CommandName>)
    return this
  }

  call<N extends CommandName>(
    name: N,
    request: CommandRequest<N>,
  ): Promise<Result<CommandResponses[N]>> {
    this.calls.push({ name, request })
    const answer = this.answers.get(name) as Answer<N> | undefined
    if (answer === undefined)
      return Promise.resolve({
        ok: false,
        error: { code: 'not-found', message: `no answer for ${name}` },
      } as Result<CommandResponses[N]>)
    const value =
      typeof answer === 'function' ? (answer as (r: unknown) => unknown)(request) : answer
    const result =
      value !== null && typeof value === 'object' && 'ok' in value
        ? (value as Result<CommandResponses[N]>)
        : ({ ok: true, value } as Result<CommandResponses[N]>)
    return Promise.resolve(result)
  }

  on<P extends PushName>(name: P, listener: (payload: PushPayloads[P]) => void): () => void {
    let set = this.listeners.get(name)
    if (set === undefined) {
      set = new Set()
      this.listeners.set(name, set)
    }
    set.add(listener as (payload: unknown) => void)
    return () => set.delete(listener as (payload: unknown) => void)
  }

  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener)
    return () => this.resyncListeners.delete(listener)
  }

  onStreamChange(listener: (up: boolean) => void): () => void {
    this.streamListeners.add(listener)
    return () => this.streamListeners.delete(listener)
  }

  /** Tells every listener the push stream went down (`false`) or came back (`true`). */
  streamChange(up: boolean): void {
    for (const listener of this.streamListeners) listener(up)
  }

  /** Sends a push to every listener. */
  push<P extends PushName>(name: P, payload: PushPayloads[P]): void {
    for (const listener of this.listeners.get(name) ?? []) listener(payload)
  }

  /** Tells every listener that pushes were lost. */
  resync(): void {
    for (const listener of this.resyncListeners) listener()
  }

  /** Names of the commands called so far. */
  names(): CommandName[] {
    return this.calls.map((call) => call.name)
  }
}
