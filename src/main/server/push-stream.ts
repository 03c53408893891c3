import { randomBytes } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import type { PushMessage, PushPayloads } from '../../shared/api'
import { ClientQueue } from './client-queue'
import { logPush, type LoggedPush } from './logged-push'
import { ReplayLog } from './replay-log'

/** Options of {@link PushStream}; the defaults are what `feedwatch serve` uses. */
export interface PushStreamOptions {
  /**
   * Most bytes of pushes held for one client that reads slower than they come.
   * @defaultValue `8 MiB`
   */
  readonly clientBufferBytes?: number
  /**
   * Most bytes of pushes kept for clients that reconnect with `Last-Event-ID`.
   * @defaultValue `16 MiB`
   */
  readonly replayBytes?: number
  /**
   * Oldest push kept for replay, in ms.
   * @defaultValue `300_000` (5 minutes)
   */
  readonly replayMaxAgeMs?: number
  /**
   * How often an idle stream gets a comment, which keeps proxies and browsers from timing it out
   * (and ages the replay log on a quiet server).
   * @defaultValue `15_000`
   */
  readonly heartbeatMs?: number
  /** @defaultValue `Date.now` */
  readonly now?: () => number
}

/** What the stream holds for one connected client, for tests and the soak run. */
export interface ClientBuffers {
  /** Bytes of pushes waiting in the client's queue. */
  readonly queuedBytes: number
  /** Bytes written to the socket that it has not taken yet. */
  readonly socketBytes: number
  /** True while the client is sent what it missed from the replay log. */
  readonly replaying: boolean
}

interface Client {
  readonly response: ServerResponse
  readonly queue: ClientQueue
  /** Set while the client catches up from the replay log; live pushes reach it through the log. */
  replay: Iterator<LoggedPush, void> | undefined
  /** The last push written to this client. */
  lastSentId: number
  /** Events left out of this client's stream and not reported yet. */
  droppedEvents: number
  /** Its queue overflowed: it gets `resync` when its socket drains, and nothing until then. */
  resyncPending: boolean
}

/**
 * The push stream of `feedwatch serve` (`GET /api/stream`): every push as one SSE event with an id,
 * resumable with `Last-Event-ID` from a replay log bounded by bytes and age. Each push is serialised
 * once for every client and the log.
 *
 * Memory per client is bounded by bytes: while a client's socket is full, states and the profile are
 * coalesced (latest wins), event batches are dropped oldest first and the count is sent in an
 * `events:dropped` push as soon as the socket drains, and a client beyond the bound gets `resync`.
 * A resuming client is sent the log at the pace its socket drains, so catching up never counts as
 * being slow.
 */
export class PushStream {
  private nextId = 1
  /** Tells this run of the server from a previous one: ids are `<run>.<n>`, and n starts at 1 each run. */
  private readonly run = randomBytes(6).toString('base64url')
  private readonly clients = new Set<Client>()
  private readonly log: ReplayLog
  private readonly clientBufferBytes: number
  private readonly now: () => number
  private readonly heartbeat: NodeJS.Timeout

  constructor(options: PushStreamOptions = {}) {
    this.clientBufferBytes = options.clientBufferBytes ?? 8 * 1024 * 1024
    this.now = options.now ?? Date.now
    this.log = new ReplayLog({
      maxBytes: options.replayBytes ?? 16 * 1024 * 1024,
      maxAgeMs: options.replayMaxAgeMs ?? 300_000,
    })
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs ?? 15_000)
    this.heartbeat.unref()
  }

  /** Sends a push to every client and keeps it for replay. */
  publish(message: PushMessage): void {
    const push = logPush(this.run, this.nextId++, message, this.now())
    this.log.append(push)
    for (const client of this.clients) if (client.replay === undefined) this.send(client, push)
  }

  /**
   * Starts a stream on `response`. With a `lastEventId` the replay log still reaches, the client is
   * sent what it missed; with one it does not, a `resync` event tells it to reload its state.
   */
  attach(response: ServerResponse, lastEventId: string | undefined): void {
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    })
    response.write('retry: 1000\n\n')
    const client: Client = {
      response,
      queue: new ClientQueue(this.clientBufferBytes),
      replay: undefined,
      lastSentId: this.nextId - 1,
      droppedEvents: 0,
      resyncPending: false,
    }
    this.clients.add(client)
    response.on('close', () => {
      this.clients.delete(client)
      client.queue.clear()
      client.replay = undefined
    })
    response.on('drain', () => this.flush(client))
    if (lastEventId === undefined || lastEventId === '') return
    const after = this.replayableFrom(lastEventId)
    if (after === undefined) {
      this.writeResync(client)
      return
    }
    client.lastSentId = after
    client.replay = this.log.after(after)
    this.flush(client)
  }

  /** Ends every stream and stops the heartbeat. */
  close(): void {
    clearInterval(this.heartbeat)
    for (const client of this.clients) client.response.end()
    this.clients.clear()
  }

  /** What the stream holds for each connected client now. */
  buffers(): ClientBuffers[] {
    return [...this.clients].map((client) => ({
      queuedBytes: client.queue.bytes,
      socketBytes: client.response.writableLength,
      replaying: client.replay !== undefined,
    }))
  }

  /** Size of the replay log now. */
  replayLog(): { readonly pushes: number; readonly bytes: number } {
    return { pushes: this.log.size, bytes: this.log.bytes }
  }

  /**
   * The push count after which the client resumes, or undefined when the id is from another run of
   * the server (it restarted), from the future, or older than the log reaches.
   */
  private replayableFrom(lastEventId: string): number | undefined {
    const [run, count] = lastEventId.split('.')
    const after = Number(count)
    if (run !== this.run || !Number.isInteger(after)) return undefined
    if (after < this.log.trimmedThrough || after >= this.nextId) return undefined
    return after
  }

  private send(client: Client, push: LoggedPush): void {
    if (client.resyncPending) return
    if (client.queue.size === 0 && !client.response.writableNeedDrain) {
      this.write(client, push)
      return
    }
    const { droppedEvents, overflowed } = client.queue.add(push)
    client.droppedEvents += droppedEvents
    if (overflowed) client.resyncPending = true
  }

  /** Writes what waits for the client until its socket is full again. */
  private flush(client: Client): void {
    const { response } = client
    if (client.resyncPending) {
      client.resyncPending = false
      client.droppedEvents = 0
      this.writeResync(client)
    }
    if (client.droppedEvents > 0 && !response.writableNeedDrain) {
      const payload: PushPayloads['events:dropped'] = { dropped: client.droppedEvents }
      // No id: the browser's Last-Event-ID stays that of the last push it really got.
      response.write(`event: events:dropped\ndata: ${JSON.stringify(payload)}\n\n`)
      client.droppedEvents = 0
    }
    while (client.replay !== undefined && !response.writableNeedDrain) {
      if (this.log.trimmedThrough > client.lastSentId) {
        // The log let go of pushes this client had not been sent yet.
        client.replay = undefined
        this.writeResync(client)
        return
      }
      const next = client.replay.next()
      if (next.done === true) client.replay = undefined
      else this.write(client, next.value)
    }
    while (client.queue.size > 0 && !response.writableNeedDrain) {
      const push = client.queue.shift()
      if (push !== undefined) this.write(client, push)
    }
  }

  private write(client: Client, push: LoggedPush): void {
    client.lastSentId = push.id
    client.response.write(push.frame)
  }

  /** Tells the client to reload its state; the stream goes on live from the newest push. */
  private writeResync(client: Client): void {
    client.queue.clear()
    client.lastSentId = this.nextId - 1
    client.response.write(`id: ${this.run}.${this.nextId - 1}\nevent: resync\ndata: {}\n\n`)
  }

  private beat(): void {
    this.log.trim(this.now())
    for (const client of this.clients) {
      if (
        client.queue.size === 0 &&
        client.replay === undefined &&
        !client.response.writableNeedDrain
      )
        client.response.write(': heartbeat\n\n')
    }
  }
}
