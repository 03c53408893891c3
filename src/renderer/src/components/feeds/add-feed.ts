import { inject, type InjectionKey } from 'vue'

/** Opens the app's "add feed" dialog; provided by the shell, which also owns the `n` shortcut. */
export const ADD_FEED: InjectionKey<() => void> = Symbol('add feed')

/** The shell's "add feed" action (a no-op where no shell provides it, e.g. in a component test). */
export function useAddFeed(): () => void {
  return inject(ADD_FEED, () => undefined)
}
