import type { IncomingHttpHeaders } from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { FeedwatchService } from '../../src/main/app/feedwatch-service'
import type { PushMessage } from '../../src/shared/api'
import { startServer } from '../support/http-server'
import { eventually } from '../support/ops-binaries'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

test("a contact point's secret header never leaves through the API and survives an edit that sends it empty", async () => {
  const received: IncomingHttpHeaders[] = []
  const hook = await startServer((req, res) => {
    received.push(req.headers)
    res.end()
  })
  cleanups.push(() => hook.close())
  const dataDir = await mkdtemp(join(tmpdir(), 'feedwatch-contact-secrets-'))
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
  const service = await FeedwatchService.start({
    dataDir,
    notifier: { notify: () => undefined },
    log: () => undefined,
  })
  cleanups.push(() => service.close())
  const pushes: PushMessage[] = []
  service.subscribe((message) => pushes.push(message))
  const point = {
    id: 'hook',
    name: 'Pager',
    kind: 'webhook' as const,
    url: `${hook.origin}/hook`,
    enabled: true,
    minSeverity: 'info' as const,
    timeoutMs: 2000,
    format: 'json' as const,
  }

  const saved = await service.handlers['contacts:save']({
    ...point,
    headers: [{ name: 'Authorization', value: 'Bearer s3cret', secret: true }],
  })
  // The form sends the secret back empty: the stored value is kept.
  await service.handlers['contacts:save']({
    ...point,
    name: 'Pager (renamed)',
    headers: [{ name: 'Authorization', value: '', secret: true }],
  })
  const { profile } = await service.handlers['profiles:active']({})
  await service.handlers['contacts:test']({ id: 'hook' })
  await eventually(async () => received[0], 5000, 'the test notification')

  expect(saved.headers).toEqual([
    { name: 'Authorization', value: '', secret: true, valueSet: true },
  ])
  expect(profile.contactPoints[0]?.headers[0]).toMatchObject({ value: '', valueSet: true })
  expect(JSON.stringify(pushes)).not.toContain('s3cret')
  expect(received[0]?.authorization).toBe('Bearer s3cret')
})
