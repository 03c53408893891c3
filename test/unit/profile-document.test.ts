import { expect, test } from 'vitest'
import {
  decodeProfile,
  encodeProfile,
  nameInDocument,
} from '../../src/main/profiles/profile-document'

const valid = {
  version: 1,
  name: 'Ops',
  feeds: [{ id: 'orders', name: 'Orders', url: 'https://example.test/orders' }],
}

function issuesOf(text: string): readonly string[] {
  const decoded = decodeProfile(text)
  if (decoded.ok) throw new Error('expected the document to be refused')
  return decoded.issues
}

test('a valid document decodes with defaults filled in', () => {
  const decoded = decodeProfile(JSON.stringify(valid))
  expect(decoded.ok).toBe(true)
  if (!decoded.ok) return
  expect(decoded.fromVersion).toBe(1)
  expect(decoded.profile.feeds[0]).toMatchObject({ method: 'GET', headers: [], enabled: true })
  expect(decoded.profile.settings.theme).toBe('system')
})

test('text that is not JSON is damaged', () => {
  const decoded = decodeProfile('{"version": 1, "name": "Ops"')
  expect(decoded).toMatchObject({ ok: false, problem: 'damaged' })
  expect(issuesOf('{"version": 1,')[0]).toMatch(/^not valid JSON \(/)
})

test('JSON that is not an object is damaged', () => {
  expect(issuesOf('[1, 2]')).toEqual(['must be a JSON object'])
})

test('schema problems are reported with their paths', () => {
  const text = JSON.stringify({
    ...valid,
    feeds: [{ id: 'orders', name: 'Orders', url: 'ftp://example.test/orders' }],
  })
  expect(issuesOf(text)).toEqual(['feeds[0].url: must be an http(s) URL'])
})

test('a document from a newer Feedwatch is told apart from a damaged one', () => {
  expect(decodeProfile(JSON.stringify({ ...valid, version: 3 }))).toEqual({
    ok: false,
    problem: 'newer',
    issues: ['written by a newer Feedwatch (version 3); this build reads up to 1'],
  })
})

test('a byte order mark at the start does not make a file damaged', () => {
  expect(decodeProfile(`\uFEFF${JSON.stringify(valid)}`).ok).toBe(true)
})

test('a format 0 document decodes as migrated from version 0', () => {
  const decoded = decodeProfile(
    JSON.stringify({
      name: 'Ops',
      feeds: valid.feeds,
      charts: [{ id: 'rate', title: 'Rate', feedId: 'orders', path: 'rate' }],
    }),
  )
  expect(decoded).toMatchObject({ ok: true, fromVersion: 0 })
  if (decoded.ok) expect(decoded.profile.panels[0]).toMatchObject({ kind: 'chart', window: '5m' })
})

test('a format 0 chart pointing at a missing feed is reported where it ended up', () => {
  const text = JSON.stringify({
    name: 'Ops',
    charts: [{ id: 'rate', title: 'Rate', feedId: 'gone', path: 'rate' }],
  })
  expect(issuesOf(text)).toEqual(['panels[0].series[0].feedId: no feed with id "gone"'])
})

test('a name given when decoding replaces the one in the document before validation', () => {
  const decoded = decodeProfile(JSON.stringify({ ...valid, name: '' }), { name: 'Imported' })
  expect(decoded).toMatchObject({ ok: true, profile: { name: 'Imported' } })
})

test('an encoded profile decodes to the same profile', () => {
  const decoded = decodeProfile(JSON.stringify(valid))
  if (!decoded.ok) throw new Error('expected a valid document')
  const again = decodeProfile(encodeProfile(decoded.profile))
  expect(again).toEqual(decoded)
  expect(encodeProfile(decoded.profile).endsWith('}\n')).toBe(true)
})

test('the name of a document that is otherwise invalid can still be read', () => {
  expect(nameInDocument('{"name": " Ops ", "feeds": 7}')).toBe('Ops')
  expect(nameInDocument('{"name": ')).toBeUndefined()
  expect(nameInDocument('{"name": ""}')).toBeUndefined()
})
