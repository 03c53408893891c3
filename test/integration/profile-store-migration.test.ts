import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { ProfileError, ProfileStore } from '../../src/main/profiles'

let directory: string
let store: ProfileStore
let profilePath: string

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'feedwatch-profiles-'))
  store = new ProfileStore({ directory })
  profilePath = join(directory, 'ops.json')
})

afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

/** A profile as the first Feedwatch wrote it: no version field, `charts` instead of `panels`. */
const versionZero = `${JSON.stringify(
  {
    name: 'Ops',
    feeds: [{ id: 'orders', name: 'Orders', url: 'https://example.test/orders' }],
    charts: [
      { id: 'rate', title: 'Order rate', feedId: 'orders', path: 'rate' },
      { id: 'p99', title: 'Latency', feedId: 'orders', path: 'latency.p99', event: 'timing' },
    ],
  },
  null,
  2,
)}\n`

const fromTheFuture = JSON.stringify({
  version: 3,
  name: 'Ops',
  feeds: [],
  dashboards: [{ id: 'x' }],
})

async function failure(operation: Promise<unknown>): Promise<ProfileError> {
  try {
    await operation
  } catch (error) {
    expect(error).toBeInstanceOf(ProfileError)
    return error as ProfileError
  }
  throw new Error('expected the operation to fail')
}

test('a format 0 profile loads as chart panels with one series each', async () => {
  await writeFile(profilePath, versionZero)
  const { profile } = await store.load('Ops')
  expect(profile.version).toBe(1)
  expect(profile.panels).toEqual([
    {
      id: 'rate',
      kind: 'chart',
      title: 'Order rate',
      window: '5m',
      unit: '',
      series: [{ feedId: 'orders', path: 'rate' }],
    },
    {
      id: 'p99',
      kind: 'chart',
      title: 'Latency',
      window: '5m',
      unit: '',
      series: [{ feedId: 'orders', path: 'latency.p99', event: 'timing' }],
    },
  ])
})

test('migrating keeps the original file as .v0.bak and says where it is', async () => {
  await writeFile(profilePath, versionZero)
  const { notices } = await store.load('Ops')
  const kept = `${profilePath}.v0.bak`
  expect(notices).toEqual([
    {
      code: 'migrated',
      message: `Profile "Ops" was saved by an older Feedwatch (format version 0) and has been updated to version 1. The original file is kept at ${kept}.`,
      path: kept,
    },
  ])
  expect(await readFile(kept, 'utf8')).toBe(versionZero)
})

test('the migrated profile is written back, so the next load is quiet', async () => {
  await writeFile(profilePath, versionZero)
  await store.load('Ops')
  const written = JSON.parse(await readFile(profilePath, 'utf8')) as Record<string, unknown>
  expect(written.version).toBe(1)
  expect(written).not.toHaveProperty('charts')
  expect((await store.load('Ops')).notices).toEqual([])
  expect((await readdir(directory)).sort()).toEqual(['ops.json', 'ops.json.bak', 'ops.json.v0.bak'])
})

test('a damaged profile whose backup is format 0 is restored from the migrated backup', async () => {
  await writeFile(profilePath, 'garbage')
  await writeFile(`${profilePath}.bak`, versionZero)
  const { profile, notices } = await store.load('Ops')
  expect(profile.panels).toHaveLength(2)
  expect(notices.map((notice) => notice.code)).toEqual(['recovered-from-backup', 'migrated'])
  expect(await readFile(`${profilePath}.v0.bak`, 'utf8')).toBe(versionZero)
})

test('a profile from a newer Feedwatch is refused and left exactly as it was', async () => {
  await writeFile(profilePath, fromTheFuture)
  const before = await stat(profilePath)
  const error = await failure(store.load('Ops'))
  expect(error.code).toBe('newer-version')
  expect(error.message).toContain(
    'written by a newer Feedwatch (version 3); this build reads up to 1',
  )
  expect(error.message).toContain(profilePath)
  expect(await readFile(profilePath, 'utf8')).toBe(fromTheFuture)
  expect((await stat(profilePath)).mtimeMs).toBe(before.mtimeMs)
  expect(await readdir(directory)).toEqual(['ops.json'])
})

test('saving over a profile from a newer Feedwatch is refused', async () => {
  await writeFile(profilePath, fromTheFuture)
  const error = await failure(store.save({ version: 1, name: 'Ops' }))
  expect(error.code).toBe('newer-version')
  expect(await readFile(profilePath, 'utf8')).toBe(fromTheFuture)
  expect(await readdir(directory)).toEqual(['ops.json'])
})

test('the list marks a profile from a newer Feedwatch without touching it', async () => {
  await writeFile(profilePath, fromTheFuture)
  expect(await store.list()).toEqual([
    expect.objectContaining({
      name: 'Ops',
      problem: 'written by a newer Feedwatch (version 3); this build reads up to 1',
    }),
  ])
})

test('a profile from a newer Feedwatch cannot be renamed, duplicated or exported', async () => {
  await writeFile(profilePath, fromTheFuture)
  for (const operation of [
    store.rename('Ops', 'Other'),
    store.duplicate('Ops', 'Other'),
    store.exportProfile('Ops', { includeSecrets: false }),
  ]) {
    expect((await failure(operation)).code).toBe('newer-version')
  }
  expect(await readdir(directory)).toEqual(['ops.json'])
})
