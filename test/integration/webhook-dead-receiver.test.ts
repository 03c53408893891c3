import type { ServerResponse } from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { FeedwatchService } from '../../src/main/app/feedwatch-service'
import { feedDraftSchema, type ProfileAlertNotice } from '../../src/shared/api'
import { openEventStream, startServer } from '../support/http-server'
import { eventually } from '../support/ops-binaries'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

test('a webhook that never answers delays neither alert evaluation nor desktop notifications', async () => {
  // A receiver that takes every request and never answers: each delivery hangs for its 30 s timeout.
  const dead = await startServer(() => undefined)
  cleanups.push(() => dead.close())
  let stream: ServerResponse | undefined
  const feed = await startServer((_req, res) => {
    openEventStream(res)
    stream = res
  })
  cleanups.push(() => feed.close())

  const dataDir = await mkdtemp(join(tmpdir(), 'feedwatch-dead-webhook-'))
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
  const notices: { notice: ProfileAlertNotice; at: number }[] = []
  const service = await FeedwatchService.start({
    dataDir,
    notifier: { notify: (notice) => notices.push({ notice, at: Date.now() }) },
    log: () => undefined,
  })
  cleanups.push(() => service.close())
  const profile = 'Ops'
  await service.handlers['profiles:create']({ name: profile })
  await service.handlers['contacts:save']({
    profile,
    id: 'dead',
    name: 'Dead hook',
    kind: 'webhook',
    url: `${dead.origin}/hook`,
    enabled: true,
    headers: [],
    minSeverity: 'info',
    timeoutMs: 30_000,
    format: 'json',
  })
  await service.handlers['feeds:add']({
    ...feedDraftSchema.parse({ id: 'api', name: 'API', url: feed.origin }),
    profile,
  })
  await service.handlers['rules:save']({
    profile,
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
  await service.handlers['profiles:start']({ name: profile })
  await eventually(async () => stream, 5000, 'the feed to connect')

  /** Sends a value and returns how long the desktop notice of kind `kind` took to come. */
  const send = async (cpu: number, kind: ProfileAlertNotice['kind']): Promise<number> => {
    const sentAt = Date.now()
    const before = notices.length
    stream?.write(`data: {"cpu":${cpu}}\n\n`)
    const { at } = await eventually(
      async () =>
        notices.slice(before).find((n) => n.notice.profile === profile && n.notice.kind === kind),
      5000,
      `a ${kind} notice`,
    )
    return at - sentAt
  }

  const latencies = [
    await send(0.99, 'firing'),
    await send(0.1, 'resolved'),
    await send(0.99, 'firing'),
  ]

  // The first notice is still hanging at the receiver, and the two after it wait behind it.
  expect(dead.requests).toHaveLength(1)
  const { stats } = await service.handlers['contacts:log']({ profile })
  expect(stats).toEqual([
    { contactPointId: 'dead', name: 'Dead hook', delivered: 0, failed: 0, dropped: 0, queued: 3 },
  ])
  // Each notice came as soon as its value arrived, far inside the 30 s the receiver holds delivery.
  for (const latency of latencies) expect(latency).toBeLessThan(1000)
})
