import { expect, test, vi } from 'vitest'
import {
  registerCommandHandlers,
  registerDesktopCommandHandlers,
  type CommandSource,
} from '../../src/main/electron/ipc'
import { commands } from '../../src/shared/api'
import { DESKTOP_COMMANDS } from '../../src/shared/api-channels'

/**
 * Every command of the contract, and every desktop command, has exactly one preload function and
 * exactly one IPC handler, told apart by the channel each really uses (not by how they are named).
 */

const bridge = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoked: [] as string[],
  subscribed: [] as string[],
}))

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, value: unknown) => bridge.exposed.set(key, value),
  },
  ipcRenderer: {
    invoke: (channel: string) => {
      bridge.invoked.push(channel)
      return Promise.resolve({ ok: true, value: null })
    },
    on: (channel: string) => bridge.subscribed.push(channel),
    removeListener: () => undefined,
  },
}))

await import('../../src/preload/index')
const preload = bridge.exposed.get('feedwatch') as Record<string, unknown>

const ALL_COMMANDS = [...Object.keys(commands), ...DESKTOP_COMMANDS].sort()

/** For each channel, the preload functions that send on it. */
async function preloadFunctionsByChannel(): Promise<Map<string, string[]>> {
  const byChannel = new Map<string, string[]>()
  for (const [key, value] of Object.entries(preload)) {
    if (typeof value !== 'function' || key.startsWith('on')) continue
    bridge.invoked.length = 0
    await (value as (request: unknown) => Promise<unknown>)({})
    for (const channel of bridge.invoked)
      byChannel.set(channel, [...(byChannel.get(channel) ?? []), key])
  }
  return byChannel
}

test('every command has exactly one preload function, and no function sends anything else', async () => {
  const byChannel = await preloadFunctionsByChannel()
  expect([...byChannel.keys()].sort()).toEqual(ALL_COMMANDS)
  for (const [channel, functions] of byChannel) expect(functions, channel).toHaveLength(1)
})

test('every command has exactly one IPC handler', () => {
  const handled: string[] = []
  const ipcMain = {
    handle: (channel: string) => handled.push(channel),
    removeHandler: () => undefined,
  }
  const service = { handlers: {} } as CommandSource
  registerCommandHandlers(ipcMain, service, () => true)
  registerDesktopCommandHandlers(ipcMain, { 'app:set-wall': () => undefined }, () => true)
  expect([...handled].sort()).toEqual(ALL_COMMANDS)
  expect(new Set(handled).size).toBe(handled.length)
})

test('removing the handlers removes each one it registered', () => {
  const removed: string[] = []
  const ipcMain = {
    handle: () => undefined,
    removeHandler: (channel: string) => removed.push(channel),
  }
  registerCommandHandlers(ipcMain, { handlers: {} } as CommandSource, () => true)()
  registerDesktopCommandHandlers(ipcMain, { 'app:set-wall': () => undefined }, () => true)()
  expect(removed.sort()).toEqual(ALL_COMMANDS)
})
