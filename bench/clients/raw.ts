/**
 * The floor: a `node:http` GET, one streaming `TextDecoder` and `eventsource-parser` (the version
 * the engine uses, bundled the same way), counting events. No reconnects, states or stats.
 */
import { get } from 'node:http'
import { createParser } from 'eventsource-parser'
import type { OpenClient } from './bench-client'

export const openClient: OpenClient = (url, handlers) => {
  let closed = false
  const fail = (reason: string): void => {
    if (!closed) handlers.onFailure(`raw: ${reason}`)
  }
  const decoder = new TextDecoder()
  const parser = createParser({ onEvent: (event) => handlers.onEvent(event.data) })
  const request = get(url, { headers: { Accept: 'text/event-stream' } }, (response) => {
    response.on('error', (error) => fail(error.message))
    if (response.statusCode !== 200) {
      fail(`status ${response.statusCode}`)
      response.resume()
      return
    }
    handlers.onOpen()
    response.on('data', (chunk: Buffer) => parser.feed(decoder.decode(chunk, { stream: true })))
    response.on('end', () => fail('stream ended'))
  })
  request.on('error', (error) => fail(error.message))
  return {
    close: () => {
      closed = true
      request.destroy()
    },
  }
}
