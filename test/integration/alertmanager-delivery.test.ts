import type { ServerResponse } from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { FeedwatchService } from '../../src/main/app/feedwatch-service'
import { feedDraftSchema } from '../../src/shared/api'
import type { AlertNotice } from '../../src/shared/alerts'
import type { DeliveryLogEntry } from '../../src/shared/delivery'
import { profileSchema, type Profile } from '../../src/shared/profile'
import { AlertDelivery } from '../../src/main/delivery/alert-delivery'
import { openEventStream, readBody, startServer, type TestServer } from '../support/http-server'
import {
  ALERTMANAGER_BIN,
  eventually,
  missingBinary,
  startAlertmanager,
  type OpsServer,
} from '../support/ops-binaries'

const missing = missingBinary(ALERTMANAGER_BIN)
const cleanups: (() => Promise<void> | void)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

interface AlertmanagerAlert {
  labels: Record<string, string>
  annotations: Record<string, string>
  startsAt: string
  endsAt: string
  generatorURL?: string
  status: { state: string }
}

/** Alertmanager routing everything to a webhook of this test, at once, resolutions included. */
async function alertmanagerWithReceiver(): Promise<{ am: OpsServer; received: unknown[] }> {
  const received: unknown[] = []
  const hook: TestServer = await startServer((req, res) => {
    void readBody(req).then((body) => {
      received.push(JSON.parse(body))
      res.end()
    })
  })
  cleanups.push(() => hook.close())
  const am = await startAlertmanager(`
route:
  receiver: test
  group_by: [alertname, profile]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: test
    webhook_configs:
      - url: ${hook.origin}/hook
        send_resolved: true
`)
  cleanups.push(() => am.close())
  return { am, received }
}

function opsProfile(alertmanagerUrl: string): Profile {
  return profileSchema.parse({
    version: 1,
    name: 'Ops',
    feeds: [{ id: 'api', name: 'API', url: 'http://127.0.0.1:1/events' }],
    rules: [
      {
        id: 'cpu-high',
        name: 'CPU high',
        kind: 'condition',
        severity: 'critical',
        source: { feedId: 'api', path: 'cpu' },
        operator: '>',
        value: 0.9,
      },
    ],
    contactPoints: [
      { id: 'am', name: 'Team Alertmanager', kind: 'alertmanager', url: alertmanagerUrl },
    ],
  })
}

function notice(kind: AlertNotice['kind'], at: number): AlertNotice {
  return {
    kind,
    title: `${kind === 'resolved' ? 'Resolved' : 'Firing'}: CPU high`,
    body: kind === 'resolved' ? 'cpu is 0.2 on API' : 'cpu is 0.97 (> 0.9) on API',
    severity: 'critical',
    feedId: 'api',
    ruleId: 'cpu-high',
    alertId: 'alert-1',
    at,
  }
}

async function alertsAt(am: OpsServer): Promise<AlertmanagerAlert[]> {
  return (await (await fetch(`${am.origin}/api/v2/alerts`)).json()) as AlertmanagerAlert[]
}

describe.skipIf(missing !== undefined)(
  `Alertmanager${missing === undefined ? '' : ` (skipped: ${missing})`}`,
  () => {
    test('Alertmanager shows a firing alert with our labels, then its resolution', async () => {
      const { am, received } = await alertmanagerWithReceiver()
      const log: DeliveryLogEntry[] = []
      const delivery = new AlertDelivery({
        generatorUrl: () => 'http://127.0.0.1:4000/alerts',
        onLog: (_profile, entry) => log.push(entry),
      })
      cleanups.push(() => delivery.close())
      delivery.configure(opsProfile(am.origin))
      const firingAt = Date.now() - 5000

      delivery.deliver(notice('firing', firingAt), 'Ops', 0.97)
      const [alert] = await eventually(
        async () => {
          const alerts = await alertsAt(am)
          return alerts.length > 0 ? alerts : undefined
        },
        5000,
        'the alert at Alertmanager',
      )
      expect(alert?.labels).toEqual({
        alertname: 'CPU high',
        severity: 'critical',
        profile: 'Ops',
        feed: 'API',
      })
      expect(alert?.annotations).toEqual({
        summary: 'Firing: CPU high',
        description: 'cpu is 0.97 (> 0.9) on API',
        value: '0.97',
      })
      expect(alert?.status.state).toBe('active')
      expect(Date.parse(alert?.startsAt ?? '')).toBe(firingAt)
      expect(alert?.generatorURL).toBe('http://127.0.0.1:4000/alerts')

      delivery.deliver(notice('resolved', Date.now()), 'Ops', 0.2)
      await eventually(
        async () => ((await alertsAt(am)).length === 0 ? true : undefined),
        5000,
        'the alert to resolve',
      )
      const statuses = await eventually(
        async () => {
          const seen = received.map((body) => (body as { status: string }).status)
          return seen.includes('resolved') ? seen : undefined
        },
        5000,
        "Alertmanager's resolved notification",
      )
      expect(statuses).toEqual(['firing', 'resolved'])
      expect(log.map((entry) => [entry.outcome, entry.label])).toEqual([
        ['delivered', 'Firing: CPU high'],
        ['delivered', 'Resolved: CPU high'],
      ])
    }, 30_000)

    test('a test notification reaches Alertmanager as an alert of its own', async () => {
      const { am } = await alertmanagerWithReceiver()
      const delivery = new AlertDelivery()
      cleanups.push(() => delivery.close())
      delivery.configure(opsProfile(am.origin))
      expect(delivery.test('Ops', 'am')).toBe(true)
      const alerts = await eventually(
        async () => {
          const found = await alertsAt(am)
          return found.length > 0 ? found : undefined
        },
        5000,
        'the test alert',
      )
      expect(alerts[0]?.labels).toMatchObject({
        alertname: 'Feedwatch test notification',
        severity: 'info',
        profile: 'Ops',
      })
    }, 30_000)

    test('an alert that ended without a notice is resolved at the next re-send', async () => {
      const { am } = await alertmanagerWithReceiver()
      let firing = new Set(['alert-1'])
      const delivery = new AlertDelivery({ resendIntervalMs: 300, firingAlertIds: () => firing })
      cleanups.push(() => delivery.close())
      delivery.configure(opsProfile(am.origin))
      delivery.deliver(notice('firing', Date.now()), 'Ops', 0.97)
      await eventually(
        async () => ((await alertsAt(am)).length === 1 ? true : undefined),
        5000,
        'the alert at Alertmanager',
      )
      firing = new Set()
      await eventually(
        async () => ((await alertsAt(am)).length === 0 ? true : undefined),
        5000,
        'the alert to resolve',
      )
    }, 30_000)

    test('a value on a live feed fires an alert at Alertmanager, and clearing it resolves it there', async () => {
      const { am } = await alertmanagerWithReceiver()
      let stream: ServerResponse | undefined
      const feed = await startServer((_req, res) => {
        openEventStream(res)
        stream = res
      })
      cleanups.push(() => feed.close())
      const dataDir = await mkdtemp(join(tmpdir(), 'feedwatch-alertmanager-'))
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
      const service = await FeedwatchService.start({
        dataDir,
        notifier: { notify: () => undefined },
        log: () => undefined,
      })
      cleanups.push(() => service.close())
      const profile = 'Ops'
      await service.handlers['profiles:create']({ name: profile })
      await service.handlers['contacts:save']({
        profile,
        id: 'am',
        name: 'Team Alertmanager',
        kind: 'alertmanager',
        url: am.origin,
        enabled: true,
        headers: [],
        minSeverity: 'warning',
        timeoutMs: 2000,
      })
      await service.handlers['feeds:add']({
        ...feedDraftSchema.parse({ id: 'api', name: 'API', url: feed.origin }),
        profile,
      })
      await service.handlers['rules:save']({
        profile,
        kind: 'condition',
        id: 'cpu-high',
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

      stream?.write('data: {"cpu":0.97}\n\n')
      const [alert] = await eventually(
        async () => {
          const alerts = await alertsAt(am)
          return alerts.length > 0 ? alerts : undefined
        },
        5000,
        'the alert at Alertmanager',
      )
      expect(alert?.labels).toEqual({
        alertname: 'CPU high',
        severity: 'critical',
        profile: 'Ops',
        feed: 'API',
      })
      expect(alert?.annotations.value).toBe('0.97')

      stream?.write('data: {"cpu":0.2}\n\n')
      await eventually(
        async () => ((await alertsAt(am)).length === 0 ? true : undefined),
        5000,
        'the alert to resolve',
      )
    }, 30_000)
  },
)
