import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * `feedwatch serve` as a real child process, started from source under tsx (the same code the CLI
 * bundle is built from), for tests of what happens across processes and restarts.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const CLI = join(ROOT, 'src', 'main', 'cli', 'main.ts')

/** One `feedwatch serve` process. */
export interface ServeProcess {
  readonly child: ChildProcessWithoutNullStreams
  /** The first stdout line, printed once the lock is held and the profiles run; rejects on exit. */
  readonly url: Promise<string>
  readonly exit: Promise<{ code: number | null; signal: string | null; stderr: string }>
}

const children = new Set<ChildProcessWithoutNullStreams>()

/** Starts `feedwatch serve --port 0 --data-dir dataDir ...args`. */
export function startServe(dataDir: string, ...args: string[]): ServeProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CLI, 'serve', '--port', '0', '--data-dir', dataDir, ...args],
    { cwd: ROOT },
  )
  children.add(child)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exit = new Promise<{ code: number | null; signal: string | null; stderr: string }>(
    (resolve) =>
      child.on('close', (code, signal) => {
        children.delete(child)
        resolve({ code, signal, stderr })
      }),
  )
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      if (stdout.includes('\n')) resolve(stdout.split('\n')[0] ?? '')
    })
    void exit.then(() => reject(new Error(`exited before printing a URL; stderr:\n${stderr}`)))
  })
  // Tests of failed starts never ask for the URL.
  url.catch(() => undefined)
  return { child, url, exit }
}

/** Kills every serve process still running (for `afterEach`). */
export function killServeProcesses(): void {
  for (const child of children) child.kill('SIGKILL')
  children.clear()
}
