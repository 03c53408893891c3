import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import {
  keepCopy,
  moveWithoutReplacing,
  writeAtomically,
  writeNewFile,
} from '../../src/main/profiles/safe-files'

/** Set to make `link` fail as it does on file systems without hard links (FAT, some shares). */
let noHardLinks = false

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>()
  return {
    ...actual,
    link: (from: string, to: string) =>
      noHardLinks
        ? Promise.reject(Object.assign(new Error('operation not permitted'), { code: 'EPERM' }))
        : actual.link(from, to),
  }
})

let directory: string

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'feedwatch-safe-files-'))
})

afterEach(async () => {
  noHardLinks = false
  await rm(directory, { recursive: true, force: true })
})

const at = (name: string): string => join(directory, name)

describe.each([
  ['with hard links', false],
  ['without hard links', true],
])('%s', (_label, withoutLinks) => {
  beforeEach(() => {
    noHardLinks = withoutLinks
  })

  test('a move never replaces a file already at the destination', async () => {
    await writeFile(at('damaged'), 'damaged bytes')
    await writeFile(at('kept'), 'kept earlier')
    expect(await moveWithoutReplacing(at('damaged'), at('kept'))).toBe(at('kept-2'))
    expect(await readFile(at('kept'), 'utf8')).toBe('kept earlier')
    expect(await readFile(at('kept-2'), 'utf8')).toBe('damaged bytes')
    expect((await readdir(directory)).sort()).toEqual(['kept', 'kept-2'])
  })

  test('a kept copy holds the old bytes after the original is replaced atomically', async () => {
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x22]) // not valid UTF-8
    await writeFile(at('ops.json'), bytes)
    const kept = await keepCopy(at('ops.json'), at('ops.json.corrupt'))
    const sameFile = (await stat(kept)).ino === (await stat(at('ops.json'))).ino
    expect(sameFile).toBe(!withoutLinks)
    await writeAtomically(at('ops.json'), '{"fixed": true}\n')
    expect(await readFile(kept)).toEqual(bytes)
    expect(await readFile(at('ops.json'), 'utf8')).toBe('{"fixed": true}\n')
  })
})

test('a new file takes the first free name', async () => {
  await writeFile(at('ops.json.v0.bak'), 'first')
  expect(await writeNewFile(at('ops.json.v0.bak'), 'second')).toBe(at('ops.json.v0.bak-2'))
  expect(await readFile(at('ops.json.v0.bak'), 'utf8')).toBe('first')
})

test.skipIf(process.platform === 'win32')(
  'written files can be read by their owner only',
  async () => {
    await writeAtomically(at('ops.json'), '{}')
    expect((await stat(at('ops.json'))).mode & 0o777).toBe(0o600)
  },
)

test('moving a file that does not exist fails with an io error naming it', async () => {
  await expect(moveWithoutReplacing(at('missing'), at('elsewhere'))).rejects.toMatchObject({
    code: 'io',
    message: expect.stringContaining(at('missing')),
  })
})
