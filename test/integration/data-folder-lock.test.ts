import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { killServeProcesses, startServe as serve } from '../support/serve-process'

const folders: string[] = []

afterEach(async () => {
  killServeProcesses()
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true })
})

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'feedwatch-lock-cli-'))
  folders.push(dir)
  return dir
}

test('a second serve on the same data folder exits 1 with one line naming the holder', async () => {
  const dir = await dataDir()
  const first = serve(dir)
  await first.url

  const { code, stderr } = await serve(dir).exit

  expect(code).toBe(1)
  const lines = stderr.trim().split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(
    new RegExp(
      `^feedwatch serve: .* is in use by feedwatch serve \\(pid ${first.child.pid}, started \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\)`,
    ),
  )
}, 60_000)

test('the lock of a serve killed with SIGKILL is taken over by the next start', async () => {
  const dir = await dataDir()
  const killed = serve(dir)
  await killed.url
  killed.child.kill('SIGKILL')
  expect((await killed.exit).signal).toBe('SIGKILL')
  expect(existsSync(join(dir, 'feedwatch.lock'))).toBe(true)

  const next = serve(dir)
  await next.url

  expect(JSON.parse(await readFile(join(dir, 'feedwatch.lock'), 'utf8'))).toMatchObject({
    pid: next.child.pid,
    command: 'feedwatch serve',
  })
}, 60_000)

test('a serve stopped with SIGTERM leaves no lock behind', async () => {
  const dir = await dataDir()
  const app = serve(dir)
  await app.url
  app.child.kill('SIGTERM')
  expect((await app.exit).code).toBe(0)
  expect(existsSync(join(dir, 'feedwatch.lock'))).toBe(false)
}, 60_000)
