import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { FeedwatchService } from '../../src/main/app/feedwatch-service'
import { startFeedwatchServer, type RunningServer } from '../../src/main/server/feedwatch-server'
import { PushStream } from '../../src/main/server/push-stream'
import type { AlertNotice } from '../../src/shared/alerts'
import { waitFor } from '../support/connection-probe'
import { openEventStream, startServer, type TestServer } from '../support/http-server'

interface Harness {
  readonly server: RunningServer
  readonly service: FeedwatchService
  readonly notices: AlertNotice[]
}

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A served Feedwatch on 127.0.0.1 with its own data folder. */
async function serve(
  options: { token?: string; readOnly?: boolean; staticRoot?: string } = {},
): Promise<Harness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'feedwatch-serve-'))
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
  const notices: AlertNotice[] = []
  const service = await FeedwatchService.start({
    dataDir,
    notifier: { notify: (n) => notices.push(n) },
    log: () => {},
  })
  const pushes = new PushStream()
  const unsubscribe = service.subscribe((message) => pushes.publish(message))
  const server = await startFeedwatchServer({
    handlers: service.handlers,
    pushes,
    staticRoot: options.staticRoot ?? join(dataDir, 'no-renderer'),
    host: '127.0.0.1',
    port: 0,
    token: options.token,
    readOnly: options.readOnly ?? false,
  })
  cleanups.push(async () => {
    unsubscribe()
    await server.close()
    await service.close()
  })
  return { server, service, notices }
}

interface Reply {
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly body: string
}

/** A raw request, so tests can send any Host, Origin or cookie. */
function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        )
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

function command(
  harness: Harness,
  name: string,
  payload: unknown = {},
  headers: Record<string, string> = {},
): Promise<Reply> {
  const [domain, verb] = name.split(':')
  return send(`${harness.server.url}/api/${domain}/${verb}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(payload),
  })
}

async function sseServer(): Promise<TestServer> {
  const server = await startServer((_req, res) => {
    openEventStream(res)
    let n = 0
    const timer = setInterval(
      () => res.write(`id: ${++n}\ndata: {"cpu":${n >= 3 ? 0.99 : 0.1}}\n\n`),
      20,
    )
    res.on('close', () => clearInterval(timer))
  })
  cleanups.push(() => server.close())
  return server
}

test('a first start opens the Demo profile and its feed goes live', async () => {
  const harness = await serve()
  const active = JSON.parse((await command(harness, 'profiles:active')).body)
  expect(active.ok).toBe(true)
  expect(active.value.profile.name).toBe('Demo')
  await waitFor(async () => {
    const feeds = JSON.parse((await command(harness, 'feeds:list')).body)
    return feeds.value[0]?.state.state === 'open' ? true : undefined
  }, 5000)
})

test('commands change the profile and bad payloads come back as path-precise errors', async () => {
  const harness = await serve()
  const source = await sseServer()
  const added = JSON.parse(
    (await command(harness, 'feeds:add', { name: 'API', url: `${source.origin}/events` })).body,
  )
  expect(added.ok).toBe(true)
  expect(added.value).toMatchObject({ name: 'API', enabled: true, method: 'GET' })
  const events = await waitFor(async () => {
    const reply = JSON.parse(
      (await command(harness, 'events:query', { feedId: added.value.id })).body,
    )
    return reply.value.events.length >= 2 ? reply.value.events : undefined
  }, 5000)
  expect(events[0]).toMatchObject({ event: 'message', id: '1', seq: 1 })

  const bad = await command(harness, 'feeds:add', { name: 'x', url: 'ftp://nope' })
  expect(bad.status).toBe(400)
  expect(JSON.parse(bad.body).error).toMatchObject({
    code: 'invalid-request',
    issues: ['url: must be an http(s) URL'],
  })

  const unknown = await command(harness, 'feeds:remove', { id: 'nope' })
  expect(unknown.status).toBe(404)
  expect(JSON.parse(unknown.body).error.code).toBe('not-found')
})

/** The `<run>.<n>` ids of a stream's messages, split. */
function pushIds(text: string): { run: string; n: number }[] {
  return [...text.matchAll(/^id: ([\w-]+)\.(\d+)$/gm)].map((m) => ({
    run: m[1] ?? '',
    n: Number(m[2]),
  }))
}

test('the push stream carries states and event batches and resumes after Last-Event-ID', async () => {
  const harness = await serve()
  const first = await readStream(`${harness.server.url}/api/stream`, {}, (text) =>
    /event: events:batch/.test(text),
  )
  const last = pushIds(first).at(-1)
  expect(last?.n).toBeGreaterThan(0)
  await new Promise((resolve) => setTimeout(resolve, 700))
  const resumed = await readStream(
    `${harness.server.url}/api/stream`,
    { 'Last-Event-ID': `${last?.run}.${last?.n}` },
    (text) => /^id: /m.test(text),
  )
  // Replayed messages continue right after the one the client saw last.
  expect(pushIds(resumed)[0]).toEqual({ run: last?.run, n: (last?.n ?? 0) + 1 })
  expect(resumed).not.toMatch(/event: resync/)
})

test('a Last-Event-ID from a previous run of the server gets a resync instead of a wrong replay', async () => {
  const harness = await serve()
  const stream = await readStream(
    `${harness.server.url}/api/stream`,
    { 'Last-Event-ID': 'earlier-run.5' },
    (text) => /event: resync/.test(text),
  )
  expect(stream).toMatch(/event: resync/)
})

test('a condition rule fires and the alert is listed, pushed and sent to the notifier', async () => {
  const harness = await serve()
  const source = await sseServer()
  const feed = JSON.parse(
    (await command(harness, 'feeds:add', { id: 'api', name: 'API', url: source.origin })).body,
  )
  expect(feed.ok).toBe(true)
  const rule = {
    kind: 'condition',
    id: 'cpu-high',
    name: 'CPU high',
    severity: 'critical',
    source: { feedId: 'api', path: 'cpu' },
    operator: '>',
    value: 0.9,
  }
  expect(JSON.parse((await command(harness, 'rules:save', rule)).body).ok).toBe(true)
  await waitFor(
    () =>
      harness.notices.some((n) => n.ruleId === 'cpu-high' && n.kind === 'firing')
        ? true
        : undefined,
    5000,
  )
  const alerts = JSON.parse((await command(harness, 'alerts:list')).body)
  expect(alerts.value.active).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ ruleId: 'cpu-high', state: 'firing', severity: 'critical' }),
    ]),
  )
})

test('a Host header other than our own names is refused (DNS rebinding)', async () => {
  const harness = await serve()
  const reply = await send(`${harness.server.url}/api/stream`, {
    headers: { Host: 'evil.example:80' },
  })
  expect(reply.status).toBe(421)
  const ok = await send(`${harness.server.url}/`, {
    headers: { Host: `localhost:${harness.server.port}` },
  })
  expect(ok.status).not.toBe(421)
})

test('a POST from another origin is refused, and so is a body that is not JSON', async () => {
  const harness = await serve()
  const foreign = await command(harness, 'feeds:list', {}, { Origin: 'http://evil.example' })
  expect(foreign.status).toBe(403)
  const same = await command(harness, 'feeds:list', {}, { Origin: harness.server.url })
  expect(same.status).toBe(200)
  const form = await send(`${harness.server.url}/api/feeds/list`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'a=1',
  })
  expect(form.status).toBe(415)
})

test('with a token, requests need the bearer header or the cookie from the login link', async () => {
  const token = 'correct-horse-battery'
  const harness = await serve({ token })
  expect((await command(harness, 'feeds:list')).status).toBe(401)
  expect(
    (await command(harness, 'feeds:list', {}, { Authorization: 'Bearer wrong-token-value' }))
      .status,
  ).toBe(401)
  expect(
    (await command(harness, 'feeds:list', {}, { Authorization: `Bearer ${token}` })).status,
  ).toBe(200)

  expect((await send(`${harness.server.url}/login?token=wrong`)).status).toBe(401)
  const login = await send(`${harness.server.url}/login?token=${token}&next=/wall`)
  expect(login.status).toBe(303)
  expect(login.headers.location).toBe('/wall')
  const cookie = String(login.headers['set-cookie']).split(';')[0] ?? ''
  expect(String(login.headers['set-cookie'])).toMatch(/HttpOnly/)
  expect((await command(harness, 'feeds:list', {}, { Cookie: cookie })).status).toBe(200)

  const offsite = await send(`${harness.server.url}/login?token=${token}&next=//evil.example/`)
  expect(offsite.headers.location).toBe('/')
})

test('read-only refuses every command that changes anything but answers the others', async () => {
  const harness = await serve({ readOnly: true })
  const refused = await command(harness, 'feeds:add', { name: 'x', url: 'http://127.0.0.1:1/' })
  expect(refused.status).toBe(403)
  expect(JSON.parse(refused.body).error.code).toBe('read-only')
  expect((await command(harness, 'feeds:disconnect', { id: 'demo' })).status).toBe(403)
  expect((await command(harness, 'profiles:list')).status).toBe(200)
})

test('binding beyond loopback without a token is refused', async () => {
  await expect(
    startFeedwatchServer({
      handlers: {} as never,
      pushes: new PushStream(),
      staticRoot: tmpdir(),
      host: '0.0.0.0',
      port: 0,
      token: undefined,
      readOnly: false,
    }),
  ).rejects.toThrow(/a token is required/)
})

test('a taken port gives a clear error', async () => {
  const harness = await serve()
  const pushes = new PushStream()
  cleanups.push(async () => pushes.close())
  await expect(
    startFeedwatchServer({
      handlers: harness.service.handlers,
      pushes,
      staticRoot: tmpdir(),
      host: '127.0.0.1',
      port: harness.server.port,
      token: undefined,
      readOnly: false,
    }),
  ).rejects.toThrow(`port ${harness.server.port} on 127.0.0.1 is already in use`)
})

test('the renderer is served with a strict CSP, app routes fall back to index.html and nothing outside the folder is reachable', async () => {
  const root = await mkdtemp(join(tmpdir(), 'feedwatch-renderer-'))
  cleanups.push(() => rm(root, { recursive: true, force: true }))
  await mkdir(join(root, 'assets'))
  await writeFile(join(root, 'index.html'), '<!doctype html><title>Feedwatch</title>')
  await writeFile(join(root, 'assets', 'app.js'), 'console.log(1)')
  const harness = await serve({ staticRoot: root })
  const page = await send(`${harness.server.url}/wall`)
  expect(page.status).toBe(200)
  expect(page.body).toContain('<title>Feedwatch</title>')
  expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/)
  expect((await send(`${harness.server.url}/assets/app.js`)).headers['content-type']).toMatch(
    /javascript/,
  )
  expect((await send(`${harness.server.url}/assets/%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404)
})

/** Reads an SSE response until `done(text)` holds, then closes it. */
function readStream(
  url: string,
  headers: Record<string, string>,
  done: (text: string) => boolean,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    const timer = setTimeout(() => {
      req.destroy()
      reject(new Error(`stream did not show what was expected; got:\n${text}`))
    }, 5000)
    const req = request(url, { headers }, (res) => {
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString()
        if (done(text)) {
          clearTimeout(timer)
          req.destroy()
          resolve(text)
        }
      })
    })
    req.on('error', () => undefined)
    req.end()
  })
}

test('a rule the alert engine cannot evaluate is refused before anything is saved', async () => {
  const harness = await serve()
  const rule = {
    kind: 'condition',
    id: 'bad-regex',
    name: 'Bad regex',
    source: { feedId: 'demo', path: 'title' },
    operator: 'matches',
    value: '([a-z',
  }
  const saved = await command(harness, 'rules:save', rule)
  expect(saved.status).toBe(400)
  const error = JSON.parse(saved.body).error
  expect(error.code).toBe('invalid-request')
  expect(error.issues[0]).toMatch(/^rules\[\d+\]\.value: /)
  const preview = await command(harness, 'rules:preview', rule)
  expect(JSON.parse(preview.body).error.code).toBe('invalid-request')
  const active = JSON.parse((await command(harness, 'profiles:active')).body)
  expect(active.value.profile.rules.map((r: { id: string }) => r.id)).not.toContain('bad-regex')
})

/** The HTTP server alone, with no service behind it: for what is refused before any command runs. */
async function serveTransport(token?: string): Promise<RunningServer> {
  const server = await startFeedwatchServer({
    handlers: {} as never,
    pushes: new PushStream(),
    staticRoot: tmpdir(),
    host: '127.0.0.1',
    port: 0,
    token,
    readOnly: false,
  })
  cleanups.push(() => server.close())
  return server
}

test('the login link sends the browser only to a path on this server', async () => {
  const token = 'correct-horse-battery'
  const server = await serveTransport(token)
  const target = async (next: string): Promise<unknown> =>
    (await send(`${server.url}/login?token=${token}&next=${encodeURIComponent(next)}`)).headers
      .location
  expect(await target('/wall?tv=1#top')).toBe('/wall?tv=1#top')
  for (const offsite of [
    '/\\evil.example/',
    '/\t/evil.example/',
    '/\\\tevil.example/',
    '\\\\evil.example',
    '//evil.example/',
    '/.//evil.example/',
    'http://evil.example/',
    `${server.url}/wall`,
    'javascript:alert(1)',
    'wall',
  ])
    expect(await target(offsite), offsite).toBe('/')
})

/**
 * Uploads `total` bytes to a command in 1 MB writes, with or without `Content-Length`, and resolves
 * with the reply and how much was written before it came (the server may close while we write).
 */
function upload(
  url: string,
  total: number,
  options: { declareLength?: boolean; holdAfter?: number } = {},
): {
  reply: Promise<Reply & { writtenBeforeReply: number }>
  finish: () => void
  abort: () => void
} {
  let written = 0
  let held: (() => void) | undefined
  let abort = (): void => {}
  const headers: Record<string, string> = { 'Content-Type': 'application/json' }
  if (options.declareLength !== false) headers['Content-Length'] = String(total)
  const reply = new Promise<Reply & { writtenBeforeReply: number }>((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      abort = () => req.destroy()
      const writtenBeforeReply = written
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
          writtenBeforeReply,
        }),
      )
    })
    // Writing into a connection the server closed after answering: expected, the reply tells.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error)
    })
    const chunk = Buffer.alloc(1024 * 1024, 0x20)
    const pump = (): void => {
      while (written < total) {
        if (options.holdAfter !== undefined && written >= options.holdAfter && held === undefined) {
          held = pump
          return
        }
        const size = Math.min(chunk.length, total - written)
        written += size
        if (!req.write(size === chunk.length ? chunk : chunk.subarray(0, size))) {
          req.once('drain', pump)
          return
        }
      }
      req.end()
    }
    pump()
  })
  return { reply, finish: () => held?.(), abort: () => abort() }
}

test('a 2 MB feeds:add is refused with 413 and a JSON error naming the limit, declared or not', async () => {
  const server = await serveTransport()
  for (const declareLength of [true, false]) {
    const { status, body } = await upload(`${server.url}/api/feeds/add`, 2 * 1024 * 1024, {
      declareLength,
    }).reply
    expect(status).toBe(413)
    expect(JSON.parse(body)).toEqual({
      ok: false,
      error: { code: 'too-large', message: 'feeds:add takes a body of at most 1 MB' },
    })
  }
})

test('a 60 MB profile import is refused with 413 without waiting for the body', async () => {
  const server = await serveTransport()
  const url = `${server.url}/api/profiles/import`
  // The client sends 1 MB and waits: the answer comes from the declared length alone.
  const declared = upload(url, 60 * 1024 * 1024, { holdAfter: 1024 * 1024 })
  const refused = await declared.reply
  declared.abort()
  expect(refused.status).toBe(413)
  expect(JSON.parse(refused.body).error.message).toBe(
    'profiles:import takes a body of at most 20 MB',
  )
  expect(refused.writtenBeforeReply).toBe(1024 * 1024)
  // Without a declared length the server reads up to the limit and answers there.
  const chunked = upload(url, 60 * 1024 * 1024, {
    declareLength: false,
    holdAfter: 24 * 1024 * 1024,
  })
  const cut = await chunked.reply
  chunked.abort()
  expect(cut.status).toBe(413)
  expect(cut.writtenBeforeReply).toBeGreaterThan(20 * 1024 * 1024)
  expect(cut.writtenBeforeReply).toBeLessThanOrEqual(24 * 1024 * 1024)
})

test('a third large upload while two are being read gets 503 with Retry-After', async () => {
  const server = await serveTransport()
  const url = `${server.url}/api/profiles/import`
  const size = 5 * 1024 * 1024
  const first = upload(url, size, { holdAfter: 2 * 1024 * 1024 })
  const second = upload(url, size, { holdAfter: 2 * 1024 * 1024 })
  await new Promise((resolve) => setTimeout(resolve, 200))
  const third = await upload(url, size).reply
  expect(third.status).toBe(503)
  expect(third.headers['retry-after']).toBe('2')
  expect(JSON.parse(third.body).error.code).toBe('busy')
  // Small bodies are not held up by large ones.
  expect(
    (
      await send(`${server.url}/api/feeds/list`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{',
      })
    ).status,
  ).toBe(400)
  first.finish()
  second.finish()
  // Spaces are not JSON: both were read whole and then refused for their content.
  expect((await first.reply).status).toBe(400)
  expect((await second.reply).status).toBe(400)
  expect((await upload(url, size).reply).status).toBe(400)
})
