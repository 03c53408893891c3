import { expect, test, vi } from 'vitest'
import {
  createDesktopNotifier,
  notificationOptions,
  type DesktopNotificationOptions,
  type NotificationLike,
  type NotificationPreferences,
} from '../../src/main/electron/desktop-notifier'
import type { AlertNotice } from '../../src/shared/alerts'

function notice(overrides: Partial<AlertNotice> = {}): AlertNotice {
  return {
    kind: 'firing',
    title: 'Firing: CPU high',
    body: 'cpu is 0.97 (> 0.9) on prod-api',
    severity: 'warning',
    feedId: 'prod-api',
    ruleId: 'cpu-high',
    alertId: 'a1',
    at: 1_763_800_000_000,
    ...overrides,
  }
}

const SOUND_CRITICAL: NotificationPreferences = { enabled: true, soundSeverities: ['critical'] }

/** A notification factory that records what it made and lets a test click them. */
function fakeNotifications() {
  const made: {
    options: DesktopNotificationOptions
    shown: boolean
    emit: (e: string, ...args: unknown[]) => void
  }[] = []
  const create = (options: DesktopNotificationOptions): NotificationLike => {
    const listeners = new Map<string, (...args: never[]) => void>()
    const entry = {
      options,
      shown: false,
      emit: (event: string, ...args: unknown[]) =>
        (listeners.get(event) as ((...a: unknown[]) => void) | undefined)?.(...args),
    }
    made.push(entry)
    return {
      on: (event: string, listener: (...args: never[]) => void) => listeners.set(event, listener),
      show: () => {
        entry.shown = true
      },
    }
  }
  return { made, create }
}

test('severity sets the urgency: info low, warning normal, critical critical', () => {
  const urgency = (severity: AlertNotice['severity']) =>
    notificationOptions(notice({ severity }), SOUND_CRITICAL, 'linux').urgency
  expect([urgency('info'), urgency('warning'), urgency('critical')]).toEqual([
    'low',
    'normal',
    'critical',
  ])
})

test('a firing notice names its severity in the title and keeps the body', () => {
  expect(notificationOptions(notice(), SOUND_CRITICAL, 'linux')).toMatchObject({
    title: 'Firing: CPU high (warning)',
    body: 'cpu is 0.97 (> 0.9) on prod-api',
  })
})

test('a sound plays only for the severities the settings list', () => {
  const prefs: NotificationPreferences = { enabled: true, soundSeverities: ['warning', 'critical'] }
  expect(notificationOptions(notice({ severity: 'info' }), prefs, 'win32').silent).toBe(true)
  expect(notificationOptions(notice({ severity: 'warning' }), prefs, 'win32').silent).toBe(false)
  expect(notificationOptions(notice({ severity: 'critical' }), prefs, 'win32').silent).toBe(false)
})

test('with no sound severities every notice is silent', () => {
  const prefs: NotificationPreferences = { enabled: true, soundSeverities: [] }
  expect(notificationOptions(notice({ severity: 'critical' }), prefs, 'linux').silent).toBe(true)
})

test('on macOS a sounding notice names a system sound, louder with severity', () => {
  const prefs: NotificationPreferences = { enabled: true, soundSeverities: ['info', 'critical'] }
  expect(notificationOptions(notice({ severity: 'critical' }), prefs, 'darwin').sound).toBe(
    'Sosumi',
  )
  expect(notificationOptions(notice({ severity: 'info' }), prefs, 'darwin').sound).toBe('Tink')
  expect(notificationOptions(notice({ severity: 'warning' }), prefs, 'darwin')).not.toHaveProperty(
    'sound',
  )
  expect(notificationOptions(notice({ severity: 'critical' }), prefs, 'linux')).not.toHaveProperty(
    'sound',
  )
})

test('a critical alert stays on screen until dismissed; others time out', () => {
  expect(
    notificationOptions(notice({ severity: 'critical' }), SOUND_CRITICAL, 'linux').timeoutType,
  ).toBe('never')
  expect(
    notificationOptions(notice({ severity: 'warning' }), SOUND_CRITICAL, 'linux').timeoutType,
  ).toBe('default')
})

test('a resolved notice is quiet: low urgency, no sound, its title as it is', () => {
  const resolved = notice({ kind: 'resolved', severity: 'critical', title: 'Resolved: CPU high' })
  expect(notificationOptions(resolved, SOUND_CRITICAL, 'darwin')).toEqual({
    title: 'Resolved: CPU high',
    body: resolved.body,
    silent: true,
    urgency: 'low',
    timeoutType: 'default',
  })
})

test('a repeat notice is as insistent as the firing one', () => {
  const repeat = notice({ kind: 'repeat', severity: 'critical' })
  expect(notificationOptions(repeat, SOUND_CRITICAL, 'linux')).toMatchObject({
    silent: false,
    urgency: 'critical',
    timeoutType: 'never',
  })
})

test('each notice is shown as one notification', () => {
  const { made, create } = fakeNotifications()
  const notifier = createDesktopNotifier({
    create,
    preferences: () => SOUND_CRITICAL,
    onClick: () => {},
    platform: 'linux',
  })
  notifier.notify(notice())
  expect(made).toHaveLength(1)
  expect(made[0]?.shown).toBe(true)
  expect(made[0]?.options.title).toBe('Firing: CPU high (warning)')
})

test('clicking a notification reports its notice, so the window can show the feed', () => {
  const { made, create } = fakeNotifications()
  const onClick = vi.fn()
  const notifier = createDesktopNotifier({
    create,
    preferences: () => SOUND_CRITICAL,
    onClick,
    platform: 'linux',
  })
  const n = notice({ feedId: 'billing' })
  notifier.notify(n)
  made[0]?.emit('click')
  expect(onClick).toHaveBeenCalledWith(n)
})

test('with notifications turned off in the settings nothing is shown', () => {
  const { made, create } = fakeNotifications()
  const notifier = createDesktopNotifier({
    create,
    preferences: () => ({ enabled: false, soundSeverities: ['critical'] }),
    onClick: () => {},
  })
  notifier.notify(notice())
  expect(made).toHaveLength(0)
})

test('where the OS shows no notifications nothing is made', () => {
  const { made, create } = fakeNotifications()
  const notifier = createDesktopNotifier({
    create,
    isSupported: () => false,
    preferences: () => SOUND_CRITICAL,
    onClick: () => {},
  })
  notifier.notify(notice())
  expect(made).toHaveLength(0)
})

test('the preferences are read for every notice', () => {
  const { made, create } = fakeNotifications()
  let prefs: NotificationPreferences = { enabled: true, soundSeverities: [] }
  const notifier = createDesktopNotifier({ create, preferences: () => prefs, onClick: () => {} })
  notifier.notify(notice())
  prefs = { enabled: true, soundSeverities: ['warning'] }
  notifier.notify(notice())
  expect(made.map((entry) => entry.options.silent)).toEqual([true, false])
})

test('notifications are held until clicked or closed, and never more than the cap', () => {
  const { made, create } = fakeNotifications()
  const notifier = createDesktopNotifier({
    create,
    preferences: () => SOUND_CRITICAL,
    onClick: () => {},
    maxRetained: 3,
  })
  for (let i = 0; i < 5; i += 1) notifier.notify(notice({ alertId: `a${i}` }))
  expect(notifier.retained()).toBe(3)
  made[4]?.emit('click')
  made[3]?.emit('close')
  expect(notifier.retained()).toBe(1)
})

test('on macOS a firing notice has Acknowledge and Silence 1 h buttons; a resolved one has none', () => {
  const firing = notificationOptions(notice(), SOUND_CRITICAL, 'darwin')
  expect(firing.actions?.map((action) => action.text)).toEqual(['Acknowledge', 'Silence 1 h'])
  expect(notificationOptions(notice({ kind: 'resolved' }), SOUND_CRITICAL, 'darwin').actions).toBe(
    undefined,
  )
  expect(notificationOptions(notice(), SOUND_CRITICAL, 'linux').actions).toBeUndefined()
  expect(notificationOptions(notice(), SOUND_CRITICAL, 'win32').actions).toBeUndefined()
})

test('pressing a button reports its notice and which action it asks for', () => {
  const { made, create } = fakeNotifications()
  const onAction = vi.fn()
  const notifier = createDesktopNotifier({
    create,
    preferences: () => SOUND_CRITICAL,
    onClick: () => {},
    onAction,
    platform: 'darwin',
  })
  notifier.notify(notice({ alertId: 'a7' }))
  made[0]?.emit('action', {}, 1)
  made[0]?.emit('action', {}, 0)
  made[0]?.emit('action', {}, 5)
  expect(onAction.mock.calls).toEqual([
    [expect.objectContaining({ alertId: 'a7' }), 'silence'],
    [expect.objectContaining({ alertId: 'a7' }), 'acknowledge'],
  ])
})
