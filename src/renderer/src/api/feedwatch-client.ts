import type {
  CommandName,
  CommandRequest,
  CommandResponses,
  PushName,
  PushPayloads,
  Result,
} from '../../../shared/api'

/**
 * The renderer's only way to the engine: the same contract over Electron IPC (`window.feedwatch`) or
 * over HTTP (`feedwatch serve`). Stores call this and never touch `window` themselves.
 */
export interface FeedwatchClient {
  /** Runs a command; expected failures come back as `{ ok: false, error }`, never as a throw. */
  call<N extends CommandName>(
    name: N,
    request: CommandRequest<N>,
  ): Promise<Result<CommandResponses[N]>>
  /** Subscribes to a push; returns the unsubscribe function. */
  on<P extends PushName>(name: P, listener: (payload: PushPayloads[P]) => void): () => void
  /** Called when pushes were lost beyond replay (a long disconnection): reload what is shown. */
  onResync(listener: () => void): () => void
  /**
   * Called when the push stream is known to be down (`false`: the browser lost `feedwatch serve`)
   * or up again (`true`). A transport that cannot tell (IPC) never calls it: the heartbeat push
   * tells instead.
   */
  onStreamChange(listener: (up: boolean) => void): () => void
  /** Where the client runs, for the About line. */
  readonly runtime: string
}
