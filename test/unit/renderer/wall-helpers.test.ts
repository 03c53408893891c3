// @vitest-environment happy-dom
import { afterEach, expect, test, vi } from 'vitest'
import { effectScope, nextTick, ref } from 'vue'
import {
  NO_DATA_GRACE_MS,
  panelHealth,
  type SeriesHealthInput,
} from '../../../src/renderer/src/components/wall/panel-health'
import { usePlaylist } from '../../../src/renderer/src/components/wall/playlist'

const open = { state: 'open', at: 0, status: 200, contentType: '' } as const

function series(change: Partial<SeriesHealthInput> = {}): SeriesHealthInput {
  return { label: 'cpu', state: open, enabled: true, lastAt: 9_000, intervalMs: 1000, ...change }
}

afterEach(() => {
  vi.useRealTimers()
})

test('a panel with fresh data is live', () => {
  expect(panelHealth([series()], 10_000, 0)).toEqual({ kind: 'live' })
})

test('a failed, closed or disabled feed makes the panel failed', () => {
  expect(panelHealth([series({ enabled: false })], 10_000, 0)).toEqual({
    kind: 'failed',
    reason: 'feed disabled',
  })
  expect(
    panelHealth(
      [series({ state: { state: 'failed', at: 0, code: 'network', reason: 'refused' } })],
      10_000,
      0,
    ),
  ).toEqual({ kind: 'failed', reason: 'The connection to the server failed.' })
  expect(
    panelHealth(
      [series({ state: { state: 'closed', at: 0, code: 'ended', reason: 'ended' } })],
      10_000,
      0,
    ).kind,
  ).toBe('failed')
})

test('a reconnecting feed, a quiet series or no data after the grace period is stale', () => {
  const reconnecting = panelHealth(
    [
      series({
        state: {
          state: 'reconnecting',
          at: 0,
          attempt: 2,
          maxAttempts: 5,
          delayMs: 1000,
          code: 'network',
          reason: 'aborted',
        },
      }),
    ],
    10_000,
    0,
  )
  expect(reconnecting).toEqual({
    kind: 'stale',
    detail:
      'feed reconnecting (attempt 2): The server or a proxy cut the connection off in the middle of the stream.',
  })
  expect(
    panelHealth([series({ state: { state: 'connecting', at: 0, attempt: 1 } })], 1, 0).kind,
  ).toBe('stale')
  expect(panelHealth([series({ lastAt: 1000 })], 10_000, 0)).toMatchObject({ kind: 'stale' })
  expect(panelHealth([series({ lastAt: undefined })], NO_DATA_GRACE_MS + 1, 0)).toMatchObject({
    kind: 'stale',
    detail: 'no data yet for cpu',
  })
  expect(panelHealth([series({ lastAt: undefined })], 100, 0)).toEqual({ kind: 'waiting' })
  expect(panelHealth([series({ intervalMs: undefined, lastAt: 0 })], 10_000, 0)).toEqual({
    kind: 'live',
  })
})

test('a playlist turns the pages on a timer and can be sent to a page', async () => {
  vi.useFakeTimers()
  const count = ref(3)
  const scope = effectScope()
  const playlist = scope.run(() =>
    usePlaylist(
      () => count.value,
      () => 10,
    ),
  )
  if (playlist === undefined) throw new Error('no playlist')
  expect(playlist.index.value).toBe(0)
  vi.advanceTimersByTime(10_000)
  expect(playlist.index.value).toBe(1)
  playlist.show(2)
  expect(playlist.index.value).toBe(2)
  vi.advanceTimersByTime(10_000)
  expect(playlist.index.value).toBe(0)
  playlist.show(1)
  count.value = 1
  await nextTick()
  expect(playlist.index.value).toBe(0)
  scope.stop()
  expect(vi.getTimerCount()).toBe(0)
})
