import type { FeedwatchClient } from './feedwatch-client'
import { createHttpClient } from './http-client'
import { createIpcClient } from './ipc-client'

let client: FeedwatchClient | undefined

/** The client for where the renderer runs: the preload's API in the desktop app, HTTP in a browser. */
export function feedwatchClient(): FeedwatchClient {
  client ??= window.feedwatch === undefined ? createHttpClient() : createIpcClient(window.feedwatch)
  return client
}
