import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, expect, test, vi } from 'vitest'
import { feedwatchClient } from '../../../src/renderer/src/api/client'
import { useEventsStore } from '../../../src/renderer/src/stores/events'
import { useProfileStore } from '../../../src/renderer/src/stores/profile'
import type { ActiveProfile } from '../../../src/shared/api'
import type { FeedEvent } from '../../../src/shared/feed-event'
import type { FakeClient } from './fake-client'

vi.mock('../../../src/renderer/src/api/client', async () => {
  const { FakeClient } = await import('./fake-client')
  const client = new FakeClient()
  return { feedwatchClient: () => client }
})

const client = feedwatchClient() as FakeClient
const event = (seq: number, data = `d${seq}`): FeedEvent => ({
  event: 'message',
  id: String(seq),
  data,
  receivedAt: seq,
  seq,
})
let buffered: FeedEvent[] = []

const shown = (name: string, startedAt?: number): ActiveProfile =>
  ({
    profile: { name },
    notices: [],
    running: startedAt !== undefined,
    ...(startedAt === undefined ? {} : { startedAt }),
  }) as unknown as ActiveProfile

beforeEach(() => {
  setActivePinia(createPinia())
  client.answer('events:query', () => ({ events: buffered, dropped: 0 }))
})

test('a profile stopped and started again shows its new run, numbered from 1, in place of the old', async () => {
  const profiles = useProfileStore()
  profiles.active = shown('Ops', 1000)
  const store = useEventsStore()
  buffered = [1, 2, 3].map((seq) => event(seq, 'old'))
  await store.ensureLoaded('a')

  profiles.active = shown('Ops')
  buffered = [event(1, 'new')]
  profiles.active = shown('Ops', 2000)
  await vi.waitFor(() => expect(store.eventsOf('a').map((e) => e.data)).toEqual(['new']))
  client.push('events:batch', {
    profile: 'Ops',
    dropped: 0,
    feeds: [{ feedId: 'a', events: [event(2, 'new')] }],
  })
  expect(store.eventsOf('a').map((e) => [e.seq, e.data])).toEqual([
    [1, 'new'],
    [2, 'new'],
  ])
})

test('events of a profile this window does not show are not its events', async () => {
  useProfileStore().active = shown('Ops', 1000)
  const store = useEventsStore()
  buffered = []
  await store.ensureLoaded('a')
  client.push('events:batch', {
    profile: 'Lobby',
    dropped: 0,
    feeds: [{ feedId: 'a', events: [event(1)] }],
  })
  expect(store.eventsOf('a')).toEqual([])
})
