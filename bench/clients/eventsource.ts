/** The anchor: the `eventsource` npm package's `EventSource`, on Node's global `fetch` (undici). */
import { EventSource } from 'eventsource'
import type { OpenClient } from './bench-client'

export const openClient: OpenClient = (url, handlers) => {
  const source = new EventSource(url)
  let closed = false
  source.onopen = () => handlers.onOpen()
  source.onmessage = (event) => handlers.onEvent(event.data as string)
  source.onerror = (event) => {
    if (!closed) handlers.onFailure(`eventsource error: ${event.message ?? 'unknown'}`)
  }
  return {
    close: () => {
      closed = true
      source.close()
    },
  }
}
