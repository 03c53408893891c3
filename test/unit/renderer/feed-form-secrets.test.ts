import { expect, test } from 'vitest'
import type { ShownFeed } from '../../../src/shared/api'
import {
  draftFromForm,
  errorsFromIssues,
  formFromFeed,
  keepsStoredSecret,
  secretsLeftBehind,
} from '../../../src/renderer/src/components/feeds/feed-form'

const feed: ShownFeed = {
  id: 'orders',
  name: 'Orders',
  url: 'https://api.example/orders',
  enabled: true,
  method: 'GET',
  headers: [
    { name: 'Authorization', value: '', secret: true, valueSet: true },
    { name: 'X-Key', value: '', secret: true, valueSet: false },
    { name: 'X-Team', value: 'ops', secret: false },
  ],
  eventFilter: [],
  bufferSize: 2000,
  insecure: false,
  demo: false,
}

test('a stored secret shows as set, a secret without a value and a plain header as fields', () => {
  const form = formFromFeed(feed)
  expect(form.headers.map((row) => keepsStoredSecret(row, form.url, feed))).toEqual([
    true,
    false,
    false,
  ])
})

test('a stored secret is sent back empty, so the stored value is kept', () => {
  const { draft } = draftFromForm(formFromFeed(feed), feed)
  expect(draft.headers?.[0]).toEqual({ name: 'Authorization', value: '', secret: true })
})

test('replacing, renaming or unticking Secret shows a value field instead', () => {
  const replace = formFromFeed(feed)
  const [row] = replace.headers
  if (row === undefined) throw new Error('no row')
  row.replacing = true
  expect(keepsStoredSecret(row, replace.url, feed)).toBe(false)
  const renamed = formFromFeed(feed)
  if (renamed.headers[0]) renamed.headers[0].name = 'X-Other'
  expect(keepsStoredSecret(renamed.headers[0]!, renamed.url, feed)).toBe(false)
  const plain = formFromFeed(feed)
  if (plain.headers[0]) plain.headers[0].secret = false
  expect(keepsStoredSecret(plain.headers[0]!, plain.url, feed)).toBe(false)
})

test('pointing the feed at another origin shows the stored secret as to be entered again', () => {
  const form = formFromFeed(feed)
  expect(secretsLeftBehind(form, feed)).toBe(false)
  form.url = 'https://elsewhere.example/orders'
  expect(secretsLeftBehind(form, feed)).toBe(true)
  expect(keepsStoredSecret(form.headers[0]!, form.url, feed)).toBe(false)
  form.url = 'https://api.example/v2/orders'
  expect(keepsStoredSecret(form.headers[0]!, form.url, feed)).toBe(true)
})

test('a refused header value lands on the row of that header name', () => {
  const errors = errorsFromIssues(
    ['headers["X-Team"]: contains the control character U+0001 at position 2'],
    'failed',
    ['Authorization', 'X-Key', 'X-Team'],
  )
  expect(errors).toEqual({
    'headers.2.value': 'The value contains the control character U+0001 at position 2.',
  })
})
