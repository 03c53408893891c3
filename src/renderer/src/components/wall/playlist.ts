import { onScopeDispose, ref, watch, type Ref } from 'vue'

/** What {@link usePlaylist} returns. */
export interface Playlist {
  /** The page shown, from 0. */
  readonly index: Readonly<Ref<number>>
  /** Shows page `index` now; the rotation goes on from there. */
  show(index: number): void
}

/**
 * Rotation between the wall's pages (Grafana's playlists): with more than one page and `seconds`
 * above 0, the next page every `seconds`, back to the first after the last. Fewer pages than the
 * index (a page was removed) go back to the first.
 */
export function usePlaylist(count: () => number, seconds: () => number): Playlist {
  const index = ref(0)
  let timer: ReturnType<typeof setInterval> | undefined

  function restart(): void {
    clearInterval(timer)
    timer = undefined
    const pages = count()
    if (index.value >= pages) index.value = 0
    const every = seconds()
    if (pages > 1 && every > 0)
      timer = setInterval(
        () => (index.value = (index.value + 1) % Math.max(1, count())),
        every * 1000,
      )
  }

  watch([count, seconds], restart, { immediate: true })
  onScopeDispose(() => clearInterval(timer))

  return {
    index,
    show(next) {
      index.value = Math.max(0, Math.min(count() - 1, next))
      restart()
    },
  }
}
