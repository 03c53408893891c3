/**
 * `feedwatch <command> [options]`: the command line entry point, bundled into out/main/cli.js and
 * started by bin/feedwatch.js. Runs under plain Node; nothing here may import electron.
 */
import { DEMO_SERVER_SUMMARY, DEMO_SERVER_USAGE, runDemoServerCommand } from './demo-server-command'
import { runServeCommand, SERVE_SUMMARY, SERVE_USAGE } from './serve-command'
import { runTail } from './tail'
import { parseTailArgs, TAIL_USAGE } from './tail-options'
import { UsageError } from './usage-error'

/** Status for a command line the user has to fix. */
const EXIT_USAGE = 2

/** One `feedwatch` command. */
interface Command {
  /** One line for the command list. */
  readonly summary: string
  /** What `feedwatch <command> --help` prints. */
  readonly usage: string
  /** Runs with the arguments after the command name; resolves with the exit status. */
  run(argv: readonly string[]): Promise<number>
}

/** Every command, by name. */
const COMMANDS: ReadonlyMap<string, Command> = new Map([
  [
    'tail',
    {
      summary: "print one feed's states and events as JSON lines",
      usage: TAIL_USAGE,
      run: async (argv) => {
        const commandLine = parseTailArgs(argv)
        if (commandLine.help) {
          process.stdout.write(TAIL_USAGE)
          return 0
        }
        return runTail(commandLine)
      },
    },
  ],
  ['serve', { summary: SERVE_SUMMARY, usage: SERVE_USAGE, run: runServeCommand }],
  [
    'demo-server',
    { summary: DEMO_SERVER_SUMMARY, usage: DEMO_SERVER_USAGE, run: runDemoServerCommand },
  ],
])

function usage(): string {
  const width = Math.max(...[...COMMANDS.keys(), 'help'].map((name) => name.length)) + 2
  const rows = [...COMMANDS].map(([name, command]) => `  ${name.padEnd(width)}${command.summary}`)
  return [
    'Usage: feedwatch <command> [options]',
    '',
    'Commands:',
    ...rows,
    `  ${'help'.padEnd(width)}show this help, or a command's with "feedwatch help <command>"`,
    '',
    'Run "feedwatch <command> --help" for the options of a command.',
    '',
  ].join('\n')
}

/** Runs the command line; resolves with the exit status. Usage errors print one line on stderr. */
async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined) return usageError('feedwatch', 'missing command; see "feedwatch help"')
  if (name === '--help' || name === '-h') return help(rest[0])
  if (name === 'help') return help(rest[0])
  const command = COMMANDS.get(name)
  if (command === undefined) {
    const what = name.startsWith('-') ? `${name}: unknown option` : `unknown command "${name}"`
    return usageError('feedwatch', `${what}; see "feedwatch help"`)
  }
  try {
    return await command.run(rest)
  } catch (error) {
    if (error instanceof UsageError) return usageError(`feedwatch ${name}`, error.message)
    throw error
  }
}

function help(commandName: string | undefined): number {
  if (commandName === undefined) {
    process.stdout.write(usage())
    return 0
  }
  const command = COMMANDS.get(commandName)
  if (command === undefined) {
    return usageError('feedwatch', `unknown command "${commandName}"; see "feedwatch help"`)
  }
  process.stdout.write(command.usage)
  return 0
}

function usageError(prefix: string, message: string): number {
  process.stderr.write(`${prefix}: ${message}\n`)
  return EXIT_USAGE
}

/**
 * Once the command is done the process should end by itself. Should anything still hold the event
 * loop open (a timer or socket the engine failed to release), end it after a grace period rather
 * than hang a script; the timer is unref'd, so a process that is really done never waits for it.
 */
function exitWhenIdle(status: number): void {
  setTimeout(function check() {
    // Never cut off output a slow reader has not taken yet.
    if (process.stdout.writableLength > 0) {
      setTimeout(check, 200).unref()
      return
    }
    process.stderr.write('feedwatch: still busy after finishing; exiting\n')
    process.exit(status)
  }, 2000).unref()
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status
    exitWhenIdle(status)
  },
  (error: unknown) => {
    process.stderr.write(
      `feedwatch: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    )
    process.exitCode = 1
    exitWhenIdle(1)
  },
)
