import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import type { CommandRequest, ShownContactPoint } from '../../../shared/api'
import type { ContactPointStats, DeliveryLogEntry } from '../../../shared/delivery'
import { feedwatchClient } from '../api/client'
import { useProfileStore } from './profile'
import { unwrap } from './unwrap'

/** Lines of the delivery log kept here, as many as the main process keeps. */
const LOG_LIMIT = 200

/**
 * The contact points of the profile this window shows, their totals and the delivery log, kept
 * current by the `contacts:delivery` push.
 */
export const useContactsStore = defineStore('contacts', () => {
  const client = feedwatchClient()
  const profiles = useProfileStore()
  const contactPoints = computed(
    (): readonly ShownContactPoint[] => profiles.profile?.contactPoints ?? [],
  )
  /** Newest last. */
  const log = shallowRef<DeliveryLogEntry[]>([])
  const stats = shallowRef<ContactPointStats[]>([])

  async function load(): Promise<void> {
    const loaded = unwrap(await client.call('contacts:log', { ...profiles.scope() }))
    log.value = [...loaded.log.entries]
    stats.value = loaded.stats
  }

  client.on('contacts:delivery', ({ profile, entry }) => {
    if (!profiles.isShown(profile)) return
    log.value = [...log.value.slice(-(LOG_LIMIT - 1)), entry]
    // Totals change with every line; they are cheap to ask for again.
    void client.call('contacts:log', { ...profiles.scope() }).then((result) => {
      if (result.ok) stats.value = result.value.stats
    })
  })
  client.onResync(() => void load().catch(() => undefined))

  async function save(point: CommandRequest<'contacts:save'>): Promise<ShownContactPoint> {
    return unwrap(await client.call('contacts:save', { ...point, ...profiles.scope() }))
  }

  async function remove(id: string): Promise<void> {
    unwrap(await client.call('contacts:remove', { id, ...profiles.scope() }))
  }

  async function sendTest(id: string): Promise<void> {
    unwrap(await client.call('contacts:test', { id, ...profiles.scope() }))
  }

  return { contactPoints, log, stats, load, save, remove, sendTest }
})
