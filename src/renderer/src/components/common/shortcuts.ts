import { onBeforeUnmount, onMounted } from 'vue'

/** True when a key press belongs to what the person is typing, not to a shortcut. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true
  if (target instanceof HTMLInputElement) {
    // Checkboxes and buttons do not take text: `n` on a focused checkbox is still a shortcut.
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color'].includes(
      target.type,
    )
  }
  return false
}

/**
 * Calls `handler` when `key` is pressed on its own (no Ctrl, Alt or Meta) while the person is not
 * typing and no modal dialog is open. Returns nothing; the listener goes with the component.
 */
export function useShortcut(key: string, handler: () => void): void {
  const listener = (event: KeyboardEvent): void => {
    if (event.key !== key || event.ctrlKey || event.altKey || event.metaKey) return
    if (event.defaultPrevented || event.isComposing || isTypingTarget(event.target)) return
    if (document.querySelector('dialog[open]') !== null) return
    event.preventDefault()
    handler()
  }
  onMounted(() => window.addEventListener('keydown', listener))
  onBeforeUnmount(() => window.removeEventListener('keydown', listener))
}
