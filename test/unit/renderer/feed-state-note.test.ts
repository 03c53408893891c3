import { expect, test } from 'vitest'
import { feedStateNote } from '../../../src/renderer/src/components/charts/feed-state-note'

const live = {
  name: 'Live',
  enabled: true,
  state: { state: 'open', at: 0, status: 200, contentType: '' },
} as const

test('live feeds, and feeds whose state is not known yet, need no note', () => {
  expect(feedStateNote([live, { name: 'New', enabled: true, state: undefined }])).toBeUndefined()
})

test('a failed feed says so in words, with the reason as a sentence', () => {
  const note = feedStateNote([
    live,
    {
      name: 'Orders',
      enabled: true,
      state: {
        state: 'failed',
        at: 0,
        code: 'network',
        reason: 'connect ECONNREFUSED 127.0.0.1:9',
      },
    },
  ])
  expect(note).toEqual({
    headline: 'Orders failed',
    sentence: 'Connection refused by 127.0.0.1:9 — is the server running?',
    tone: 'danger',
  })
})

test('the most serious note wins among several feeds', () => {
  const note = feedStateNote([
    { name: 'Off', enabled: false, state: undefined },
    {
      name: 'Flaky',
      enabled: true,
      state: {
        state: 'reconnecting',
        at: 0,
        attempt: 1,
        maxAttempts: 5,
        delayMs: 1000,
        code: 'stale',
        reason: 'stale: no data for 45000 ms',
      },
    },
  ])
  expect(note).toEqual({
    headline: 'Flaky is reconnecting',
    sentence: 'No data for 45 s.',
    tone: 'warn',
  })
})

test('connecting, disconnected and disabled feeds each have their words', () => {
  expect(
    feedStateNote([{ name: 'A', enabled: true, state: { state: 'connecting', at: 0, attempt: 1 } }])
      ?.headline,
  ).toBe('A is connecting')
  expect(
    feedStateNote([
      {
        name: 'B',
        enabled: true,
        state: { state: 'closed', at: 0, code: 'disconnected', reason: 'disconnected' },
      },
    ]),
  ).toEqual({ headline: 'B is disconnected', sentence: 'Disconnected by hand.', tone: 'neutral' })
  expect(feedStateNote([{ name: 'C', enabled: false, state: undefined }])?.headline).toBe(
    'C is disabled',
  )
})
