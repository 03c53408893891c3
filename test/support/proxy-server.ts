import { createServer, request, type IncomingMessage } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'

/** A forward HTTP proxy on 127.0.0.1 that records what it was asked to do. */
export interface TestProxy {
  /** `http://127.0.0.1:PORT`, the value for `HTTP_PROXY` / `HTTPS_PROXY`. */
  readonly origin: string
  /** Absolute-URI targets of the plain HTTP requests it forwarded, e.g. `http://127.0.0.1:1234/`. */
  readonly forwarded: readonly string[]
  /** `host:port` targets of the CONNECT tunnels it opened. */
  readonly tunnels: readonly string[]
  close(): Promise<void>
}

/**
 * Starts a minimal forward proxy: absolute-URI requests are forwarded with node:http and streamed
 * back; CONNECT opens a TCP tunnel. Enough to prove a request went through it, nothing more.
 */
export async function startProxy(): Promise<TestProxy> {
  const forwarded: string[] = []
  const tunnels: string[] = []
  const sockets = new Set<Socket>()
  const server = createServer((req, res) => {
    const target = req.url ?? ''
    forwarded.push(target)
    const upstream = request(
      target,
      { method: req.method, headers: withoutHopByHop(req) },
      (answer: IncomingMessage) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        res.flushHeaders()
        answer.pipe(res)
      },
    )
    upstream.on('error', () => res.destroy())
    res.on('close', () => upstream.destroy())
    req.pipe(upstream)
  })
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? ''
    tunnels.push(target)
    const [host = '', port = ''] = target.split(/:(?=\d+$)/)
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    sockets.add(upstream)
    upstream.on('close', () => sockets.delete(upstream))
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
    client.on('close', () => upstream.destroy())
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    forwarded,
    tunnels,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** The request's headers minus those that describe the hop to the proxy itself. */
function withoutHopByHop(req: IncomingMessage): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === 'proxy-connection' || name === 'connection') continue
    headers[name] = value
  }
  return headers
}
