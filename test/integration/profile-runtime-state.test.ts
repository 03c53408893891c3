import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { createRuntimeStateWriter, ProfileError, ProfileStore } from '../../src/main/profiles'

let directory: string
let store: ProfileStore
let statePath: string
const NOW = Date.UTC(2025, 10, 22, 4, 45, 12, 123)

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'feedwatch-profiles-'))
  store = new ProfileStore({ directory, now: () => NOW })
  statePath = join(directory, 'ops.state.json')
  await store.create('Ops')
})

afterEach(async () => {
  vi.useRealTimers()
  vi.restoreAllMocks()
  await rm(directory, { recursive: true, force: true })
})

async function storedState(): Promise<unknown> {
  return JSON.parse(await readFile(statePath, 'utf8'))
}

test('a profile that never ran has an empty runtime state and no notice', async () => {
  expect(await store.loadRuntimeState('Ops')).toEqual({
    state: { lastEventIds: {}, alertState: null },
    notices: [],
  })
})

test('updates are stored beside the profile and merged feed by feed', async () => {
  await store.updateRuntimeState('Ops', { lastEventIds: { orders: '41', payments: '7' } })
  await store.updateRuntimeState('Ops', { lastEventIds: { orders: '42' }, alertState: { n: 1 } })
  expect((await store.loadRuntimeState('Ops')).state).toEqual({
    lastEventIds: { orders: '42', payments: '7' },
    alertState: { n: 1 },
  })
  expect(await storedState()).toMatchObject({ version: 1 })
})

test('a damaged runtime state is moved aside and reads as empty, with a notice', async () => {
  await writeFile(statePath, '{"version": 1, "lastEvent')
  const { state, notices } = await store.loadRuntimeState('Ops')
  expect(state).toEqual({ lastEventIds: {}, alertState: null })
  const moved = `${statePath}.corrupt-2025-11-22T04-45-12-123Z`
  expect(notices).toEqual([expect.objectContaining({ code: 'runtime-state-reset', path: moved })])
  expect(notices[0]?.message).toContain(moved)
  expect(await readFile(moved, 'utf8')).toBe('{"version": 1, "lastEvent')
})

test('a runtime state of the wrong shape is treated as damaged, not thrown', async () => {
  await writeFile(statePath, JSON.stringify({ version: 1, lastEventIds: ['x'] }))
  const { notices } = await store.loadRuntimeState('Ops')
  expect(notices[0]?.message).toContain('lastEventIds: Invalid input')
})

test('many updates within the interval become one write with all of them', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
  const writes = vi.spyOn(store, 'updateRuntimeState')
  const writer = createRuntimeStateWriter(store, 'Ops')
  for (let id = 1; id <= 100; id += 1) {
    writer.update({ lastEventIds: { orders: String(id), [`feed${id % 3}`]: 'x' } })
  }
  writer.update({ alertState: { firing: ['cpu'] } })
  await vi.advanceTimersByTimeAsync(999)
  expect(writes).not.toHaveBeenCalled()
  await vi.advanceTimersByTimeAsync(1)
  expect(writes).toHaveBeenCalledTimes(1)
  await writer.flush()
  expect(writes).toHaveBeenCalledTimes(1)
  expect(await storedState()).toEqual({
    version: 1,
    lastEventIds: { orders: '100', feed0: 'x', feed1: 'x', feed2: 'x' },
    alertState: { firing: ['cpu'] },
  })
  await writer.close()
  expect(writes).toHaveBeenCalledTimes(1)
})

test('updates during and after a write wait a full interval for the next one', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
  const writes = vi.spyOn(store, 'updateRuntimeState')
  const writer = createRuntimeStateWriter(store, 'Ops', { intervalMs: 1000 })
  writer.update({ lastEventIds: { orders: '1' } })
  await vi.advanceTimersByTimeAsync(1000)
  await writer.flush()
  writer.update({ lastEventIds: { orders: '2' } })
  await vi.advanceTimersByTimeAsync(999)
  expect(writes).toHaveBeenCalledTimes(1)
  await vi.advanceTimersByTimeAsync(1)
  expect(writes).toHaveBeenCalledTimes(2)
  await writer.close()
  expect(await storedState()).toMatchObject({ lastEventIds: { orders: '2' } })
})

test('closing the writer writes pending updates at once', async () => {
  const writes = vi.spyOn(store, 'updateRuntimeState')
  const writer = createRuntimeStateWriter(store, 'Ops', { intervalMs: 60_000 })
  writer.update({ lastEventIds: { orders: '42' } })
  await writer.close()
  expect(writes).toHaveBeenCalledTimes(1)
  expect(await storedState()).toMatchObject({ lastEventIds: { orders: '42' } })
  writer.update({ lastEventIds: { orders: '43' } })
  await writer.flush()
  expect(writes).toHaveBeenCalledTimes(1)
})

test('a writer with nothing pending never writes', async () => {
  const writes = vi.spyOn(store, 'updateRuntimeState')
  await createRuntimeStateWriter(store, 'Ops').close()
  expect(writes).not.toHaveBeenCalled()
  expect(await readdir(directory)).toEqual(['ops.json'])
})

test('the writer keeps ids of feeds it was not told about', async () => {
  await store.updateRuntimeState('Ops', { lastEventIds: { payments: '7' }, alertState: 'kept' })
  const writer = createRuntimeStateWriter(store, 'Ops')
  writer.update({ lastEventIds: { orders: '42' } })
  await writer.close()
  expect(await storedState()).toEqual({
    version: 1,
    lastEventIds: { payments: '7', orders: '42' },
    alertState: 'kept',
  })
})

test('a failed write rejects flush and keeps the changes for the next write', async () => {
  const writer = createRuntimeStateWriter(store, 'Ops', { intervalMs: 60_000 })
  writer.update({ lastEventIds: { orders: '1' } })
  vi.spyOn(store, 'updateRuntimeState').mockRejectedValueOnce(
    new ProfileError('io', 'Could not write: disk full'),
  )
  await expect(writer.flush()).rejects.toThrow('disk full')
  writer.update({ lastEventIds: { payments: '2' } })
  await writer.close()
  expect(await storedState()).toMatchObject({ lastEventIds: { orders: '1', payments: '2' } })
})

test('a failed scheduled write is reported to onError', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
  const onError = vi.fn()
  const writer = createRuntimeStateWriter(store, 'Nobody', { onError })
  writer.update({ lastEventIds: { orders: '1' } })
  await vi.advanceTimersByTimeAsync(1000)
  await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(1))
  expect((onError.mock.calls[0]?.[0] as ProfileError).code).toBe('not-found')
  await expect(writer.close()).rejects.toThrow(ProfileError)
})
