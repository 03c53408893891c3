import { expect, test } from 'vitest'
import { decodeProfile } from '../../src/main/profiles/profile-document'
import { profileSchema, type ProfileInput } from '../../src/shared/profile'
import { describeIssues } from '../../src/shared/validation'

function profileWithHeaders(headers: { name: string; value: string }[]): ProfileInput {
  return {
    version: 1,
    name: 'Ops',
    feeds: [
      { id: 'a', name: 'A', url: 'https://example.test/a' },
      { id: 'b', name: 'B', url: 'https://example.test/b' },
      { id: 'c', name: 'Orders', url: 'https://example.test/c', headers },
    ],
  }
}

function schemaIssues(input: ProfileInput): string[] {
  const result = profileSchema.safeParse(input)
  return result.success ? [] : describeIssues(result.error)
}

test('a header value with a control character is refused under the header name', () => {
  expect(schemaIssues(profileWithHeaders([{ name: 'X-A', value: 'a\u0001b' }]))).toEqual([
    'feeds[2].headers["X-A"]: contains the control character U+0001 at position 2',
  ])
})

test('a header name that is not a token is refused at its index', () => {
  expect(schemaIssues(profileWithHeaders([{ name: 'X A', value: 'v' }]))).toEqual([
    "feeds[2].headers[0].name: a header name may hold only letters, digits and !#$%&'*+-.^_`|~",
  ])
})

test('a header value with line breaks or NUL is refused', () => {
  for (const value of ['a\r\nb: c', 'a\nb', 'a\u0000b']) {
    expect(schemaIssues(profileWithHeaders([{ name: 'X-A', value }]))).toHaveLength(1)
  }
})

test('tab, latin-1 and other non-ASCII characters are accepted in a header value', () => {
  expect(schemaIssues(profileWithHeaders([{ name: 'X-A', value: 'a\tb é ü 日本' }]))).toEqual([])
})

test('the refusal never quotes the header value', () => {
  const [issue] = schemaIssues(
    profileWithHeaders([{ name: 'Authorization', value: 'tok\u0007en' }]),
  )
  expect(issue).not.toContain('tok')
})

test('a stored document with an unsendable header loads without it and with the feed disabled', () => {
  const text = JSON.stringify(
    profileWithHeaders([
      { name: 'X-Team', value: 'ops' },
      { name: 'X-A', value: 'a\u0001b' },
    ]),
  )
  const decoded = decodeProfile(text)
  expect(decoded.ok).toBe(true)
  if (!decoded.ok) return
  expect(decoded.profile.feeds[2]).toMatchObject({
    enabled: false,
    headers: [{ name: 'X-Team', value: 'ops', secret: false }],
  })
  expect(decoded.profile.feeds[0]?.enabled).toBe(true)
  expect(decoded.repairs).toEqual([
    {
      issue: 'feeds[2].headers["X-A"]: contains the control character U+0001 at position 2',
      owner: '"Orders"',
    },
  ])
})

test('a document without unsendable headers needs no repair', () => {
  const decoded = decodeProfile(JSON.stringify(profileWithHeaders([{ name: 'X-A', value: 'b' }])))
  expect(decoded).toMatchObject({ ok: true, repairs: [] })
})

test('a contact point with an unsendable header loads without it and disabled', () => {
  const decoded = decodeProfile(
    JSON.stringify({
      version: 1,
      name: 'Ops',
      contactPoints: [
        {
          id: 'hook',
          kind: 'webhook',
          name: 'Hook',
          url: 'https://hooks.example/x',
          headers: [{ name: 'X-Token', value: 'a\u0007b', secret: true }],
        },
      ],
    }),
  )
  expect(decoded).toMatchObject({
    ok: true,
    profile: { contactPoints: [{ id: 'hook', enabled: false, headers: [] }] },
    repairs: [
      {
        issue:
          'contactPoints[0].headers["X-Token"]: contains the control character U+0007 at position 2',
        owner: '"Hook"',
      },
    ],
  })
})
