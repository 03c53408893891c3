import { expect, test } from 'vitest'
import { newId, sameName, upsert, withoutFeed } from '../../src/main/app/profile-edits'
import { profileSchema } from '../../src/shared/profile'

const profile = profileSchema.parse({
  version: 1,
  name: 'Ops',
  feeds: [
    { id: 'api', name: 'API', url: 'http://127.0.0.1:1/a' },
    { id: 'db', name: 'DB', url: 'http://127.0.0.1:1/b' },
  ],
  panels: [
    {
      id: 'both',
      kind: 'chart',
      title: 'Both',
      series: [
        { feedId: 'api', path: 'cpu' },
        { feedId: 'db', path: 'cpu' },
      ],
    },
    { id: 'api-only', kind: 'chart', title: 'API', series: [{ feedId: 'api', path: 'rps' }] },
    { id: 'api-tile', kind: 'tile', title: 'API now', source: { feedId: 'api', path: 'cpu' } },
  ],
  rules: [
    { kind: 'feed-down', id: 'api-down', name: 'API down', feedId: 'api' },
    { kind: 'feed-down', id: 'db-down', name: 'DB down', feedId: 'db' },
  ],
  layout: { wallPanels: ['both', 'api-only', 'api-tile'] },
})

test('removing a feed removes what reads it and keeps what still has data', () => {
  const next = profileSchema.parse(withoutFeed(profile, 'api'))
  expect(next.feeds.map((feed) => feed.id)).toEqual(['db'])
  expect(next.panels).toEqual([
    expect.objectContaining({ id: 'both', series: [expect.objectContaining({ feedId: 'db' })] }),
  ])
  expect(next.rules.map((rule) => rule.id)).toEqual(['db-down'])
  expect(next.layout.wallPanels).toEqual(['both'])
})

test('upsert replaces an item with the same id in place, or appends a new one', () => {
  const items = [
    { id: 'a', v: 1 },
    { id: 'b', v: 2 },
  ]
  expect(upsert(items, { id: 'a', v: 9 })).toEqual([
    { id: 'a', v: 9 },
    { id: 'b', v: 2 },
  ])
  expect(upsert(items, { id: 'c', v: 3 }).map((item) => item.id)).toEqual(['a', 'b', 'c'])
})

test('names compare regardless of case and surrounding spaces', () => {
  expect(sameName(' Ops ', 'ops')).toBe(true)
  expect(sameName('Ops', 'Ops 2')).toBe(false)
})

test('new ids carry their prefix and are valid ids', () => {
  const id = newId('feed')
  expect(id).toMatch(/^feed-[0-9a-f]{8}$/)
  expect(newId('feed')).not.toBe(id)
})
