import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { effectScope, nextTick, ref } from 'vue'
import { usePlaylist } from '../../../src/renderer/src/components/wall/playlist'

beforeEach(() => {
  vi.useFakeTimers()
})

afterEach(() => {
  vi.useRealTimers()
})

test('with three pages every 10 s the wall turns a page each 10 s and starts over', () => {
  const scope = effectScope()
  const playlist = scope.run(() =>
    usePlaylist(
      () => 3,
      () => 10,
    ),
  )
  expect(playlist?.index.value).toBe(0)
  const seen: number[] = []
  for (let i = 0; i < 4; i++) {
    vi.advanceTimersByTime(10_000)
    seen.push(playlist?.index.value ?? -1)
  }
  expect(seen).toEqual([1, 2, 0, 1])
  scope.stop()
})

test('rotation 0 stays on the first page, and a page shown by hand restarts the count', async () => {
  const seconds = ref(0)
  const scope = effectScope()
  const playlist = scope.run(() =>
    usePlaylist(
      () => 2,
      () => seconds.value,
    ),
  )
  vi.advanceTimersByTime(60_000)
  expect(playlist?.index.value).toBe(0)

  seconds.value = 5
  await nextTick()
  vi.advanceTimersByTime(4000)
  playlist?.show(1)
  vi.advanceTimersByTime(4000)
  expect(playlist?.index.value).toBe(1)
  vi.advanceTimersByTime(1000)
  expect(playlist?.index.value).toBe(0)
  scope.stop()
})

test('after the scope ends the pages stop turning', () => {
  const scope = effectScope()
  const playlist = scope.run(() =>
    usePlaylist(
      () => 2,
      () => 1,
    ),
  )
  scope.stop()
  vi.advanceTimersByTime(5000)
  expect(playlist?.index.value).toBe(0)
})
