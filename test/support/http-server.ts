import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/** A node:http server on 127.0.0.1 with an ephemeral port, for one test. */
export interface TestServer {
  /** `http://127.0.0.1:PORT` without a trailing slash. */
  readonly origin: string
  readonly server: Server
  /** Destroys open sockets (SSE responses never end by themselves) and closes the server. */
  close(): Promise<void>
}

/** Starts `handler` on 127.0.0.1:0 and tracks sockets so {@link TestServer.close} is immediate. */
export async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TestServer> {
  const sockets = new Set<Socket>()
  const server = createServer(handler)
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** Writes SSE response headers with status 200. */
export function openEventStream(res: ServerResponse, extraHeaders: Record<string, string> = {}): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    ...extraHeaders,
  })
  res.flushHeaders()
}
