import { defineStore } from 'pinia'
import { computed, shallowRef, watch } from 'vue'
import type { ActiveProfile, ProfileSummary, RunningProfileStatus } from '../../../shared/api'
import { sameName } from '../../../shared/profile-name'
import { feedwatchClient } from '../api/client'
import { CommandFailure, unwrap } from './unwrap'

/**
 * The profile this window shows (feeds, panels, rules, layout, settings), the list of profiles,
 * which of them run, and what to tell about them. Each window picks its profile for itself: what
 * another window opens, creates or edits changes nothing here unless it is this profile, and then
 * the push says so.
 */
export const useProfileStore = defineStore('profile', () => {
  const client = feedwatchClient()
  const active = shallowRef<ActiveProfile | undefined>()
  const profiles = shallowRef<ProfileSummary[]>([])
  /** Every running profile with its health and firing alerts. */
  const running = shallowRef<RunningProfileStatus[]>([])
  /** The profile asked for (a wall's address); undefined: the one windows open by default. */
  let requested: string | undefined

  const profile = computed(() => active.value?.profile)
  const feeds = computed(() => profile.value?.feeds ?? [])
  const panels = computed(() => profile.value?.panels ?? [])
  const rules = computed(() => profile.value?.rules ?? [])
  const notices = computed(() => active.value?.notices ?? [])
  const name = computed(() => profile.value?.name)
  /** Whether the profile shown runs (its feeds connected, its rules evaluated). */
  const isRunning = computed(() => active.value?.running ?? false)

  /** True when `other` names the profile shown (names are compared as the store does). */
  function isShown(other: string | undefined): boolean {
    const shown = name.value ?? requested
    return other !== undefined && shown !== undefined && sameName(other, shown)
  }

  /** The `profile` field of a command about the profile shown. */
  function scope(): { profile?: string } {
    const shown = name.value ?? requested
    return shown === undefined ? {} : { profile: shown }
  }

  /** Asks for profile `next` (a wall's address) at the next {@link load}, before anything is loaded. */
  function request(next: string | undefined): void {
    requested = next
  }

  async function load(): Promise<void> {
    const [shown, listed, runningNow] = await Promise.all([
      client.call('profiles:active', requested === undefined ? {} : { name: requested }),
      client.call('profiles:list', {}),
      client.call('profiles:running', {}),
    ])
    active.value = unwrap(shown)
    profiles.value = unwrap(listed)
    running.value = unwrap(runningNow)
  }

  /** Told when the profile shown starts a new run: its feeds number their events from 1 again. */
  const restartListeners = new Set<() => void>()
  let seenRun: { name: string; startedAt: number } | undefined
  watch(
    active,
    (shown) => {
      if (shown?.startedAt === undefined) return
      const previous = seenRun
      seenRun = { name: shown.profile.name, startedAt: shown.startedAt }
      if (previous?.name === seenRun.name && previous.startedAt !== seenRun.startedAt)
        for (const listener of restartListeners) listener()
    },
    { flush: 'sync' },
  )

  /**
   * Calls `listener` whenever the profile shown was stopped and started again (what was kept of its
   * last run no longer matches its events); returns the unsubscribe function.
   */
  function onRestart(listener: () => void): () => void {
    restartListeners.add(listener)
    return () => restartListeners.delete(listener)
  }

  client.on('profiles:changed', (changed) => {
    if (isShown(changed.profile.name)) active.value = changed
    void refreshList().catch(() => undefined)
  })
  client.on('profiles:listed', ({ profiles: listed, renamed }) => {
    profiles.value = listed
    // Follow the profile shown to its new name; if it is gone, show the default one.
    if (renamed !== undefined && isShown(renamed.name)) {
      requested = renamed.newName
      void reloadShown()
    } else if (name.value !== undefined && !listed.some((p) => isShown(p.name))) {
      requested = undefined
      void reloadShown()
    }
  })
  client.on('profiles:running', (changed) => {
    running.value = changed.running
  })
  client.onResync(() => void load().catch(() => undefined))

  async function reloadShown(): Promise<void> {
    active.value = unwrap(
      await client.call('profiles:active', requested === undefined ? {} : { name: requested }),
    )
  }

  async function refreshList(): Promise<void> {
    profiles.value = unwrap(await client.call('profiles:list', {}))
  }

  /**
   * Shows profile `name` in this window, and makes it the one windows open by default (a read-only
   * server keeps its default; the window shows the profile all the same). Starts and stops nothing.
   */
  async function switchTo(next: string): Promise<void> {
    const result = await client.call('profiles:switch', { name: next })
    if (!result.ok && result.error.code !== 'read-only') throw new CommandFailure(result.error)
    requested = next
    active.value = result.ok
      ? result.value
      : unwrap(await client.call('profiles:active', { name: next }))
    await refreshList()
  }

  /**
   * Shows profile `next` in this window only (a wall's address names it); undefined shows the
   * default one.
   */
  async function show(next: string | undefined): Promise<void> {
    const already = next !== undefined && name.value !== undefined && isShown(next)
    requested = next
    if (!already) await reloadShown()
  }

  async function start(profileName: string): Promise<void> {
    unwrap(await client.call('profiles:start', { name: profileName }))
  }

  async function stop(profileName: string): Promise<void> {
    unwrap(await client.call('profiles:stop', { name: profileName }))
  }

  async function create(profileName: string): Promise<void> {
    unwrap(await client.call('profiles:create', { name: profileName }))
    await refreshList()
  }

  async function duplicate(profileName: string, newName: string): Promise<void> {
    unwrap(await client.call('profiles:duplicate', { name: profileName, newName }))
    await refreshList()
  }

  async function rename(profileName: string, newName: string): Promise<void> {
    unwrap(await client.call('profiles:rename', { name: profileName, newName }))
    await refreshList()
  }

  async function remove(profileName: string): Promise<void> {
    unwrap(await client.call('profiles:delete', { name: profileName }))
    await refreshList()
  }

  /** The profile as JSON, secret header values left out (only the desktop menu exports them). */
  async function exportProfile(profileName: string): Promise<{ json: string; fileName: string }> {
    return unwrap(await client.call('profiles:export', { name: profileName }))
  }

  async function importProfile(json: string, newName?: string): Promise<ProfileSummary> {
    const summary = unwrap(
      await client.call(
        'profiles:import',
        newName === undefined ? { json } : { json, name: newName },
      ),
    )
    await refreshList()
    return summary
  }

  return {
    active,
    profiles,
    running,
    profile,
    feeds,
    panels,
    rules,
    notices,
    name,
    isRunning,
    isShown,
    scope,
    onRestart,
    request,
    load,
    switchTo,
    show,
    start,
    stop,
    create,
    duplicate,
    rename,
    remove,
    exportProfile,
    importProfile,
  }
})
