import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { ProfileError, ProfileStore } from '../../src/main/profiles'

let directory: string
let store: ProfileStore
const NOW = Date.UTC(2025, 10, 22, 4, 45, 12, 123)

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'feedwatch-profiles-'))
  store = new ProfileStore({ directory, now: () => NOW })
})

afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

/** A profile file as an older Feedwatch wrote it: a header value with U+0001 in it. */
const OLD_FILE = `${JSON.stringify(
  {
    version: 1,
    name: 'Ops',
    feeds: [
      { id: 'orders', name: 'Orders', url: 'https://example.test/orders' },
      {
        id: 'billing',
        name: 'Billing',
        url: 'https://example.test/billing',
        headers: [
          { name: 'X-Team', value: 'ops', secret: false },
          { name: 'X-A', value: 'a\u0001b', secret: false },
        ],
      },
    ],
  },
  null,
  2,
)}\n`

test('a stored header no request can carry is taken out, its feed disabled, the original kept', async () => {
  await writeFile(join(directory, 'ops.json'), OLD_FILE)

  const { profile, notices } = await store.load('Ops')

  expect(profile.feeds.map((feed) => [feed.id, feed.enabled])).toEqual([
    ['orders', true],
    ['billing', false],
  ])
  expect(profile.feeds[1]?.headers).toEqual([{ name: 'X-Team', value: 'ops', secret: false }])
  const kept = join(directory, 'ops.json.before-repair-2025-11-22T04-45-12-123Z')
  expect(notices).toEqual([
    {
      code: 'headers-removed',
      message: `Profile "Ops" has request headers no HTTP request can carry (feeds[1].headers["X-A"]: contains the control character U+0001 at position 2). They were taken out and "Billing" was disabled: enter the headers again, then enable it. The file as it was is kept at ${kept}.`,
      path: kept,
    },
  ])
  expect(await readFile(kept, 'utf8')).toBe(OLD_FILE)
  // The repaired version is what is on disk now: the next load has nothing to tell.
  expect((await store.load('Ops')).notices).toEqual([])
})

test('importing a profile with an unsendable header is refused with the header path', async () => {
  const error = await store.importProfile(OLD_FILE).catch((caught: unknown) => caught)
  expect(error).toBeInstanceOf(ProfileError)
  expect(error).toMatchObject({
    code: 'invalid',
    issues: ['feeds[1].headers["X-A"]: contains the control character U+0001 at position 2'],
  })
  expect(await readdir(directory).catch(() => [])).toEqual([])
})

test('saving a header no request can carry is refused and the file is left as it was', async () => {
  await store.create('Ops')
  const before = await readFile(join(directory, 'ops.json'), 'utf8')
  const error = await store
    .save({
      version: 1,
      name: 'Ops',
      feeds: [
        {
          id: 'x',
          name: 'X',
          url: 'https://example.test/x',
          headers: [{ name: 'X-A', value: 'a\u0001b' }],
        },
      ],
    })
    .catch((caught: unknown) => caught)
  expect(error).toMatchObject({
    code: 'invalid',
    issues: ['feeds[0].headers["X-A"]: contains the control character U+0001 at position 2'],
  })
  expect(await readFile(join(directory, 'ops.json'), 'utf8')).toBe(before)
})

test('a saved last event ID with a control character is dropped on load with a notice naming the feed', async () => {
  await store.create('Ops')
  const statePath = join(directory, 'ops.state.json')
  await writeFile(
    statePath,
    JSON.stringify({ version: 1, lastEventIds: { orders: 'a\u0001b', billing: '42' } }),
  )

  const { state, notices } = await store.loadRuntimeState('Ops')

  expect(state.lastEventIds).toEqual({ billing: '42' })
  expect(notices).toEqual([
    {
      code: 'last-event-id-dropped',
      message:
        'The saved last event ID of feed "orders" in profile "Ops" contains the control character U+0001 at position 2, so no request can carry it; it was dropped and the feed resumes without one.',
    },
  ])
  expect(JSON.parse(await readFile(statePath, 'utf8'))).toMatchObject({
    lastEventIds: { billing: '42' },
  })
})

test('a last event ID no header can carry is not written to the runtime state', async () => {
  await store.create('Ops')
  await store.updateRuntimeState('Ops', { lastEventIds: { orders: '7' } })
  const { state } = await store.updateRuntimeState('Ops', { lastEventIds: { orders: 'a\u0002' } })
  expect(state.lastEventIds).toEqual({})
})

test('a damaged file with no backup is reported with its content escaped and capped', async () => {
  await writeFile(join(directory, 'ops.json'), `{"name": "Ops", \u001b[2J\n${'x'.repeat(5000)}`)
  const error = (await store.load('Ops').catch((caught: unknown) => caught)) as ProfileError
  expect(error).toBeInstanceOf(ProfileError)
  expect(error.message).toMatch(/not valid JSON/)
  // eslint-disable-next-line no-control-regex -- the point is that there are none
  expect(error.message).not.toMatch(/[\u0000-\u001f]/)
  expect(error.message.length).toBeLessThan(1500)
})
