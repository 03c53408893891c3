import { request } from 'node:http'
import { afterEach, expect, test } from 'vitest'
import {
  startMetricsServer,
  type RunningMetricsServer,
} from '../../src/main/metrics/metrics-server'
import { createFeedwatchMetrics } from '../../src/main/metrics/feedwatch-metrics'

let server: RunningMetricsServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

/** A metrics server on a free port whose page says `feedwatch_up 1`. */
async function start(
  render = async () => ({ contentType: 'text/plain; version=0.0.4', body: 'feedwatch_up 1\n' }),
) {
  server = await startMetricsServer({ port: 0, render, onError: () => undefined })
  return server
}

/** A raw request, so the Host header can be anything. */
function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; body: string; type: string | undefined }>(
    (resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
        let body = ''
        res.on('data', (chunk: Buffer) => (body += chunk.toString()))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body, type: res.headers['content-type'] }),
        )
      })
      req.on('error', reject)
      req.end()
    },
  )
}

test('the desktop metrics server answers GET /metrics on 127.0.0.1 in the Prometheus format', async () => {
  const running = await start()
  expect(running.url).toBe(`http://127.0.0.1:${running.port}/metrics`)
  const response = await fetch(running.url)
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4')
  expect(await response.text()).toBe('feedwatch_up 1\n')
})

test('it serves nothing but /metrics', async () => {
  const running = await start()
  expect((await get(running.port, '/')).status).toBe(404)
  expect((await get(running.port, '/api/profiles/list')).status).toBe(404)
})

test('it refuses a Host that is not this machine (DNS rebinding)', async () => {
  const running = await start()
  expect(
    (await get(running.port, '/metrics', { Host: `evil.example:${running.port}` })).status,
  ).toBe(421)
})

test('it refuses methods other than GET and HEAD', async () => {
  const running = await start()
  expect((await get(running.port, '/metrics', {}, 'POST')).status).toBe(405)
})

test('a page that cannot be rendered is a 500 without the reason', async () => {
  const running = await start(() => Promise.reject(new Error('secret detail')))
  const response = await get(running.port, '/metrics')
  expect(response.status).toBe(500)
  expect(response.body).not.toContain('secret detail')
})

test('it serves the registry of the running profiles', async () => {
  const metrics = createFeedwatchMetrics(() => [], { processMetrics: false })
  const running = await start(() => metrics.render())
  const response = await fetch(running.url)
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
  expect(await response.text()).toContain('# TYPE feedwatch_feed_events_total counter')
})
