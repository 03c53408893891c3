import { expect, test } from 'vitest'
import {
  belongsToProfile,
  corruptPath,
  fileTimestamp,
  isProfileFileName,
  nameKey,
  slugify,
} from '../../src/main/profiles/file-names'

test('a name becomes lowercase words joined by hyphens', () => {
  expect(slugify('Ops wall – EU (night)')).toBe('ops-wall-eu-night')
})

test('accents are dropped rather than turned into hyphens', () => {
  expect(slugify('Équipe café')).toBe('equipe-cafe')
})

test('a name with nothing spellable in a file name gets a generic slug', () => {
  expect(slugify('日本語')).toBe('profile')
  expect(slugify('!!!')).toBe('profile')
})

test('names Windows reserves for devices are never used as file names', () => {
  expect(slugify('CON')).toBe('con-profile')
  expect(slugify('lpt1')).toBe('lpt1-profile')
  expect(slugify('console')).toBe('console')
})

test('a long name gives a slug of at most 48 characters without a trailing hyphen', () => {
  const slug = slugify(`${'a'.repeat(47)} b ${'c'.repeat(100)}`)
  expect(slug.length).toBeLessThanOrEqual(48)
  expect(slug.endsWith('-')).toBe(false)
})

test('names compare without regard to case or surrounding spaces', () => {
  expect(nameKey('  Ops Wall ')).toBe(nameKey('ops wall'))
  expect(nameKey('Ops')).not.toBe(nameKey('Ops 2'))
})

test('profile files are json files whose names have no other dot', () => {
  expect(isProfileFileName('ops.json')).toBe(true)
  expect(isProfileFileName('My ops.json')).toBe(true)
  for (const other of [
    'ops.state.json',
    'ops.json.bak',
    'ops.json.v0.bak',
    'ops.json.corrupt-2025-01-01T00-00-00-000Z',
    'ops.json.3561286541',
    '.ops.json',
    'ops.txt',
  ]) {
    expect(isProfileFileName(other), other).toBe(false)
  }
})

test('files beside a profile belong to it but not to a profile whose name starts alike', () => {
  for (const own of ['ops.json', 'ops.json.bak', 'ops.state.json', 'ops.json.v0.bak']) {
    expect(belongsToProfile(own, 'ops'), own).toBe(true)
  }
  expect(belongsToProfile('ops-2.json', 'ops')).toBe(false)
  expect(belongsToProfile('ops-2.json.bak', 'ops')).toBe(false)
})

test('times in file names have no colons and sort as text', () => {
  const earlier = fileTimestamp(Date.UTC(2025, 10, 22, 4, 45, 12, 123))
  expect(earlier).toBe('2025-11-22T04-45-12-123Z')
  expect(earlier < fileTimestamp(Date.UTC(2025, 10, 22, 10, 0, 0, 0))).toBe(true)
  expect(corruptPath('/p/ops.json', 0)).toBe('/p/ops.json.corrupt-1970-01-01T00-00-00-000Z')
})
