import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import type { ActiveAlert, AlertHistory, AlertNotice, AlertPreview } from '../../../shared/alerts'
import type { AlertRule } from '../../../shared/profile'
import { feedwatchClient } from '../api/client'
import { unwrap } from './unwrap'

/** Firing and pending alerts, their history, and the alert and rule commands. */
export const useAlertsStore = defineStore('alerts', () => {
  const client = feedwatchClient()
  const active = shallowRef<ActiveAlert[]>([])
  const history = shallowRef<AlertHistory>({ entries: [], dropped: 0 })
  /** The latest notices, newest first, for a toast or banner. */
  const recentNotices = shallowRef<AlertNotice[]>([])
  const firing = computed(() => active.value.filter((alert) => alert.state === 'firing'))

  async function load(): Promise<void> {
    const listed = unwrap(await client.call('alerts:list', {}))
    active.value = listed.active
    history.value = listed.history
  }

  client.on('alerts:changed', (changed) => {
    active.value = changed.active
  })
  client.on('alerts:fired', (notice) => {
    recentNotices.value = [notice, ...recentNotices.value].slice(0, 20)
    void load()
  })
  client.onResync(() => void load())

  const acknowledge = async (alertId: string): Promise<void> => {
    unwrap(await client.call('alerts:ack', { alertId }))
    await load()
  }
  const silence = async (ruleId: string, until: number): Promise<void> => {
    unwrap(await client.call('alerts:silence', { ruleId, until }))
    await load()
  }
  const unsilence = async (ruleId: string): Promise<void> => {
    unwrap(await client.call('alerts:unsilence', { ruleId }))
    await load()
  }
  const saveRule = async (rule: AlertRule): Promise<AlertRule> =>
    unwrap(await client.call('rules:save', rule))
  const removeRule = async (id: string): Promise<void> =>
    void unwrap(await client.call('rules:remove', { id }))
  const preview = async (rule: AlertRule): Promise<AlertPreview> =>
    unwrap(await client.call('rules:preview', rule))

  return {
    active,
    history,
    recentNotices,
    firing,
    load,
    acknowledge,
    silence,
    unsilence,
    saveRule,
    removeRule,
    preview,
  }
})
