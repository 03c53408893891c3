import type { Writable } from 'node:stream'
import type { ConnectionState } from '../../shared/connection'
import type { FeedEvent } from '../../shared/feed-event'
import { InvalidConnectionOptionsError, SseConnection } from '../engine/sse-connection'
import type { TailOptions } from './tail-options'
import { UsageError } from './usage-error'

/** Exit statuses of `feedwatch tail`, as the README lists them. */
export const EXIT_CLOSED = 0
export const EXIT_FAILED = 1

/** Where `feedwatch tail` writes and which signals stop it; the process's own by default. */
export interface TailIo {
  readonly stdout: Writable
  readonly stderr: Writable
  /** Emits SIGINT and SIGTERM. */
  readonly signals: Pick<NodeJS.Process, 'on' | 'off'>
}

/** One NDJSON line for a state, with only the README's fields (`code`, `contentType` stay out). */
export function formatState(state: ConnectionState): string {
  const { state: name, at } = state
  switch (state.state) {
    case 'idle':
      return line({ type: 'state', state: name, at })
    case 'connecting':
      return line({ type: 'state', state: name, at, attempt: state.attempt, notice: state.notice })
    case 'open':
      return line({ type: 'state', state: name, at, status: state.status })
    case 'reconnecting':
      return line({
        type: 'state',
        state: name,
        at,
        attempt: state.attempt,
        maxAttempts: state.maxAttempts,
        delayMs: state.delayMs,
        status: state.status,
        reason: state.reason,
      })
    case 'closed':
    case 'failed':
      return line({ type: 'state', state: name, at, status: state.status, reason: state.reason })
  }
}

/** One NDJSON line for an event (`seq` stays out: the README's fields only). */
export function formatEvent(event: FeedEvent): string {
  const { event: name, id, data, receivedAt } = event
  return line({ type: 'event', event: name, id, data, receivedAt })
}

/** JSON.stringify leaves out `undefined` fields, so optional ones vanish when absent. */
function line(fields: Record<string, unknown>): string {
  return `${JSON.stringify(fields)}\n`
}

/** The command line option behind each connection option the engine may name in an error. */
const OPTION_FOR_FIELD: Readonly<Record<string, string>> = {
  url: 'URL',
  method: '--method',
  body: '--data',
  headers: '--header',
  lastEventId: '--last-event-id',
  reconnectDelay: '--reconnect-delay',
  maxReconnectAttempts: '--max-reconnect-attempts',
  maxReconnectDelay: '--max-reconnect-delay',
  staleTimeout: '--stale-timeout',
  ca: '--ca',
}

/**
 * The engine names the field at fault (`method: …`, `headers.X-A: …`); the user typed an option,
 * so name that instead. A message in any other shape is passed on unchanged.
 */
function inCliTerms(message: string): string {
  const match = /^([A-Za-z]+)(?:\.([^:]*))?: /.exec(message)
  const option = match?.[1] === undefined ? undefined : OPTION_FOR_FIELD[match[1]]
  if (match === null || option === undefined) return message
  const part = match[2] === undefined ? '' : ` "${match[2]}"`
  return `${option}${part}: ${message.slice(match[0].length)}`
}

/**
 * Runs one connection until it is closed or fails, printing NDJSON on stdout.
 * Resolves with the exit status once every line has been handed to stdout.
 * @throws {@link UsageError} when the engine refuses the options.
 */
export function runTail(
  options: TailOptions,
  io: TailIo = { stdout: process.stdout, stderr: process.stderr, signals: process },
): Promise<number> {
  const filter = options.events.length === 0 ? undefined : new Set(options.events)
  let printed = 0
  let finished = false
  let resolveExit: (status: number) => void = () => {}
  const exit = new Promise<number>((resolve) => (resolveExit = resolve))
  const output = new NdjsonOutput(io.stdout, io.stderr, {
    onBrokenPipe() {
      // The reader went away (`| head -1`): nobody wants more, which is a normal way to stop.
      connection.disconnect()
      finish(EXIT_CLOSED)
    },
    // A slow reader: stop reading the feed until it catches up, so the server is held back by TCP
    // instead of lines being dropped or piling up in memory.
    onFull: () => connection.pause(),
    onDrained: () => connection.resume(),
  })

  const finish = (status: number): void => {
    if (finished) return
    finished = true
    io.signals.off('SIGINT', onSignal)
    io.signals.off('SIGTERM', onSignal)
    void output.end().then(() => resolveExit(status))
  }

  const onSignal = (): void => {
    connection.disconnect()
    // disconnect() reports `closed`; should it not, stopping on a signal is still a clean close.
    finish(EXIT_CLOSED)
  }

  let connection: SseConnection
  try {
    connection = new SseConnection(options.connection, {
      onEvent(event) {
        if (finished || (filter !== undefined && !filter.has(event.event))) return
        output.push(formatEvent(event))
        printed += 1
        if (options.maxEvents !== undefined && printed >= options.maxEvents) {
          // Reports `closed` (reason "disconnected") synchronously, which finishes the run.
          connection.disconnect()
          finish(EXIT_CLOSED)
        }
      },
      onState(state) {
        if (finished) return
        output.push(formatState(state))
        if (state.state === 'closed') finish(EXIT_CLOSED)
        if (state.state === 'failed') {
          io.stderr.write(`feedwatch tail: failed: ${state.reason}\n`)
          finish(EXIT_FAILED)
        }
      },
    })
  } catch (error) {
    if (error instanceof InvalidConnectionOptionsError)
      throw new UsageError(inCliTerms(error.message))
    throw error
  }

  io.signals.on('SIGINT', onSignal)
  io.signals.on('SIGTERM', onSignal)
  connection.connect()
  return exit
}

/** What {@link NdjsonOutput} tells its owner. */
interface OutputEvents {
  /** stdout failed (EPIPE: the reader went away); nothing more will be written. */
  onBrokenPipe(): void
  /** stdout holds more than its high-water mark: stop producing lines. */
  onFull(): void
  /** stdout drained after {@link OutputEvents.onFull}: produce again. */
  onDrained(): void
}

/**
 * Writes NDJSON lines to stdout in bursts: the engine dispatches all events of one network chunk
 * synchronously, so lines are collected and written with one `write` per burst (flushed in a
 * microtask) rather than one per line. Every line is written: when stdout is over its high-water mark
 * the owner is told to pause the feed until 'drain', so memory stays bounded by about one network
 * chunk beyond the mark. An EPIPE ends the run quietly.
 */
class NdjsonOutput {
  private lines: string[] = []
  private flushScheduled = false
  private broken = false
  private waitingForDrain = false

  constructor(
    private readonly stdout: Writable,
    private readonly stderr: Writable,
    private readonly events: OutputEvents,
  ) {
    // `on`, not `once`: a closed pipe reports EPIPE for every write still queued.
    stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (this.broken) return
      this.broken = true
      this.lines = []
      if (error.code !== 'EPIPE') this.stderr.write(`feedwatch tail: stdout: ${error.message}\n`)
      this.events.onBrokenPipe()
    })
  }

  /** Queues a line for the current burst. */
  push(text: string): void {
    if (this.broken) return
    this.lines.push(text)
    if (!this.flushScheduled) {
      this.flushScheduled = true
      queueMicrotask(() => this.flush())
    }
  }

  /** Writes what is queued; resolves once stdout has accepted all of it (or is gone). */
  end(): Promise<void> {
    return new Promise((resolve) => {
      const chunk = this.take()
      if (this.broken || chunk === '') resolve()
      else this.stdout.write(chunk, () => resolve())
    })
  }

  private flush(): void {
    const chunk = this.take()
    if (chunk === '' || this.broken) return
    if (this.stdout.write(chunk) || this.waitingForDrain) return
    this.waitingForDrain = true
    this.events.onFull()
    this.stdout.once('drain', () => {
      this.waitingForDrain = false
      if (!this.broken) this.events.onDrained()
    })
  }

  private take(): string {
    this.flushScheduled = false
    const chunk = this.lines.join('')
    this.lines = []
    return chunk
  }
}
