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
const event = (seq: number): FeedEvent => ({
  event: 'message',
  id: String(seq),
  data: `d${seq}`,
  receivedAt: seq,
  seq,
})
/** What the engine's buffer of feed "a" holds. */
let buffered: FeedEvent[] = []

beforeEach(() => {
  setActivePinia(createPinia())
  client.answer('events:query', () => ({ events: buffered, dropped: 0 }))
})

test('when the server says it dropped batches, the feeds shown fetch the missed events again', async () => {
  useProfileStore().active = {
    profile: { name: 'Ops' },
    notices: [],
    running: true,
  } as unknown as ActiveProfile
  const store = useEventsStore()
  buffered = [event(1), event(2)]
  await store.ensureLoaded('a')
  // Events 3 to 5 were in batches the server dropped for this slow window; 6 arrives.
  client.push('events:batch', {
    profile: 'Ops',
    dropped: 0,
    feeds: [{ feedId: 'a', events: [event(6)] }],
  })
  expect(store.eventsOf('a').map((e) => e.seq)).toEqual([1, 2, 6])
  buffered = [1, 2, 3, 4, 5, 6].map(event)
  client.push('events:dropped', { dropped: 3 })
  await vi.waitFor(() => expect(store.eventsOf('a').map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]))
  expect(store.droppedInDisplay).toBe(3)
})
