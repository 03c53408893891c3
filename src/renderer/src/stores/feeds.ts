import { defineStore } from 'pinia'
import { shallowRef, triggerRef } from 'vue'
import type { CommandRequest, ConnectionTestResult } from '../../../shared/api'
import type { FeedStatus } from '../../../shared/feed-status'
import type { Feed } from '../../../shared/profile'
import { feedwatchClient } from '../api/client'
import { unwrap } from './unwrap'

/** Connection state and stats of every running feed, and the feed commands. */
export const useFeedsStore = defineStore('feeds', () => {
  const client = feedwatchClient()
  /** By feed id; replaced in place and triggered, so a stats tick does not rebuild every row. */
  const statuses = shallowRef(new Map<string, FeedStatus>())

  async function load(): Promise<void> {
    statuses.value = new Map(
      unwrap(await client.call('feeds:list', {})).map((status) => [status.feedId, status]),
    )
  }

  client.on('feeds:state', (status) => {
    statuses.value.set(status.feedId, status)
    triggerRef(statuses)
  })
  client.onResync(() => void load())

  const add = async (draft: CommandRequest<'feeds:add'>): Promise<Feed> =>
    unwrap(await client.call('feeds:add', draft))
  const update = async (feed: CommandRequest<'feeds:update'>): Promise<Feed> =>
    unwrap(await client.call('feeds:update', feed))
  const remove = async (id: string): Promise<void> =>
    void unwrap(await client.call('feeds:remove', { id }))
  const enable = async (id: string): Promise<void> =>
    void unwrap(await client.call('feeds:enable', { id }))
  const disable = async (id: string): Promise<void> =>
    void unwrap(await client.call('feeds:disable', { id }))
  const connect = async (id: string): Promise<void> =>
    void unwrap(await client.call('feeds:connect', { id }))
  const disconnect = async (id: string): Promise<void> =>
    void unwrap(await client.call('feeds:disconnect', { id }))
  const retry = async (id: string): Promise<void> =>
    void unwrap(await client.call('feeds:retry', { id }))
  const test = async (draft: CommandRequest<'feeds:test'>): Promise<ConnectionTestResult> =>
    unwrap(await client.call('feeds:test', draft))

  return { statuses, load, add, update, remove, enable, disable, connect, disconnect, retry, test }
})
