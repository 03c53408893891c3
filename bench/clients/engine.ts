/** The engine under test: Feedwatch's `SseConnection` with its default options. */
import { SseConnection } from '../../src/main/engine/sse-connection'
import type { OpenClient } from './bench-client'

export const openClient: OpenClient = (url, handlers) => {
  const connection = new SseConnection(
    { url },
    {
      onEvent: (event) => handlers.onEvent(event.data),
      onState: (state) => {
        switch (state.state) {
          case 'open':
            handlers.onOpen()
            break
          case 'reconnecting':
          case 'failed':
            handlers.onFailure(`engine ${state.state}: ${state.reason}`)
            break
          case 'closed':
            if (state.code !== 'disconnected') handlers.onFailure(`engine closed: ${state.reason}`)
            break
        }
      },
    },
  )
  connection.connect()
  return { close: () => connection.disconnect() }
}
