import { mkdtemp, rm } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { FeedwatchService } from '../../src/main/app/feedwatch-service'
import type { AlertNotice } from '../../src/shared/alerts'
import { feedDraftSchema } from '../../src/shared/api'
import { waitFor } from '../support/connection-probe'
import { openEventStream, startServer, type TestServer } from '../support/http-server'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A feed that sends events 1..n after the Last-Event-ID it is given, then holds the stream. */
async function numberedFeed(
  total: number,
): Promise<{ server: TestServer; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = []
  const server = await startServer((req, res) => {
    requests.push(req)
    openEventStream(res)
    const after = Number(req.headers['last-event-id'] ?? 0)
    for (let id = after + 1; id <= total; id++) res.write(`id: ${id}\ndata: {"cpu":0.99}\n\n`)
  })
  cleanups.push(() => server.close())
  return { server, requests }
}

async function start(dataDir: string, notices: AlertNotice[] = []): Promise<FeedwatchService> {
  return FeedwatchService.start({
    dataDir,
    notifier: { notify: (n) => notices.push(n) },
    log: () => {},
  })
}

test('after a restart each feed resumes from its saved last event ID and acknowledged alerts stay quiet', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'feedwatch-restart-'))
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
  const { server, requests } = await numberedFeed(5)

  const notices: AlertNotice[] = []
  const first = await start(dataDir, notices)
  // The rule needs the feed to exist, and must be in place before the feed's events arrive.
  await first.handlers['feeds:add'](
    feedDraftSchema.parse({ id: 'api', name: 'API', url: server.origin, enabled: false }),
  )
  await first.handlers['rules:save']({
    kind: 'condition',
    id: 'cpu',
    name: 'CPU high',
    enabled: true,
    severity: 'critical',
    repeatIntervalSeconds: 0,
    source: { feedId: 'api', path: 'cpu' },
    operator: '>',
    value: 0.9,
    pendingSeconds: 0,
  })
  await first.handlers['feeds:enable']({ id: 'api' })
  const firing = await waitFor(
    async () => (await first.handlers['alerts:list']({})).active.find((a) => a.state === 'firing'),
    5000,
  )
  await first.handlers['alerts:ack']({ alertId: firing.id })
  await waitFor(() => (requests.length === 1 ? true : undefined), 5000)
  await first.close()
  const firingNotices = notices.filter((n) => n.kind === 'firing').length

  const second = await start(dataDir, notices)
  cleanups.push(() => second.close())
  await waitFor(() => (requests.length === 2 ? true : undefined), 5000)
  expect(requests[1]?.headers['last-event-id']).toBe('5')
  const { active } = await second.handlers['alerts:list']({})
  expect(active).toEqual([expect.objectContaining({ id: firing.id, acknowledged: true })])
  // The restored alert does not announce itself again.
  await new Promise((resolve) => setTimeout(resolve, 300))
  expect(notices.filter((n) => n.kind === 'firing')).toHaveLength(firingNotices)
})
