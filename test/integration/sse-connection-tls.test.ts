/**
 * README "SSE behaviour": a TLS certificate error fails with a readable reason and no retry; an extra
 * CA per feed is trusted; `insecure` accepts any certificate. The certificate and CA are fixtures in
 * test/fixtures/tls; test/support/tls-fixtures.ts shows the OpenSSL commands that made them.
 */
import { afterEach, expect, test } from 'vitest'
import { openEventStream, startTlsServer, type TestServer } from '../support/http-server'
import { disconnectAll, sleep, watchConnection } from '../support/connection-probe'
import { serverTls, testCa } from '../support/tls-fixtures'

const servers: TestServer[] = []
afterEach(async () => {
  disconnectAll()
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function serveTls(): Promise<TestServer> {
  const server = await startTlsServer((_req, res) => {
    openEventStream(res)
    res.write('data: secure\n\n')
  }, serverTls)
  servers.push(server)
  return server
}

test('a certificate from an unknown authority fails with code tls and no retry', async () => {
  const server = await serveTls()
  const feed = watchConnection({ url: server.origin, reconnectDelay: 20 })
  feed.connection.connect()
  const failed = await feed.waitForState('failed')
  expect(failed.code).toBe('tls')
  expect(failed.reason).toMatch(/certificate/i)
  await sleep(150)
  expect(server.connections).toBe(1)
  expect(server.requests).toHaveLength(0)
  expect(feed.names()).toEqual(['connecting', 'failed'])
})

test('the feed opens when its ca option holds the authority', async () => {
  const server = await serveTls()
  const feed = watchConnection({ url: server.origin, ca: testCa })
  feed.connection.connect()
  await feed.waitForState('open')
  const [event] = await feed.waitForEvents(1)
  expect(event?.data).toBe('secure')
})

test('the extra authority also covers the localhost name in the certificate', async () => {
  const server = await serveTls()
  const feed = watchConnection({ url: `https://localhost:${server.port}/`, ca: testCa })
  feed.connection.connect()
  await feed.waitForState('open')
})

test('insecure accepts a certificate from an unknown authority', async () => {
  const server = await serveTls()
  const feed = watchConnection({ url: server.origin, insecure: true })
  feed.connection.connect()
  await feed.waitForState('open')
  await feed.waitForEvents(1)
})
