import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import type { AlertPreview } from '../../../shared/alerts'
import type { CommandResponses, ProfileAlert, ProfileAlertNotice } from '../../../shared/api'
import type { AlertRule } from '../../../shared/profile'
import { feedwatchClient } from '../api/client'
import { useProfileStore } from './profile'
import { unwrap } from './unwrap'

type ProfileAlertHistory = CommandResponses['alerts:list']['history']

/** Notices kept for the banner, newest first. */
const MAX_RECENT_NOTICES = 20

/**
 * Firing and pending alerts of every running profile (each names its profile), their history, the
 * notices to put in front of people, and the alert and rule commands. Rules, silences and the
 * per-feed views concern the profile this window shows.
 */
export const useAlertsStore = defineStore('alerts', () => {
  const client = feedwatchClient()
  const profiles = useProfileStore()
  const active = shallowRef<ProfileAlert[]>([])
  const history = shallowRef<ProfileAlertHistory>({ entries: [], dropped: 0 })
  /** The latest notices, newest first, for a toast or banner. */
  const recentNotices = shallowRef<ProfileAlertNotice[]>([])
  const firing = computed(() => active.value.filter((alert) => alert.state === 'firing'))
  /** The active alerts of the profile this window shows (its feeds' markers). */
  const activeHere = computed(() => active.value.filter((alert) => profiles.isShown(alert.profile)))
  const firingHere = computed(() => firing.value.filter((alert) => profiles.isShown(alert.profile)))
  /**
   * The newest notice of each alert, newest first: the banner shows those of alerts still firing
   * and unacknowledged (a notice is not waved off: it goes when the alert is acknowledged or ends).
   */
  const latestNotices = computed((): ProfileAlertNotice[] => {
    const newest = new Map<string, ProfileAlertNotice>()
    for (const notice of recentNotices.value)
      if (!newest.has(notice.alertId)) newest.set(notice.alertId, notice)
    return [...newest.values()]
  })

  /**
   * Rule id to the end of its silence, as far as the history tells (a silence outlives the alert it
   * was set for, and a rule can be silenced before it fires), confirmed by the active alerts. Ended
   * silences may still be in here: compare with the clock.
   */
  const silences = computed(() => {
    const until = new Map<string, number>()
    for (const entry of history.value.entries) {
      if (!profiles.isShown(entry.profile)) continue
      if (entry.kind === 'silenced') until.set(entry.ruleId, entry.until)
      else if (entry.kind === 'unsilenced') until.delete(entry.ruleId)
    }
    for (const alert of activeHere.value) {
      if (alert.silencedUntil === null) until.delete(alert.ruleId)
      else until.set(alert.ruleId, alert.silencedUntil)
    }
    return until
  })

  /** When the rule's silence ends (epoch ms), or null when it is not silenced at `now`. */
  function silencedUntil(ruleId: string, now: number): number | null {
    const until = silences.value.get(ruleId)
    return until !== undefined && until > now ? until : null
  }

  async function load(): Promise<void> {
    const listed = unwrap(await client.call('alerts:list', {}))
    active.value = listed.active
    history.value = listed.history
  }

  /**
   * Reloads after a push, at most one request in flight and one queued: a burst of pushes costs two
   * requests, and the last one sees everything the burst changed.
   */
  let reloading: Promise<void> | undefined
  let reloadAgain = false
  function reload(): void {
    if (reloading !== undefined) {
      reloadAgain = true
      return
    }
    reloading = load()
      .catch(() => undefined)
      .finally(() => {
        reloading = undefined
        if (reloadAgain) {
          reloadAgain = false
          reload()
        }
      })
  }

  // Pushes carry the active alerts but not the history, which changes with them (pending alerts
  // that clear, alerts that resolve while silenced send no notice but do change it).
  client.on('alerts:changed', (changed) => {
    active.value = [
      ...active.value.filter((alert) => alert.profile !== changed.profile),
      ...changed.active,
    ]
    reload()
  })
  // A profile started or stopped: its alerts come or go.
  client.on('profiles:running', () => reload())
  client.on('alerts:fired', (notice) => {
    recentNotices.value = [notice, ...recentNotices.value].slice(0, MAX_RECENT_NOTICES)
    reload()
  })
  client.onResync(reload)

  /**
   * Acknowledges an alert of any running profile: the one named, else the one whose alert has this
   * id (ids are unique per profile only).
   */
  const acknowledge = async (alertId: string, named?: string): Promise<void> => {
    const profile = named ?? active.value.find((alert) => alert.id === alertId)?.profile
    unwrap(
      await client.call('alerts:ack', profile === undefined ? { alertId } : { alertId, profile }),
    )
    await load()
  }
  const silence = async (ruleId: string, until: number): Promise<void> => {
    unwrap(await client.call('alerts:silence', { ruleId, until, ...profiles.scope() }))
    await load()
  }
  const unsilence = async (ruleId: string): Promise<void> => {
    unwrap(await client.call('alerts:unsilence', { ruleId, ...profiles.scope() }))
    await load()
  }
  const saveRule = async (rule: AlertRule): Promise<AlertRule> =>
    unwrap(await client.call('rules:save', { ...rule, ...profiles.scope() }))
  const removeRule = async (id: string): Promise<void> =>
    void unwrap(await client.call('rules:remove', { id, ...profiles.scope() }))
  const preview = async (rule: AlertRule): Promise<AlertPreview> =>
    unwrap(await client.call('rules:preview', { ...rule, ...profiles.scope() }))

  return {
    active,
    history,
    recentNotices,
    firing,
    activeHere,
    firingHere,
    latestNotices,
    silences,
    silencedUntil,
    load,
    acknowledge,
    silence,
    unsilence,
    saveRule,
    removeRule,
    preview,
  }
})
