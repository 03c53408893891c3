import { expect, test, vi } from 'vitest'
import type { CommandHandlers } from '../../src/main/api/command-dispatch'
import {
  FORBIDDEN,
  forwardPushes,
  registerCommandHandlers,
  sendDesktopPush,
  type IpcMainLike,
  type PushTarget,
} from '../../src/main/electron/ipc'
import { commands, type PushMessage } from '../../src/shared/api'

interface FakeEvent {
  trusted: boolean
}

/** An ipcMain that records its handlers, and a way to invoke one as the renderer would. */
function fakeIpcMain() {
  const handlers = new Map<string, (event: FakeEvent, ...args: unknown[]) => unknown>()
  const ipcMain: IpcMainLike<FakeEvent> = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`)
      handlers.set(channel, listener)
    },
    removeHandler: (channel) => handlers.delete(channel),
  }
  const invoke = async (channel: string, event: FakeEvent, ...args: unknown[]) => {
    const handler = handlers.get(channel)
    if (handler === undefined) throw new Error(`No handler registered for '${channel}'`)
    return handler(event, ...args)
  }
  return { ipcMain, handlers, invoke }
}

function fakeService() {
  const feedsRemove = vi.fn(() => null)
  const handlers = { 'feeds:remove': feedsRemove } as unknown as CommandHandlers
  return { service: { handlers }, feedsRemove }
}

const trustedEvent: FakeEvent = { trusted: true }
const untrustedEvent: FakeEvent = { trusted: false }
const isTrusted = (event: FakeEvent) => event.trusted

test('one handler is registered per command of the contract, on a channel named after it', () => {
  const { ipcMain, handlers } = fakeIpcMain()
  registerCommandHandlers(ipcMain, fakeService().service, isTrusted)
  expect([...handlers.keys()].sort()).toEqual(Object.keys(commands).sort())
})

test('a trusted sender gets the handler answer as a Result', async () => {
  const { ipcMain, invoke } = fakeIpcMain()
  const { service, feedsRemove } = fakeService()
  registerCommandHandlers(ipcMain, service, isTrusted)
  await expect(invoke('feeds:remove', trustedEvent, { id: 'api' })).resolves.toEqual({
    ok: true,
    value: null,
  })
  expect(feedsRemove).toHaveBeenCalledWith({ id: 'api' })
})

test('an untrusted sender is forbidden and the handler never runs', async () => {
  const { ipcMain, invoke } = fakeIpcMain()
  const { service, feedsRemove } = fakeService()
  registerCommandHandlers(ipcMain, service, isTrusted)
  await expect(invoke('feeds:remove', untrustedEvent, { id: 'api' })).resolves.toEqual(FORBIDDEN)
  expect(FORBIDDEN).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  expect(feedsRemove).not.toHaveBeenCalled()
})

test('the payload is validated with the contract schema before the handler runs', async () => {
  const { ipcMain, invoke } = fakeIpcMain()
  const { service, feedsRemove } = fakeService()
  registerCommandHandlers(ipcMain, service, isTrusted)
  const result = await invoke('feeds:remove', trustedEvent, { id: 42 })
  expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
  expect(feedsRemove).not.toHaveBeenCalled()
})

test('an unexpected error in a handler reaches the renderer as "internal", and the log in full', async () => {
  const { ipcMain, invoke } = fakeIpcMain()
  const boom = new Error('disk on fire')
  const handlers = {
    'feeds:remove': () => {
      throw boom
    },
  } as unknown as CommandHandlers
  const onInternalError = vi.fn()
  registerCommandHandlers(ipcMain, { handlers }, isTrusted, { onInternalError })
  const result = await invoke('feeds:remove', trustedEvent, { id: 'api' })
  expect(result).toMatchObject({ ok: false, error: { code: 'internal' } })
  expect(JSON.stringify(result)).not.toContain('disk on fire')
  expect(onInternalError).toHaveBeenCalledWith(boom, 'feeds:remove')
})

test('the returned function removes every handler again', () => {
  const { ipcMain, handlers } = fakeIpcMain()
  const unregister = registerCommandHandlers(ipcMain, fakeService().service, isTrusted)
  unregister()
  expect(handlers.size).toBe(0)
})

function fakeTarget(destroyed = false) {
  const sent: [string, unknown][] = []
  const target: PushTarget = {
    send: (channel, payload) => sent.push([channel, payload]),
    isDestroyed: () => destroyed,
  }
  return { target, sent }
}

function fakePushSource() {
  const listeners = new Set<(message: PushMessage) => void>()
  return {
    subscribe(listener: (message: PushMessage) => void) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    push: (message: PushMessage) => listeners.forEach((listener) => listener(message)),
    listeners,
  }
}

const alertsChanged: PushMessage = {
  type: 'alerts:changed',
  payload: { profile: 'Demo', active: [] },
}

test('each push is sent on its own channel to every live target', () => {
  const source = fakePushSource()
  const first = fakeTarget()
  const second = fakeTarget()
  forwardPushes(source, () => [first.target, second.target])
  source.push(alertsChanged)
  expect(first.sent).toEqual([['alerts:changed', alertsChanged.payload]])
  expect(second.sent).toEqual([['alerts:changed', alertsChanged.payload]])
})

test('destroyed targets are skipped, and targets are asked for at every push', () => {
  const source = fakePushSource()
  const live = fakeTarget()
  const gone = fakeTarget(true)
  let targets: PushTarget[] = []
  forwardPushes(source, () => targets)
  source.push(alertsChanged)
  targets = [live.target, gone.target]
  source.push(alertsChanged)
  expect(live.sent).toHaveLength(1)
  expect(gone.sent).toHaveLength(0)
})

test('forwarding stops when unsubscribed', () => {
  const source = fakePushSource()
  const stop = forwardPushes(source, () => [])
  stop()
  expect(source.listeners.size).toBe(0)
})

test('a desktop push goes out on its channel with its payload', () => {
  const { target, sent } = fakeTarget()
  sendDesktopPush(target, 'app:focus-feed', { feedId: 'api' })
  expect(sent).toEqual([['app:focus-feed', { feedId: 'api' }]])
})
