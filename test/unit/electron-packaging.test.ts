import { spawn } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { createServer, type Server } from 'node:http'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { APP_USER_MODEL_ID } from '../../src/main/electron/desktop-notifier'

/**
 * Packs the app with electron-builder as far as a machine without the Electron binary allows:
 * `--linux dir` with `electronDist` pointing at a stand-in Electron (one executable file carrying
 * Electron's fuse wire), offline, with every download trapped. What it writes is the app.asar and
 * the fused executable an installer would contain.
 */

const ROOT = resolve(__dirname, '../..')
/** The asar may grow with the app, but not by shipping node_modules or sources again. */
const ASAR_BUDGET_BYTES = 4 * 1024 * 1024
const PACK_TIMEOUT_MS = 60_000

// electron-builder's own helpers for reading what it wrote, resolved where electron-builder has them.
const builderRequire = createRequire(require.resolve('app-builder-lib'))
const asar = builderRequire('@electron/asar') as typeof import('@electron/asar')
const fuses = builderRequire('@electron/fuses') as typeof import('@electron/fuses')
const yaml = builderRequire('js-yaml') as { load(text: string): unknown }

/** The parts of electron-builder.yml these tests read. */
interface BuilderConfig {
  appId: string
  productName: string
  directories: { buildResources: string }
  win: { target: string[]; icon: string }
  mac: { target: string[]; icon: string }
  linux: { target: string[]; icon: string }
}

/** The marker @electron/fuses looks for in the Electron binary; the fuse wire follows it. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
/** A fuse's state in the wire: ASCII '1' on, '0' off. */
const ON = 0x31
const OFF = 0x30

/** The sentinel, then wire version 1 and 8 fuses, each as Electron ships it. */
const STAND_IN_FUSE_WIRE = Buffer.concat([
  Buffer.from(FUSE_SENTINEL, 'ascii'),
  Buffer.from([1, 8]),
  Buffer.from('10110001', 'ascii'),
])

let work = ''
let appDir = ''
let trap: Server | undefined
const trappedRequests: string[] = []
let packLog = ''

/** A proxy that answers nothing and records every request: any download attempt ends up here. */
function startTrap(): Promise<string> {
  const server = createServer((request, response) => {
    trappedRequests.push(`${request.method} ${request.url}`)
    response.destroy()
  })
  server.on('connect', (request, socket) => {
    trappedRequests.push(`CONNECT ${request.url}`)
    socket.destroy()
  })
  trap = server
  return new Promise((resolveUrl) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      resolveUrl(typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '')
    }),
  )
}

function runBuilder(args: string[], env: NodeJS.ProcessEnv): Promise<number | null> {
  const cli = join(ROOT, 'node_modules/electron-builder/cli.js')
  const child = spawn(process.execPath, [cli, ...args], { cwd: ROOT, env })
  child.stdout.on('data', (chunk: Buffer) => (packLog += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (packLog += chunk.toString()))
  return new Promise((resolveCode) => child.on('close', (code) => resolveCode(code)))
}

beforeAll(async () => {
  for (const built of ['out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html'])
    if (!existsSync(join(ROOT, built)))
      throw new Error(`${built} is missing: run npm run build first`)
  work = mkdtempSync(join(tmpdir(), 'feedwatch-pack-'))
  const electronDist = join(work, 'electron-dist')
  const executable = join(electronDist, 'electron')
  const cache = join(work, 'cache')
  for (const dir of [electronDist, cache]) mkdirSync(dir)
  writeFileSync(executable, Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n'), STAND_IN_FUSE_WIRE]))
  chmodSync(executable, 0o755)
  writeFileSync(join(electronDist, 'LICENSE'), 'stand-in')

  const proxy = await startTrap()
  const code = await runBuilder(
    [
      '--linux',
      'dir',
      '--publish',
      'never',
      `-c.electronDist=${electronDist}`,
      `-c.directories.output=${join(work, 'dist')}`,
    ],
    {
      ...process.env,
      // Empty caches and a trapping proxy: whatever would be downloaded is seen, not fetched.
      ELECTRON_CACHE: cache,
      ELECTRON_BUILDER_CACHE: cache,
      XDG_CACHE_HOME: cache,
      HTTP_PROXY: proxy,
      HTTPS_PROXY: proxy,
      http_proxy: proxy,
      https_proxy: proxy,
      NO_PROXY: '',
      no_proxy: '',
      ELECTRON_GET_USE_PROXY: '1',
      GLOBAL_AGENT_HTTP_PROXY: proxy,
      GLOBAL_AGENT_HTTPS_PROXY: proxy,
    },
  )
  if (code !== 0) throw new Error(`electron-builder exited with ${code}:\n${packLog}`)
  appDir = join(work, 'dist', 'linux-unpacked')
}, PACK_TIMEOUT_MS)

afterAll(async () => {
  await new Promise<void>((done) => (trap ? trap.close(() => done()) : done()))
  if (work !== '') rmSync(work, { recursive: true, force: true })
})

function asarPath(): string {
  return join(appDir, 'resources', 'app.asar')
}

test('packing for Linux writes resources/app.asar beside the renamed executable', () => {
  expect(existsSync(asarPath())).toBe(true)
  expect(existsSync(join(appDir, 'feedwatch'))).toBe(true)
  expect(existsSync(join(appDir, 'resources', 'app'))).toBe(false)
})

test('the asar holds the built main, preload and renderer, package.json and the window icon', () => {
  const files = asar.listPackage(asarPath(), { isPack: false }).map((f) => f.replaceAll('\\', '/'))
  expect(files).toContain('/package.json')
  expect(files).toContain('/out/main/index.js')
  expect(files).toContain('/out/preload/index.js')
  expect(files).toContain('/out/renderer/index.html')
  expect(files).toContain('/resources/icon.png')
  const tops = new Set(files.map((file) => file.split('/')[1]))
  expect([...tops].sort()).toEqual(['out', 'package.json', 'resources'])
})

test('the asar ships no sources, tests, benchmarks, source maps, node_modules or the CLI', () => {
  const files = asar.listPackage(asarPath(), { isPack: false }).map((f) => f.replaceAll('\\', '/'))
  for (const file of files) {
    expect(file).not.toMatch(/^\/(src|test|bench|node_modules|bin)(\/|$)/)
    expect(file).not.toMatch(/\.(map|ts|vue)$/)
  }
  expect(files).not.toContain('/out/main/cli.js')
})

test('the asar stays within its size budget', () => {
  expect(statSync(asarPath()).size).toBeLessThan(ASAR_BUDGET_BYTES)
})

test('the packaged executable has its fuses set: no run-as-node, NODE_OPTIONS or inspect; asar only', async () => {
  const wire = await fuses.getCurrentFuseWire(join(appDir, 'feedwatch'))
  const { FuseV1Options: option } = fuses
  expect(wire[option.RunAsNode]).toBe(OFF)
  expect(wire[option.EnableNodeOptionsEnvironmentVariable]).toBe(OFF)
  expect(wire[option.EnableNodeCliInspectArguments]).toBe(OFF)
  expect(wire[option.EnableCookieEncryption]).toBe(ON)
  expect(wire[option.EnableEmbeddedAsarIntegrityValidation]).toBe(ON)
  expect(wire[option.OnlyLoadAppFromAsar]).toBe(ON)
  expect(wire[option.GrantFileProtocolExtraPrivileges]).toBe(OFF)
})

test('each system gets its installers and icons from resources/', () => {
  const config = yaml.load(
    readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8'),
  ) as BuilderConfig
  expect(config.linux.target).toEqual(['AppImage', 'deb'])
  expect(config.mac.target).toEqual(['dmg'])
  expect(config.win.target).toEqual(['nsis'])
  for (const icon of [config.linux.icon, config.mac.icon, config.win.icon]) {
    expect(icon.startsWith('resources/')).toBe(true)
    expect(statSync(join(ROOT, icon)).size).toBeGreaterThan(1000)
  }
  expect(config.productName).toBe('Feedwatch')
})

test("the installer's app id is the AppUserModelId Windows notifications are sent under", () => {
  const config = yaml.load(
    readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8'),
  ) as BuilderConfig
  expect(config.appId).toBe(APP_USER_MODEL_ID)
})

test('packing downloads nothing: no Electron, no build tools', () => {
  expect(trappedRequests).toEqual([])
  expect(packLog).not.toMatch(/downloading/i)
})
