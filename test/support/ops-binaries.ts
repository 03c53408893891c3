import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { refusingOrigin } from './http-server'

/**
 * Prometheus and Alertmanager as the tests run them: Debian's binaries, each on 127.0.0.1 with a free
 * port, a temporary config and a temporary data folder. `.ci/run` installs them; elsewhere a test
 * that needs a missing binary is skipped and its name says why.
 */

/** Where the binaries are, overridable for other installs. */
export const PROMETHEUS_BIN = process.env.FEEDWATCH_PROMETHEUS ?? '/usr/bin/prometheus'
export const ALERTMANAGER_BIN =
  process.env.FEEDWATCH_ALERTMANAGER ?? '/usr/bin/prometheus-alertmanager'

/**
 * Why a test needing `binary` cannot run here, or undefined when it can. In CI (`CI` set) a missing
 * binary is a failure, not a skip: `.ci/run` must have installed it.
 */
export function missingBinary(binary: string): string | undefined {
  if (existsSync(binary)) return undefined
  if (process.env.CI !== undefined) throw new Error(`${binary} is missing; .ci/run installs it`)
  return `${binary} is not installed (apt-get install prometheus prometheus-alertmanager)`
}

/** A running binary. */
export interface OpsServer {
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string
  /** What it printed, for failure messages. */
  output(): string
  /** Stops it and removes its folder. */
  close(): Promise<void>
}

/**
 * Starts `binary` with `args(port, dir)` (dir holds `config.yml`, written from `config`) and waits
 * until `readyPath` answers 200.
 */
async function startOpsServer(
  binary: string,
  config: string,
  args: (address: string, dir: string) => string[],
  readyPath: string,
): Promise<OpsServer> {
  const dir = await mkdtemp(join(tmpdir(), 'feedwatch-ops-'))
  await writeFile(join(dir, 'config.yml'), config)
  // A free port, as a refused origin has one: the binaries take no port 0 they would tell us about.
  const origin = await refusingOrigin()
  const child: ChildProcess = spawn(binary, args(origin.replace('http://', ''), dir), {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const server: OpsServer = {
    origin,
    output: () => output,
    close: async () => {
      child.kill('SIGKILL')
      await exited
      await rm(dir, { recursive: true, force: true })
    },
  }
  const deadline = Date.now() + 15_000
  for (;;) {
    if (child.exitCode !== null) {
      await server.close()
      throw new Error(`${binary} exited with ${child.exitCode}:\n${output}`)
    }
    const ready = await fetch(origin + readyPath).then(
      (response) => response.ok,
      () => false,
    )
    if (ready) return server
    if (Date.now() > deadline) {
      await server.close()
      throw new Error(`${binary} was not ready after 15 s:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Alertmanager with `config` (YAML), binding nothing but its API (no cluster port). */
export function startAlertmanager(config: string): Promise<OpsServer> {
  return startOpsServer(
    ALERTMANAGER_BIN,
    config,
    (address, dir) => [
      `--config.file=${join(dir, 'config.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=${address}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    '/-/ready',
  )
}

/** Prometheus with `config` (YAML) and a temporary TSDB. */
export function startPrometheus(config: string): Promise<OpsServer> {
  return startOpsServer(
    PROMETHEUS_BIN,
    config,
    (address, dir) => [
      `--config.file=${join(dir, 'config.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=${address}`,
      '--log.level=warn',
    ],
    '/-/ready',
  )
}

/** Polls `check` every 100 ms until it returns a value other than undefined, or fails after `ms`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  ms: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await check().catch(() => undefined)
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
