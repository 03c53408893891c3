import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import type { ProfileInput } from '../../src/shared/profile'
import { ProfileError, ProfileStore, type ProfileErrorCode } from '../../src/main/profiles'

let directory: string
let store: ProfileStore
/** 2025-11-22 04:45:12.123 UTC, so names of files moved aside are predictable. */
const NOW = Date.UTC(2025, 10, 22, 4, 45, 12, 123)

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'feedwatch-profiles-'))
  store = new ProfileStore({ directory, now: () => NOW })
})

afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

function sample(name = 'Ops'): ProfileInput {
  return {
    version: 1,
    name,
    feeds: [
      {
        id: 'orders',
        name: 'Orders',
        url: 'https://example.test/orders',
        headers: [{ name: 'Authorization', value: 'Bearer s3cret', secret: true }],
      },
      { id: 'payments', name: 'Payments', url: 'https://example.test/payments' },
    ],
    panels: [
      { id: 'rate', kind: 'chart', title: 'Rate', series: [{ feedId: 'orders', path: 'rate' }] },
    ],
    rules: [{ id: 'down', kind: 'feed-down', name: 'Orders down', feedId: 'orders' }],
  }
}

async function failure(operation: Promise<unknown>): Promise<ProfileError> {
  try {
    await operation
  } catch (error) {
    expect(error).toBeInstanceOf(ProfileError)
    return error as ProfileError
  }
  throw new Error('expected the operation to fail')
}

async function expectCode(operation: Promise<unknown>, code: ProfileErrorCode): Promise<void> {
  expect((await failure(operation)).code).toBe(code)
}

async function files(folder = directory): Promise<string[]> {
  return (await readdir(folder)).sort()
}

test('a saved profile loads back equal, with defaults filled in and no notices', async () => {
  await store.create('Ops')
  const saved = await store.save(sample())
  const loaded = await store.load('Ops')
  expect(loaded.profile).toEqual(saved.profile)
  expect(loaded.profile.feeds[1]).toMatchObject({ method: 'GET', enabled: true })
  expect(loaded.notices).toEqual([])
  expect(loaded.file).toBe(join(directory, 'ops.json'))
})

test('a new profile is written to a file named after the slug of its name', async () => {
  const created = await store.create('Ops Wall – EU', { feeds: sample().feeds })
  expect(created.file).toBe(join(directory, 'ops-wall-eu.json'))
  expect(JSON.parse(await readFile(created.file, 'utf8'))).toMatchObject({
    version: 1,
    name: 'Ops Wall – EU',
  })
})

test('the store folder is created on the first write', async () => {
  const nested = new ProfileStore({ directory: join(directory, 'a', 'profiles') })
  expect(await nested.list()).toEqual([])
  await nested.create('Ops')
  expect(await files(join(directory, 'a', 'profiles'))).toEqual(['ops.json'])
})

test('names whose slugs collide get distinct files', async () => {
  await store.create('Ops!')
  const second = await store.create('Ops?')
  expect(second.file).toBe(join(directory, 'ops-2.json'))
  expect((await store.load('Ops?')).profile.name).toBe('Ops?')
})

test('creating a profile whose name is taken, in any case, fails with exists', async () => {
  await store.create('Ops')
  const error = await failure(store.create(' OPS '))
  expect(error.code).toBe('exists')
  expect(error.message).toBe('A profile named "OPS" already exists.')
})

test('an invalid name or initial content fails with path-precise issues', async () => {
  expect((await failure(store.create('   '))).issues).toEqual(['name: must not be empty'])
  const error = await failure(
    store.create('Ops', { feeds: [{ id: 'orders', name: 'Orders', url: 'ftp://x.test' }] }),
  )
  expect(error.code).toBe('invalid')
  expect(error.issues).toEqual(['feeds[0].url: must be an http(s) URL'])
  expect(await files()).toEqual([])
})

test('saving an invalid profile fails and leaves the stored one as it was', async () => {
  await store.create('Ops')
  const before = await readFile(join(directory, 'ops.json'), 'utf8')
  const broken = {
    ...sample(),
    rules: [{ id: 'down', kind: 'feed-down', name: 'x', feedId: 'nope' }],
  }
  const error = await failure(store.save(broken as ProfileInput))
  expect(error.issues).toEqual(['rules[0].feedId: no feed with id "nope"'])
  expect(await readFile(join(directory, 'ops.json'), 'utf8')).toBe(before)
})

test('saving a profile that does not exist fails with not-found', async () => {
  await expectCode(store.save(sample('Nobody')), 'not-found')
})

test('each save keeps the previous version as the backup', async () => {
  await store.create('Ops')
  const first = await readFile(join(directory, 'ops.json'), 'utf8')
  await store.save(sample())
  expect(await readFile(join(directory, 'ops.json.bak'), 'utf8')).toBe(first)
  const second = await readFile(join(directory, 'ops.json'), 'utf8')
  await store.save({ ...sample(), rules: [] })
  expect(await readFile(join(directory, 'ops.json.bak'), 'utf8')).toBe(second)
})

test('the list gives each profile with its counts and modification time, sorted by name', async () => {
  await store.create('zeta')
  await store.create('Alpha', { feeds: sample().feeds, panels: sample().panels })
  await store.save(sample('Alpha'))
  const list = await store.list()
  expect(list.map(({ name, feeds, panels, rules }) => ({ name, feeds, panels, rules }))).toEqual([
    { name: 'Alpha', feeds: 2, panels: 1, rules: 1 },
    { name: 'zeta', feeds: 0, panels: 0, rules: 0 },
  ])
  expect(list[0]?.file).toBe(join(directory, 'alpha.json'))
  expect(list[0]?.updatedAt).toBeGreaterThan(Date.now() - 60_000)
  expect(list.every((entry) => entry.problem === undefined)).toBe(true)
})

test('the list ignores backups, state files, temporary files and the trash', async () => {
  await store.create('Ops')
  await store.save(sample())
  await store.updateRuntimeState('Ops', { lastEventIds: { orders: '1' } })
  await writeFile(join(directory, 'ops.json.4021934867'), '{"version": 1, "na')
  await store.create('Gone')
  await store.delete('Gone')
  expect((await store.list()).map((entry) => entry.name)).toEqual(['Ops'])
})

test('a profile file copied in by hand is listed under the name inside it', async () => {
  await writeFile(join(directory, 'From a colleague.json'), JSON.stringify(sample('Shared ops')))
  expect((await store.list()).map((entry) => entry.name)).toEqual(['Shared ops'])
  expect((await store.load('shared OPS')).profile.feeds).toHaveLength(2)
})

test('the list reports a damaged profile without repairing it', async () => {
  await store.create('Ops')
  await store.save(sample())
  await writeFile(join(directory, 'ops.json'), '{"version": 1, "name": "Ops", "feeds": [')
  const before = await files()
  const [entry] = await store.list()
  expect(entry).toMatchObject({ name: 'Ops', feeds: 0, panels: 0, rules: 0 })
  expect(entry?.problem).toMatch(/^the file is damaged \(not valid JSON .*\); opening it restores/)
  expect(await files()).toEqual(before)
})

test('a duplicate is a new profile with the same content and the original unchanged', async () => {
  await store.create('Ops')
  await store.save(sample())
  const original = await readFile(join(directory, 'ops.json'), 'utf8')
  const copy = await store.duplicate('ops', 'Ops copy')
  expect(copy.file).toBe(join(directory, 'ops-copy.json'))
  expect(copy.profile).toEqual({ ...(await store.load('Ops')).profile, name: 'Ops copy' })
  expect(await readFile(join(directory, 'ops.json'), 'utf8')).toBe(original)
  await expectCode(store.duplicate('Ops', 'ops copy'), 'exists')
  await expectCode(store.duplicate('Nobody', 'Other'), 'not-found')
})

test('a rename moves the file, its backup and its runtime state to the new slug', async () => {
  await store.create('Ops')
  await store.save(sample())
  const beforeRename = await readFile(join(directory, 'ops.json'), 'utf8')
  await store.updateRuntimeState('Ops', { lastEventIds: { orders: '42' } })
  const renamed = await store.rename('Ops', 'Night shift')
  expect(renamed.file).toBe(join(directory, 'night-shift.json'))
  expect(await files()).toEqual([
    'night-shift.json',
    'night-shift.json.bak',
    'night-shift.state.json',
  ])
  expect(await readFile(join(directory, 'night-shift.json.bak'), 'utf8')).toBe(beforeRename)
  expect((await store.load('Night shift')).profile).toEqual({ ...renamed.profile })
  expect((await store.loadRuntimeState('Night shift')).state.lastEventIds).toEqual({ orders: '42' })
  await expectCode(store.load('Ops'), 'not-found')
})

test('renaming to a name another profile has fails and changes nothing', async () => {
  await store.create('Ops')
  await store.create('Night')
  const before = await files()
  await expectCode(store.rename('Ops', 'night'), 'exists')
  expect(await files()).toEqual(before)
})

test('a rename that changes only the case keeps the file', async () => {
  await store.create('Ops')
  const renamed = await store.rename('Ops', 'OPS')
  expect(renamed.file).toBe(join(directory, 'ops.json'))
  expect((await store.list()).map((entry) => entry.name)).toEqual(['OPS'])
})

test('a deleted profile is moved to a timestamped trash folder with everything beside it', async () => {
  await store.create('Ops')
  await store.save(sample())
  await store.updateRuntimeState('Ops', { lastEventIds: { orders: '42' } })
  const content = await readFile(join(directory, 'ops.json'), 'utf8')
  const { trashedTo } = await store.delete('Ops')
  expect(trashedTo).toBe(join(directory, 'trash', '2025-11-22T04-45-12-123Z-ops'))
  expect(await files(trashedTo)).toEqual(['ops.json', 'ops.json.bak', 'ops.state.json'])
  expect(await readFile(join(trashedTo, 'ops.json'), 'utf8')).toBe(content)
  expect(await files()).toEqual(['trash'])
  expect(await store.list()).toEqual([])
})

test('deleting twice in the same millisecond keeps both deletions in the trash', async () => {
  await store.create('Ops')
  const first = await store.delete('Ops')
  await store.create('Ops')
  const second = await store.delete('Ops')
  expect(second.trashedTo).toBe(`${first.trashedTo}-2`)
  expect(await files(join(directory, 'trash'))).toHaveLength(2)
})

test('a damaged profile can still be deleted', async () => {
  await writeFile(join(directory, 'ops.json'), 'not json at all')
  const { trashedTo } = await store.delete('ops')
  expect(await readFile(join(trashedTo, 'ops.json'), 'utf8')).toBe('not json at all')
})

test('operations on a name no profile has fail with not-found and a clear message', async () => {
  const error = await failure(store.load('Nobody'))
  expect(error.code).toBe('not-found')
  expect(error.message).toBe('There is no profile named "Nobody".')
  await expectCode(store.rename('Nobody', 'Else'), 'not-found')
  await expectCode(store.delete('Nobody'), 'not-found')
  await expectCode(store.exportProfile('Nobody', { includeSecrets: false }), 'not-found')
  await expectCode(store.loadRuntimeState('Nobody'), 'not-found')
})
