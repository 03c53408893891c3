import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import type { ActiveProfile, ProfileSummary } from '../../../shared/api'
import { feedwatchClient } from '../api/client'
import { unwrap } from './unwrap'

/** The active profile (feeds, panels, rules, layout, settings), the list of profiles and what to tell about them. */
export const useProfileStore = defineStore('profile', () => {
  const client = feedwatchClient()
  const active = shallowRef<ActiveProfile | undefined>()
  const profiles = shallowRef<ProfileSummary[]>([])

  const profile = computed(() => active.value?.profile)
  const feeds = computed(() => profile.value?.feeds ?? [])
  const panels = computed(() => profile.value?.panels ?? [])
  const rules = computed(() => profile.value?.rules ?? [])
  const notices = computed(() => active.value?.notices ?? [])
  const name = computed(() => profile.value?.name)

  async function load(): Promise<void> {
    active.value = unwrap(await client.call('profiles:active', {}))
    profiles.value = unwrap(await client.call('profiles:list', {}))
  }

  client.on('profiles:changed', (changed) => {
    active.value = changed
    void refreshList()
  })
  client.onResync(() => void load())

  async function refreshList(): Promise<void> {
    profiles.value = unwrap(await client.call('profiles:list', {}))
  }

  async function switchTo(name: string): Promise<void> {
    active.value = unwrap(await client.call('profiles:switch', { name }))
    await refreshList()
  }

  async function create(name: string): Promise<void> {
    unwrap(await client.call('profiles:create', { name }))
    await refreshList()
  }

  async function duplicate(name: string, newName: string): Promise<void> {
    unwrap(await client.call('profiles:duplicate', { name, newName }))
    await refreshList()
  }

  async function rename(name: string, newName: string): Promise<void> {
    unwrap(await client.call('profiles:rename', { name, newName }))
    await refreshList()
  }

  async function remove(name: string): Promise<void> {
    unwrap(await client.call('profiles:delete', { name }))
    await refreshList()
  }

  async function exportProfile(
    name: string,
    includeSecrets: boolean,
  ): Promise<{ json: string; fileName: string }> {
    return unwrap(await client.call('profiles:export', { name, includeSecrets }))
  }

  async function importProfile(json: string, name?: string): Promise<ProfileSummary> {
    const summary = unwrap(
      await client.call('profiles:import', name === undefined ? { json } : { json, name }),
    )
    await refreshList()
    return summary
  }

  return {
    active,
    profiles,
    profile,
    feeds,
    panels,
    rules,
    notices,
    name,
    load,
    switchTo,
    create,
    duplicate,
    rename,
    remove,
    exportProfile,
    importProfile,
  }
})
