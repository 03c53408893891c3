import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import type { Profile, ProfileInput } from '../../src/shared/profile'
import { ProfileStore, SEALED_PREFIX, type SecretCipher } from '../../src/main/profiles'

let directory: string
let profilePath: string
const SECRET = 'Bearer s3cret-token'

/** Reverses the text behind a marker: reversible, and the plain text never appears in the output. */
const testCipher: SecretCipher = {
  encrypt: (plain) => `rev:${[...plain].reverse().join('')}`,
  decrypt: (stored) => {
    if (!stored.startsWith('rev:')) throw new Error('not ours')
    return [...stored.slice(4)].reverse().join('')
  },
}

/** The keychain of another computer: it cannot decrypt anything sealed here. */
const foreignCipher: SecretCipher = {
  encrypt: (plain) => `foreign:${plain}`,
  decrypt: () => {
    throw new Error('unknown key')
  },
}

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'feedwatch-profiles-'))
  profilePath = join(directory, 'ops.json')
})

afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

function sample(secret = SECRET): ProfileInput {
  return {
    version: 1,
    name: 'Ops',
    feeds: [
      {
        id: 'orders',
        name: 'Orders',
        url: 'https://example.test/orders',
        headers: [
          { name: 'Authorization', value: secret, secret: true },
          { name: 'X-Team', value: 'ops' },
        ],
      },
    ],
  }
}

function headers(profile: Profile): Record<string, string> {
  return Object.fromEntries(profile.feeds[0]?.headers.map((h) => [h.name, h.value]) ?? [])
}

async function storedHeaders(): Promise<Record<string, string>> {
  const doc = JSON.parse(await readFile(profilePath, 'utf8')) as Profile
  return headers(doc)
}

test('with a cipher, secret values are encrypted on disk and decrypted on load', async () => {
  const store = new ProfileStore({ directory, cipher: testCipher })
  await store.create('Ops', { feeds: sample().feeds })
  const text = await readFile(profilePath, 'utf8')
  expect(text).not.toContain('s3cret')
  expect((await storedHeaders()).Authorization?.startsWith(SEALED_PREFIX)).toBe(true)
  expect((await storedHeaders())['X-Team']).toBe('ops')
  const { profile, notices } = await store.load('Ops')
  expect(headers(profile)).toEqual({ Authorization: SECRET, 'X-Team': 'ops' })
  expect(notices).toEqual([])
})

test('the previous version in the backup is encrypted too', async () => {
  const store = new ProfileStore({ directory, cipher: testCipher })
  await store.create('Ops', { feeds: sample().feeds })
  await store.save(sample('Bearer second'))
  expect(await readFile(`${profilePath}.bak`, 'utf8')).not.toContain('s3cret')
  expect(await readFile(profilePath, 'utf8')).not.toContain('second')
})

test('without a cipher, secret values are stored as typed', async () => {
  const store = new ProfileStore({ directory })
  await store.create('Ops', { feeds: sample().feeds })
  expect((await storedHeaders()).Authorization).toBe(SECRET)
})

test('plain values written without a cipher are encrypted by the next save with one', async () => {
  await new ProfileStore({ directory }).create('Ops', { feeds: sample().feeds })
  const store = new ProfileStore({ directory, cipher: testCipher })
  const { profile } = await store.load('Ops')
  expect(headers(profile).Authorization).toBe(SECRET)
  await store.save(profile)
  expect(await readFile(profilePath, 'utf8')).not.toContain('s3cret')
})

test('a secret that cannot be decrypted here is empty, with a notice naming header and feed', async () => {
  await new ProfileStore({ directory, cipher: testCipher }).create('Ops', { feeds: sample().feeds })
  for (const cipher of [undefined, foreignCipher]) {
    const { profile, notices } = await new ProfileStore({ directory, cipher }).load('Ops')
    expect(headers(profile)).toEqual({ Authorization: '', 'X-Team': 'ops' })
    expect(notices).toHaveLength(1)
    expect(notices[0]?.code).toBe('secret-unreadable')
    expect(notices[0]?.message).toContain('"Authorization" of feed "Orders"')
  }
})

test('saving where a secret cannot be decrypted keeps its encrypted value', async () => {
  await new ProfileStore({ directory, cipher: testCipher }).create('Ops', { feeds: sample().feeds })
  const sealed = (await storedHeaders()).Authorization
  const headless = new ProfileStore({ directory })
  const { profile } = await headless.load('Ops')
  await headless.save({ ...profile, settings: { ...profile.settings, theme: 'dark' } })
  await headless.rename('Ops', 'Ops')
  expect((await storedHeaders()).Authorization).toBe(sealed)
  const back = await new ProfileStore({ directory, cipher: testCipher }).load('Ops')
  expect(headers(back.profile).Authorization).toBe(SECRET)
  expect(back.profile.settings.theme).toBe('dark')
})

test('a rename or duplicate where a secret cannot be decrypted keeps its encrypted value', async () => {
  await new ProfileStore({ directory, cipher: testCipher }).create('Ops', { feeds: sample().feeds })
  const headless = new ProfileStore({ directory })
  await headless.rename('Ops', 'Night')
  await headless.duplicate('Night', 'Copy')
  const store = new ProfileStore({ directory, cipher: testCipher })
  expect(headers((await store.load('Night')).profile).Authorization).toBe(SECRET)
  expect(headers((await store.load('Copy')).profile).Authorization).toBe(SECRET)
})

test('a secret given a new value where the old one could not be decrypted takes the new value', async () => {
  await new ProfileStore({ directory, cipher: testCipher }).create('Ops', { feeds: sample().feeds })
  const headless = new ProfileStore({ directory })
  await headless.load('Ops')
  await headless.save(sample('Bearer typed-again'))
  expect((await storedHeaders()).Authorization).toBe('Bearer typed-again')
})

test('a secret value that looks sealed but was written by hand does not break loading', async () => {
  await writeFile(profilePath, JSON.stringify(sample(`${SEALED_PREFIX}@@@`)))
  const { profile, notices } = await new ProfileStore({ directory, cipher: testCipher }).load('Ops')
  expect(headers(profile).Authorization).toBe('')
  expect(notices.map((notice) => notice.code)).toEqual(['secret-unreadable'])
})
