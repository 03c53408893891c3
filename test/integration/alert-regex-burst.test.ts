/**
 * A `matches` rule cannot stall `feedwatch serve`: a burst of values that make a backtracking regex
 * take exponential time goes through a real server process while commands keep being answered.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { waitFor } from '../support/connection-probe'
import { openEventStream, startServer } from '../support/http-server'
import { eventually } from '../support/ops-binaries'
import { killServeProcesses, startServe } from '../support/serve-process'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  killServeProcesses()
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** Runs command `domain:verb` on the server; its value, or throws its error. */
async function command(origin: string, name: string, body: object = {}): Promise<unknown> {
  const reply = await fetch(`${origin}api/${name.replace(':', '/')}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  const answer = (await reply.json()) as { ok: boolean; value?: unknown; error?: unknown }
  if (!answer.ok) throw new Error(`${name}: ${JSON.stringify(answer.error)}`)
  return answer.value
}

test('1,000 catastrophic values for (a+)+$ leave every command answered within 100 ms', async () => {
  const streams: ServerResponse[] = []
  const feed = await startServer((_req, res) => {
    openEventStream(res)
    streams.push(res)
  })
  cleanups.push(() => feed.close())
  const dataDir = await mkdtemp(join(tmpdir(), 'feedwatch-regex-burst-'))
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
  const origin = await startServe(dataDir).url

  await command(origin, 'feeds:add', {
    id: 'burst',
    name: 'Burst',
    url: `${feed.origin}/events`,
    enabled: false,
  })
  await command(origin, 'rules:save', {
    id: 'all-a',
    name: 'All a',
    kind: 'condition',
    source: { feedId: 'burst', path: 'text' },
    operator: 'matches',
    value: '(a+)+$',
  })
  await command(origin, 'feeds:enable', { id: 'burst' })
  const stream = await waitFor(() => streams[0])

  // Every 5 ms a command, each timed, while the values arrive in one read.
  const latencies: number[] = []
  let sending = true
  const prober = (async () => {
    while (sending) {
      const started = performance.now()
      await command(origin, 'alerts:list')
      latencies.push(performance.now() - started)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  })()
  await new Promise((resolve) => setTimeout(resolve, 100))
  const catastrophic = `data: {"text":"${'a'.repeat(40)}b"}\n\n`
  stream.write(catastrophic.repeat(1000))
  // Then one value that matches: once it has fired, all 1,000 before it were evaluated.
  stream.write(`data: {"text":"${'a'.repeat(40)}"}\n\n`)
  const fired = await eventually(
    async () => {
      const { active } = (await command(origin, 'alerts:list')) as {
        active: { ruleId: string; state: string }[]
      }
      return active.find((alert) => alert.ruleId === 'all-a' && alert.state === 'firing')
    },
    10_000,
    'the rule to fire on the value after the burst',
  )
  await new Promise((resolve) => setTimeout(resolve, 100))
  sending = false
  await prober

  expect(fired).toBeDefined()
  expect(latencies.length).toBeGreaterThan(10)
  expect(Math.max(...latencies)).toBeLessThan(100)
}, 60_000)

test('a pattern with a backreference is refused when the rule is saved, saying why', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'feedwatch-regex-refused-'))
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
  const origin = await startServe(dataDir).url
  await command(origin, 'feeds:add', {
    id: 'api',
    name: 'API',
    url: 'http://127.0.0.1:1/events',
    enabled: false,
  })
  await expect(
    command(origin, 'rules:save', {
      id: 'repeat',
      name: 'Repeated word',
      kind: 'condition',
      source: { feedId: 'api', path: 'text' },
      operator: 'matches',
      value: '(\\w+) \\1',
    }),
  ).rejects.toThrow(
    /invalid-request.*value: backreferences \(\\\\1, \\\\k<name>\) are not supported: patterns run on RE2/,
  )
}, 60_000)
