import { open, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import type { ProfileInput } from '../../src/shared/profile'
import { ProfileError, ProfileStore } from '../../src/main/profiles'

let directory: string
let store: ProfileStore
let profilePath: string
const NOW = Date.UTC(2025, 10, 22, 4, 45, 12, 123)
const CORRUPT_SUFFIX = '.corrupt-2025-11-22T04-45-12-123Z'

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'feedwatch-profiles-'))
  store = new ProfileStore({ directory, now: () => NOW })
  profilePath = join(directory, 'ops.json')
})

afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

function sample(url = 'https://example.test/orders'): ProfileInput {
  return {
    version: 1,
    name: 'Ops',
    feeds: [{ id: 'orders', name: 'Orders', url }],
    rules: [{ id: 'down', kind: 'feed-down', name: 'Orders down', feedId: 'orders' }],
  }
}

/** A profile saved twice, so it has a good backup (the first version, without rules). */
async function profileWithBackup(): Promise<string> {
  await store.create('Ops', { feeds: sample().feeds })
  await store.save(sample())
  return readFile(`${profilePath}.bak`, 'utf8')
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

async function files(): Promise<string[]> {
  return (await readdir(directory)).sort()
}

test('a file that is not JSON is moved aside and the backup is loaded, with a notice', async () => {
  const backup = await profileWithBackup()
  const damaged = '{"version": 1, "name": "Ops", "feeds": [{"id": "ord'
  await writeFile(profilePath, damaged)

  const { profile, notices } = await store.load('Ops')

  expect(profile.rules).toEqual([]) // the backup's version
  const moved = `${profilePath}${CORRUPT_SUFFIX}`
  expect(await readFile(moved, 'utf8')).toBe(damaged)
  expect(notices).toHaveLength(1)
  expect(notices[0]).toMatchObject({ code: 'recovered-from-backup', path: moved })
  expect(notices[0]?.message).toContain(`moved to ${moved}`)
  expect(notices[0]?.message).toContain('not valid JSON')
  expect(await readFile(`${profilePath}.bak`, 'utf8')).toBe(backup)
  // The profile file is restored from the backup, so the next load is quiet.
  expect((await store.load('Ops')).notices).toEqual([])
})

test('a file that breaks the schema is moved aside with the path-precise problem in the notice', async () => {
  await profileWithBackup()
  const invalid = JSON.stringify(sample('ftp://example.test/orders'))
  await writeFile(profilePath, invalid)

  const { profile, notices } = await store.load('Ops')

  expect(profile.feeds[0]?.url).toBe('https://example.test/orders')
  expect(notices[0]?.message).toContain('feeds[0].url: must be an http(s) URL')
  expect(notices[0]?.message).toContain(`${profilePath}${CORRUPT_SUFFIX}`)
  expect(await readFile(`${profilePath}${CORRUPT_SUFFIX}`, 'utf8')).toBe(invalid)
})

test('when the backup is bad too, both are moved aside and the error lists problems and places', async () => {
  await profileWithBackup()
  const invalid = JSON.stringify(sample('ftp://example.test/orders'))
  await writeFile(profilePath, invalid)
  await writeFile(`${profilePath}.bak`, 'garbage')

  const error = await failure(store.load('Ops'))

  expect(error.code).toBe('invalid')
  expect(error.issues).toEqual(['feeds[0].url: must be an http(s) URL'])
  const moved = [`${profilePath}${CORRUPT_SUFFIX}`, `${profilePath}.bak${CORRUPT_SUFFIX}`]
  expect(error.movedTo).toEqual(moved)
  expect(error.message).toContain('feeds[0].url: must be an http(s) URL')
  expect(error.message).toContain('its backup could not be read either (not valid JSON')
  for (const path of moved) expect(error.message).toContain(path)
  expect(await readFile(moved[0] as string, 'utf8')).toBe(invalid)
  expect(await readFile(moved[1] as string, 'utf8')).toBe('garbage')
  expect(await files()).toEqual(moved.map((path) => path.slice(directory.length + 1)).sort())
})

test('a damaged file without a backup is moved aside and the error says there is no backup', async () => {
  await writeFile(profilePath, '{"version": 1, "name": "Ops", "feeds": 5}')
  const error = await failure(store.load('Ops'))
  expect(error.code).toBe('invalid')
  expect(error.issues).toEqual(['feeds: Invalid input: expected array, received number'])
  expect(error.message).toContain('it has no backup')
  expect(error.movedTo).toEqual([`${profilePath}${CORRUPT_SUFFIX}`])
  expect(await readFile(`${profilePath}${CORRUPT_SUFFIX}`, 'utf8')).toContain('"feeds": 5')
})

test('a damaged file whose backup is from a newer Feedwatch is left alone', async () => {
  await writeFile(profilePath, 'garbage')
  await writeFile(`${profilePath}.bak`, JSON.stringify({ ...sample(), version: 2 }))
  const before = await files()
  const error = await failure(store.load('Ops'))
  expect(error.code).toBe('newer-version')
  expect(await files()).toEqual(before)
  expect(await readFile(profilePath, 'utf8')).toBe('garbage')
})

test('a file damaged after loading is moved aside by the next save, keeping the good backup', async () => {
  const backup = await profileWithBackup()
  await writeFile(profilePath, 'garbage')
  const saved = await store.save(sample())
  expect(saved.notices[0]).toMatchObject({
    code: 'moved-aside',
    path: `${profilePath}${CORRUPT_SUFFIX}`,
  })
  expect(await readFile(`${profilePath}${CORRUPT_SUFFIX}`, 'utf8')).toBe('garbage')
  expect(await readFile(`${profilePath}.bak`, 'utf8')).toBe(backup)
  expect((await store.load('Ops')).notices).toEqual([])
})

test('a second damaged file in the same millisecond never replaces the first one moved aside', async () => {
  await profileWithBackup()
  await writeFile(profilePath, 'first damage')
  await store.load('Ops')
  await writeFile(profilePath, 'second damage')
  const { notices } = await store.load('Ops')
  expect(notices[0]?.path).toBe(`${profilePath}${CORRUPT_SUFFIX}-2`)
  expect(await readFile(`${profilePath}${CORRUPT_SUFFIX}`, 'utf8')).toBe('first damage')
  expect(await readFile(`${profilePath}${CORRUPT_SUFFIX}-2`, 'utf8')).toBe('second damage')
})

test('a temporary file left by an interrupted write is ignored and the profile loads as it was', async () => {
  await profileWithBackup()
  const good = await readFile(profilePath, 'utf8')
  // What write-file-atomic leaves when the process dies before its rename: a partial temp file.
  await writeFile(`${profilePath}.2943175318`, good.slice(0, good.length / 2))
  const { profile, notices } = await store.load('Ops')
  expect(notices).toEqual([])
  expect(profile.rules).toHaveLength(1)
  expect((await store.list()).map((entry) => entry.name)).toEqual(['Ops'])
  expect(await readFile(profilePath, 'utf8')).toBe(good)
})

test('a save replaces the profile file by rename, never by writing into it', async () => {
  await profileWithBackup()
  const old = await readFile(profilePath, 'utf8')
  const oldInode = (await stat(profilePath)).ino
  const handle = await open(profilePath, 'r')
  try {
    await store.save({ ...sample(), rules: [] })
    // The old file, still open, is untouched: the new version is a different file renamed over it.
    const { buffer, bytesRead } = await handle.read(
      Buffer.alloc(old.length + 100),
      0,
      old.length + 100,
      0,
    )
    expect(buffer.subarray(0, bytesRead).toString('utf8')).toBe(old)
  } finally {
    await handle.close()
  }
  expect((await stat(profilePath)).ino).not.toBe(oldInode)
  expect(await readFile(`${profilePath}.bak`, 'utf8')).toBe(old)
})

test('concurrent saves of one profile run one after another in the order they were made', async () => {
  await store.create('Ops', { feeds: sample().feeds })
  const versions = Array.from({ length: 20 }, (_, index) => ({
    ...sample(),
    feeds: [{ id: 'orders', name: `Orders ${index}`, url: 'https://example.test/orders' }],
  }))
  const results = await Promise.all(versions.map((version) => store.save(version)))
  expect(results.every((result) => result.notices.length === 0)).toBe(true)
  expect((await store.load('Ops')).profile.feeds[0]?.name).toBe('Orders 19')
  const backup = JSON.parse(await readFile(`${profilePath}.bak`, 'utf8')) as ProfileInput
  expect(backup.feeds?.[0]?.name).toBe('Orders 18')
  expect(await files()).toEqual(['ops.json', 'ops.json.bak'])
})

test('two stores on the same folder share one queue', async () => {
  await store.create('Ops', { feeds: sample().feeds })
  const other = new ProfileStore({ directory })
  const saves = Array.from({ length: 10 }, (_, index) =>
    (index % 2 === 0 ? store : other).save({
      ...sample(),
      feeds: [{ id: 'orders', name: `Orders ${index}`, url: 'https://example.test/orders' }],
    }),
  )
  await Promise.all(saves)
  expect((await other.load('Ops')).profile.feeds[0]?.name).toBe('Orders 9')
  expect(await files()).toEqual(['ops.json', 'ops.json.bak'])
})
