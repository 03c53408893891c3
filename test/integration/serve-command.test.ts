import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeAll, expect, test } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const BIN = join(ROOT, 'bin', 'feedwatch.js')

interface Serve {
  readonly child: ChildProcessWithoutNullStreams
  /** The first stdout line: the URL. */
  readonly url: Promise<string>
  readonly exit: Promise<{ code: number | null; stdout: string; stderr: string }>
}

const children = new Set<ChildProcessWithoutNullStreams>()
const cleanups: (() => Promise<void>)[] = []

beforeAll(() => {
  if (!existsSync(join(ROOT, 'out', 'main', 'cli.js')))
    throw new Error('run npm run build first (npm test builds it)')
})

afterEach(async () => {
  for (const child of children) child.kill('SIGKILL')
  children.clear()
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'feedwatch-serve-cli-'))
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  return dir
}

function serve(...args: string[]): Serve {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { cwd: ROOT })
  children.add(child)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  )
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed; stderr:\n${stderr}`)), 10_000)
    child.stdout.on('data', () => {
      if (stdout.includes('\n')) {
        clearTimeout(timer)
        resolve(stdout.split('\n')[0] ?? '')
      }
    })
    void exit.then(() => reject(new Error(`exited before printing a URL; stderr:\n${stderr}`)))
  })
  // Tests of failed starts never ask for the URL.
  url.catch(() => undefined)
  return { child, url, exit }
}

test('serve prints its URL first, answers the API and exits 0 on SIGTERM', async () => {
  const app = serve('--port', '0', '--data-dir', await dataDir())
  const url = await app.url
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
  const reply = await fetch(`${url}api/profiles/list`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  })
  expect((await reply.json()) as unknown).toMatchObject({
    ok: true,
    value: [{ name: 'Demo', active: true, running: true }],
  })
  app.child.kill('SIGTERM')
  const { code, stderr } = await app.exit
  expect(code).toBe(0)
  expect(stderr).toContain('running "Demo"')
  expect(stderr).toContain(`ops wall of "Demo": ${url}wall/Demo`)
})

test('an unknown flag or a bad port is a one-line usage error with status 2', async () => {
  for (const args of [['--bogus'], ['--port', 'eighty'], ['--port', '70000']]) {
    const { code, stdout, stderr } = await serve(...args).exit
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr.trim().split('\n')).toHaveLength(1)
    expect(stderr).toMatch(
      /^feedwatch serve: --(bogus: unknown option|port: expected a whole number)/,
    )
  }
})

test('a taken port is a clear error with status 1', async () => {
  const blocker: Server = createServer()
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
  cleanups.push(() => new Promise((resolve) => blocker.close(() => resolve())))
  const { port } = blocker.address() as AddressInfo
  const { code, stderr } = await serve('--port', String(port), '--data-dir', await dataDir()).exit
  expect(code).toBe(1)
  expect(stderr).toContain(`port ${port} on 127.0.0.1 is already in use`)
})

test('binding beyond loopback without a token generates one and prints a login link', async () => {
  const app = serve('--host', '0.0.0.0', '--port', '0', '--data-dir', await dataDir())
  const url = await app.url
  const denied = await fetch(`${url}api/profiles/list`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  })
  expect(denied.status).toBe(401)
  app.child.kill('SIGTERM')
  const { stderr } = await app.exit
  const token = /login\?token=([\w-]+)/.exec(stderr)?.[1]
  expect(token?.length).toBeGreaterThanOrEqual(20)
})

test('a profile file is imported and opened', async () => {
  const dir = await dataDir()
  const file = join(dir, 'wall.json')
  await writeFile(file, JSON.stringify({ version: 1, name: 'Wall', feeds: [] }))
  const app = serve('--profile', file, '--port', '0', '--data-dir', dir, '--read-only')
  const url = await app.url
  const active = await fetch(`${url}api/profiles/active`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  })
  expect((await active.json()) as unknown).toMatchObject({
    ok: true,
    value: { profile: { name: 'Wall' } },
  })
  app.child.kill('SIGTERM')
  expect((await app.exit).code).toBe(0)
})

test('--profile twice runs both profiles and serves a wall for each at /wall/<profile>', async () => {
  const dir = await dataDir()
  const files = ['Lobby TV', 'Ops'].map((name) => join(dir, `${name}.json`))
  for (const [index, name] of ['Lobby TV', 'Ops'].entries())
    await writeFile(files[index] ?? '', JSON.stringify({ version: 1, name, feeds: [] }))
  const app = serve(
    '--profile',
    files[0] ?? '',
    '--profile',
    files[1] ?? '',
    '--port',
    '0',
    '--data-dir',
    dir,
  )
  const url = await app.url
  const running = await fetch(`${url}api/profiles/running`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  })
  expect((await running.json()) as unknown).toMatchObject({
    ok: true,
    value: [{ profile: 'Lobby TV' }, { profile: 'Ops' }],
  })
  for (const path of ['wall/Lobby%20TV', 'wall/Ops']) {
    const page = await fetch(`${url}${path}`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<div id="app">')
  }
  app.child.kill('SIGTERM')
  const { stderr } = await app.exit
  expect(stderr).toContain(`ops wall of "Lobby TV": ${url}wall/Lobby%20TV`)
  expect(stderr).toContain(`ops wall of "Ops": ${url}wall/Ops`)
})

test('an invalid profile file is refused with the problem and where it is', async () => {
  const dir = await dataDir()
  const file = join(dir, 'broken.json')
  await writeFile(
    file,
    JSON.stringify({ version: 1, name: 'Broken', feeds: [{ id: 'a', name: 'A', url: 'ftp://x' }] }),
  )
  const { code, stderr } = await serve('--profile', file, '--port', '0', '--data-dir', dir).exit
  expect(code).toBe(1)
  expect(stderr).toMatch(/^feedwatch serve: .*feeds\[0\]\.url: must be an http\(s\) URL/)
  expect(stderr).not.toMatch(/\n\s+at /)
})
