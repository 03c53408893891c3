// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { createMemoryHistory } from 'vue-router'
import { feedwatchClient } from '../../../src/renderer/src/api/client'
import AlertBanner from '../../../src/renderer/src/components/alerts/AlertBanner.vue'
import { createAppRouter } from '../../../src/renderer/src/router'
import { useProfileStore } from '../../../src/renderer/src/stores/profile'
import type { ActiveProfile, ProfileAlert, ProfileAlertNotice } from '../../../src/shared/api'
import type { FakeClient } from './fake-client'

vi.mock('../../../src/renderer/src/api/client', async () => {
  const { FakeClient } = await import('./fake-client')
  const client = new FakeClient()
  return { feedwatchClient: () => client }
})

const client = feedwatchClient() as FakeClient
/** What `alerts:list` answers: the test changes it as alerts come and go. */
let active: ProfileAlert[] = []

function alert(change: Partial<ProfileAlert> = {}): ProfileAlert {
  return {
    id: 'a1',
    ruleId: 'cpu-high',
    ruleName: 'CPU above 90 %',
    feedId: 'demo',
    severity: 'warning',
    state: 'firing',
    since: 1000,
    lastValue: 0.95,
    acknowledged: false,
    silencedUntil: null,
    profile: 'Demo',
    ...change,
  }
}

function notice(kind: ProfileAlertNotice['kind'], change: Partial<ProfileAlertNotice> = {}) {
  return {
    kind,
    title: `${kind === 'resolved' ? 'Resolved' : 'Firing'}: CPU above 90 %`,
    body: 'cpu is 95 % on Demo feed',
    severity: 'warning',
    feedId: 'demo',
    ruleId: 'cpu-high',
    alertId: 'a1',
    at: Date.now(),
    profile: 'Demo',
    ...change,
  } satisfies ProfileAlertNotice
}

function showProfile(name: string): void {
  useProfileStore().active = {
    profile: { name, feeds: [], panels: [], rules: [] },
    notices: [],
    running: true,
  } as never as ActiveProfile
}

async function mountBanner() {
  const router = createAppRouter(createMemoryHistory())
  await router.push('/')
  return mount(AlertBanner, { global: { plugins: [router] }, attachTo: document.body })
}

beforeEach(() => {
  setActivePinia(createPinia())
  active = []
  client.answer('alerts:list', () => ({ active, history: { entries: [], dropped: 0 } }))
  client.answer('alerts:ack', () => {
    active = active.map((each) => ({ ...each, acknowledged: true }))
    return active[0] as ProfileAlert
  })
  showProfile('Demo')
})

afterEach(() => {
  vi.useRealTimers()
  document.body.innerHTML = ''
})

test('a firing notice stays until the alert is acknowledged, and offers no dismiss', async () => {
  const banner = await mountBanner()
  active = [alert()]
  client.push('alerts:fired', notice('firing'))
  await flushPromises()
  const status = banner.get('[role="status"].region')
  expect(status.text()).toContain('Firing: CPU above 90 %')
  expect(banner.findAll('button').map((button) => button.text())).toEqual(['Acknowledge'])

  await banner.get('button[aria-label="Acknowledge: Firing: CPU above 90 %"]').trigger('click')
  await flushPromises()
  expect(client.names()).toContain('alerts:ack')
  expect(banner.get('[role="status"].region').text()).toBe('')
  banner.unmount()
})

test('a critical firing notice is announced at once', async () => {
  const banner = await mountBanner()
  active = [alert({ severity: 'critical' })]
  client.push('alerts:fired', notice('firing', { severity: 'critical' }))
  await flushPromises()
  expect(banner.get('[role="alert"]').text()).toContain('Firing: CPU above 90 %')
  banner.unmount()
})

test('a resolved alert is a toast that fades after ten seconds', async () => {
  vi.useFakeTimers()
  const banner = await mountBanner()
  client.push('alerts:fired', notice('resolved'))
  await flushPromises()
  const toasts = (): string => banner.get('[aria-label="Resolved alerts"]').text()
  expect(toasts()).toContain('Resolved: CPU above 90 %')
  // A resolved notice is not a firing banner.
  expect(banner.get('[role="status"].region').text()).toBe('')
  vi.advanceTimersByTime(9_000)
  await flushPromises()
  expect(toasts()).toContain('Resolved: CPU above 90 %')
  vi.advanceTimersByTime(1_000)
  await flushPromises()
  expect(toasts()).toBe('')
  banner.unmount()
})

test('a toast stays while the pointer is on it, and can be closed', async () => {
  vi.useFakeTimers()
  const banner = await mountBanner()
  client.push('alerts:fired', notice('resolved'))
  await flushPromises()
  const toast = banner.get('.toast')
  await toast.trigger('mouseenter')
  vi.advanceTimersByTime(30_000)
  await flushPromises()
  expect(banner.find('.toast').exists()).toBe(true)
  await toast.trigger('mouseleave')
  await banner.get('button[aria-label="Close: Resolved: CPU above 90 %"]').trigger('click')
  expect(banner.find('.toast').exists()).toBe(false)
  banner.unmount()
})

test("another profile's toasts go when the window switches profile", async () => {
  const banner = await mountBanner()
  client.push('alerts:fired', notice('resolved'))
  await flushPromises()
  expect(banner.find('.toast').exists()).toBe(true)
  showProfile('Ops')
  await flushPromises()
  expect(banner.find('.toast').exists()).toBe(false)
  banner.unmount()
})

test('more firing alerts than fit send people to the Alerts section', async () => {
  const banner = await mountBanner()
  active = ['a1', 'a2', 'a3', 'a4'].map((id) => alert({ id }))
  for (const id of ['a1', 'a2', 'a3', 'a4'])
    client.push('alerts:fired', notice('firing', { alertId: id }))
  await flushPromises()
  expect(banner.findAll('.notice')).toHaveLength(3)
  expect(banner.get('.more').text()).toContain('1 more firing')
  banner.unmount()
})
