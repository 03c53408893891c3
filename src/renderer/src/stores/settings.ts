import { defineStore } from 'pinia'
import { computed } from 'vue'
import type { Settings } from '../../../shared/profile'
import { feedwatchClient } from '../api/client'
import { useProfileStore } from './profile'
import { unwrap } from './unwrap'

/** What a profile's settings hold when it has none yet (the schema's defaults). */
const DEFAULT_SETTINGS: Settings = {
  theme: 'system',
  notifications: true,
  soundSeverities: ['critical'],
}

/** The active profile's settings (theme, notifications, sounds) and saving them. */
export const useSettingsStore = defineStore('settings', () => {
  const client = feedwatchClient()
  const profiles = useProfileStore()

  const settings = computed<Settings>(() => profiles.profile?.settings ?? DEFAULT_SETTINGS)
  /** `system` follows the OS (prefers-color-scheme); `light` and `dark` override it. */
  const theme = computed(() => settings.value.theme)

  /** Saves a change to the settings; the profile push brings the saved result back. */
  async function save(change: Partial<Settings>): Promise<Settings> {
    return unwrap(
      await client.call('settings:save', { ...settings.value, ...change, ...profiles.scope() }),
    )
  }

  const setTheme = (next: Settings['theme']): Promise<Settings> => save({ theme: next })

  return { settings, theme, save, setTheme }
})
