import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { feedwatchClient } from '../../../src/renderer/src/api/client'
import { useConnectionStore } from '../../../src/renderer/src/stores/connection'
import { CONNECTION_LOST_AFTER_MS } from '../../../src/shared/api'
import type { FakeClient } from './fake-client'

vi.mock('../../../src/renderer/src/api/client', async () => {
  const { FakeClient } = await import('./fake-client')
  const client = new FakeClient()
  return { feedwatchClient: () => client }
})

const client = feedwatchClient() as FakeClient

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 })
  setActivePinia(createPinia())
})

afterEach(() => {
  vi.useRealTimers()
})

test('heartbeats keep the connection up; 2.5 s without one says it is lost', () => {
  const connection = useConnectionStore()
  for (let i = 0; i < 5; i++) {
    vi.advanceTimersByTime(1000)
    client.push('service:heartbeat', { at: Date.now() })
  }
  expect(connection.lost).toBe(false)
  const lastHeard = Date.now()

  vi.advanceTimersByTime(CONNECTION_LOST_AFTER_MS - 1)
  expect(connection.lost).toBe(false)
  vi.advanceTimersByTime(1)
  expect(connection.lost).toBe(true)
  expect(connection.lastHeardAt).toBe(lastHeard)
})

test('a stream that goes down is lost at once, and the next heartbeat brings it back', () => {
  const connection = useConnectionStore()
  client.push('service:heartbeat', { at: Date.now() })
  client.streamChange(false)
  expect(connection.lost).toBe(true)

  // The stream is open again, but only a heartbeat says the service answers.
  client.streamChange(true)
  expect(connection.lost).toBe(true)
  client.push('service:heartbeat', { at: Date.now() })
  expect(connection.lost).toBe(false)
})

test('a window that never hears from Feedwatch says so after 2.5 s', () => {
  const connection = useConnectionStore()
  vi.advanceTimersByTime(CONNECTION_LOST_AFTER_MS)
  expect(connection.lost).toBe(true)
})
