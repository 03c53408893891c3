import { expect, test } from 'vitest'
import { profileSchema, type Profile } from '../../src/shared/profile'
import { exportProfileJson } from '../../src/main/profiles/profile-export'
import {
  revealSecrets,
  sealSecrets,
  secretKey,
  type SecretCipher,
} from '../../src/main/profiles/secret-cipher'

const testCipher: SecretCipher = {
  encrypt: (plain) => `rev:${[...plain].reverse().join('')}`,
  decrypt: (stored) => {
    if (!stored.startsWith('rev:')) throw new Error('not ours')
    return [...stored.slice(4)].reverse().join('')
  },
}

/** A feed and a webhook contact point with the same id and a secret header of the same name. */
const profile: Profile = profileSchema.parse({
  version: 1,
  name: 'Ops',
  feeds: [
    {
      id: 'hook',
      name: 'Orders',
      url: 'https://example.test/orders',
      headers: [{ name: 'Authorization', value: 'Bearer feed-secret', secret: true }],
    },
  ],
  contactPoints: [
    {
      id: 'hook',
      name: 'Pager hook',
      kind: 'webhook',
      url: 'https://hooks.example.test/x',
      headers: [
        { name: 'Authorization', value: 'Bearer hook-secret', secret: true },
        { name: 'X-Team', value: 'sre' },
      ],
    },
  ],
})

test('secret contact point headers are sealed at rest and revealed again', () => {
  const sealed = sealSecrets(profile, testCipher)
  expect(JSON.stringify(sealed)).not.toContain('hook-secret')
  expect(sealed.contactPoints[0]?.headers[1]?.value).toBe('sre')
  expect(revealSecrets(sealed, testCipher).profile).toEqual(profile)
})

test('a contact point secret that cannot be decrypted is kept sealed apart from a feed secret', () => {
  const sealed = sealSecrets(profile, testCipher)
  const { profile: opened, unreadable } = revealSecrets(sealed, undefined)
  expect(opened.contactPoints[0]?.headers[0]?.value).toBe('')
  expect(unreadable.map((secret) => secret.feedId)).toEqual(['hook', 'contact-point:hook'])
  const kept = new Map(unreadable.map((s) => [secretKey(s.feedId, s.header), s.stored] as const))
  const resealed = sealSecrets(opened, testCipher, kept)
  expect(resealed.contactPoints[0]?.headers[0]?.value).toBe(
    sealed.contactPoints[0]?.headers[0]?.value,
  )
  expect(resealed.feeds[0]?.headers[0]?.value).toBe(sealed.feeds[0]?.headers[0]?.value)
})

test('an export leaves contact point secrets out unless asked for', () => {
  const { json } = exportProfileJson(profile, false, [])
  expect(json).not.toContain('hook-secret')
  expect(JSON.parse(json).contactPoints[0].headers[0]).toEqual({
    name: 'Authorization',
    value: '',
    secret: true,
    redacted: true,
  })
  expect(exportProfileJson(profile, true, []).json).toContain('Bearer hook-secret')
})
