import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * An SSE server on 127.0.0.1 sending `{"v": n}` (n counting 0 to 16 and round again) every 200 ms
 * until paused; the stream stays open when paused.
 */
export class MetronomeFeed {
  private server: Server | undefined
  private readonly clients = new Set<ServerResponse>()
  private timer: NodeJS.Timeout | undefined
  private n = 0
  port = 0

  async start(): Promise<void> {
    this.server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
      response.write(': hello\n\n')
      this.clients.add(response)
      response.on('close', () => this.clients.delete(response))
    })
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
    this.port = (this.server.address() as AddressInfo).port
    this.resume()
  }

  pause(): void {
    clearInterval(this.timer)
  }

  resume(): void {
    this.timer = setInterval(() => {
      this.n++
      for (const client of this.clients) client.write(`data: {"v": ${this.n % 17}}\n\n`)
    }, 200)
  }

  async stop(): Promise<void> {
    this.pause()
    for (const client of this.clients) client.destroy()
    await new Promise<void>((resolve) => this.server?.close(() => resolve()))
  }
}
