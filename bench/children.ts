/**
 * The parent's end of "run one measurement in a fresh process" (the child's end is
 * `child-report.ts`): {@link startChild} forks a bundled bench script and tracks it, {@link runChild}
 * waits for its one report within a deadline. Every child is killed when the parent exits, is
 * interrupted, or gives up on it: nothing outlives the benchmark.
 */
import { fork, type ChildProcess } from 'node:child_process'
import type { ChildReport } from './child-report'

const live = new Set<ChildProcess>()

/** Kills every child still running. Safe to call more than once, and from an `exit` handler. */
export function killAllChildren(): void {
  for (const child of live) child.kill('SIGKILL')
  live.clear()
}

let cleanupInstalled = false

function installCleanup(): void {
  if (cleanupInstalled) return
  cleanupInstalled = true
  process.on('exit', killAllChildren)
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.on(signal, () => {
      killAllChildren()
      process.exit(code)
    })
  }
}

/**
 * Node flags of this process minus the tsx loader: the children run plain bundled JavaScript, but
 * keep flags given for the whole run (`--cpu-prof`, `--cpu-prof-dir=…`, `--max-old-space-size=…`).
 */
function inheritedNodeFlags(): string[] {
  const flags: string[] = []
  const argv = process.execArgv
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!
    const takesValue = ['--import', '--require', '-r', '--loader', '--experimental-loader']
    if (takesValue.includes(flag) && (argv[i + 1] ?? '').includes('tsx')) {
      i++
      continue
    }
    if (/^--(import|require|loader|experimental-loader)=.*tsx/.test(flag)) continue
    flags.push(flag)
  }
  return flags
}

/** Forks `script` (an absolute path to a bundled bench script) with `task` as JSON in argv[2]. */
export function startChild(
  script: string,
  task: unknown,
  extraNodeFlags: readonly string[] = [],
): ChildProcess {
  installCleanup()
  const child = fork(script, [JSON.stringify(task)], {
    execArgv: [...inheritedNodeFlags(), ...extraNodeFlags],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  live.add(child)
  child.once('exit', () => live.delete(child))
  return child
}

/** Resolves with the child's first message; rejects if it exits first or `timeoutMs` passes. */
export function firstMessage<T>(child: ChildProcess, label: string, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup()
      child.kill('SIGKILL')
      reject(new Error(`${label}: no report within ${timeoutMs} ms`))
    }, timeoutMs)
    const onMessage = (message: unknown): void => {
      cleanup()
      resolve(message as T)
    }
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      cleanup()
      reject(new Error(`${label}: exited (${signal ?? `code ${code}`}) before reporting`))
    }
    const onError = (error: Error): void => {
      cleanup()
      child.kill('SIGKILL')
      reject(new Error(`${label}: ${error.message}`))
    }
    const cleanup = (): void => {
      clearTimeout(timer)
      child.off('message', onMessage)
      child.off('exit', onExit)
      child.off('error', onError)
    }
    child.on('message', onMessage)
    child.once('exit', onExit)
    child.once('error', onError)
  })
}

/** Forks a measurement child, waits for its report within `timeoutMs`, and makes sure it is gone. */
export async function runChild<T>(
  script: string,
  task: unknown,
  options: {
    readonly label: string
    readonly timeoutMs: number
    readonly nodeFlags?: readonly string[]
  },
): Promise<T> {
  const child = startChild(script, task, options.nodeFlags)
  try {
    const report = await firstMessage<ChildReport<T>>(child, options.label, options.timeoutMs)
    if (!report.ok) throw new Error(`${options.label}: ${report.error}`)
    return report.value
  } finally {
    await stopChild(child)
  }
}

/** How long a child may take to exit (and write a `--cpu-prof` profile) before it is killed. */
const EXIT_GRACE_MS = 5_000

/**
 * Asks `child` to finish (by closing its IPC channel, which every bench child treats as "exit now")
 * and resolves once it has exited, killing it if it has not within `graceMs`.
 */
export function stopChild(child: ChildProcess, graceMs = EXIT_GRACE_MS): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  if (child.connected) child.disconnect()
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}
