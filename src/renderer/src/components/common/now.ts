import { onScopeDispose, shallowRef, type Ref } from 'vue'

/** The one ticking clock every countdown reads; it runs only while something uses it. */
const now = shallowRef(Date.now())
let users = 0
let timer: ReturnType<typeof setInterval> | undefined

/**
 * The current time (epoch ms), updated twice a second while at least one component uses it: enough
 * for "in 4 s" countdowns without a timer per badge.
 */
export function useNow(): Readonly<Ref<number>> {
  users++
  if (timer === undefined) {
    now.value = Date.now()
    timer = setInterval(() => (now.value = Date.now()), 500)
  }
  onScopeDispose(() => {
    users--
    if (users === 0 && timer !== undefined) {
      clearInterval(timer)
      timer = undefined
    }
  })
  return now
}
