import { expect, test } from 'vitest'
import { profileSchema, type Profile } from '../../src/shared/profile'
import {
  openValue,
  revealSecrets,
  SEALED_PREFIX,
  sealSecrets,
  sealValue,
  unreadableSecrets,
  type SecretCipher,
} from '../../src/main/profiles/secret-cipher'

/** Reverses the text behind a marker; reversible, and the plain text never appears in the output. */
const testCipher: SecretCipher = {
  encrypt: (plain) => `rev:${[...plain].reverse().join('')}`,
  decrypt: (stored) => {
    if (!stored.startsWith('rev:')) throw new Error('not ours')
    return [...stored.slice(4)].reverse().join('')
  },
}

/** A cipher from another computer: it cannot open what `testCipher` sealed. */
const otherCipher: SecretCipher = {
  encrypt: (plain) => `other:${plain}`,
  decrypt: () => {
    throw new Error('the keychain does not know this key')
  },
}

function profileWithSecret(value: string): Profile {
  return profileSchema.parse({
    version: 1,
    name: 'Ops',
    feeds: [
      {
        id: 'orders',
        name: 'Orders',
        url: 'https://example.test/orders',
        headers: [
          { name: 'Authorization', value, secret: true },
          { name: 'X-Team', value: 'ops' },
        ],
      },
    ],
  })
}

function headerValues(profile: Profile): string[] {
  return profile.feeds.flatMap((feed) => feed.headers.map((header) => header.value))
}

test('a sealed value opens to the original with the same cipher', () => {
  const sealed = sealValue('Bearer s3cret', testCipher)
  expect(sealed.startsWith(SEALED_PREFIX)).toBe(true)
  expect(sealed).not.toContain('s3cret')
  expect(openValue(sealed, testCipher)).toBe('Bearer s3cret')
})

test('without a cipher values are stored as typed', () => {
  expect(sealValue('Bearer s3cret', undefined)).toBe('Bearer s3cret')
  expect(openValue('Bearer s3cret', undefined)).toBe('Bearer s3cret')
})

test('an empty value is not sealed', () => {
  expect(sealValue('', testCipher)).toBe('')
})

test('a sealed value cannot be opened without a cipher or with one that refuses it', () => {
  const sealed = sealValue('Bearer s3cret', testCipher)
  expect(openValue(sealed, undefined)).toBeUndefined()
  expect(openValue(sealed, otherCipher)).toBeUndefined()
  expect(openValue(`${SEALED_PREFIX}not base64!`, testCipher)).toBeUndefined()
})

test('a decrypted value with a line break is treated as unreadable, not as a header value', () => {
  const sealed = sealValue('a\r\nInjected: yes', testCipher)
  expect(openValue(sealed, testCipher)).toBeUndefined()
})

test('only secret headers are sealed', () => {
  const sealed = sealSecrets(profileWithSecret('Bearer s3cret'), testCipher)
  const [authorization, team] = headerValues(sealed)
  expect(authorization?.startsWith(SEALED_PREFIX)).toBe(true)
  expect(team).toBe('ops')
})

test('revealing lists the secrets that cannot be decrypted and leaves them empty', () => {
  const stored = sealSecrets(profileWithSecret('Bearer s3cret'), testCipher)
  const { profile, unreadable } = revealSecrets(stored, otherCipher)
  expect(headerValues(profile)).toEqual(['', 'ops'])
  expect(unreadable).toEqual([
    {
      feedId: 'orders',
      feedName: 'Orders',
      header: 'Authorization',
      stored: headerValues(stored)[0],
    },
  ])
})

test('an unreadable secret still empty when saved is written back sealed as it was', () => {
  const stored = sealSecrets(profileWithSecret('Bearer s3cret'), testCipher)
  const keep = unreadableSecrets(stored, otherCipher)
  const { profile } = revealSecrets(stored, otherCipher)
  expect(headerValues(sealSecrets(profile, otherCipher, keep))[0]).toBe(headerValues(stored)[0])
})

test('an unreadable secret given a new value is replaced by it', () => {
  const stored = sealSecrets(profileWithSecret('Bearer s3cret'), testCipher)
  const keep = unreadableSecrets(stored, undefined)
  expect(headerValues(sealSecrets(profileWithSecret('Bearer new'), undefined, keep))[0]).toBe(
    'Bearer new',
  )
})
