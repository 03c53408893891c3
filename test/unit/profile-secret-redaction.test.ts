import { expect, test } from 'vitest'
import { dispatchCommand, type CommandHandlers } from '../../src/main/api/command-dispatch'
import {
  hideSecretsInPush,
  hideSecretsInReplies,
  hideSecretValues,
  withStoredSecrets,
} from '../../src/main/profiles/secret-redaction'

const secret = { name: 'Authorization', value: 'Bearer t0ken', secret: true }
const plain = { name: 'X-Team', value: 'ops', secret: false }

test('secret header values are shown empty with a marker, at any depth', () => {
  const reply = { profile: { feeds: [{ id: 'a', headers: [secret, plain] }] }, notices: [] }
  expect(hideSecretValues(reply)).toEqual({
    profile: {
      feeds: [
        {
          id: 'a',
          headers: [{ name: 'Authorization', value: '', secret: true, valueSet: true }, plain],
        },
      ],
    },
    notices: [],
  })
  expect(reply.profile.feeds[0]?.headers[0]?.value).toBe('Bearer t0ken')
})

test('a secret header without a value is marked as not set', () => {
  expect(hideSecretValues({ ...secret, value: '' })).toEqual({
    ...secret,
    value: '',
    valueSet: false,
  })
})

test('a value without secret headers is returned as it is, not copied', () => {
  const reply = { events: [{ id: '1', data: 'x' }], headers: [plain] }
  expect(hideSecretValues(reply)).toBe(reply)
})

test('event pushes are passed through untouched and profile pushes are shown without secrets', () => {
  const batch = { type: 'events:batch', payload: { feeds: [] } }
  expect(hideSecretsInPush(batch)).toBe(batch)
  const changed = { type: 'profiles:changed', payload: { headers: [secret] } }
  expect(JSON.stringify(hideSecretsInPush(changed))).not.toContain('t0ken')
})

test('handlers answer without secrets, sync and async alike, except the ones left out', async () => {
  const handlers = hideSecretsInReplies(
    {
      sync: () => ({ headers: [secret] }),
      async: () => Promise.resolve([secret]),
      query: () => [secret],
    },
    ['query'],
  )
  expect(JSON.stringify(handlers.sync())).not.toContain('t0ken')
  expect(JSON.stringify(await handlers.async())).not.toContain('t0ken')
  expect(handlers.query()).toEqual([secret])
})

test('a secret sent back empty keeps the stored value on the same origin', () => {
  const stored = { url: 'https://a.example/x', headers: [secret] }
  const next = {
    url: 'https://a.example/y',
    headers: [{ name: 'authorization', value: '', secret: true }],
  }
  expect(withStoredSecrets(next, stored).headers).toEqual([
    { name: 'authorization', value: 'Bearer t0ken', secret: true },
  ])
})

test('a new secret value replaces the stored one', () => {
  const stored = { url: 'https://a.example/x', headers: [secret] }
  const next = { url: stored.url, headers: [{ ...secret, value: 'Bearer n3w' }] }
  expect(withStoredSecrets(next, stored).headers[0]?.value).toBe('Bearer n3w')
})

test('no stored secret is kept for a feed moved to another origin or a header no longer secret', () => {
  const stored = { url: 'https://a.example/x', headers: [secret] }
  const moved = { url: 'https://b.example/x', headers: [{ ...secret, value: '' }] }
  expect(withStoredSecrets(moved, stored).headers[0]?.value).toBe('')
  const unmarked = { url: stored.url, headers: [{ ...secret, value: '', secret: false }] }
  expect(withStoredSecrets(unmarked, stored).headers[0]?.value).toBe('')
})

test('export with secrets is refused by the contract, so over IPC as over HTTP', async () => {
  const exported: unknown[] = []
  const handlers = {
    'profiles:export': (request: unknown) => {
      exported.push(request)
      return { json: '{}', fileName: 'ops.json' }
    },
  } as unknown as CommandHandlers
  const refused = await dispatchCommand(handlers, 'profiles:export', {
    name: 'Ops',
    includeSecrets: true,
  })
  expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
  expect(exported).toEqual([])
  await dispatchCommand(handlers, 'profiles:export', { name: 'Ops' })
  expect(exported).toEqual([{ name: 'Ops', includeSecrets: false }])
})
