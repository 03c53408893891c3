import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { killServeProcesses, startServe } from '../support/serve-process'

const folders: string[] = []

afterEach(async () => {
  killServeProcesses()
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true })
})

async function dataDirWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'feedwatch-damaged-'))
  folders.push(dir)
  await mkdir(join(dir, 'profiles'))
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text)
  return dir
}

test('a damaged profile with no backup fails every start naming the kept file, never opening Demo', async () => {
  const dir = await dataDirWith({ 'profiles/ops.json': '{"version": 1, "name": "Ops", \u001b[2J' })

  const first = await startServe(dir).exit
  const kept = (await readdir(join(dir, 'profiles'))).filter((name) => name.includes('.corrupt-'))
  expect(kept).toHaveLength(1)
  const keptPath = join(dir, 'profiles', kept[0] ?? '')
  expect(first.code).toBe(1)
  expect(first.stderr).toContain(keptPath)
  // The damaged bytes are quoted escaped, never raw.
  expect(first.stderr).not.toContain('\u001b')

  const second = await startServe(dir).exit
  expect(second.code).toBe(1)
  expect(second.stderr.trim().split('\n')).toEqual([
    `feedwatch serve: No profile can be opened: ${keptPath} holds a damaged profile that could not be recovered (it had no usable backup). Repair the file and rename it to ops.json, or move it out of ${join(dir, 'profiles')}, then start again.`,
  ])
  expect(await readdir(join(dir, 'profiles'))).toEqual(kept)
}, 60_000)

test('a stored header no request can carry does not stop serve: the feed is disabled with a notice', async () => {
  const profile = {
    version: 1,
    name: 'Ops',
    feeds: [
      {
        id: 'orders',
        name: 'Orders',
        url: 'http://127.0.0.1:9/orders',
        headers: [{ name: 'X-A', value: 'a\u0001b' }],
      },
    ],
  }
  const dir = await dataDirWith({ 'profiles/ops.json': JSON.stringify(profile) })

  const app = startServe(dir)
  const url = await app.url
  const reply = await fetch(`${url}api/profiles/list`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  })
  expect(await reply.json()).toMatchObject({ ok: true, value: [{ name: 'Ops' }] })
  app.child.kill('SIGTERM')
  const { code, stderr } = await app.exit
  expect(code).toBe(0)
  expect(stderr).toContain(
    'feeds[0].headers["X-A"]: contains the control character U+0001 at position 2',
  )
  expect(stderr).toContain('"Orders" was disabled')
  expect(stderr).not.toMatch(/\n\s+at /)
}, 60_000)

test('temporary files left by an interrupted write are removed at start', async () => {
  const dir = await dataDirWith({
    'profiles/ops.json': JSON.stringify({ version: 1, name: 'Ops' }),
    'profiles/ops.json.3735928559': '{"version": 1, "na',
  })
  const app = startServe(dir)
  await app.url
  expect(await readdir(join(dir, 'profiles'))).not.toContain('ops.json.3735928559')
  app.child.kill('SIGTERM')
  expect((await app.exit).stderr).toContain(
    `removed ${join(dir, 'profiles', 'ops.json.3735928559')}, left by an interrupted write`,
  )
}, 60_000)
