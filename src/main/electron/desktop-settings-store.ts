import {
  DEFAULT_DESKTOP_SETTINGS,
  isMuted,
  MUTE_DURATION_MS,
  parseDesktopSettings,
  type DesktopSettings,
} from './desktop-settings'
import {
  setStartAtLogin,
  startsAtLogin,
  type LoginItemApp,
  type LoginItemContext,
} from './login-item'
import { readStateFile, writeStateFile } from './state-file'

/**
 * The desktop settings while the app runs: read once, changed by the menus, each change saved in
 * order (the last one wins on disk), and the menus told when a mute ends by itself.
 */

export interface DesktopSettingsStoreOptions {
  /** The settings file (`desktop-settings.json` in the data folder). */
  readonly path: string
  /** Electron's `app`, for the login item. */
  readonly loginItems: LoginItemApp
  readonly loginItemContext: LoginItemContext
  /** A setting changed, or a mute ended: rebuild the menus. */
  readonly onChange: () => void
  /** Where a failed save or login-item change is reported. */
  readonly log: (line: string) => void
  /** @defaultValue `Date.now` */
  readonly now?: () => number
}

export class DesktopSettingsStore {
  private settings = DEFAULT_DESKTOP_SETTINGS
  private saving: Promise<void> = Promise.resolve()
  private muteTimer: NodeJS.Timeout | undefined
  private readonly now: () => number

  /** Starts with the defaults, until {@link load}. */
  constructor(private readonly options: DesktopSettingsStoreOptions) {
    this.now = options.now ?? Date.now
  }

  /**
   * Reads the settings file (defaults when there is none or it is broken); "start at login" is taken
   * from the system, since the user may have changed it there.
   */
  async load(): Promise<void> {
    const { path, loginItems, loginItemContext } = this.options
    const saved = (await readStateFile(path, parseDesktopSettings)) ?? DEFAULT_DESKTOP_SETTINGS
    const startAtLogin = await startsAtLogin(loginItems, loginItemContext).catch(
      () => saved.startAtLogin,
    )
    this.settings = { ...saved, startAtLogin }
    this.scheduleMuteEnd()
  }

  get current(): DesktopSettings {
    return this.settings
  }

  /** True while notifications are muted. */
  muted(): boolean {
    return isMuted(this.settings, this.now())
  }

  /** Changes settings and saves them. */
  update(change: Partial<DesktopSettings>): void {
    this.settings = { ...this.settings, ...change }
    const settings = this.settings
    this.saving = this.saving
      .then(() => writeStateFile(this.options.path, settings))
      .catch((error: unknown) =>
        this.options.log(`could not save the desktop settings: ${String(error)}`),
      )
    this.options.onChange()
  }

  /** "Mute Notifications for 1 Hour", or unmute when muted. */
  toggleMute(): void {
    this.update({ mutedUntil: this.muted() ? 0 : this.now() + MUTE_DURATION_MS })
    this.scheduleMuteEnd()
  }

  toggleKeepRunning(): void {
    this.update({ keepRunningWhenClosed: !this.settings.keepRunningWhenClosed })
  }

  /** Turns starting at login on or off, in the settings and in the system. */
  toggleStartAtLogin(): void {
    const on = !this.settings.startAtLogin
    this.update({ startAtLogin: on })
    void setStartAtLogin(on, this.options.loginItems, this.options.loginItemContext).catch(
      (error: unknown) => this.options.log(`could not change start at login: ${String(error)}`),
    )
  }

  /** Resolves when every change so far is on disk (or failed to get there). */
  flushed(): Promise<void> {
    return this.saving
  }

  /** Stops the mute timer. */
  dispose(): void {
    clearTimeout(this.muteTimer)
  }

  /** When the mute ends, the menus stop saying "muted". */
  private scheduleMuteEnd(): void {
    clearTimeout(this.muteTimer)
    const left = this.settings.mutedUntil - this.now()
    if (left > 0) this.muteTimer = setTimeout(() => this.options.onChange(), left + 1000)
  }
}
