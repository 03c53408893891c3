import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

/** A `feedwatch serve` child process. */
export interface ServedFeedwatch {
  /** `http://127.0.0.1:PORT` */
  readonly url: string
  stop(): Promise<void>
}

/**
 * Starts the built CLI's `feedwatch serve` from `buildDir` (so a build in another folder can be
 * measured) on a free loopback port, and resolves once it printed its URL.
 */
export async function startFeedwatchServe(
  buildDir: string,
  args: readonly string[],
): Promise<ServedFeedwatch> {
  const cli = join(buildDir, 'main', 'cli.js')
  if (!existsSync(cli)) throw new Error(`${cli} is missing: build first (npm run build)`)
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = ''
    const timer = setTimeout(
      () => reject(new Error(`feedwatch serve did not start:\n${stderr}`)),
      15_000,
    )
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      const newline = stdout.indexOf('\n')
      if (newline >= 0) {
        clearTimeout(timer)
        resolve(stdout.slice(0, newline).replace(/\/$/, ''))
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`feedwatch serve exited with ${code}:\n${stderr}`))
    })
  })
  return { url, stop: () => stopChild(child) }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}
