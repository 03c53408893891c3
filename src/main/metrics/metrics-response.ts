import type { IncomingMessage, ServerResponse } from 'node:http'
import type { MetricsPage } from './feedwatch-metrics'

/**
 * Answers a request for `/metrics`: GET or HEAD only, never cached, and a plain 500 (the reason goes
 * to `onError`, not to the scraper) when rendering fails, so Prometheus records a failed scrape.
 */
export async function sendMetrics(
  request: IncomingMessage,
  response: ServerResponse,
  render: () => Promise<MetricsPage>,
  onError: (error: unknown) => void,
): Promise<void> {
  const headers = { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Type': 'text/plain' })
    response.end('/metrics is GET only\n')
    return
  }
  let page: MetricsPage
  try {
    page = await render()
  } catch (error) {
    onError(error)
    response.writeHead(500, { ...headers, 'Content-Type': 'text/plain' })
    response.end('metrics could not be rendered\n')
    return
  }
  response.writeHead(200, { ...headers, 'Content-Type': page.contentType })
  response.end(request.method === 'HEAD' ? undefined : page.body)
}
