import { defineStore } from 'pinia'
import { ref, shallowRef, triggerRef, watch } from 'vue'
import type { CommandRequest, ConnectionTestResult } from '../../../shared/api'
import type { FeedStatus } from '../../../shared/feed-status'
import type { Feed } from '../../../shared/profile'
import { feedwatchClient } from '../api/client'
import { useProfileStore } from './profile'
import { unwrap } from './unwrap'

/**
 * Connection state and stats of the feeds of the profile this window shows, which feed is shown,
 * and the feed commands.
 */
export const useFeedsStore = defineStore('feeds', () => {
  const client = feedwatchClient()
  const profiles = useProfileStore()
  /** By feed id; replaced in place and triggered, so a stats tick does not rebuild every row. */
  const statuses = shallowRef(new Map<string, FeedStatus>())
  /**
   * When each reconnecting feed will try again, on this machine's clock. The engine's `at` comes
   * from its own clock, which may differ from a browser's on another machine, so the countdown
   * starts when the state reaches us (and never waits longer than `delayMs`).
   */
  const retryAt = shallowRef(new Map<string, number>())
  /** The feed whose events, charts and alerts the main view shows (charts and alerts read it too). */
  const selectedId = ref<string | undefined>()
  /** `at` of the reconnecting state each countdown was started from. */
  const countdownFrom = new Map<string, number>()

  function remember(status: FeedStatus): void {
    statuses.value.set(status.feedId, status)
    const { state } = status
    if (state.state !== 'reconnecting') {
      countdownFrom.delete(status.feedId)
      retryAt.value.delete(status.feedId)
    } else if (countdownFrom.get(status.feedId) !== state.at) {
      const received = Date.now()
      const remaining = Math.min(state.delayMs, Math.max(0, state.at + state.delayMs - received))
      countdownFrom.set(status.feedId, state.at)
      retryAt.value.set(status.feedId, received + remaining)
    }
  }

  async function load(): Promise<void> {
    const listed = unwrap(await client.call('feeds:list', profiles.scope()))
    statuses.value = new Map()
    retryAt.value = new Map()
    countdownFrom.clear()
    for (const status of listed) remember(status)
    triggerRef(statuses)
    triggerRef(retryAt)
  }

  /** Takes in one status and tells the views. */
  function accept(status: FeedStatus): void {
    remember(status)
    triggerRef(statuses)
    triggerRef(retryAt)
  }

  client.on('feeds:state', (status) => {
    if (profiles.isShown(status.profile)) accept(status)
  })
  // An edit, a start or a stop changes which feeds run: read them all again.
  client.on('profiles:changed', (changed) => {
    if (profiles.isShown(changed.profile.name)) void load().catch(() => undefined)
  })
  client.onResync(() => void load().catch(() => undefined))
  // This window shows another profile: its feeds are others.
  watch(
    () => profiles.name,
    (name, previous) => {
      if (previous !== undefined && name !== previous) void load().catch(() => undefined)
    },
  )

  const add = async (draft: CommandRequest<'feeds:add'>): Promise<Feed> =>
    unwrap(await client.call('feeds:add', { ...draft, ...profiles.scope() }))
  const update = async (feed: CommandRequest<'feeds:update'>): Promise<Feed> =>
    unwrap(await client.call('feeds:update', { ...feed, ...profiles.scope() }))
  const remove = async (id: string): Promise<void> =>
    void unwrap(await client.call('feeds:remove', { id, ...profiles.scope() }))
  const enable = async (id: string): Promise<void> =>
    void unwrap(await client.call('feeds:enable', { id, ...profiles.scope() }))
  const disable = async (id: string): Promise<void> =>
    void unwrap(await client.call('feeds:disable', { id, ...profiles.scope() }))
  const connect = async (id: string): Promise<void> =>
    accept(unwrap(await client.call('feeds:connect', { id, ...profiles.scope() })))
  const disconnect = async (id: string): Promise<void> =>
    accept(unwrap(await client.call('feeds:disconnect', { id, ...profiles.scope() })))
  const retry = async (id: string): Promise<void> =>
    accept(unwrap(await client.call('feeds:retry', { id, ...profiles.scope() })))
  const test = async (draft: CommandRequest<'feeds:test'>): Promise<ConnectionTestResult> =>
    unwrap(await client.call('feeds:test', { ...draft, ...profiles.scope() }))

  return {
    statuses,
    retryAt,
    selectedId,
    load,
    add,
    update,
    remove,
    enable,
    disable,
    connect,
    disconnect,
    retry,
    test,
  }
})
