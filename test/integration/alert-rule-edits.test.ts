/**
 * Through the service, as the app and `feedwatch serve` run it: editing or removing a firing rule
 * tells whoever was told it fired that it ended, and why.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { FeedwatchService } from '../../src/main/app/feedwatch-service'
import type { AlertNotice } from '../../src/shared/alerts'
import { feedDraftSchema } from '../../src/shared/api'
import type { ConditionRule } from '../../src/shared/profile'
import { waitFor } from '../support/connection-probe'
import { openEventStream, startServer } from '../support/http-server'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const cpuHigh: ConditionRule = {
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
}

/** A service whose feed `api` sends `{"cpu":0.95}` every 50 ms, with `cpuHigh` firing on it. */
async function firingService(): Promise<{ service: FeedwatchService; notices: AlertNotice[] }> {
  const feed = await startServer((_req, res) => {
    openEventStream(res)
    const timer = setInterval(() => res.write('data: {"cpu":0.95}\n\n'), 50)
    res.on('close', () => clearInterval(timer))
  })
  cleanups.push(() => feed.close())
  const dataDir = await mkdtemp(join(tmpdir(), 'feedwatch-rule-edits-'))
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
  const notices: AlertNotice[] = []
  const service = await FeedwatchService.start({
    dataDir,
    notifier: { notify: (notice) => notices.push(notice) },
    log: () => {},
  })
  cleanups.push(() => service.close())
  await service.handlers['feeds:add'](
    feedDraftSchema.parse({ id: 'api', name: 'API', url: feed.origin }),
  )
  await service.handlers['rules:save'](cpuHigh)
  await waitFor(() => notices.some((notice) => notice.kind === 'firing'), 5000)
  return { service, notices }
}

test('editing a firing rule through the service sends a resolved notice saying the rule changed', async () => {
  const { service, notices } = await firingService()
  await service.handlers['rules:save']({ ...cpuHigh, value: 0.99 })
  const resolved = await waitFor(() => notices.find((notice) => notice.kind === 'resolved'), 5000)
  expect(resolved).toMatchObject({
    ruleId: 'cpu',
    alertId: notices[0]?.alertId,
    reason: 'rule-changed',
    body: 'Ended because the rule was changed; cpu is 0.95 on API',
  })
})

test('removing a firing rule through the service sends a resolved notice saying the rule was removed', async () => {
  const { service, notices } = await firingService()
  await service.handlers['rules:remove']({ id: 'cpu' })
  const resolved = await waitFor(() => notices.find((notice) => notice.kind === 'resolved'), 5000)
  expect(resolved).toMatchObject({
    ruleId: 'cpu',
    alertId: notices[0]?.alertId,
    reason: 'rule-removed',
  })
  expect((await service.handlers['alerts:list']({})).active).toEqual([])
})
