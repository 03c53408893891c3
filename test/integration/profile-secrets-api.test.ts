import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { request, type ClientRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { FeedwatchService } from '../../src/main/app/feedwatch-service'
import { startFeedwatchServer, type RunningServer } from '../../src/main/server/feedwatch-server'
import { PushStream } from '../../src/main/server/push-stream'
import { commands, type CommandName } from '../../src/shared/api'
import { openEventStream, startServer, type TestServer } from '../support/http-server'

/**
 * Secret header values never leave the main process: every command of the contract is sent over
 * real HTTP, every push is read from the push stream, and no byte of a secret may appear in either.
 */

/** Distinct marks, so a secret is found even inside a longer text. */
const FEED_SECRET = 'Bearer feed-s3cret-4b1d'
const HOOK_SECRET = 'hook-s3cret-9c2e'
const NEW_SECRET = 'new-s3cret-77aa'
const SECRETS = [FEED_SECRET, HOOK_SECRET, NEW_SECRET]

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

interface Harness {
  readonly dataDir: string
  readonly server: RunningServer
  readonly feed: TestServer
  readonly hook: TestServer
  /** Everything the push stream sent so far. */
  pushed(): string
}

async function startHarness(): Promise<Harness> {
  const feed = await startServer((_req, res) => {
    openEventStream(res)
    res.write('id: 1\ndata: {"cpu":0.9}\n\n')
  })
  cleanups.push(() => feed.close())
  const hook = await startServer((req, res) => {
    req.resume()
    req.on('end', () => res.end('ok'))
  })
  cleanups.push(() => hook.close())
  const dataDir = await mkdtemp(join(tmpdir(), 'feedwatch-secrets-'))
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
  await mkdir(join(dataDir, 'profiles'))
  await writeFile(
    join(dataDir, 'profiles', 'ops.json'),
    JSON.stringify({
      version: 1,
      name: 'Ops',
      feeds: [
        {
          id: 'orders',
          name: 'Orders',
          url: `${feed.origin}/orders`,
          headers: [
            { name: 'Authorization', value: FEED_SECRET, secret: true },
            { name: 'X-Team', value: 'ops', secret: false },
          ],
        },
      ],
      contactPoints: [
        {
          id: 'hook',
          kind: 'webhook',
          name: 'Hook',
          url: `${hook.origin}/hook`,
          headers: [{ name: 'X-Hook-Token', value: HOOK_SECRET, secret: true }],
        },
      ],
    }),
  )
  const service = await FeedwatchService.start({
    dataDir,
    profileName: 'Ops',
    notifier: { notify: () => undefined },
    log: () => undefined,
  })
  const pushes = new PushStream()
  const unsubscribe = service.subscribe((message) => pushes.publish(message))
  const server = await startFeedwatchServer({
    handlers: service.handlers,
    pushes,
    staticRoot: join(dataDir, 'no-renderer'),
    host: '127.0.0.1',
    port: 0,
    token: undefined,
    readOnly: false,
  })
  cleanups.push(async () => {
    unsubscribe()
    await server.close()
    await service.close()
  })
  let pushed = ''
  const stream: ClientRequest = request(`${server.url}/api/stream`, (res) => {
    res.on('data', (chunk: Buffer) => (pushed += chunk.toString('latin1')))
  })
  stream.on('error', () => undefined)
  stream.end()
  cleanups.push(() => void stream.destroy())
  return { dataDir, server, feed, hook, pushed: () => pushed }
}

/** Sends one command; the reply body as raw text. */
async function send(harness: Harness, name: string, payload: unknown): Promise<string> {
  const [domain, verb] = name.split(':')
  const reply = await fetch(`${harness.server.url}/api/${domain}/${verb}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(payload),
  })
  return Buffer.from(await reply.arrayBuffer()).toString('latin1')
}

function ok(body: string): unknown {
  const parsed = JSON.parse(body) as { ok: boolean; value?: unknown; error?: unknown }
  if (!parsed.ok) throw new Error(`expected ok, got ${body}`)
  return parsed.value
}

test('no reply to any command and no push carries a byte of a secret value', async () => {
  const harness = await startHarness()
  const feedUrl = `${harness.feed.origin}/orders`
  const ordersForm = {
    profile: 'Ops',
    id: 'orders',
    name: 'Orders',
    url: feedUrl,
    headers: [
      { name: 'Authorization', value: '', secret: true },
      { name: 'X-Team', value: 'ops' },
    ],
  }
  const rule = {
    profile: 'Ops',
    id: 'cpu',
    kind: 'condition',
    name: 'CPU high',
    source: { feedId: 'orders', path: 'cpu' },
    operator: '>',
    value: 0.5,
  }
  let exported = ''
  const steps: [CommandName, () => unknown][] = [
    ['profiles:list', () => ({})],
    ['profiles:active', () => ({ name: 'Ops' })],
    ['profiles:running', () => ({})],
    ['profiles:switch', () => ({ name: 'Ops' })],
    ['profiles:start', () => ({ name: 'Ops' })],
    ['profiles:create', () => ({ name: 'Scratch' })],
    ['profiles:duplicate', () => ({ name: 'Ops', newName: 'Ops copy' })],
    ['profiles:rename', () => ({ name: 'Scratch', newName: 'Scratch 2' })],
    ['profiles:export', () => ({ name: 'Ops' })],
    ['profiles:import', () => ({ json: exported, name: 'Imported' })],
    ['settings:save', () => ({ profile: 'Ops', theme: 'dark' })],
    ['feeds:list', () => ({ profile: 'Ops' })],
    [
      'feeds:add',
      () => ({
        profile: 'Ops',
        id: 'billing',
        name: 'Billing',
        url: `${harness.feed.origin}/billing`,
        headers: [{ name: 'X-Key', value: NEW_SECRET, secret: true }],
      }),
    ],
    ['feeds:update', () => ordersForm],
    ['feeds:disable', () => ({ profile: 'Ops', id: 'billing' })],
    ['feeds:enable', () => ({ profile: 'Ops', id: 'billing' })],
    ['feeds:disconnect', () => ({ profile: 'Ops', id: 'orders' })],
    ['feeds:connect', () => ({ profile: 'Ops', id: 'orders' })],
    ['feeds:retry', () => ({ profile: 'Ops', id: 'orders' })],
    ['feeds:test', () => ordersForm],
    ['events:query', () => ({ profile: 'Ops', feedId: 'orders' })],
    [
      'panels:save',
      () => ({
        profile: 'Ops',
        id: 'cpu-tile',
        kind: 'tile',
        title: 'CPU',
        source: { feedId: 'orders', path: 'cpu' },
      }),
    ],
    ['layout:save', () => ({ profile: 'Ops', wallPanels: ['cpu-tile'] })],
    ['rules:save', () => rule],
    ['rules:preview', () => rule],
    ['alerts:list', () => ({ profile: 'Ops' })],
    ['alerts:silence', () => ({ profile: 'Ops', ruleId: 'cpu', until: Date.now() + 60_000 })],
    ['alerts:unsilence', () => ({ profile: 'Ops', ruleId: 'cpu' })],
    ['alerts:ack', () => ({ profile: 'Ops', alertId: 'none' })],
    [
      'contacts:save',
      () => ({
        profile: 'Ops',
        id: 'hook',
        kind: 'webhook',
        name: 'Hook',
        url: `${harness.hook.origin}/hook`,
        headers: [{ name: 'X-Hook-Token', value: '', secret: true }],
      }),
    ],
    ['contacts:test', () => ({ profile: 'Ops', id: 'hook' })],
    ['contacts:log', () => ({ profile: 'Ops' })],
    ['contacts:remove', () => ({ profile: 'Ops', id: 'hook' })],
    ['panels:remove', () => ({ profile: 'Ops', id: 'cpu-tile' })],
    ['rules:remove', () => ({ profile: 'Ops', id: 'cpu' })],
    ['feeds:remove', () => ({ profile: 'Ops', id: 'billing' })],
    ['profiles:stop', () => ({ name: 'Ops' })],
    ['profiles:delete', () => ({ name: 'Scratch 2' })],
  ]
  expect(new Set(steps.map(([name]) => name))).toEqual(new Set(Object.keys(commands)))

  const replies: string[] = []
  for (const [name, payload] of steps) {
    const body = await send(harness, name, payload())
    replies.push(body)
    // alerts:ack names an alert that is not firing; every other command must succeed.
    if (name !== 'alerts:ack') ok(body)
    if (name === 'profiles:export') exported = (ok(body) as { json: string }).json
  }
  // Some pushes follow their command by a moment.
  await new Promise((resolve) => setTimeout(resolve, 300))

  for (const secret of SECRETS) {
    for (const reply of replies) expect(reply).not.toContain(secret)
    expect(harness.pushed()).not.toContain(secret)
  }
  expect(harness.pushed()).toContain('profiles:changed')
  // The secrets were used where they belong and kept on disk.
  expect(harness.feed.requests.some((r) => r.headers.authorization === FEED_SECRET)).toBe(true)
  expect(harness.hook.requests.some((r) => r.headers['x-hook-token'] === HOOK_SECRET)).toBe(true)
  const stored = await readFile(join(harness.dataDir, 'profiles', 'ops.json'), 'utf8')
  expect(stored).toContain(FEED_SECRET)
})

test('a secret header is shown empty with a marker saying a value is set', async () => {
  const harness = await startHarness()
  const active = ok(await send(harness, 'profiles:active', { name: 'Ops' })) as {
    profile: { feeds: { headers: unknown[] }[] }
  }
  expect(active.profile.feeds[0]?.headers).toEqual([
    { name: 'Authorization', value: '', secret: true, valueSet: true },
    { name: 'X-Team', value: 'ops', secret: false },
  ])
})

test('export with secrets is refused over HTTP with a clear error', async () => {
  const harness = await startHarness()
  const reply = JSON.parse(
    await send(harness, 'profiles:export', { name: 'Ops', includeSecrets: true }),
  ) as { ok: boolean; error: { code: string; message: string } }
  expect(reply.ok).toBe(false)
  expect(reply.error.code).toBe('invalid-request')
  expect(reply.error.message).toContain('Export Profile with Secrets')
})

test('a feed moved to another origin keeps no secret it was not given again', async () => {
  const harness = await startHarness()
  const other = await startServer((_req, res) => openEventStream(res))
  cleanups.push(() => other.close())
  const moved = ok(
    await send(harness, 'feeds:update', {
      profile: 'Ops',
      id: 'orders',
      name: 'Orders',
      url: `${other.origin.replace('127.0.0.1', 'localhost')}/orders`,
      headers: [{ name: 'Authorization', value: '', secret: true }],
    }),
  ) as { headers: unknown[] }
  expect(moved.headers).toEqual([
    { name: 'Authorization', value: '', secret: true, valueSet: false },
  ])
  const stored = await readFile(join(harness.dataDir, 'profiles', 'ops.json'), 'utf8')
  expect(stored).not.toContain(FEED_SECRET)
})

test('a header with a control character is refused by feeds:add and nothing is saved', async () => {
  const harness = await startHarness()
  const before = await readFile(join(harness.dataDir, 'profiles', 'ops.json'), 'utf8')
  const reply = JSON.parse(
    await send(harness, 'feeds:add', {
      profile: 'Ops',
      name: 'Bad',
      url: `${harness.feed.origin}/bad`,
      headers: [{ name: 'X-A', value: 'a\u0001b' }],
    }),
  ) as { ok: boolean; error: { code: string; issues: string[] } }
  expect(reply).toMatchObject({
    ok: false,
    error: {
      code: 'invalid-request',
      issues: ['headers["X-A"]: contains the control character U+0001 at position 2'],
    },
  })
  expect(await readFile(join(harness.dataDir, 'profiles', 'ops.json'), 'utf8')).toBe(before)
})
