import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import type { ProfileInput } from '../../src/shared/profile'
import { ProfileError, ProfileStore, type SecretCipher } from '../../src/main/profiles'

let directory: string
let store: ProfileStore
const SECRET = 'Bearer s3cret-token'

const testCipher: SecretCipher = {
  encrypt: (plain) => `rev:${[...plain].reverse().join('')}`,
  decrypt: (stored) => [...stored.slice(4)].reverse().join(''),
}

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'feedwatch-profiles-'))
  store = new ProfileStore({ directory, cipher: testCipher })
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
        headers: [
          { name: 'Authorization', value: SECRET, secret: true },
          { name: 'X-Team', value: 'ops' },
        ],
      },
    ],
    panels: [
      { id: 'rate', kind: 'chart', title: 'Rate', series: [{ feedId: 'orders', path: 'rate' }] },
    ],
  }
}

interface ExportedDoc {
  name: string
  feeds: { headers: { name: string; value: string; secret: boolean; redacted?: boolean }[] }[]
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

async function saved(): Promise<void> {
  await store.create('Ops')
  await store.save(sample())
}

test('an export without secrets has their values empty and marked redacted', async () => {
  await saved()
  const { json, fileName, notices } = await store.exportProfile('Ops', { includeSecrets: false })
  expect(json).not.toContain('s3cret')
  expect(fileName).toBe('ops.json')
  expect(notices).toEqual([])
  const doc = JSON.parse(json) as ExportedDoc
  expect(doc.feeds[0]?.headers).toEqual([
    { name: 'Authorization', value: '', secret: true, redacted: true },
    { name: 'X-Team', value: 'ops', secret: false },
  ])
})

test('an export with secrets has their plain values, never the encrypted ones', async () => {
  await saved()
  const { json } = await store.exportProfile('Ops', { includeSecrets: true })
  const doc = JSON.parse(json) as ExportedDoc
  expect(doc.feeds[0]?.headers[0]).toEqual({ name: 'Authorization', value: SECRET, secret: true })
  expect(json).not.toContain('enc:v1:')
})

test('an export with secrets leaves out, with a notice, a secret that cannot be decrypted', async () => {
  await saved()
  const { json, notices } = await new ProfileStore({ directory }).exportProfile('Ops', {
    includeSecrets: true,
  })
  expect((JSON.parse(json) as ExportedDoc).feeds[0]?.headers[0]).toMatchObject({
    value: '',
    redacted: true,
  })
  expect(notices.map((notice) => notice.code)).toEqual(['secret-unreadable', 'secret-left-out'])
})

test('an export imports back as the same profile', async () => {
  await saved()
  const { json } = await store.exportProfile('Ops', { includeSecrets: true })
  const imported = await store.importProfile(json, { name: 'Ops imported' })
  expect(imported.profile).toEqual({ ...(await store.load('Ops')).profile, name: 'Ops imported' })
  expect(imported.file).toBe(join(directory, 'ops-imported.json'))
  expect(imported.notices).toEqual([])
})

test('an imported secret without its value comes with a notice to enter it again', async () => {
  await saved()
  const { json } = await store.exportProfile('Ops', { includeSecrets: false })
  const imported = await store.importProfile(json, { name: 'Elsewhere' })
  expect(imported.profile.feeds[0]?.headers[0]).toEqual({
    name: 'Authorization',
    value: '',
    secret: true,
  })
  expect(imported.notices).toHaveLength(1)
  expect(imported.notices[0]?.code).toBe('secret-left-out')
  expect(imported.notices[0]?.message).toContain('"Authorization" of feed "Orders"')
})

test('importing text that is not JSON fails as invalid', async () => {
  const error = await failure(store.importProfile('{"version": 1, "name": '))
  expect(error.code).toBe('invalid')
  expect(error.message).toMatch(/^The profile to import is not valid: not valid JSON/)
  expect(await readdir(directory)).toEqual([])
})

test('importing an invalid profile fails with every problem at its path and writes nothing', async () => {
  const doc = {
    ...sample(),
    feeds: [
      { id: 'orders', name: 'Orders', url: 'ftp://example.test/orders' },
      { id: 'bad id!', name: '', url: 'https://example.test' },
    ],
  }
  const error = await failure(store.importProfile(JSON.stringify(doc)))
  expect(error.code).toBe('invalid')
  expect(error.issues).toEqual([
    'feeds[0].url: must be an http(s) URL',
    'feeds[1].id: must be 1 to 64 letters, digits, "-" or "_"',
    'feeds[1].name: must not be empty',
  ])
  expect(error.message).toContain('feeds[0].url: must be an http(s) URL')
  expect(await readdir(directory)).toEqual([])
})

test('importing a profile whose name is taken fails with a clear message', async () => {
  await saved()
  const error = await failure(store.importProfile(JSON.stringify(sample('OPS'))))
  expect(error.code).toBe('exists')
  expect(error.message).toBe('A profile named "OPS" already exists.')
})

test('when asked, a clashing import gets the first free numbered name', async () => {
  await saved()
  const text = JSON.stringify(sample())
  expect((await store.importProfile(text, { ifExists: 'suffix' })).profile.name).toBe('Ops (2)')
  expect((await store.importProfile(text, { ifExists: 'suffix' })).profile.name).toBe('Ops (3)')
  expect((await store.list()).map((entry) => entry.name)).toEqual(['Ops', 'Ops (2)', 'Ops (3)'])
})

test('importing a profile from a newer Feedwatch is refused', async () => {
  const error = await failure(store.importProfile(JSON.stringify({ ...sample(), version: 2 })))
  expect(error.code).toBe('newer-version')
  expect(error.message).toBe(
    'The profile to import was written by a newer Feedwatch (version 2); this build reads up to 1.',
  )
})

test('importing a format 0 profile migrates it and says so', async () => {
  const versionZero = {
    name: 'Old',
    feeds: [{ id: 'orders', name: 'Orders', url: 'https://example.test/orders' }],
    charts: [{ id: 'rate', title: 'Rate', feedId: 'orders', path: 'rate' }],
  }
  const imported = await store.importProfile(JSON.stringify(versionZero))
  expect(imported.profile.panels[0]).toMatchObject({ kind: 'chart', title: 'Rate' })
  expect(imported.notices.map((notice) => notice.code)).toEqual(['migrated'])
})
