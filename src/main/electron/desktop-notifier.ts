import type { AlertNotice } from '../../shared/alerts'
import type { Severity } from '../../shared/profile'
import type { Notifier } from '../alerts/alert-engine'

/**
 * The alert engine's notifier in the desktop app: one OS notification per notice. Severity decides
 * how insistent it is (urgency on Linux, staying on screen, a sound where the profile's settings ask
 * for one); clicking it brings the window forward on the notice's feed. On macOS a firing alert's
 * notification also has "Acknowledge" and "Silence 1 h" buttons.
 */

/**
 * Windows shows a desktop app's notifications only under its AppUserModelId, which the installer
 * gives the Start menu shortcut: electron-builder's `appId`.
 */
export const APP_USER_MODEL_ID = 'app.feedwatch.desktop'

/** The profile settings that govern notifications. */
export interface NotificationPreferences {
  /** `settings.notifications`: false shows nothing at all. */
  readonly enabled: boolean
  /** `settings.soundSeverities`: notices of these severities play a sound. */
  readonly soundSeverities: readonly Severity[]
}

/** Options for one notification, a subset of Electron's `NotificationConstructorOptions`. */
export interface DesktopNotificationOptions {
  readonly title: string
  readonly body: string
  /** No sound. */
  readonly silent: boolean
  /** Linux only. */
  readonly urgency: 'low' | 'normal' | 'critical'
  /** Linux and Windows: `never` keeps it on screen until dismissed. */
  readonly timeoutType: 'default' | 'never'
  /** macOS only: the system sound to play; absent when silent or on other systems. */
  readonly sound?: string
  /** macOS only: buttons, in the order of {@link NOTICE_ACTIONS}; absent elsewhere and when resolved. */
  readonly actions?: { type: 'button'; text: string }[]
}

/** The buttons a firing alert's notification has on macOS, by their index in `actions`. */
export const NOTICE_ACTIONS = ['Acknowledge', 'Silence 1 h'] as const

/** What a notification's button asks for. */
export type NoticeAction = 'acknowledge' | 'silence'

const ACTION_BY_INDEX: readonly NoticeAction[] = ['acknowledge', 'silence']

/** The part of Electron's `Notification` the notifier uses. */
export interface NotificationLike {
  on(event: 'click', listener: () => void): unknown
  on(event: 'close', listener: () => void): unknown
  on(event: 'action', listener: (event: unknown, index: number) => void): unknown
  show(): void
}

export interface DesktopNotifierOptions {
  /** Makes a notification (`(options) => new Notification(options)`). */
  readonly create: (options: DesktopNotificationOptions) => NotificationLike
  /**
   * Whether the OS shows notifications at all (`Notification.isSupported`).
   * @defaultValue always true
   */
  readonly isSupported?: () => boolean
  /** The current preferences, read for every notice (the profile may change at any time). */
  readonly preferences: () => NotificationPreferences
  /** The user clicked the notification of `notice`. */
  readonly onClick: (notice: AlertNotice) => void
  /** The user pressed one of its buttons (macOS). */
  readonly onAction?: (notice: AlertNotice, action: NoticeAction) => void
  /** @defaultValue `process.platform` */
  readonly platform?: NodeJS.Platform
  /**
   * Notifications kept referenced so their click still reaches us (Electron forgets the handlers of
   * a notification that is garbage-collected). Older ones are let go, not closed.
   * @defaultValue `50`
   */
  readonly maxRetained?: number
}

/** The notifier, and how many notifications it still holds on to (for tests). */
export interface DesktopNotifier extends Notifier {
  retained(): number
}

const URGENCY: Record<Severity, DesktopNotificationOptions['urgency']> = {
  info: 'low',
  warning: 'normal',
  critical: 'critical',
}

/** macOS system sounds (`/System/Library/Sounds`), more insistent with severity. */
const MAC_SOUND: Record<Severity, string> = {
  info: 'Tink',
  warning: 'Glass',
  critical: 'Sosumi',
}

/**
 * How one notice is shown. A firing or repeat notice names its severity in the title and plays a
 * sound when the preferences ask for one at that severity; a critical one stays on screen. A resolved
 * notice is quiet: low urgency, no sound.
 */
export function notificationOptions(
  notice: AlertNotice,
  preferences: NotificationPreferences,
  platform: NodeJS.Platform,
): DesktopNotificationOptions {
  const resolved = notice.kind === 'resolved'
  const silent = resolved || !preferences.soundSeverities.includes(notice.severity)
  return {
    title: resolved ? notice.title : `${notice.title} (${notice.severity})`,
    body: notice.body,
    silent,
    urgency: resolved ? 'low' : URGENCY[notice.severity],
    timeoutType: !resolved && notice.severity === 'critical' ? 'never' : 'default',
    ...(platform === 'darwin' && !silent ? { sound: MAC_SOUND[notice.severity] } : {}),
    ...(platform === 'darwin' && !resolved
      ? { actions: NOTICE_ACTIONS.map((text) => ({ type: 'button' as const, text })) }
      : {}),
  }
}

/** The desktop notifier; see {@link DesktopNotifierOptions}. */
export function createDesktopNotifier(options: DesktopNotifierOptions): DesktopNotifier {
  const platform = options.platform ?? process.platform
  const maxRetained = options.maxRetained ?? 50
  const isSupported = options.isSupported ?? (() => true)
  const retained = new Set<NotificationLike>()
  return {
    notify(notice) {
      const preferences = options.preferences()
      if (!preferences.enabled || !isSupported()) return
      const notification = options.create(notificationOptions(notice, preferences, platform))
      retained.add(notification)
      for (const oldest of retained) {
        if (retained.size <= maxRetained) break
        retained.delete(oldest)
      }
      notification.on('click', () => {
        retained.delete(notification)
        options.onClick(notice)
      })
      notification.on('close', () => retained.delete(notification))
      notification.on('action', (_event, index) => {
        const action = ACTION_BY_INDEX[index]
        if (action === undefined) return
        retained.delete(notification)
        options.onAction?.(notice, action)
      })
      notification.show()
    },
    retained: () => retained.size,
  }
}
