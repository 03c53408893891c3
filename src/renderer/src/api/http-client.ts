import type {
  CommandName,
  CommandRequest,
  CommandResponses,
  PushName,
  PushPayloads,
  Result,
} from '../../../shared/api'
import type { FeedwatchClient } from './feedwatch-client'

/**
 * The contract over `feedwatch serve`: `POST /api/<domain>/<verb>` for commands and one EventSource on
 * `/api/stream` for pushes, which the browser resumes with `Last-Event-ID` by itself.
 */
export function createHttpClient(base = ''): FeedwatchClient {
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const resyncListeners = new Set<() => void>()
  const streamListeners = new Set<(up: boolean) => void>()
  let source: EventSource | undefined

  const ensureStream = (): void => {
    if (source !== undefined) return
    source = new EventSource(`${base}/api/stream`, { withCredentials: true })
    source.addEventListener('resync', () => resyncListeners.forEach((listener) => listener()))
    // The browser reconnects by itself (the server asks for 1 s); the page only has to say so.
    source.addEventListener('open', () => streamListeners.forEach((listener) => listener(true)))
    source.addEventListener('error', () => streamListeners.forEach((listener) => listener(false)))
  }

  const subscribe = (name: string, listener: (payload: unknown) => void): (() => void) => {
    ensureStream()
    let set = listeners.get(name)
    if (set === undefined) {
      set = new Set()
      listeners.set(name, set)
      const current = set
      source?.addEventListener(name, (message) => {
        const payload: unknown = JSON.parse((message as MessageEvent<string>).data)
        for (const each of current) each(payload)
      })
    }
    set.add(listener)
    return () => set.delete(listener)
  }

  return {
    runtime: 'browser',
    async call<N extends CommandName>(
      name: N,
      request: CommandRequest<N>,
    ): Promise<Result<CommandResponses[N]>> {
      const [domain, verb] = name.split(':')
      try {
        const response = await fetch(`${base}/api/${domain}/${verb}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          credentials: 'same-origin',
          body: JSON.stringify(request),
        })
        return (await response.json()) as Result<CommandResponses[N]>
      } catch (error) {
        return {
          ok: false,
          error: {
            code: 'internal',
            message: `Feedwatch is not reachable: ${error instanceof Error ? error.message : String(error)}`,
          },
        }
      }
    },
    on<P extends PushName>(name: P, listener: (payload: PushPayloads[P]) => void): () => void {
      return subscribe(name, listener as (payload: unknown) => void)
    },
    onResync(listener: () => void): () => void {
      ensureStream()
      resyncListeners.add(listener)
      return () => resyncListeners.delete(listener)
    },
    onStreamChange(listener: (up: boolean) => void): () => void {
      ensureStream()
      streamListeners.add(listener)
      return () => streamListeners.delete(listener)
    },
  }
}
