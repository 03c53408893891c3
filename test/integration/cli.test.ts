import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeAll, describe, expect, test } from 'vitest'
import { openEventStream, readBody, startServer, type TestServer } from '../support/http-server'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const BIN = join(ROOT, 'bin', 'feedwatch.js')
const BUNDLE = join(ROOT, 'out', 'main', 'cli.js')

/** How long a test waits for the CLI to print a line or exit before it reports what it saw. */
const WAIT_MS = 8000

type Line = Record<string, unknown>

interface Finished {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  /** stdout parsed as NDJSON. */
  readonly lines: Line[]
}

/** A running `feedwatch` process. */
interface Cli {
  readonly child: ChildProcessWithoutNullStreams
  /** Resolves with the first stdout line (parsed) for which `match` is true. */
  waitForLine(match: (line: Line) => boolean): Promise<Line>
  /** Resolves when the process has exited and its output is complete. */
  readonly finished: Promise<Finished>
}

const running = new Set<ChildProcessWithoutNullStreams>()
let server: TestServer | undefined
let tempDir: string | undefined

beforeAll(() => {
  if (!existsSync(BUNDLE)) {
    throw new Error(`${BUNDLE} does not exist: run npm run build first (npm test builds it)`)
  }
})

afterEach(async () => {
  for (const child of running) child.kill('SIGKILL')
  running.clear()
  await server?.close()
  server = undefined
  if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true })
  tempDir = undefined
})

/** Starts `node bin/feedwatch.js ...args`. */
function feedwatch(...args: string[]): Cli {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT })
  running.add(child)
  let stdout = ''
  let stderr = ''
  const waiters: { match: (line: Line) => boolean; resolve: (line: Line) => void }[] = []
  let seen = 0
  child.stdout.setEncoding('utf8')
  child.stderr.setEncoding('utf8')
  child.stdout.on('data', (text: string) => {
    stdout += text
    const complete = stdout
      .slice(0, stdout.lastIndexOf('\n') + 1)
      .split('\n')
      .slice(0, -1)
    for (const raw of complete.slice(seen)) {
      if (waiters.length === 0) break
      const line = JSON.parse(raw) as Line
      for (const waiter of waiters.filter((w) => w.match(line))) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(line)
      }
    }
    seen = complete.length
  })
  child.stderr.on('data', (text: string) => (stderr += text))
  // Output streams can still hold data when 'exit' fires; 'close' waits for them.
  const finished = new Promise<Finished>((resolve) => {
    child.on('close', (code, signal) => {
      running.delete(child)
      resolve({
        code,
        signal,
        stdout,
        stderr,
        get lines() {
          return parseLines(stdout)
        },
      })
    })
  })
  const seenSoFar = () => `stdout:\n${stdout}\nstderr:\n${stderr}`
  return {
    child,
    finished: withTimeout(finished, 'the CLI to exit', seenSoFar),
    waitForLine: (match) =>
      withTimeout(
        new Promise<Line>((resolve) => {
          const already = parseLines(stdout).find(match)
          if (already !== undefined) resolve(already)
          else waiters.push({ match, resolve })
        }),
        'a matching line',
        seenSoFar,
      ),
  }
}

function parseLines(stdout: string): Line[] {
  return stdout
    .split('\n')
    .filter((raw) => raw !== '')
    .map((raw) => JSON.parse(raw) as Line)
}

function withTimeout<T>(
  promise: Promise<T>,
  what: string,
  seen: () => string,
  ms = WAIT_MS,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`waited ${ms} ms for ${what}\n${seen()}`)), ms)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error instanceof Error ? error : new Error(String(error)))
      },
    )
  })
}

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<string> {
  server = await startServer(handler)
  return `${server.origin}/events`
}

/** A stream that sends `body` and ends. */
async function serveStreamThatEnds(body: string): Promise<string> {
  return serve((_req, res) => {
    openEventStream(res)
    res.end(body)
  })
}

/** A stream that sends `body` and stays open. */
async function serveOpenStream(body: string): Promise<string> {
  return serve((_req, res) => {
    openEventStream(res)
    res.write(body)
  })
}

interface ReceivedRequest {
  readonly method: string | undefined
  readonly headers: IncomingMessage['headers']
  readonly body: string
}

/** Records every request, answering each with 204 so the CLI exits at once. */
async function serveRecording(): Promise<{ url: string; requests: ReceivedRequest[] }> {
  const requests: ReceivedRequest[] = []
  const url = await serve((req, res) => {
    void readBody(req).then((body) => {
      requests.push({ method: req.method, headers: req.headers, body })
      res.writeHead(204).end()
    })
  })
  return { url, requests }
}

const states = (lines: Line[]) => lines.filter((l) => l.type === 'state').map((l) => l.state)
const events = (lines: Line[]) => lines.filter((l) => l.type === 'event')

describe('output', () => {
  test('prints state lines and event lines as NDJSON with the README fields only', async () => {
    const url = await serveStreamThatEnds(
      'id: 1\nevent: cpu\ndata: {"cpu":0.31}\n\ndata: a\ndata: b\n\n',
    )
    const { code, lines, stderr } = await feedwatch('tail', '--no-reconnect', url).finished

    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(lines).toEqual([
      { type: 'state', state: 'connecting', at: expect.any(Number), attempt: 0 },
      { type: 'state', state: 'open', at: expect.any(Number), status: 200 },
      {
        type: 'event',
        event: 'cpu',
        id: '1',
        data: '{"cpu":0.31}',
        receivedAt: expect.any(Number),
      },
      { type: 'event', event: 'message', id: '1', data: 'a\nb', receivedAt: expect.any(Number) },
      { type: 'state', state: 'closed', at: expect.any(Number), reason: expect.any(String) },
    ])
  })

  test('fields appear in the README order', async () => {
    const url = await serveStreamThatEnds('id: 7\ndata: x\n\n')
    const { stdout } = await feedwatch('tail', '--no-reconnect', url).finished
    const [connecting, open, event] = stdout.split('\n')

    expect(connecting).toMatch(/^\{"type":"state","state":"connecting","at":\d+,"attempt":0\}$/)
    expect(open).toMatch(/^\{"type":"state","state":"open","at":\d+,"status":200\}$/)
    expect(event).toMatch(
      /^\{"type":"event","event":"message","id":"7","data":"x","receivedAt":\d+\}$/,
    )
  })

  test('a burst of thousands of events in one chunk is printed whole and in order', async () => {
    const count = 5000
    const body = Array.from({ length: count }, (_, i) => `id: ${i}\ndata: ${i}\n\n`).join('')
    const url = await serveStreamThatEnds(body)
    const { code, lines } = await feedwatch('tail', '--no-reconnect', url).finished

    expect(code).toBe(0)
    expect(events(lines).map((l) => l.data)).toEqual(
      Array.from({ length: count }, (_, i) => String(i)),
    )
  })
})

describe('requests', () => {
  test('-H headers, -X and -d body and --last-event-id arrive at the server', async () => {
    const { url, requests } = await serveRecording()
    const { code } = await feedwatch(
      'tail',
      '-H',
      'X-Team: ops',
      '--header',
      'Authorization: Bearer t0k3n',
      '-X',
      'PUT',
      '-d',
      '{"q":"cpu"}',
      '--last-event-id',
      '41',
      url,
    ).finished

    expect(code).toBe(0)
    expect(requests).toHaveLength(1)
    const [request] = requests
    expect(request?.method).toBe('PUT')
    expect(request?.body).toBe('{"q":"cpu"}')
    expect(request?.headers).toMatchObject({
      'x-team': 'ops',
      authorization: 'Bearer t0k3n',
      'last-event-id': '41',
      accept: 'text/event-stream',
    })
  })

  test('-d @file sends the file as the body of a POST', async () => {
    tempDir = await mkdtemp(join(tmpdir(), 'feedwatch-cli-'))
    const file = join(tempDir, 'request.json')
    await writeFile(file, '{\n  "prompt": "hello"\n}\n')
    const { url, requests } = await serveRecording()
    const { code } = await feedwatch('tail', '-d', `@${file}`, url).finished

    expect(code).toBe(0)
    expect(requests.map((r) => [r.method, r.body])).toEqual([
      ['POST', '{\n  "prompt": "hello"\n}\n'],
    ])
  })

  test('-d @file with a missing file is a usage error', async () => {
    const { url, requests } = await serveRecording()
    const { code, stdout, stderr } = await feedwatch('tail', '-d', '@/nonexistent/body.json', url)
      .finished

    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toBe(
      'feedwatch tail: --data: cannot read "/nonexistent/body.json": no such file\n',
    )
    expect(requests).toEqual([])
  })
})

describe('filtering and stopping', () => {
  test('--event prints only events of the given names', async () => {
    const url = await serveStreamThatEnds(
      'event: cpu\ndata: 1\n\nevent: mem\ndata: 2\n\nevent: alert\ndata: 3\n\ndata: 4\n\nevent: cpu\ndata: 5\n\n',
    )
    const { code, lines } = await feedwatch(
      'tail',
      '--no-reconnect',
      '--event',
      'cpu',
      '--event',
      'alert',
      url,
    ).finished

    expect(code).toBe(0)
    expect(events(lines).map((l) => [l.event, l.data])).toEqual([
      ['cpu', '1'],
      ['alert', '3'],
      ['cpu', '5'],
    ])
  })

  test('--max-events exits 0 after that many events, even mid-burst', async () => {
    const url = await serveOpenStream('data: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\n')
    const { code, lines, stderr } = await feedwatch('tail', '--max-events', '2', url).finished

    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(events(lines).map((l) => l.data)).toEqual(['1', '2'])
    expect(lines.at(-1)).toMatchObject({ type: 'state', state: 'closed' })
  })

  test('--max-events counts only the events --event lets through', async () => {
    const url = await serveOpenStream(
      'event: a\ndata: 1\n\nevent: b\ndata: 2\n\nevent: a\ndata: 3\n\n',
    )
    const { code, lines } = await feedwatch('tail', '--event', 'a', '--max-events', '2', url)
      .finished

    expect(code).toBe(0)
    expect(events(lines).map((l) => l.data)).toEqual(['1', '3'])
  })

  test('SIGTERM disconnects and exits 0 with a closed line', async () => {
    const url = await serveOpenStream('data: hello\n\n')
    const cli = feedwatch('tail', url)
    await cli.waitForLine((l) => l.type === 'event')
    cli.child.kill('SIGTERM')
    const { code, signal, lines, stderr } = await cli.finished

    expect(stderr).toBe('')
    expect([code, signal]).toEqual([0, null])
    expect(lines.at(-1)).toMatchObject({ type: 'state', state: 'closed', reason: 'disconnected' })
  })

  test('SIGINT disconnects and exits 0 with a closed line', async () => {
    const url = await serveOpenStream(': nothing yet\n\n')
    const cli = feedwatch('tail', url)
    await cli.waitForLine((l) => l.state === 'open')
    cli.child.kill('SIGINT')
    const { code, signal, lines } = await cli.finished

    expect([code, signal]).toEqual([0, null])
    expect(lines.at(-1)).toMatchObject({ type: 'state', state: 'closed', reason: 'disconnected' })
  })

  test('a reader that goes away (| head -1) ends the CLI quietly with exit 0', async () => {
    const url = await serve((_req, res) => {
      openEventStream(res)
      const timer = setInterval(() => res.write('data: tick\n\n'), 5)
      res.on('close', () => clearInterval(timer))
    })
    const cli = feedwatch('tail', url)
    await cli.waitForLine((l) => l.type === 'event')
    cli.child.stdout.destroy()
    const { code, signal, stderr } = await cli.finished

    expect(stderr).toBe('')
    expect([code, signal]).toEqual([0, null])
  })
})

describe('a slow reader', () => {
  /** 22 MB through a pipe read in fits and starts takes a while on a busy machine. */
  const SLOW_READER_WAIT_MS = 30_000

  test('holds the feed back instead of losing lines: every event is printed once, in order, and --max-events prints exactly N', async () => {
    // About 22 MB of output: more than any buffer on the way, so a reader that stops while the
    // server writes as fast as it can meets every bound between them.
    const count = 20_000
    const payload = 'x'.repeat(1000)
    let written = 0
    let blocked = false
    const url = await serve((_req, res) => {
      openEventStream(res)
      const writeMore = (): void => {
        while (written < count + 500) {
          const ok = res.write(`id: ${written}\ndata: ${written} ${payload}\n\n`)
          written++
          if (!ok) {
            blocked = true
            res.once('drain', () => {
              blocked = false
              writeMore()
            })
            return
          }
        }
      }
      writeMore()
    })
    const child = spawn(process.execPath, [BIN, 'tail', '--max-events', String(count), url], {
      cwd: ROOT,
    })
    running.add(child)
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text))

    // Nobody reads stdout yet: the pipe fills, tail stops reading the socket, and the server, held
    // back by TCP, stops writing long before the end.
    let stuckAt = -1
    await withTimeout(
      (async () => {
        while (!(blocked && written === stuckAt)) {
          stuckAt = blocked ? written : -1
          await new Promise((resolve) => setTimeout(resolve, 300))
        }
      })(),
      'the server to be held back',
      () => `written ${written}, blocked ${blocked}, stderr ${stderr}`,
      SLOW_READER_WAIT_MS,
    )
    expect(written).toBeLessThan(count)

    // Now read, but slowly: stop for a moment again and again.
    const chunks: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      if (chunks.length % 20 === 0) {
        child.stdout.pause()
        setTimeout(() => child.stdout.resume(), 20)
      }
    })
    const code = await withTimeout(
      exited,
      'the CLI to exit',
      () => `stderr ${stderr}`,
      SLOW_READER_WAIT_MS,
    )
    const lines = parseLines(Buffer.concat(chunks).toString('utf8'))

    expect(stderr).toBe('')
    expect(code).toBe(0)
    const printed = events(lines).map((line) => line.id)
    expect(printed).toHaveLength(count)
    expect(printed).toEqual(Array.from({ length: count }, (_, i) => String(i)))
    expect(events(lines).every((line, i) => line.data === `${i} ${payload}`)).toBe(true)
    expect(lines.at(-1)).toMatchObject({ type: 'state', state: 'closed', reason: 'disconnected' })
  }, 60_000)
})

describe('outcomes', () => {
  test('204 exits 0 with a closed line', async () => {
    const url = await serve((_req, res) => res.writeHead(204).end())
    const { code, lines, stderr } = await feedwatch('tail', url).finished

    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(states(lines)).toEqual(['connecting', 'closed'])
  })

  test('404 exits 1 with a failed line carrying the status and the reason', async () => {
    const url = await serve((_req, res) => res.writeHead(404).end('no such feed'))
    const { code, lines, stderr } = await feedwatch('tail', url).finished

    expect(code).toBe(1)
    expect(states(lines)).toEqual(['connecting', 'failed'])
    const failed = lines.at(-1)
    expect(failed).toMatchObject({ status: 404, reason: expect.stringContaining('no such feed') })
    expect(Object.keys(failed ?? {})).toEqual(['type', 'state', 'at', 'status', 'reason'])
    expect(stderr).toMatch(/^feedwatch tail: failed: .*no such feed.*\n$/)
  })

  test('--no-reconnect with a stream that ends exits 0 with a closed line', async () => {
    const url = await serveStreamThatEnds('data: last\n\n')
    const { code, lines } = await feedwatch('tail', '--no-reconnect', url).finished

    expect(code).toBe(0)
    expect(states(lines)).toEqual(['connecting', 'open', 'closed'])
  })

  test('a stream that keeps ending is retried with reconnecting lines until it fails', async () => {
    let requests = 0
    const url = await serve((_req, res) => {
      requests += 1
      openEventStream(res)
      res.end(': bye\n\n')
    })
    const { code, lines } = await feedwatch(
      'tail',
      '--reconnect-delay',
      '20',
      '--max-reconnect-attempts',
      '2',
      url,
    ).finished

    expect(code).toBe(1)
    expect(requests).toBe(3)
    const reconnecting = lines.filter((l) => l.state === 'reconnecting')
    expect(reconnecting).toEqual([
      {
        type: 'state',
        state: 'reconnecting',
        at: expect.any(Number),
        attempt: 1,
        maxAttempts: 2,
        delayMs: expect.any(Number),
        reason: expect.any(String),
      },
      {
        type: 'state',
        state: 'reconnecting',
        at: expect.any(Number),
        attempt: 2,
        maxAttempts: 2,
        delayMs: expect.any(Number),
        reason: expect.any(String),
      },
    ])
    // base × 2^(n−1) with ±20% jitter
    const [first, second] = reconnecting.map((l) => l.delayMs as number)
    expect(first).toBeGreaterThanOrEqual(16)
    expect(first).toBeLessThanOrEqual(24)
    expect(second).toBeGreaterThanOrEqual(32)
    expect(second).toBeLessThanOrEqual(48)
    expect(lines.at(-1)).toMatchObject({ type: 'state', state: 'failed' })
  })

  test('an id with a control character is printed, and the reconnect goes without Last-Event-ID with a notice', async () => {
    const requests: (string | string[] | undefined)[] = []
    const url = await serve((req, res) => {
      requests.push(req.headers['last-event-id'])
      if (requests.length > 1) return void res.writeHead(204).end()
      openEventStream(res)
      res.end('id: a\u0001b\ndata: one\n\n')
    })
    const { code, lines, stderr } = await feedwatch('tail', '--reconnect-delay', '0', url).finished

    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(events(lines).map((l) => l.id)).toEqual(['a\u0001b'])
    expect(lines.filter((l) => l.state === 'connecting')[1]).toEqual({
      type: 'state',
      state: 'connecting',
      at: expect.any(Number),
      attempt: 1,
      notice:
        'Last-Event-ID not sent: the last event ID contains the control character U+0001 at position 2',
    })
    expect(requests).toEqual([undefined, undefined])
  })

  test('a reconnecting line after a 503 carries the status', async () => {
    let requests = 0
    const url = await serve((_req, res) => {
      requests += 1
      if (requests === 1) res.writeHead(503).end('busy')
      else res.writeHead(204).end()
    })
    const { code, lines } = await feedwatch('tail', '--reconnect-delay', '10', url).finished

    expect(code).toBe(0)
    expect(lines.find((l) => l.state === 'reconnecting')).toMatchObject({
      attempt: 1,
      maxAttempts: 5,
      status: 503,
    })
  })

  test('--max-reconnect-attempts unlimited is printed as "unlimited"', async () => {
    let requests = 0
    const url = await serve((req, res) => {
      requests += 1
      if (requests < 3) req.socket.destroy()
      else res.writeHead(204).end()
    })
    const { code, lines } = await feedwatch(
      'tail',
      '--reconnect-delay',
      '10',
      '--max-reconnect-attempts',
      'unlimited',
      url,
    ).finished

    expect(code).toBe(0)
    expect(lines.filter((l) => l.state === 'reconnecting').map((l) => l.maxAttempts)).toEqual([
      'unlimited',
      'unlimited',
    ])
  })
})

describe('usage errors', () => {
  test('a bad URL exits 2 with one line on stderr and nothing on stdout', async () => {
    const { code, stdout, stderr } = await feedwatch('tail', 'ftp://example.com/feed').finished

    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toBe(
      'feedwatch tail: URL: expected an http or https URL, got "ftp://example.com/feed"\n',
    )
  })

  test('an unknown option exits 2 with one line on stderr and nothing on stdout', async () => {
    const { code, stdout, stderr } = await feedwatch('tail', '--bogus', 'http://127.0.0.1:1/')
      .finished

    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toBe('feedwatch tail: --bogus: unknown option\n')
  })

  test('a bad number exits 2 naming the option', async () => {
    const { code, stderr } = await feedwatch(
      'tail',
      '--max-reconnect-attempts',
      'abc',
      'http://127.0.0.1:1/',
    ).finished

    expect(code).toBe(2)
    expect(stderr).toBe(
      'feedwatch tail: --max-reconnect-attempts: expected a whole number or "unlimited", got "abc"\n',
    )
  })

  test('options the engine refuses exit 2 naming the option', async () => {
    const { code, stdout, stderr } = await feedwatch('tail', '-X', 'CONNECT', 'http://127.0.0.1:1/')
      .finished

    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toBe('feedwatch tail: --method: CONNECT cannot open an event stream\n')
  })

  test('a header value with a control character exits 2 with one line naming the header', async () => {
    const { code, stdout, stderr } = await feedwatch(
      'tail',
      '-H',
      'X-A: a\u0001b',
      'http://127.0.0.1:1/',
    ).finished

    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toBe(
      'feedwatch tail: --header "X-A": the value contains the control character U+0001 at position 2\n',
    )
  })

  test('a last event ID with a control character exits 2 with one line', async () => {
    const { code, stdout, stderr } = await feedwatch(
      'tail',
      '--last-event-id',
      'a\u0001b',
      'http://127.0.0.1:1/',
    ).finished

    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toBe(
      'feedwatch tail: --last-event-id: contains the control character U+0001 at position 2, so it cannot be sent as Last-Event-ID\n',
    )
  })

  test('an unknown command exits 2 with one line on stderr', async () => {
    const { code, stdout, stderr } = await feedwatch('follow', 'http://127.0.0.1:1/').finished

    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toBe('feedwatch: unknown command "follow"; see "feedwatch help"\n')
  })

  test('no command at all exits 2 with one line on stderr', async () => {
    const { code, stderr } = await feedwatch().finished

    expect(code).toBe(2)
    expect(stderr.split('\n')).toHaveLength(2)
  })
})

describe('help', () => {
  test('feedwatch help lists the commands on stdout', async () => {
    const { code, stdout, stderr } = await feedwatch('help').finished

    expect(code).toBe(0)
    expect(stderr).toBe('')
    expect(stdout).toMatch(/^Usage: feedwatch <command>/)
    expect(stdout).toMatch(/^ {2}tail /m)
  })

  test('--help and -h print the same as help', async () => {
    const expected = (await feedwatch('help').finished).stdout

    expect((await feedwatch('--help').finished).stdout).toBe(expected)
    expect((await feedwatch('-h').finished).stdout).toBe(expected)
  })

  test('tail --help prints the options of tail', async () => {
    const { code, stdout } = await feedwatch('tail', '--help').finished

    expect(code).toBe(0)
    expect(stdout).toMatch(/^Usage: feedwatch tail \[options\] URL/)
    expect(stdout).toContain('--max-reconnect-attempts')
  })

  test('help tail prints the same as tail --help', async () => {
    expect((await feedwatch('help', 'tail').finished).stdout).toBe(
      (await feedwatch('tail', '--help').finished).stdout,
    )
  })
})
