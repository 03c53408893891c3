import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import {
  DataFolderInUseError,
  LOCK_FILE,
  lockDataFolder as takeLock,
  type DataFolderLock,
  type LockOptions,
} from '../../src/main/profiles/data-folder-lock'
import { openDataFolder } from '../../src/main/profiles/data-folder'

let dataDir: string
const held: DataFolderLock[] = []

/** Takes the lock and remembers it, so each test releases what it took. */
async function lockDataFolder(dir: string, options: LockOptions): Promise<DataFolderLock> {
  const lock = await takeLock(dir, options)
  held.push(lock)
  return lock
}
const STARTED = Date.UTC(2026, 11, 5, 9, 30, 0)

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'feedwatch-lock-'))
})

afterEach(async () => {
  for (const lock of held.splice(0)) await lock.release()
  await rm(dataDir, { recursive: true, force: true })
})

/** A process on host "box" with the given pid; every other pid in `running` is alive. */
function as(pid: number, running: number[] = [], more: Partial<LockOptions> = {}): LockOptions {
  return {
    command: 'feedwatch serve',
    pid,
    hostname: 'box',
    startedAt: STARTED,
    isRunning: (other) => running.includes(other),
    processStartedAt: () => Promise.resolve(STARTED),
    ...more,
  }
}

async function refusal(options: LockOptions): Promise<DataFolderInUseError> {
  const error = await lockDataFolder(dataDir, options).catch((caught: unknown) => caught)
  expect(error).toBeInstanceOf(DataFolderInUseError)
  return error as DataFolderInUseError
}

test('a second process is refused with one line naming the holder pid and start time', async () => {
  await lockDataFolder(dataDir, as(100))
  const error = await refusal(as(200, [100]))
  expect(error.message).toBe(
    `${dataDir} is in use by feedwatch serve (pid 100, started 2026-12-05 09:30:00 UTC): stop it first, or use another data folder`,
  )
  expect(error.holder).toEqual({
    pid: 100,
    hostname: 'box',
    startedAt: STARTED,
    command: 'feedwatch serve',
  })
})

test('the lock of a holder that is no longer running is taken over', async () => {
  await lockDataFolder(dataDir, as(100))
  const lock = await lockDataFolder(dataDir, as(200, []))
  expect(JSON.parse(await readFile(lock.path, 'utf8'))).toMatchObject({ pid: 200 })
})

test('a holder whose pid now belongs to a process started at another time is gone', async () => {
  await lockDataFolder(dataDir, as(100))
  const reused = as(200, [100], { processStartedAt: () => Promise.resolve(STARTED + 60_000) })
  await expect(lockDataFolder(dataDir, reused)).resolves.toMatchObject({
    path: join(dataDir, LOCK_FILE),
  })
})

test('a lock holding our own pid is left from an earlier run and taken over', async () => {
  await lockDataFolder(dataDir, as(100))
  await expect(lockDataFolder(dataDir, as(100, [100]))).resolves.toBeDefined()
})

test('a holder on another host is taken as running and the message names the file to delete', async () => {
  await lockDataFolder(dataDir, as(100, [], { hostname: 'other-box' }))
  const error = await refusal(as(200, []))
  expect(error.message).toContain('pid 100 on host "other-box"')
  expect(error.message).toContain(`delete ${join(dataDir, LOCK_FILE)}`)
})

test('a released lock can be taken again, and releasing removes only our own lock', async () => {
  const first = await lockDataFolder(dataDir, as(100))
  await first.release()
  expect(await readdir(dataDir)).toEqual([])
  const second = await lockDataFolder(dataDir, as(200))
  await first.release()
  expect(JSON.parse(await readFile(second.path, 'utf8'))).toMatchObject({ pid: 200 })
})

test('an unreadable lock file is taken over once it is old, and waited for while fresh', async () => {
  const path = join(dataDir, LOCK_FILE)
  await writeFile(path, 'garbage')
  await expect(lockDataFolder(dataDir, as(200))).rejects.toThrow(/other processes keep taking it/)
  const old = new Date(Date.now() - 60_000)
  await utimes(path, old, old)
  await expect(lockDataFolder(dataDir, as(200))).resolves.toBeDefined()
})

test('a command name with control characters is shown escaped', async () => {
  await lockDataFolder(dataDir, as(100, [], { command: 'x\u001b[2Jy' }))
  expect((await refusal(as(200, [100]))).message).toContain('x\\u001b[2Jy')
})

test('opening the data folder removes temporary files of interrupted writes and nothing else', async () => {
  const profiles = join(dataDir, 'profiles')
  await mkdir(profiles)
  const keep = [
    'ops.json',
    'ops.json.bak',
    'ops.state.json',
    'ops.json.corrupt-2025-11-22T04-45-12-123Z',
    'ops.json.v0.bak',
    'notes.txt.12',
  ]
  const leftovers = ['ops.json.3735928559', 'ops.json.bak.12', 'ops.state.json.77']
  for (const name of [...keep, ...leftovers]) await writeFile(join(profiles, name), '{}')
  await writeFile(join(dataDir, 'app-state.json.42'), '{}')

  const { removed, lock } = await openDataFolder(dataDir, as(100))

  expect([...removed].sort()).toEqual(
    [join(dataDir, 'app-state.json.42'), ...leftovers.map((name) => join(profiles, name))].sort(),
  )
  expect((await readdir(profiles)).sort()).toEqual([...keep].sort())
  await lock.release()
})
