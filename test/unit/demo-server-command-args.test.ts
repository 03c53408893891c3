import { EventEmitter } from 'node:events'
import { PassThrough } from 'node:stream'
import { expect, test } from 'vitest'
import {
  DEMO_SERVER_USAGE,
  parseDemoServerArgs,
  runDemoServerCommand,
  type DemoServerIo,
} from '../../src/main/cli/demo-server-command'

/** Runs the command with captured output; for command lines that end before a server starts. */
async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough({ encoding: 'utf8' })
  const stderr = new PassThrough({ encoding: 'utf8' })
  let out = ''
  let err = ''
  stdout.on('data', (text: string) => (out += text))
  stderr.on('data', (text: string) => (err += text))
  const io: DemoServerIo = { stdout, stderr, signals: new EventEmitter() }
  const code = await runDemoServerCommand(argv, io)
  return { code, stdout: out, stderr: err }
}

test('no options: a free port on 127.0.0.1', () => {
  expect(parseDemoServerArgs([])).toEqual({ help: false, port: 0, host: '127.0.0.1' })
})

test('--port and --host are taken, also as --name=value', () => {
  expect(parseDemoServerArgs(['--port', '8080', '--host=0.0.0.0'])).toEqual({
    help: false,
    port: 8080,
    host: '0.0.0.0',
  })
})

test('--help and -h ask for help', () => {
  expect(parseDemoServerArgs(['--help'])).toEqual({ help: true })
  expect(parseDemoServerArgs(['-h'])).toEqual({ help: true })
})

test('--help prints the usage on stdout and exits 0', async () => {
  expect(await run('--help')).toEqual({ code: 0, stdout: DEMO_SERVER_USAGE, stderr: '' })
})

test.each([
  [['--port', 'abc'], '--port: expected a whole number from 0 to 65535, got "abc"'],
  [['--port', '65536'], '--port: expected a whole number from 0 to 65535, got "65536"'],
  [
    ['--port', '-1'],
    '--port: expected a value, got the option-like "-1" (write --port=-1 if it is the value)',
  ],
  [['--port=-1'], '--port: expected a whole number from 0 to 65535, got "-1"'],
  [['--port=8.5'], '--port: expected a whole number from 0 to 65535, got "8.5"'],
  [['--port'], '--port: expected a value'],
  [['--host='], '--host: expected a host name or IP address, got ""'],
  [['--verbose'], '--verbose: unknown option'],
  [['--help=yes'], '--help: takes no value'],
  [['extra'], 'unexpected argument "extra"'],
])('%j is a usage error: one line on stderr, exit 2', async (argv, message) => {
  expect(await run(...argv)).toEqual({
    code: 2,
    stdout: '',
    stderr: `feedwatch demo-server: ${message}\n`,
  })
})
