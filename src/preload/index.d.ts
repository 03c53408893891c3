import type { FeedwatchApi } from './index'

declare global {
  interface Window {
    /** Present in the desktop app; absent when the renderer is served by `feedwatch serve`. */
    readonly feedwatch?: FeedwatchApi
  }
}
