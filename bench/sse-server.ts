/**
 * The benchmark's SSE server, run in its own child process (forked by `engine.bench.ts`) so its CPU
 * time and memory are never charged to the clients being measured.
 *
 * It is kept cheap on purpose: each burst is serialized once into one Buffer at start-up and written
 * in large slices, so on a 2-core machine the server spends its core in the kernel, not in JS.
 *
 * Routes (GET only, 127.0.0.1 only):
 * - `/burst?n=N`: headers, then the N events `id: i\ndata: {"n":i}\n\n` for i = 0..N-1, then nothing
 *   (the response stays open; the client closes it after the last event, so no client ever sees the
 *   stream end and starts a reconnect).
 * - `/idle`: headers and one comment, then nothing, until the client goes away.
 *
 * Reports `{ port }` to the parent over IPC once listening; exits when the parent disconnects.
 */
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/** What the parent passes as argv[2] (JSON). */
export interface ServerTask {
  /** Burst sizes to serialize up front; any other size is built on first request and cached. */
  readonly bursts: readonly number[]
}

/** The one message the server sends to its parent. */
export interface ServerReady {
  readonly port: number
}

/** Bytes per `res.write`: large enough that the server's JS cost per event is negligible. */
const WRITE_SLICE_BYTES = 256 * 1024

const bursts = new Map<number, Buffer>()

/** One event per line pair: the id makes every client track a last event ID, as a real feed would. */
function serializeBurst(count: number): Buffer {
  const parts: string[] = new Array<string>(count)
  for (let i = 0; i < count; i++) parts[i] = `id: ${i}\ndata: {"n":${i}}\n\n`
  return Buffer.from(parts.join(''), 'utf8')
}

function burst(count: number): Buffer {
  let payload = bursts.get(count)
  if (payload === undefined) {
    payload = serializeBurst(count)
    bursts.set(count, payload)
  }
  return payload
}

function openEventStream(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
}

/** Writes `payload` in slices, honouring backpressure, and stops as soon as the client goes away. */
function pump(res: ServerResponse, payload: Buffer): void {
  let offset = 0
  const writeMore = (): void => {
    while (offset < payload.length) {
      if (res.destroyed) return
      const end = Math.min(offset + WRITE_SLICE_BYTES, payload.length)
      const flushed = res.write(payload.subarray(offset, end))
      offset = end
      if (!flushed) {
        res.once('drain', writeMore)
        return
      }
    }
  }
  writeMore()
}

function main(): void {
  const task = JSON.parse(process.argv[2] ?? '{"bursts":[]}') as ServerTask
  for (const count of task.bursts) burst(count)

  const sockets = new Set<Socket>()
  const server = createServer((req, res) => {
    // A client closing mid-burst resets the socket; that is expected, not a server failure.
    res.on('error', () => {})
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (req.method === 'GET' && url.pathname === '/burst') {
      const count = Number(url.searchParams.get('n'))
      if (!Number.isSafeInteger(count) || count < 1) {
        res.writeHead(400).end('n must be a positive integer')
        return
      }
      openEventStream(res)
      pump(res, burst(count))
    } else if (req.method === 'GET' && url.pathname === '/idle') {
      openEventStream(res)
      res.write(': idle\n\n')
    } else {
      res.writeHead(404).end()
    }
  })
  server.headersTimeout = 10_000
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  const stop = (): void => {
    for (const socket of sockets) socket.destroy()
    server.close()
    process.exit(0)
  }
  // The parent owns this process: when it goes (normally or not), so does the server.
  process.on('disconnect', stop)
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)

  server.listen({ port: 0, host: '127.0.0.1', backlog: 1024 }, () => {
    const { port } = server.address() as AddressInfo
    const ready: ServerReady = { port }
    // Started by hand (no IPC channel), it says where it listens and runs until interrupted.
    if (process.send === undefined) console.log(JSON.stringify(ready))
    else process.send(ready)
  })
}

main()
