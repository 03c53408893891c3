import type { Writable } from 'node:stream'
import type { ParseArgsConfig } from 'node:util'
import { startDemoServer, type DemoServer } from '../demo/demo-server'
import { firstLine, parseStrictArgs } from './strict-args'
import { UsageError } from './usage-error'

/** One line for `feedwatch help`'s command list. */
export const DEMO_SERVER_SUMMARY =
  'serve made-up monitoring data as an SSE feed to try Feedwatch on'

/** Shown by `feedwatch demo-server --help`. */
export const DEMO_SERVER_USAGE = `Usage: feedwatch demo-server [options]

Serves made-up monitoring data as Server-Sent Events, for trying Feedwatch without a feed of your
own: "metrics" every 500 ms, now and then "deploy" and "incident". Prints the feed's URL as the first
line on stdout, then runs until SIGINT (Ctrl+C) or SIGTERM.

Options:
      --port N        TCP port to listen on (default: a free one)
      --host HOST     address to listen on (default 127.0.0.1: this machine only)
  -h, --help          show this help

Exit status: 0 when stopped by SIGINT or SIGTERM, 1 when it cannot listen, 2 for a usage error.
`

/** Status for a command line the user has to fix, as the rest of the CLI uses it. */
const EXIT_USAGE = 2
const EXIT_STOPPED = 0
const EXIT_FAILED = 1

const PREFIX = 'feedwatch demo-server'

/** What `feedwatch demo-server` was asked to do. */
export type DemoServerCommandLine =
  { readonly help: true } | { readonly help: false; readonly port: number; readonly host: string }

/** Where the command writes and which signals stop it; the process's own by default. */
export interface DemoServerIo {
  readonly stdout: Writable
  readonly stderr: Writable
  /** Emits SIGINT and SIGTERM (`process`, or an EventEmitter in tests). */
  readonly signals: SignalSource
}

/** The part of `process` that delivers the signals which stop the server. */
export interface SignalSource {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown
  off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown
}

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>

/**
 * Parses the arguments after `demo-server`.
 * @throws {@link UsageError} with a one-line message for anything the user has to fix.
 */
export function parseDemoServerArgs(argv: readonly string[]): DemoServerCommandLine {
  const { values } = parseStrictArgs(argv, OPTIONS, false)
  if (values.help === true) return { help: true }
  return {
    help: false,
    port: values.port === undefined ? 0 : parsePort(values.port),
    host: values.host === undefined ? '127.0.0.1' : parseHost(values.host),
  }
}

/**
 * Runs `feedwatch demo-server` (`argv` is what follows the command name): prints the feed's URL as
 * the first line on stdout and serves until SIGINT or SIGTERM. Resolves with the exit status: 0 once
 * stopped, 1 when the address cannot be listened on, 2 after a one-line usage error on stderr.
 */
export async function runDemoServerCommand(
  argv: readonly string[],
  io: DemoServerIo = { stdout: process.stdout, stderr: process.stderr, signals: process },
): Promise<number> {
  let commandLine: DemoServerCommandLine
  try {
    commandLine = parseDemoServerArgs(argv)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    io.stderr.write(`${PREFIX}: ${error.message}\n`)
    return EXIT_USAGE
  }
  if (commandLine.help) {
    io.stdout.write(DEMO_SERVER_USAGE)
    return EXIT_STOPPED
  }

  // Listen for the signals before starting, so one that arrives during start-up still stops cleanly.
  let onSignal = (): void => {}
  const stopped = new Promise<void>((resolve) => (onSignal = resolve))
  io.signals.on('SIGINT', onSignal)
  io.signals.on('SIGTERM', onSignal)
  // After the first signal the default action applies again: a second Ctrl+C ends the process.
  const stopListening = (): void => {
    io.signals.off('SIGINT', onSignal)
    io.signals.off('SIGTERM', onSignal)
  }
  void stopped.then(stopListening)

  let server: DemoServer
  try {
    server = await startDemoServer({ port: commandLine.port, host: commandLine.host })
  } catch (error) {
    stopListening()
    const where = `${commandLine.host}:${commandLine.port}`
    io.stderr.write(`${PREFIX}: cannot listen on ${where}: ${describeListenError(error)}\n`)
    return EXIT_FAILED
  }
  io.stdout.write(`${server.url}\n`)
  io.stderr.write(`${PREFIX}: serving made-up monitoring data; stop with Ctrl+C\n`)
  await stopped
  await server.close()
  return EXIT_STOPPED
}

/** ASCII digits only, 0 to 65535; 0 picks a free port. */
function parsePort(raw: string): number {
  const port = /^[0-9]{1,5}$/.test(raw) ? Number(raw) : NaN
  if (!(port <= 65_535)) {
    throw new UsageError(`--port: expected a whole number from 0 to 65535, got "${raw}"`)
  }
  return port
}

function parseHost(raw: string): string {
  if (raw === '' || /\s/.test(raw)) {
    throw new UsageError(`--host: expected a host name or IP address, got "${raw}"`)
  }
  return raw
}

function describeListenError(error: unknown): string {
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'EADDRINUSE':
      return 'the port is in use'
    case 'EACCES':
      return 'permission denied (ports below 1024 need privileges)'
    case 'EADDRNOTAVAIL':
      return 'this machine has no such address'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'unknown host'
    default:
      return firstLine(error)
  }
}
