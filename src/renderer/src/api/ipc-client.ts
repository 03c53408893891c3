import type {
  CommandName,
  CommandRequest,
  CommandResponses,
  PushName,
  PushPayloads,
  Result,
} from '../../../shared/api'
import type { FeedwatchClient } from './feedwatch-client'

/** The preload's API, as its global declaration types it. */
type FeedwatchApi = NonNullable<Window['feedwatch']>

/** `feeds:add` → `feedsAdd`, `events:batch` → `EventsBatch`: how the preload names its functions. */
function camelCase(name: string, capitalizeFirst: boolean): string {
  const joined = name.replace(/[:-]([a-z])/g, (_match, letter: string) => letter.toUpperCase())
  return capitalizeFirst ? joined.charAt(0).toUpperCase() + joined.slice(1) : joined
}

/** The contract over the desktop app's preload (`window.feedwatch`). */
export function createIpcClient(api: FeedwatchApi): FeedwatchClient {
  const functions = api as unknown as Record<string, (...args: unknown[]) => unknown>
  return {
    runtime: `Electron ${api.versions.electron}`,
    call<N extends CommandName>(
      name: N,
      request: CommandRequest<N>,
    ): Promise<Result<CommandResponses[N]>> {
      const send = functions[camelCase(name, false)]
      if (send === undefined) {
        return Promise.resolve({
          ok: false,
          error: { code: 'unknown-command', message: `unknown command "${name}"` },
        })
      }
      // Vue's reactive proxies cannot be structured-cloned across the bridge; requests are plain JSON.
      return send(JSON.parse(JSON.stringify(request ?? {}))) as Promise<Result<CommandResponses[N]>>
    },
    on<P extends PushName>(name: P, listener: (payload: PushPayloads[P]) => void): () => void {
      const subscribe = functions[`on${camelCase(name, true)}`]
      return subscribe === undefined ? () => undefined : (subscribe(listener) as () => void)
    },
    // IPC delivers every push while the window lives; there is nothing to resynchronise.
    onResync: () => () => undefined,
  }
}
