import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, expect, test, vi } from 'vitest'
import { feedwatchClient } from '../../../src/renderer/src/api/client'
import { useProfileStore } from '../../../src/renderer/src/stores/profile'
import type { ActiveProfile, ProfileSummary } from '../../../src/shared/api'
import type { FakeClient } from './fake-client'

vi.mock('../../../src/renderer/src/api/client', async () => {
  const { FakeClient } = await import('./fake-client')
  const client = new FakeClient()
  return { feedwatchClient: () => client }
})

const client = feedwatchClient() as FakeClient

const profile = (name: string, running = true): ActiveProfile =>
  ({ profile: { name, feeds: [] }, notices: [], running }) as unknown as ActiveProfile
const summary = (name: string): ProfileSummary => ({
  name,
  feeds: 0,
  panels: 0,
  rules: 0,
  updatedAt: 0,
  active: false,
  running: true,
})

beforeEach(() => {
  setActivePinia(createPinia())
  client.calls.length = 0
  client.answer('profiles:active', (request) => profile(request.name ?? 'Demo'))
  client.answer('profiles:list', [summary('Demo'), summary('Lobby')])
  client.answer('profiles:running', [])
})

test('a window asked for a profile loads that one and names it in its commands', async () => {
  const profiles = useProfileStore()
  profiles.request('Lobby')
  await profiles.load()
  expect(profiles.name).toBe('Lobby')
  expect(profiles.scope()).toEqual({ profile: 'Lobby' })
  expect(profiles.isShown('lobby ')).toBe(true)
  expect(profiles.isShown('Demo')).toBe(false)
})

test("another profile's change is not this window's; its own is taken in", async () => {
  const profiles = useProfileStore()
  await profiles.load()
  client.push('profiles:changed', { ...profile('Lobby'), notices: ['elsewhere'] })
  expect(profiles.name).toBe('Demo')
  expect(profiles.notices).toEqual([])
  client.push('profiles:changed', { ...profile('Demo'), notices: ['here'] })
  expect(profiles.notices).toEqual(['here'])
})

test('a window follows its profile to its new name, and to the default when it is deleted', async () => {
  const profiles = useProfileStore()
  profiles.request('Lobby')
  await profiles.load()
  client.push('profiles:listed', {
    profiles: [summary('Demo'), summary('Hall')],
    renamed: { name: 'Lobby', newName: 'Hall' },
  })
  await vi.waitFor(() => expect(profiles.name).toBe('Hall'))

  client.push('profiles:listed', { profiles: [summary('Demo')] })
  await vi.waitFor(() => expect(profiles.name).toBe('Demo'))
})

test('on a read-only server switching shows the profile all the same', async () => {
  const profiles = useProfileStore()
  await profiles.load()
  client.answer('profiles:switch', () => ({
    ok: false,
    error: { code: 'read-only', message: 'read-only' },
  }))
  await profiles.switchTo('Lobby')
  expect(profiles.name).toBe('Lobby')
})
