import { expect, test } from 'vitest'
import {
  draftFromForm,
  errorsFromIssues,
  formFromFeed,
  headerRow,
  methodTakesBody,
  urlProblem,
  type FeedForm,
} from '../../../src/renderer/src/components/feeds/feed-form'
import type { Feed } from '../../../src/shared/profile'

function form(change: Partial<FeedForm> = {}): FeedForm {
  return { ...formFromFeed(), name: 'Orders', url: 'https://example.com/events', ...change }
}

test('an empty form starts with GET and the engine defaults', () => {
  const empty = formFromFeed()
  expect(empty).toMatchObject({ method: 'GET', autoReconnect: true, reconnectDelay: '' })
  expect(empty.unlimitedAttempts).toBe(false)
})

test('a feed fills the form, unlimited attempts as a tick', () => {
  const feed = {
    id: 'f',
    name: 'Orders',
    url: 'https://example.com/events',
    method: 'POST',
    headers: [{ name: 'Authorization', value: 'x', secret: true }],
    body: '{}',
    eventFilter: ['a', 'b'],
    maxReconnectAttempts: 'unlimited',
    reconnectDelay: 500,
  } as unknown as Feed
  const filled = formFromFeed(feed)
  expect(filled.eventFilter).toBe('a, b')
  expect(filled.unlimitedAttempts).toBe(true)
  expect(filled.maxReconnectAttempts).toBe('')
  expect(filled.reconnectDelay).toBe('500')
  expect(filled.headers[0]).toMatchObject({ name: 'Authorization', secret: true })
})

test('URLs must be complete http(s) addresses', () => {
  expect(urlProblem('')).toBe('Enter the URL of the event stream.')
  expect(urlProblem('example.com')).toMatch(/complete URL/)
  expect(urlProblem('ftp://example.com')).toMatch(/this one is ftp:/)
  expect(urlProblem('https://example.com/events')).toBeUndefined()
})

test('only methods other than GET and HEAD send a body', () => {
  expect(methodTakesBody('get')).toBe(false)
  expect(methodTakesBody('HEAD')).toBe(false)
  expect(methodTakesBody('post')).toBe(true)
})

test('a filled form becomes a draft with only the fields that differ from the defaults', () => {
  const { draft, errors } = draftFromForm(
    form({
      method: 'post',
      body: '{"q":1}',
      eventFilter: 'metrics, ticks  alerts',
      headers: [headerRow('X-Key', 'v', true), headerRow('', '')],
      reconnectDelay: 250,
      maxReconnectAttempts: '3',
      staleTimeout: '',
      autoReconnect: false,
    }),
  )
  expect(errors).toEqual({})
  expect(draft).toMatchObject({
    name: 'Orders',
    method: 'POST',
    body: '{"q":1}',
    eventFilter: ['metrics', 'ticks', 'alerts'],
    headers: [{ name: 'X-Key', value: 'v', secret: true }],
    reconnectDelay: 250,
    maxReconnectAttempts: 3,
    autoReconnect: false,
  })
  expect(draft).not.toHaveProperty('staleTimeout')
})

test('editing keeps what the form does not show, and unlimited attempts are saved as such', () => {
  const base = { id: 'f', name: 'Old', url: 'https://x', demo: true, bufferSize: 500 } as Feed
  const { draft } = draftFromForm(form({ unlimitedAttempts: true }), base)
  expect(draft).toMatchObject({ id: 'f', demo: true, bufferSize: 500, name: 'Orders' })
  expect(draft.maxReconnectAttempts).toBe('unlimited')
})

test('problems are reported per field', () => {
  const { errors } = draftFromForm(
    form({
      name: ' ',
      url: 'nope',
      headers: [headerRow('', 'value without a name')],
      reconnectDelay: '1.5',
      maxReconnectDelay: 'soon',
    }),
  )
  expect(Object.keys(errors).sort()).toEqual(
    ['headers.0.name', 'maxReconnectDelay', 'name', 'reconnectDelay', 'url'].sort(),
  )
})

test('engine issues land next to their fields, the rest as a general error', () => {
  expect(
    errorsFromIssues(
      ['url: must be http', 'headers[1].value: bad value', 'headers[0].name: bad', 'odd thing'],
      'fallback',
    ),
  ).toEqual({
    url: 'Must be http',
    'headers.1.value': 'Bad value',
    'headers.0.name': 'Bad',
    form: 'odd thing',
  })
  expect(errorsFromIssues(['name: a', 'name: b'], 'x')).toEqual({ name: 'A B' })
  expect(errorsFromIssues([], 'Could not save')).toEqual({ form: 'Could not save' })
  expect(errorsFromIssues(['colour: red'], 'x')).toEqual({ form: 'colour: red' })
})
