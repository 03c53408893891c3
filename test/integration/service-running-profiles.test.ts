import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { dispatchCommand } from '../../src/main/api/command-dispatch'
import { FeedwatchService } from '../../src/main/app/feedwatch-service'
import {
  feedDraftSchema,
  type ProfileAlertNotice,
  type PushMessage,
  type ValidCommandRequest,
} from '../../src/shared/api'
import { waitFor } from '../support/connection-probe'
import { openEventStream, startServer, type TestServer } from '../support/http-server'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function dataFolder(): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), 'feedwatch-running-'))
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
  return dataDir
}

/** A feed that sends `{"cpu": 0.99}` once a connection opens, then holds the stream. */
async function hotFeed(): Promise<TestServer> {
  const server = await startServer((_req, res) => {
    openEventStream(res)
    res.write('data: {"cpu":0.99}\n\n')
  })
  cleanups.push(() => server.close())
  return server
}

async function start(
  dataDir: string,
  notices: ProfileAlertNotice[] = [],
  profileNames?: string[],
): Promise<FeedwatchService> {
  const service = await FeedwatchService.start({
    dataDir,
    ...(profileNames === undefined ? {} : { profileNames }),
    notifier: { notify: (notice) => notices.push(notice) },
    log: () => {},
  })
  cleanups.push(() => service.close())
  return service
}

const cpuRule = (profile: string): ValidCommandRequest<'rules:save'> => ({
  profile,
  kind: 'condition',
  id: 'cpu',
  name: `CPU high in ${profile}`,
  enabled: true,
  severity: 'critical',
  repeatIntervalSeconds: 0,
  source: { feedId: 'api', path: 'cpu' },
  operator: '>',
  value: 0.9,
  pendingSeconds: 0,
})

/** Makes profile `name` with feed `api` on `server` and a rule firing when its cpu is above 0.9. */
async function profileWithRule(
  service: FeedwatchService,
  name: string,
  server: TestServer,
): Promise<void> {
  await service.handlers['profiles:create']({ name })
  await service.handlers['feeds:add']({
    ...feedDraftSchema.parse({ id: 'api', name: 'API', url: server.origin }),
    profile: name,
  })
  await service.handlers['rules:save'](cpuRule(name))
}

const runningNames = (service: FeedwatchService): string[] =>
  service.runningProfiles().map(({ profile }) => profile)

test('two running profiles evaluate their rules at once, and each alert names its profile', async () => {
  const dataDir = await dataFolder()
  const notices: ProfileAlertNotice[] = []
  const service = await start(dataDir, notices)
  const pushes: PushMessage[] = []
  service.subscribe((message) => pushes.push(message))
  const server = await hotFeed()
  await profileWithRule(service, 'Blue', server)
  await profileWithRule(service, 'Green', server)

  await service.handlers['profiles:start']({ name: 'Blue' })
  await service.handlers['profiles:start']({ name: 'Green' })

  const firing = await waitFor(async () => {
    const { active } = await service.handlers['alerts:list']({})
    const profiles = active.filter((a) => a.state === 'firing').map((a) => a.profile)
    return profiles.includes('Blue') && profiles.includes('Green') ? profiles : undefined
  }, 5000)
  expect(firing.sort()).toEqual(['Blue', 'Green'])
  expect(
    notices.filter((n) => n.kind === 'firing').map((n) => [n.profile, n.title.includes(n.profile)]),
  ).toEqual(
    expect.arrayContaining([
      ['Blue', true],
      ['Green', true],
    ]),
  )
  expect(runningNames(service)).toEqual(['Blue', 'Demo', 'Green'])
  expect(service.runningProfiles().find((p) => p.profile === 'Blue')?.firing).toBe(1)
  // Every push about a feed or an alert says which profile it concerns.
  const changed = pushes.filter((m) => m.type === 'alerts:changed').map((m) => m.payload.profile)
  expect(changed).toEqual(expect.arrayContaining(['Blue', 'Green']))
  const states = pushes.filter((m) => m.type === 'feeds:state').map((m) => m.payload.profile)
  expect(states).toEqual(expect.arrayContaining(['Blue', 'Green']))
})

test('creating, viewing and editing a profile starts and stops nothing', async () => {
  const dataDir = await dataFolder()
  const service = await start(dataDir)
  const server = await hotFeed()
  expect(runningNames(service)).toEqual(['Demo'])

  await profileWithRule(service, 'Spare', server)
  const viewed = await service.handlers['profiles:active']({ name: 'Spare' })
  await service.handlers['profiles:switch']({ name: 'Spare' })

  expect(viewed.running).toBe(false)
  expect(viewed.profile.rules.map((rule) => rule.id)).toEqual(['cpu'])
  expect(runningNames(service)).toEqual(['Demo'])
  const [feed] = await service.handlers['feeds:list']({ profile: 'Spare' })
  expect(feed?.state.state).toBe('idle')
  expect((await service.handlers['feeds:list']({ profile: 'Demo' }))[0]?.state.state).not.toBe(
    'idle',
  )
  expect(() => service.handlers['feeds:connect']({ profile: 'Spare', id: 'api' })).toThrow(
    /"Spare" is stopped/,
  )
})

test('stopping and starting profiles is remembered across a restart', async () => {
  const dataDir = await dataFolder()
  const first = await start(dataDir)
  const server = await hotFeed()
  await profileWithRule(first, 'Night', server)
  await first.handlers['profiles:start']({ name: 'Night' })
  await first.handlers['profiles:stop']({ name: 'Demo' })
  expect(runningNames(first)).toEqual(['Night'])
  await first.close()

  const second = await start(dataDir)
  expect(runningNames(second)).toEqual(['Night'])
  const summaries = await second.handlers['profiles:list']({})
  expect(summaries.map(({ name, running }) => [name, running])).toEqual([
    ['Demo', false],
    ['Night', true],
  ])
  await second.handlers['profiles:stop']({ name: 'Night' })
  await second.close()

  const third = await start(dataDir)
  expect(runningNames(third)).toEqual([])
})

test('profiles named at start run instead of those marked running, and the marks stay', async () => {
  const dataDir = await dataFolder()
  const first = await start(dataDir)
  const server = await hotFeed()
  await profileWithRule(first, 'Wall A', server)
  await profileWithRule(first, 'Wall B', server)
  await first.close()

  const named = await start(dataDir, [], ['Wall A', 'Wall B'])
  expect(runningNames(named)).toEqual(['Wall A', 'Wall B'])
  expect((await named.handlers['profiles:active']({})).profile.name).toBe('Wall A')
  await named.close()

  const marked = await start(dataDir)
  expect(runningNames(marked)).toEqual(['Demo'])
})

test('a running profile renamed keeps running under its new name and cannot be deleted', async () => {
  const dataDir = await dataFolder()
  const service = await start(dataDir)
  const pushes: PushMessage[] = []
  service.subscribe((message) => pushes.push(message))

  await expect(service.handlers['profiles:delete']({ name: 'Demo' })).rejects.toMatchObject({
    code: 'conflict',
  })
  await service.handlers['profiles:rename']({ name: 'Demo', newName: 'Lobby' })

  expect(runningNames(service)).toEqual(['Lobby'])
  const listed = pushes.find((m) => m.type === 'profiles:listed')
  expect(listed?.type === 'profiles:listed' && listed.payload.renamed).toEqual({
    name: 'Demo',
    newName: 'Lobby',
  })
  await service.close()
  const again = await start(dataDir)
  expect(runningNames(again)).toEqual(['Lobby'])
})

test('the tray hears when a profile starts and stops, with its health and firing alerts', async () => {
  const dataDir = await dataFolder()
  const service = await start(dataDir)
  const server = await hotFeed()
  await profileWithRule(service, 'Tray', server)
  const seen: string[][] = []
  service.onRunningChange((running) =>
    seen.push(running.map(({ profile, firing }) => `${profile}:${firing}`)),
  )

  await service.handlers['profiles:start']({ name: 'Tray' })
  await waitFor(() => (seen.some((names) => names.includes('Tray:1')) ? true : undefined), 5000)
  await service.handlers['profiles:stop']({ name: 'Tray' })

  expect(seen[0]).toEqual(['Demo:0', 'Tray:0'])
  expect(seen.at(-1)).toEqual(['Demo:0'])
})

test('a read-only server refuses to start or stop a profile', async () => {
  const dataDir = await dataFolder()
  const service = await start(dataDir)
  for (const name of ['profiles:start', 'profiles:stop'] as const) {
    const result = await dispatchCommand(
      service.handlers,
      name,
      { name: 'Demo' },
      { readOnly: true },
    )
    expect(result).toMatchObject({ ok: false, error: { code: 'read-only' } })
  }
  expect(runningNames(service)).toEqual(['Demo'])
})

test('after a first start the Demo profile stays the one running, whatever profiles are created', async () => {
  const dataDir = await dataFolder()
  const first = await start(dataDir)
  await first.handlers['profiles:create']({ name: 'Alpha' })
  await first.close()

  const second = await start(dataDir)
  expect(runningNames(second)).toEqual(['Demo'])
  expect((await second.handlers['profiles:active']({})).profile.name).toBe('Demo')
})

test('a push listener that throws neither stops the heartbeat nor keeps pushes from the others', async () => {
  const dataDir = await dataFolder()
  const service = await start(dataDir)
  service.subscribe(() => {
    throw new Error('window gone')
  })
  const heartbeats: number[] = []
  service.subscribe((message) => {
    if (message.type === 'service:heartbeat') heartbeats.push(message.payload.at)
  })
  await waitFor(() => (heartbeats.length >= 2 ? true : undefined), 5000)
  expect(heartbeats[1]).toBeGreaterThan(heartbeats[0] ?? Infinity)
})
