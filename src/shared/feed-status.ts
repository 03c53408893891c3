import type { ConnectionState, ConnectionStats } from './connection'

/** Everything the UI shows about one running feed besides its events. */
export interface FeedStatus {
  readonly feedId: string
  readonly state: ConnectionState
  readonly stats: ConnectionStats
  readonly lastEventId: string
  /** Events held in the feed's ring buffer. */
  readonly buffered: number
  /** Events pushed out of the ring buffer to make room. */
  readonly dropped: number
}
