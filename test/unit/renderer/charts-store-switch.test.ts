import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, expect, test, vi } from 'vitest'
import { feedwatchClient } from '../../../src/renderer/src/api/client'
import { useChartsStore } from '../../../src/renderer/src/stores/charts'
import { useProfileStore } from '../../../src/renderer/src/stores/profile'
import type { ActiveProfile } from '../../../src/shared/api'
import type { FeedEvent } from '../../../src/shared/feed-event'
import type { FieldSource } from '../../../src/shared/profile'
import type { FakeClient } from './fake-client'

vi.mock('../../../src/renderer/src/api/client', async () => {
  const { FakeClient } = await import('./fake-client')
  const client = new FakeClient()
  return { feedwatchClient: () => client }
})

const client = feedwatchClient() as FakeClient
const source: FieldSource = { feedId: 'a', path: 'v' }
const shown = (name: string): ActiveProfile =>
  ({
    profile: {
      name,
      feeds: [],
      panels: [{ id: 'tile', kind: 'tile', title: 'V', unit: '', source }],
    },
    notices: [],
    running: true,
  }) as unknown as ActiveProfile
const event = (seq: number, v: number): FeedEvent => ({
  event: 'message',
  id: String(seq),
  data: JSON.stringify({ v }),
  receivedAt: 1000 + seq,
  seq,
})

beforeEach(() => {
  setActivePinia(createPinia())
  client.answer('events:query', { events: [], dropped: 0 })
})

test('a panel keeps its buffer when the profile shown changes name, and gets the new points', async () => {
  const profiles = useProfileStore()
  profiles.active = shown('Ops')
  const charts = useChartsStore()
  const buffer = charts.buffer(source)
  client.push('events:batch', {
    profile: 'Ops',
    dropped: 0,
    feeds: [{ feedId: 'a', events: [event(1, 1)] }],
  })
  expect(buffer.latest?.y).toBe(1)

  profiles.active = shown('Hall')
  expect(charts.buffer(source)).toBe(buffer)
  expect(buffer.latest).toBeUndefined()
  client.push('events:batch', {
    profile: 'Ops',
    dropped: 0,
    feeds: [{ feedId: 'a', events: [event(2, 2)] }],
  })
  expect(buffer.latest).toBeUndefined()
  client.push('events:batch', {
    profile: 'Hall',
    dropped: 0,
    feeds: [{ feedId: 'a', events: [event(3, 3)] }],
  })
  expect(buffer.latest?.y).toBe(3)
})
