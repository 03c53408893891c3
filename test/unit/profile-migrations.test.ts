import { expect, test } from 'vitest'
import { PROFILE_VERSION } from '../../src/shared/profile'
import {
  documentVersion,
  MIGRATIONS,
  migrateDocument,
  MigrationError,
  type Migration,
} from '../../src/main/profiles/migrations'

const versionZero = {
  name: 'Ops',
  feeds: [{ id: 'orders', name: 'Orders', url: 'https://example.test/orders' }],
  charts: [
    { id: 'rate', title: 'Order rate', feedId: 'orders', path: 'rate' },
    { id: 'p99', title: 'Latency', feedId: 'orders', path: 'latency.p99', event: 'timing' },
  ],
}

test('a document without a version field is format 0', () => {
  expect(documentVersion({ name: 'Ops' })).toEqual({ ok: true, version: 0 })
})

test('a version newer than this build is reported as such', () => {
  expect(documentVersion({ version: 3 }, 1)).toEqual({
    ok: false,
    newer: true,
    message: 'written by a newer Feedwatch (version 3); this build reads up to 1',
  })
})

test('a version that is not a whole number is a problem with the version field', () => {
  for (const version of ['1', 1.5, -1, null]) {
    expect(documentVersion({ version })).toEqual({
      ok: false,
      newer: false,
      message: 'version: must be a whole number',
    })
  }
})

test('format 0 charts become chart panels with one series each', () => {
  const migrated = migrateDocument(versionZero, 0)
  expect(migrated).toEqual({
    version: PROFILE_VERSION,
    name: 'Ops',
    feeds: versionZero.feeds,
    panels: [
      {
        id: 'rate',
        kind: 'chart',
        title: 'Order rate',
        series: [{ feedId: 'orders', path: 'rate' }],
      },
      {
        id: 'p99',
        kind: 'chart',
        title: 'Latency',
        series: [{ feedId: 'orders', path: 'latency.p99', event: 'timing' }],
      },
    ],
  })
  expect(migrated).not.toHaveProperty('charts')
})

test('migrating leaves the original document unchanged', () => {
  const original = structuredClone(versionZero)
  migrateDocument(original, 0)
  expect(original).toEqual(versionZero)
})

test('a format 0 document without charts only gains a version', () => {
  expect(migrateDocument({ name: 'Ops' }, 0)).toEqual({ name: 'Ops', version: 1 })
})

test('format 0 charts that are not a list of objects are rejected with their path', () => {
  expect(() => migrateDocument({ charts: 'rate' }, 0)).toThrow(
    new MigrationError('charts: must be a list'),
  )
  expect(() => migrateDocument({ charts: [{ id: 'a' }, 7] }, 0)).toThrow(
    new MigrationError('charts[1]: must be an object'),
  )
})

test('steps run in order from the document version up to the target and set the version', () => {
  const steps: Migration[] = [
    { from: 1, to: 2, migrate: (doc) => ({ ...doc, trail: [...(doc.trail as string[]), '1→2'] }) },
    { from: 0, to: 1, migrate: (doc) => ({ ...doc, trail: ['0→1'] }) },
  ]
  expect(migrateDocument({}, 0, 2, steps)).toEqual({ version: 2, trail: ['0→1', '1→2'] })
  expect(migrateDocument({ version: 1, trail: [] }, 1, 2, steps)).toEqual({
    version: 2,
    trail: ['1→2'],
  })
})

test('a missing step is an error rather than a skipped version', () => {
  expect(() => migrateDocument({}, 0, 2, [{ from: 0, to: 1, migrate: (doc) => doc }])).toThrow(
    'no way to update format version 1 to 2',
  )
})

test('there is a step from every older version up to the current one', () => {
  for (let version = 0; version < PROFILE_VERSION; version += 1) {
    expect(MIGRATIONS.some((step) => step.from === version)).toBe(true)
  }
})
