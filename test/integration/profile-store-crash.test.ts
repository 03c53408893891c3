import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { ProfileStore } from '../../src/main/profiles'

/**
 * A process killed in the middle of a save must leave the profile loadable, as one complete version.
 * A child process saves a profile in a loop on a simulated slow disk, and the test kills it with
 * SIGKILL, which runs no cleanup at all, while a write is under way: halfway through writing the
 * backup, while flushing it, halfway through writing the profile, and while flushing that.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const STORE_MODULE = pathToFileURL(join(ROOT, 'src/main/profiles/index.ts')).href
const ROUNDS = 4

/** A temporary file of write-file-atomic: `ops.json.<number>` or `ops.json.bak.<number>`. */
const TEMP_FILE = /^ops\.json(\.bak)?\.\d+$/

let directory: string
let child: ChildProcess | undefined

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'feedwatch-profiles-'))
})

afterEach(async () => {
  child?.kill('SIGKILL')
  child = undefined
  await rm(directory, { recursive: true, force: true })
})

/**
 * Saves version after version. The disk is made slow: every write stops halfway for 200 ms and every
 * fsync takes 200 ms, each announced as `pause N` just before it starts waiting.
 */
const SAVER = `
import fs from 'node:fs'
import { ProfileStore } from ${JSON.stringify(STORE_MODULE)}
const { write, fsync } = fs
let pauses = 0
const pause = (then) => {
  pauses += 1
  process.stdout.write('pause ' + pauses + '\\n')
  setTimeout(then, 200)
}
fs.write = (fd, data, ...rest) => {
  const callback = rest.pop()
  const bytes = typeof data === 'string' ? Buffer.from(data, rest[1] ?? 'utf8') : data
  const half = Math.floor(bytes.length / 2)
  write(fd, bytes, 0, half, null, (error) => {
    if (error) return callback(error)
    pause(() => write(fd, bytes, half, bytes.length - half, null, (error) =>
      callback(error, bytes.length, data)))
  })
}
fs.fsync = (fd, callback) => pause(() => fsync(fd, callback))
const store = new ProfileStore({ directory: process.argv[2] })
for (let version = Number(process.argv[3]); ; version += 1) {
  const feeds = Array.from({ length: 200 }, (_, i) => ({
    id: 'f' + i, name: 'Feed ' + i + ' v' + version, url: 'https://example.test/' + i,
  }))
  await store.save({ version: 1, name: 'Ops', feeds })
  process.stdout.write('saved ' + version + '\\n')
}
`

/** Runs the saver from `firstVersion` and kills it during its `killAt`-th pause. */
async function killDuringWrite(
  script: string,
  profiles: string,
  firstVersion: number,
  killAt: number,
): Promise<number[]> {
  const saved: number[] = []
  const args = ['--import', 'tsx', script, profiles, String(firstVersion)]
  const running = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  child = running
  let stderr = ''
  running.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  let pending = ''
  await new Promise<void>((resolve, reject) => {
    running.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString()
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        const [what, number] = line.split(' ')
        if (what === 'saved') saved.push(Number(number))
        if (what === 'pause' && Number(number) === killAt) running.kill('SIGKILL')
      }
    })
    running.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve() : reject(new Error(`saver exited (${code}): ${stderr}`)),
    )
  })
  child = undefined
  return saved
}

test('a save killed in the middle of a write leaves the profile complete and loadable', async () => {
  const script = join(directory, 'saver.mjs')
  const profiles = join(directory, 'profiles')
  await writeFile(script, SAVER)
  const store = new ProfileStore({ directory: profiles })
  await store.create('Ops')
  let version = 0
  for (let round = 0; round < ROUNDS; round += 1) {
    // Four pauses per save: the backup's write and fsync, then the profile's. Pauses 5 to 8 are
    // those of the second save, so each round kills at a different one of them.
    const saved = await killDuringWrite(script, profiles, version, 5 + round)
    expect(saved.length).toBeGreaterThan(0)
    const last = saved.at(-1) ?? -1
    // The kill landed inside a write: its temporary file is still there.
    expect((await readdir(profiles)).some((name) => TEMP_FILE.test(name))).toBe(true)

    const { profile, notices } = await store.load('Ops')
    expect(notices).toEqual([])
    expect(profile.feeds).toHaveLength(200)
    const loaded = Number(/ v(\d+)$/.exec(profile.feeds[0]?.name ?? '')?.[1])
    expect(loaded).toBe(last)
    expect(profile.feeds.every((feed) => feed.name.endsWith(` v${loaded}`))).toBe(true)
    version = last + 1000
  }
  expect((await readdir(profiles)).filter((name) => name.includes('corrupt'))).toEqual([])
  expect((await store.list()).map((entry) => entry.name)).toEqual(['Ops'])
})
