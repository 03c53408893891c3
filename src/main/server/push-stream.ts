import { randomBytes } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import type { PushMessage } from '../../shared/api'

/** Push messages kept for clients that reconnect with `Last-Event-ID`. */
const REPLAY_LIMIT = 2000
/** Messages queued for one slow client before its oldest event batches are dropped. */
const CLIENT_QUEUE_LIMIT = 200
/** A comment every so often keeps proxies and the browser from timing the stream out. */
const HEARTBEAT_MS = 15_000

interface Logged {
  readonly id: number
  readonly message: PushMessage
  /** The payload serialised once, whatever the number of clients. */
  readonly data: string
}

interface Client {
  readonly response: ServerResponse
  /** Messages waiting for the socket to drain, oldest first. */
  queue: Logged[]
  waitingForDrain: boolean
  /** Events left out of this client's display stream, reported in its next batch. */
  droppedEvents: number
}

/**
 * The push stream of `feedwatch serve` (`GET /api/stream`): every push as one SSE event with an id,
 * resumable with `Last-Event-ID` from a bounded replay log. A slow client gets its oldest event
 * batches dropped, and is told how many events it missed, rather than growing memory without bound.
 */
export class PushStream {
  private readonly log: Logged[] = []
  private nextId = 1
  /** Tells this run of the server from a previous one: ids are `<run>.<n>`, and n starts at 1 each run. */
  private readonly run = randomBytes(6).toString('base64url')
  private readonly clients = new Set<Client>()
  private readonly heartbeat: NodeJS.Timeout

  constructor() {
    this.heartbeat = setInterval(() => {
      for (const client of this.clients)
        if (!client.waitingForDrain) client.response.write(': heartbeat\n\n')
    }, HEARTBEAT_MS)
    this.heartbeat.unref()
  }

  /** Sends a push to every client and keeps it for replay. */
  publish(message: PushMessage): void {
    const logged = { id: this.nextId++, message, data: JSON.stringify(message.payload) }
    this.log.push(logged)
    if (this.log.length > REPLAY_LIMIT) this.log.splice(0, this.log.length - REPLAY_LIMIT)
    for (const client of this.clients) this.send(client, logged)
  }

  /**
   * Starts a stream on `response`. With a `lastEventId` still in the replay log the client gets what
   * it missed; with one too old, a `resync` event tells it to reload its state.
   */
  attach(response: ServerResponse, lastEventId: string | undefined): void {
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    })
    response.write('retry: 1000\n\n')
    const client: Client = { response, queue: [], waitingForDrain: false, droppedEvents: 0 }
    this.clients.add(client)
    response.on('close', () => this.clients.delete(client))
    response.on('drain', () => this.drain(client))
    if (lastEventId === undefined || lastEventId === '') return
    const [run, count] = lastEventId.split('.')
    const after = Number(count)
    const oldest = this.log[0]?.id ?? this.nextId
    // An id from another run of the server (it restarted) or older than the log reaches cannot be
    // replayed: the client must reload its state.
    if (
      run !== this.run ||
      !Number.isInteger(after) ||
      after + 1 < oldest ||
      after >= this.nextId
    ) {
      response.write(`id: ${this.run}.${this.nextId - 1}\nevent: resync\ndata: {}\n\n`)
      return
    }
    for (const logged of this.log) if (logged.id > after) this.send(client, logged)
  }

  /** Ends every stream and stops the heartbeat. */
  close(): void {
    clearInterval(this.heartbeat)
    for (const client of this.clients) client.response.end()
    this.clients.clear()
  }

  private send(client: Client, logged: Logged): void {
    if (client.waitingForDrain) {
      client.queue.push(logged)
      if (client.queue.length > CLIENT_QUEUE_LIMIT) this.dropOldestBatch(client)
      return
    }
    if (!client.response.write(this.frame(client, logged))) client.waitingForDrain = true
  }

  private drain(client: Client): void {
    client.waitingForDrain = false
    while (client.queue.length > 0 && !client.waitingForDrain) {
      const logged = client.queue.shift()
      if (logged !== undefined && !client.response.write(this.frame(client, logged)))
        client.waitingForDrain = true
    }
  }

  /** Drops the oldest queued event batch (state and alert pushes are never dropped). */
  private dropOldestBatch(client: Client): void {
    const index = client.queue.findIndex((logged) => logged.message.type === 'events:batch')
    if (index === -1) return
    const [dropped] = client.queue.splice(index, 1)
    if (dropped?.message.type === 'events:batch') {
      client.droppedEvents += dropped.message.payload.feeds.reduce(
        (sum, feed) => sum + feed.events.length,
        0,
      )
    }
  }

  /** One SSE frame; an event batch carries the events this client missed on top of its own count. */
  private frame(client: Client, { id, message, data }: Logged): string {
    let payload = data
    if (message.type === 'events:batch' && client.droppedEvents > 0) {
      payload = JSON.stringify({
        ...message.payload,
        dropped: message.payload.dropped + client.droppedEvents,
      })
      client.droppedEvents = 0
    }
    return `id: ${this.run}.${id}\nevent: ${message.type}\ndata: ${payload}\n\n`
  }
}
