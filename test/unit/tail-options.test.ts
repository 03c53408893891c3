import { describe, expect, test } from 'vitest'
import {
  parseTailArgs,
  type TailCommandLine,
  type TailOptions,
} from '../../src/main/cli/tail-options'
import { UsageError } from '../../src/main/cli/usage-error'

const URL = 'http://127.0.0.1:8080/events'
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'

/** A file system of a few files; anything else is missing, as readFileSync would report it. */
function files(contents: Record<string, string>): (path: string) => string {
  return (path) => {
    const text = contents[path]
    if (text !== undefined) return text
    throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), {
      code: 'ENOENT',
    })
  }
}

function parse(argv: string[], contents: Record<string, string> = {}): TailOptions {
  const result: TailCommandLine = parseTailArgs(argv, { readTextFile: files(contents) })
  if (result.help) throw new Error('expected options, got a request for help')
  return result
}

/** The one-line message of the UsageError that parsing `argv` throws. */
function usageError(argv: string[], contents: Record<string, string> = {}): string {
  try {
    parseTailArgs(argv, { readTextFile: files(contents) })
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError)
    const message = (error as UsageError).message
    expect(message).not.toContain('\n')
    return message
  }
  throw new Error(`expected a usage error for ${JSON.stringify(argv)}`)
}

describe('the URL', () => {
  test('a plain URL gives options with nothing but the URL', () => {
    expect(parse([URL])).toEqual({
      help: false,
      connection: { url: URL },
      events: [],
      maxEvents: undefined,
    })
  })

  test('an https URL is accepted', () => {
    expect(parse(['https://example.com/sse']).connection.url).toBe('https://example.com/sse')
  })

  test('the URL may come after the options', () => {
    expect(parse(['--no-reconnect', URL]).connection).toEqual({ url: URL, autoReconnect: false })
  })

  test('a missing URL is a usage error', () => {
    expect(usageError([])).toBe('URL: missing the feed URL')
  })

  test('a relative URL is a usage error', () => {
    expect(usageError(['/events'])).toBe(
      'URL: expected an absolute http or https URL, got "/events"',
    )
  })

  test('a URL that is not http or https is a usage error', () => {
    expect(usageError(['ftp://example.com/x'])).toBe(
      'URL: expected an http or https URL, got "ftp://example.com/x"',
    )
  })

  test('a second positional argument is a usage error', () => {
    expect(usageError([URL, 'extra'])).toBe('unexpected argument "extra" after the URL')
  })
})

describe('help', () => {
  test('--help asks for help', () => {
    expect(parseTailArgs(['--help'])).toEqual({ help: true })
  })

  test('-h asks for help even without a URL', () => {
    expect(parseTailArgs(['-h'])).toEqual({ help: true })
  })
})

describe('headers', () => {
  test('-H and --header add request headers, trimmed around the value', () => {
    expect(
      parse(['-H', 'Authorization: Bearer x', '--header', 'X-Team:ops ', URL]).connection,
    ).toEqual({ url: URL, headers: { Authorization: 'Bearer x', 'X-Team': 'ops' } })
  })

  test('a value may contain colons', () => {
    expect(parse(['-H', 'X-Time: 12:30:00', URL]).connection.headers).toEqual({
      'X-Time': '12:30:00',
    })
  })

  test('an empty value is allowed', () => {
    expect(parse(['-H', 'X-Empty:', URL]).connection.headers).toEqual({ 'X-Empty': '' })
  })

  test('a name given twice in any case is sent once with both values joined', () => {
    expect(parse(['-H', 'X-Tag: a', '-H', 'x-tag: b', URL]).connection.headers).toEqual({
      'X-Tag': 'a, b',
    })
  })

  test('a header without a colon is a usage error', () => {
    expect(usageError(['-H', 'Authorization Bearer x', URL])).toBe(
      '--header: expected "Name: value", got "Authorization Bearer x" (no colon)',
    )
  })

  test('a header with an invalid name is a usage error', () => {
    expect(usageError(['-H', 'Bad Name: x', URL])).toBe(
      '--header: "Bad Name": a header name may hold only letters, digits and !#$%&\'*+-.^_`|~',
    )
  })

  test('a header with an empty name is a usage error', () => {
    expect(usageError(['-H', ': x', URL])).toBe('--header: "": a header name cannot be empty')
  })

  test('a header value with a control character is a usage error naming the header', () => {
    expect(usageError(['-H', 'X-A: a\u0001b', URL])).toBe(
      '--header "X-A": the value contains the control character U+0001 at position 2',
    )
    expect(usageError(['-H', 'X-A: a\u007fb', URL])).toBe(
      '--header "X-A": the value contains the control character U+007F at position 2',
    )
  })

  test('a control character in a header name or a header without a colon is shown escaped', () => {
    expect(usageError(['-H', 'X\u001b[31m: x', URL])).toBe(
      '--header: "X\\u001b[31m": a header name may hold only letters, digits and !#$%&\'*+-.^_`|~',
    )
    expect(usageError(['-H', 'X-A\u0001', URL])).toBe(
      '--header: expected "Name: value", got "X-A\\u0001" (no colon)',
    )
  })

  test('a header value with a tab or characters beyond ASCII is accepted', () => {
    expect(parse(['-H', 'X-A: a\tb ü €', URL]).connection.headers).toEqual({ 'X-A': 'a\tb ü €' })
  })
})

describe('method and body', () => {
  test('-X sets the method', () => {
    expect(parse(['-X', 'PUT', URL]).connection).toEqual({ url: URL, method: 'PUT' })
  })

  test('-d without -X sends the body with POST', () => {
    expect(parse(['-d', '{"q":1}', URL]).connection).toEqual({
      url: URL,
      method: 'POST',
      body: '{"q":1}',
    })
  })

  test('-d with -X keeps the given method', () => {
    expect(parse(['-X', 'PATCH', '--data', 'x', URL]).connection).toMatchObject({
      method: 'PATCH',
      body: 'x',
    })
  })

  test('an empty -d still sends a POST with an empty body', () => {
    expect(parse(['-d', '', URL]).connection).toMatchObject({ method: 'POST', body: '' })
  })

  test('-d @file sends the file as it is, newlines included', () => {
    const body = '{\n  "prompt": "hi"\n}\n'
    expect(parse(['-d', '@req.json', URL], { 'req.json': body }).connection).toMatchObject({
      method: 'POST',
      body,
    })
  })

  test('-d @file with a missing file is a usage error', () => {
    expect(usageError(['-d', '@missing.json', URL])).toBe(
      '--data: cannot read "missing.json": no such file',
    )
  })

  test('-d @ without a file name is a usage error', () => {
    expect(usageError(['-d', '@', URL])).toBe('--data: expected a file name after "@"')
  })

  test('a body with -X GET is a usage error', () => {
    expect(usageError(['-X', 'GET', '-d', 'x', URL])).toBe(
      '--data: a GET request cannot have a body',
    )
  })

  test('a body with -X head is a usage error', () => {
    expect(usageError(['-X', 'head', '-d', 'x', URL])).toBe(
      '--data: a HEAD request cannot have a body',
    )
  })

  test('a method with a space is a usage error', () => {
    expect(usageError(['-X', 'GET X', URL])).toBe('--method: "GET X" is not a valid HTTP method')
  })

  test('a body that starts with a dash needs the = form', () => {
    expect(usageError(['-d', '-x', URL])).toBe(
      '--data: expected a value, got the option-like "-x" (write --data=-x if it is the value)',
    )
    expect(parse(['--data=-x', URL]).connection.body).toBe('-x')
  })
})

describe('last event ID', () => {
  test('--last-event-id sets the ID to resume from', () => {
    expect(parse(['--last-event-id', '41', URL]).connection).toEqual({
      url: URL,
      lastEventId: '41',
    })
  })

  test('a non-ASCII last event ID is kept as given', () => {
    expect(parse(['--last-event-id', 'é-7', URL]).connection.lastEventId).toBe('é-7')
  })

  test('a last event ID with a line break is a usage error', () => {
    expect(usageError(['--last-event-id', 'a\nb', URL])).toBe(
      '--last-event-id: contains the control character U+000A at position 2, so it cannot be sent as Last-Event-ID',
    )
  })

  test('a last event ID with a control character is a usage error', () => {
    expect(usageError(['--last-event-id', 'a\u0001b', URL])).toBe(
      '--last-event-id: contains the control character U+0001 at position 2, so it cannot be sent as Last-Event-ID',
    )
  })
})

describe('reconnect policy', () => {
  test('every reconnect option reaches the connection options', () => {
    const argv = [
      '--reconnect-delay',
      '250',
      '--max-reconnect-attempts',
      '3',
      '--max-reconnect-delay',
      '4000',
      '--stale-timeout',
      '0',
      URL,
    ]
    expect(parse(argv).connection).toEqual({
      url: URL,
      reconnectDelay: 250,
      maxReconnectAttempts: 3,
      maxReconnectDelay: 4000,
      staleTimeout: 0,
    })
  })

  test('--no-reconnect turns automatic reconnection off', () => {
    expect(parse(['--no-reconnect', URL]).connection.autoReconnect).toBe(false)
  })

  test('without --no-reconnect the engine default is left alone', () => {
    expect(parse([URL]).connection).not.toHaveProperty('autoReconnect')
  })

  test('--no-reconnect takes no value', () => {
    expect(usageError(['--no-reconnect=yes', URL])).toBe('--no-reconnect: takes no value')
  })

  test('--max-reconnect-attempts accepts "unlimited"', () => {
    expect(
      parse(['--max-reconnect-attempts', 'unlimited', URL]).connection.maxReconnectAttempts,
    ).toBe('unlimited')
  })

  test('--max-reconnect-attempts accepts 0', () => {
    expect(parse(['--max-reconnect-attempts', '0', URL]).connection.maxReconnectAttempts).toBe(0)
  })

  test('--max-reconnect-attempts with letters is a usage error', () => {
    expect(usageError(['--max-reconnect-attempts', 'abc', URL])).toBe(
      '--max-reconnect-attempts: expected a whole number or "unlimited", got "abc"',
    )
  })

  test('a fractional delay is a usage error', () => {
    expect(usageError(['--reconnect-delay', '1.5', URL])).toBe(
      '--reconnect-delay: expected a whole number of milliseconds, got "1.5"',
    )
  })

  test('a negative delay is a usage error', () => {
    expect(usageError(['--reconnect-delay=-5', URL])).toBe(
      '--reconnect-delay: expected a whole number of milliseconds, got "-5"',
    )
  })

  test('a delay written with an exponent is a usage error', () => {
    expect(usageError(['--max-reconnect-delay', '1e3', URL])).toBe(
      '--max-reconnect-delay: expected a whole number of milliseconds, got "1e3"',
    )
  })

  test('a delay longer than a Node timer can wait is a usage error', () => {
    expect(usageError(['--stale-timeout', '2147483648', URL])).toBe(
      '--stale-timeout: expected at most 2147483647 ms, got "2147483648"',
    )
  })

  test('the longest delay a Node timer can wait is accepted', () => {
    expect(parse(['--stale-timeout', '2147483647', URL]).connection.staleTimeout).toBe(2147483647)
  })

  test('an empty delay is a usage error', () => {
    expect(usageError(['--reconnect-delay=', URL])).toBe(
      '--reconnect-delay: expected a whole number of milliseconds, got ""',
    )
  })
})

describe('event filter and count', () => {
  test('--event is repeatable', () => {
    expect(parse(['--event', 'cpu', '--event', 'alert', URL]).events).toEqual(['cpu', 'alert'])
  })

  test('an empty --event is a usage error', () => {
    expect(usageError(['--event=', URL])).toBe('--event: expected an event name')
  })

  test('--max-events sets the count to stop after', () => {
    expect(parse(['--max-events', '3', URL]).maxEvents).toBe(3)
  })

  test('--max-events 0 is a usage error', () => {
    expect(usageError(['--max-events', '0', URL])).toBe(
      '--max-events: expected a whole number of at least 1, got "0"',
    )
  })

  test('a --max-events too large to count exactly is a usage error', () => {
    expect(usageError(['--max-events', '99999999999999999999', URL])).toBe(
      '--max-events: expected a whole number of at least 1, got "99999999999999999999"',
    )
  })
})

describe('TLS', () => {
  test('--insecure accepts any certificate', () => {
    expect(parse(['--insecure', URL]).connection).toEqual({ url: URL, insecure: true })
  })

  test('--ca reads the PEM text of the file', () => {
    expect(parse(['--ca', 'ca.pem', URL], { 'ca.pem': PEM }).connection).toEqual({
      url: URL,
      ca: PEM,
    })
  })

  test('--ca with a missing file is a usage error', () => {
    expect(usageError(['--ca', 'nope.pem', URL])).toBe('--ca: cannot read "nope.pem": no such file')
  })

  test('--ca with a file that holds no certificate is a usage error', () => {
    expect(usageError(['--ca', 'key.txt', URL], { 'key.txt': 'hello' })).toBe(
      '--ca: "key.txt" holds no PEM certificate',
    )
  })
})

describe('parse errors', () => {
  test('an unknown long option is a usage error naming it', () => {
    expect(usageError(['--bogus', URL])).toBe('--bogus: unknown option')
  })

  test('an unknown short option is a usage error naming it', () => {
    expect(usageError(['-z', URL])).toBe('-z: unknown option')
  })

  test('an option missing its value is a usage error', () => {
    expect(usageError([URL, '--max-events'])).toBe('--max-events: expected a value')
  })

  test('the short form of an option missing its value is named by its long name', () => {
    expect(usageError([URL, '-H'])).toBe('--header: expected a value')
  })

  test('an error is reported for the option at fault, not for an earlier lone dash value', () => {
    expect(usageError(['-d', '-', '--bogus', URL])).toBe('--bogus: unknown option')
  })

  test('what the user typed is quoted with control characters escaped', () => {
    expect(usageError(['--max-events', '1\u001b[2J', URL])).toBe(
      '--max-events: expected a whole number of at least 1, got "1\\u001b[2J"',
    )
    expect(usageError(['-X', 'G\u0001', URL])).toBe(
      '--method: "G\\u0001" is not a valid HTTP method',
    )
    expect(usageError(['http://exa\u0001mple.com/'])).toBe(
      'URL: expected an absolute http or https URL, got "http://exa\\u0001mple.com/"',
    )
  })
})
