import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { allowedHostHeaders } from '../server/access-control'
import type { MetricsPage } from './feedwatch-metrics'
import { sendMetrics } from './metrics-response'

/** Options of {@link startMetricsServer}. */
export interface MetricsServerOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  readonly port: number
  readonly render: () => Promise<MetricsPage>
  /** Told why a scrape failed. @defaultValue `console.error` */
  readonly onError?: (error: unknown) => void
}

/** A running metrics server. */
export interface RunningMetricsServer {
  /** `http://127.0.0.1:PORT/metrics`. */
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

/**
 * Serves only `GET /metrics`, on 127.0.0.1 only: the desktop app's "expose /metrics" setting, for a
 * Prometheus or Grafana Agent on the same machine. Requests with another `Host` (a web page using DNS
 * rebinding to read the values) are refused, as on `feedwatch serve`.
 */
export async function startMetricsServer(
  options: MetricsServerOptions,
): Promise<RunningMetricsServer> {
  const onError =
    options.onError ?? ((error) => console.error('feedwatch: /metrics failed:', error))
  let allowedHosts = new Set<string>()
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://feedwatch.invalid').pathname
    if (!allowedHosts.has((request.headers.host ?? '').toLowerCase())) {
      response.writeHead(421, { 'Content-Type': 'text/plain' })
      response.end('unexpected Host header\n')
    } else if (path !== '/metrics') {
      response.writeHead(404, { 'Content-Type': 'text/plain' })
      response.end('only /metrics is served here\n')
    } else {
      void sendMetrics(request, response, options.render, onError)
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  allowedHosts = allowedHostHeaders('127.0.0.1', port)
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
