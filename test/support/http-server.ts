import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'

/** What a test server saw of one request, recorded before its handler runs. */
export interface RecordedRequest {
  /** Arrival time, epoch ms (`Date.now()`, the engine's default clock). */
  readonly at: number
  readonly method: string
  /** Path and query, as sent. */
  readonly url: string
  readonly headers: IncomingHttpHeaders
  /** Header names and values in the order sent, repeats included. */
  readonly rawHeaders: readonly string[]
}

/** A node:http or node:https server on 127.0.0.1 with an ephemeral port, for one test. */
export interface TestServer {
  /** `http://127.0.0.1:PORT` (or `https:`) without a trailing slash. */
  readonly origin: string
  readonly port: number
  readonly server: Server
  /** Every request the server received, in order of arrival. */
  readonly requests: readonly RecordedRequest[]
  /** TCP connections accepted so far (a TLS handshake that fails still counts). */
  readonly connections: number
  /** Destroys open sockets (SSE responses never end by themselves) and closes the server. */
  close(): Promise<void>
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void

/** Starts `handler` on 127.0.0.1:0 and tracks sockets so {@link TestServer.close} is immediate. */
export async function startServer(handler: Handler): Promise<TestServer> {
  return listen(createServer(), 'http:', handler)
}

/** Like {@link startServer}, over TLS with the given PEM key and certificate. */
export async function startTlsServer(
  handler: Handler,
  tls: { readonly key: string; readonly cert: string },
): Promise<TestServer> {
  return listen(createTlsServer(tls), 'https:', handler)
}

async function listen(server: Server, protocol: string, handler: Handler): Promise<TestServer> {
  const sockets = new Set<Socket>()
  const requests: RecordedRequest[] = []
  let connections = 0
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    requests.push({
      at: Date.now(),
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      rawHeaders: req.rawHeaders,
    })
    handler(req, res)
  })
  // 'connection' is the raw TCP socket for both node:http and node:https.
  server.on('connection', (socket: Socket) => {
    connections++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `${protocol}//127.0.0.1:${port}`,
    port,
    server,
    requests,
    get connections() {
      return connections
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** Writes SSE response headers with status 200. */
export function openEventStream(
  res: ServerResponse,
  extraHeaders: Record<string, string> = {},
): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    ...extraHeaders,
  })
  res.flushHeaders()
}

/** Reads a request body as UTF-8 text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** An `http://127.0.0.1:PORT` origin where nothing listens: connecting to it is refused. */
export async function refusingOrigin(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}
