import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, expect, test } from 'vitest'
import { startDemoServer, type DemoServer } from '../../src/main/demo/demo-server'
import { disconnectAll, watchConnection } from '../support/connection-probe'
import { refusingOrigin } from '../support/http-server'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const COMMAND = fileURLToPath(new URL('../../src/main/cli/demo-server-command.ts', import.meta.url))
/** Runs the command as main.ts will, with the arguments after `--`, straight from source. */
const SCRIPT = `require(${JSON.stringify(COMMAND)})
  .runDemoServerCommand(process.argv.slice(1))
  .then((code) => { process.exitCode = code })`
/** How long a test waits for the command to print or exit. */
const WAIT_MS = 10_000

interface Finished {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

interface Command {
  readonly child: ChildProcessWithoutNullStreams
  /** Resolves with the first line on stdout. */
  readonly firstLine: Promise<string>
  /** Resolves once the process has exited by itself, with all its output. */
  readonly finished: Promise<Finished>
}

const running = new Set<ChildProcessWithoutNullStreams>()
const servers: DemoServer[] = []

afterEach(async () => {
  disconnectAll()
  for (const child of running) child.kill('SIGKILL')
  running.clear()
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

/** Starts `feedwatch demo-server ...args` from source under tsx. */
function demoServer(...args: string[]): Command {
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', SCRIPT, '--', ...args], {
    cwd: ROOT,
  })
  running.add(child)
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8')
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (text: string) => (stderr += text))
  const seen = (): string => `stdout:\n${stdout}\nstderr:\n${stderr}`
  const firstLine = new Promise<string>((resolve) => {
    child.stdout.on('data', (text: string) => {
      stdout += text
      const end = stdout.indexOf('\n')
      if (end !== -1) resolve(stdout.slice(0, end))
    })
  })
  const finished = new Promise<Finished>((resolve) => {
    // 'close' waits for the output streams, which may still hold data at 'exit'.
    child.on('close', (code, signal) => {
      running.delete(child)
      resolve({ code, signal, stdout, stderr })
    })
  })
  return {
    child,
    firstLine: withTimeout(firstLine, 'the first line on stdout', seen),
    finished: withTimeout(finished, 'the command to exit', seen),
  }
}

function withTimeout<T>(promise: Promise<T>, what: string, seen: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`waited ${WAIT_MS} ms for ${what}\n${seen()}`)),
      WAIT_MS,
    )
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

test.each(['SIGTERM', 'SIGINT'] as const)(
  'prints the feed URL first, serves it, and exits 0 on %s',
  async (signal) => {
    const command = demoServer()
    const url = await command.firstLine
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/events$/)
    const feed = watchConnection({ url })
    feed.connection.connect()
    const [event] = await feed.waitForEvents(1)
    expect(event?.event).toBe('metrics')

    command.child.kill(signal)
    // Exiting at all shows close() left no timer or socket behind: nothing calls process.exit.
    const { code, stderr } = await command.finished
    expect(code, stderr).toBe(0)
  },
)

test('--port N listens on port N', async () => {
  const port = Number(new URL(await refusingOrigin()).port)
  const command = demoServer('--port', String(port))
  expect(await command.firstLine).toBe(`http://127.0.0.1:${port}/events`)
  command.child.kill('SIGTERM')
  expect((await command.finished).code).toBe(0)
})

test('a bad --port exits 2 with one line on stderr', async () => {
  const { code, stdout, stderr } = await demoServer('--port', 'eighty').finished
  expect(code).toBe(2)
  expect(stdout).toBe('')
  expect(stderr).toBe(
    'feedwatch demo-server: --port: expected a whole number from 0 to 65535, got "eighty"\n',
  )
})

test('a port in use exits 1 with one line on stderr', async () => {
  const taken = await startDemoServer()
  servers.push(taken)
  const { code, stdout, stderr } = await demoServer('--port', String(taken.port)).finished
  expect(code).toBe(1)
  expect(stdout).toBe('')
  expect(stderr).toBe(
    `feedwatch demo-server: cannot listen on 127.0.0.1:${taken.port}: the port is in use\n`,
  )
})
