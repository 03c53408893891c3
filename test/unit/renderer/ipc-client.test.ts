import { expect, test, vi } from 'vitest'
import {
  createIpcClient,
  IPC_COMMANDS,
  IPC_PUSHES,
  type IpcCommandTable,
} from '../../../src/renderer/src/api/ipc-client'
import { commands } from '../../../src/shared/api'

/**
 * The renderer's client over the desktop preload: every command and push goes through the typed
 * tables, and the tables accept nothing but the contract.
 */

type FeedwatchApi = NonNullable<Window['feedwatch']>

/** A preload stand-in whose every function records its own name when called. */
function fakeApi() {
  const calls: [string, unknown][] = []
  const api = new Proxy(
    { versions: { electron: '45.6.1', chrome: '142' } } as Record<string, unknown>,
    {
      get: (target, key: string) =>
        key in target
          ? target[key]
          : (argument: unknown) => {
              calls.push([key, argument])
              return key.startsWith('on')
                ? () => calls.push([`${key}:off`, undefined])
                : Promise.resolve({ ok: true, value: key })
            },
    },
  ) as unknown as FeedwatchApi
  return { api, calls }
}

test('the tables hold every command and push of the contract', () => {
  expect(Object.keys(IPC_COMMANDS).sort()).toEqual(Object.keys(commands).sort())
  expect(Object.keys(IPC_PUSHES)).toContain('alerts:fired')
})

test('a command goes to its own preload function with a plain copy of the request', async () => {
  const { api, calls } = fakeApi()
  const client = createIpcClient(api)
  const request = { id: 'prod-api' }
  await expect(client.call('feeds:remove', request)).resolves.toEqual({
    ok: true,
    value: 'feedsRemove',
  })
  expect(calls).toEqual([['feedsRemove', { id: 'prod-api' }]])
  expect(calls[0]?.[1]).not.toBe(request)
})

test('a push subscription goes to its own preload function and unsubscribes through it', () => {
  const { api, calls } = fakeApi()
  const listener = vi.fn()
  const off = createIpcClient(api).on('alerts:fired', listener)
  off()
  expect(calls).toEqual([
    ['onAlertsFired', listener],
    ['onAlertsFired:off', undefined],
  ])
})

test('the runtime names Electron and its version', () => {
  expect(createIpcClient(fakeApi().api).runtime).toBe('Electron 45.6.1')
})

// Compile-time: `npm run typecheck` fails when these stop being errors.
const { 'feeds:add': _dropped, ...withoutFeedsAdd } = IPC_COMMANDS
// @ts-expect-error a table without 'feeds:add' is not a table of the contract
export const missingCommand: IpcCommandTable = withoutFeedsAdd
export const unknownCommand: IpcCommandTable = {
  ...IPC_COMMANDS,
  // @ts-expect-error 'feeds:append' is no command of the contract
  'feeds:append': (api: FeedwatchApi) => api.feedsAdd,
}
export const wrongFunction: IpcCommandTable = {
  ...IPC_COMMANDS,
  // @ts-expect-error feeds:remove cannot be sent by the function that adds feeds
  'feeds:remove': (api) => api.feedsAdd,
}
