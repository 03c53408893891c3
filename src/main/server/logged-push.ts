import type { PushMessage, PushName } from '../../shared/api'

/**
 * One push as the push stream keeps it: serialised once into its SSE frame, which every client, every
 * client queue and the replay log share. The message object itself is not kept, so the events of a
 * batch are not held alive by the stream once the feed buffers let go of them.
 */
export interface LoggedPush {
  /** Position in this run of the server, from 1; the SSE id is `<run>.<id>`. */
  readonly id: number
  readonly type: PushName
  /** `id: …\nevent: …\ndata: …\n\n`, ready to write. */
  readonly frame: string
  /** UTF-8 size of {@link LoggedPush.frame}: what every byte bound counts. */
  readonly bytes: number
  /** Events an `events:batch` carries (0 for other pushes), to tell a slow client what it missed. */
  readonly events: number
  /**
   * Pushes with the same key replace each other (only the latest state of a feed, the latest profile,
   * the latest set of active alerts matter); undefined for pushes that each count.
   */
  readonly key: string | undefined
  /** When it was published, epoch ms. */
  readonly at: number
}

/** Serialises a push once, with its stream id. */
export function logPush(run: string, id: number, message: PushMessage, at: number): LoggedPush {
  const frame = `id: ${run}.${id}\nevent: ${message.type}\ndata: ${JSON.stringify(message.payload)}\n\n`
  return {
    id,
    type: message.type,
    frame,
    bytes: Buffer.byteLength(frame),
    events:
      message.type === 'events:batch'
        ? message.payload.feeds.reduce((sum, feed) => sum + feed.events.length, 0)
        : 0,
    key: supersedingKey(message),
    at,
  }
}

function supersedingKey(message: PushMessage): string | undefined {
  switch (message.type) {
    case 'feeds:state':
      return `feeds:state ${message.payload.profile} ${message.payload.feedId}`
    case 'alerts:changed':
      return `alerts:changed ${message.payload.profile}`
    case 'profiles:changed':
      return `profiles:changed ${message.payload.profile.name}`
    case 'profiles:running':
    case 'service:heartbeat':
      return message.type
    default:
      // Event batches, alert notices, renames: each counts on its own.
      return undefined
  }
}
