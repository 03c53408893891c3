import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const BIN = join(ROOT, 'bin', 'feedwatch.js')

/** A `feedwatch serve` process of the built CLI. */
export interface ServeProcess {
  readonly child: ChildProcessWithoutNullStreams
  /** `http://127.0.0.1:PORT` (no trailing slash), from the first line it prints. */
  readonly origin: Promise<string>
  /** What it wrote to stderr so far. */
  stderr(): string
  /** Stops it (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
  stop(): Promise<void>
}

/** Throws unless `npm run build` has made the CLI bundle (`npm test` builds first). */
export function requireBuild(): void {
  if (!existsSync(join(ROOT, 'out', 'main', 'cli.js')))
    throw new Error('run npm run build first (npm test builds it)')
}

/** Starts `feedwatch serve` with `args`. */
export function startServe(args: readonly string[]): ServeProcess {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { cwd: ROOT })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()))
  const origin = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed; stderr:\n${stderr}`)), 10_000)
    child.stdout.on('data', () => {
      if (!stdout.includes('\n')) return
      clearTimeout(timer)
      resolve((stdout.split('\n')[0] ?? '').replace(/\/$/, ''))
    })
    void exited.then(() => reject(new Error(`exited before printing a URL; stderr:\n${stderr}`)))
  })
  origin.catch(() => undefined)
  return {
    child,
    origin,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    },
  }
}
