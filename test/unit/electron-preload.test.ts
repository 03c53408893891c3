import { beforeEach, expect, expectTypeOf, test, vi } from 'vitest'
import {
  commands,
  type CommandRequest,
  type CommandResponses,
  type PushPayloads,
  type Result,
} from '../../src/shared/api'
import { DESKTOP_COMMANDS, type DesktopPushPayloads } from '../../src/shared/api-channels'
import type { FeedwatchApi } from '../../src/preload/index'

/**
 * The preload against the contract: it runs here with a stand-in `electron` that records what it
 * exposes and what it sends, so every command and push of `src/shared/api.ts` can be checked to have
 * exactly one function, on the right channel.
 */
const electron = vi.hoisted(() => {
  const exposed = new Map<string, unknown>()
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>()
  return {
    exposed,
    listeners,
    invoke: vi.fn<(channel: string, ...args: unknown[]) => Promise<unknown>>(),
    emit(channel: string, payload: unknown) {
      for (const listener of listeners.get(channel) ?? [])
        listener({ sender: 'ipc event' }, payload)
    },
  }
})

/** The part of Electron's renderer API the preload uses, typed by Electron's own declarations. */
type PreloadElectron = {
  contextBridge: Pick<import('electron').ContextBridge, 'exposeInMainWorld'>
  ipcRenderer: Pick<import('electron').IpcRenderer, 'invoke' | 'on' | 'removeListener'>
}

vi.mock('electron', () => {
  const ipcRenderer: PreloadElectron['ipcRenderer'] = {
    invoke: electron.invoke,
    on(channel, listener) {
      const set = electron.listeners.get(channel) ?? new Set()
      set.add(listener as (...args: unknown[]) => void)
      electron.listeners.set(channel, set)
      return ipcRenderer as import('electron').IpcRenderer
    },
    removeListener(channel, listener) {
      electron.listeners.get(channel)?.delete(listener as (...args: unknown[]) => void)
      return ipcRenderer as import('electron').IpcRenderer
    },
  }
  return {
    contextBridge: {
      exposeInMainWorld: (key: string, value: unknown) => void electron.exposed.set(key, value),
    },
    ipcRenderer,
  } satisfies PreloadElectron
})

await import('../../src/preload/index')
const api = electron.exposed.get('feedwatch') as FeedwatchApi

/** `feeds:add` → `feedsAdd`. */
function methodName(channel: string): string {
  return channel
    .split(/[:-]/)
    .map((word, index) => (index === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1)))
    .join('')
}

/** `feeds:state` → `onFeedsState`. */
function subscriptionName(channel: string): string {
  const name = methodName(channel)
  return `on${name.charAt(0).toUpperCase()}${name.slice(1)}`
}

const PUSHES = [
  'feeds:state',
  'events:batch',
  'events:dropped',
  'alerts:fired',
  'alerts:changed',
  'profiles:changed',
  'profiles:listed',
  'profiles:running',
  'service:heartbeat',
  'contacts:delivery',
] as const satisfies readonly (keyof PushPayloads)[]
const DESKTOP_PUSHES = [
  'app:focus-feed',
  'app:wall',
] as const satisfies readonly (keyof DesktopPushPayloads)[]

// The lists above must name every push: adding one to the contract fails to compile here.
expectTypeOf<(typeof PUSHES)[number]>().toEqualTypeOf<keyof PushPayloads>()
expectTypeOf<(typeof DESKTOP_PUSHES)[number]>().toEqualTypeOf<keyof DesktopPushPayloads>()

beforeEach(() => {
  electron.invoke.mockReset()
  electron.listeners.clear()
})

test('the preload exposes one object, as window.feedwatch', () => {
  expect([...electron.exposed.keys()]).toEqual(['feedwatch'])
  expect(typeof api).toBe('object')
})

test('there is exactly one function per command and one subscription per push, nothing else', () => {
  const expected = [
    ...[...Object.keys(commands), ...DESKTOP_COMMANDS].map(methodName),
    ...[...PUSHES, ...DESKTOP_PUSHES].map(subscriptionName),
    'versions',
  ].sort()
  expect(Object.keys(api).sort()).toEqual(expected)
})

test('nothing generic is exposed: no invoke, send or ipcRenderer', () => {
  const keys = Object.keys(api).map((key) => key.toLowerCase())
  for (const generic of ['invoke', 'send', 'ipcrenderer', 'on', 'ipc'])
    expect(keys).not.toContain(generic)
  for (const value of Object.values(api)) expect(value).not.toHaveProperty('invoke')
})

test.each([...Object.keys(commands), ...DESKTOP_COMMANDS])(
  '%s is sent on its own channel with its request',
  async (name) => {
    const answer = { ok: true, value: `answer of ${name}` }
    electron.invoke.mockResolvedValueOnce(answer)
    const fn = (api as unknown as Record<string, (request?: unknown) => Promise<unknown>>)[
      methodName(name)
    ]
    const request = { marker: name }
    await expect(fn?.(request)).resolves.toEqual(answer)
    expect(electron.invoke).toHaveBeenCalledWith(name, request)
  },
)

test('a command without a request may be called with no argument', async () => {
  electron.invoke.mockResolvedValueOnce({ ok: true, value: [] })
  await api.profilesList()
  expect(electron.invoke).toHaveBeenCalledWith('profiles:list', {})
})

test('when IPC itself fails the command still answers with a Result', async () => {
  electron.invoke.mockRejectedValueOnce(new Error("No handler registered for 'feeds:list'"))
  await expect(api.feedsList()).resolves.toEqual({
    ok: false,
    error: {
      code: 'internal',
      message: "feeds:list: No handler registered for 'feeds:list'",
    },
  })
})

test.each([...PUSHES, ...DESKTOP_PUSHES])(
  '%s reaches its subscriber with the payload alone, until unsubscribed',
  (name) => {
    const subscribe = (api as unknown as Record<string, (l: (p: unknown) => void) => () => void>)[
      subscriptionName(name)
    ]
    const listener = vi.fn()
    const unsubscribe = subscribe?.(listener)
    electron.emit(name, { payload: name })
    unsubscribe?.()
    electron.emit(name, { payload: 'after' })
    expect(listener.mock.calls).toEqual([[{ payload: name }]])
    expect(electron.listeners.get(name)?.size).toBe(0)
  },
)

test('the types follow the contract', () => {
  expectTypeOf(api.feedsRemove).parameter(0).toEqualTypeOf<CommandRequest<'feeds:remove'>>()
  expectTypeOf(api.feedsRemove).returns.resolves.toEqualTypeOf<
    Result<CommandResponses['feeds:remove']>
  >()
  expectTypeOf(api.profilesActive).returns.resolves.toEqualTypeOf<
    Result<CommandResponses['profiles:active']>
  >()
  expectTypeOf(api.onAlertsFired)
    .parameter(0)
    .parameter(0)
    .toEqualTypeOf<PushPayloads['alerts:fired']>()
  expectTypeOf(api.onAppWall).parameter(0).parameter(0).toEqualTypeOf<{ readonly on: boolean }>()
  expectTypeOf(api.onFeedsState).returns.toEqualTypeOf<() => void>()
})

test('the request is optional only where a command takes none', () => {
  expectTypeOf(api.profilesList).parameters.toEqualTypeOf<[request?: Record<string, never>]>()
  expectTypeOf(api.profilesExport).parameters.toEqualTypeOf<
    [request: { name: string; includeSecrets?: boolean }]
  >()
})
