import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'

/**
 * A sandboxed preload is a CommonJS script that may `require` only `electron` (and a few Node
 * built-ins Electron polyfills; we use none). These tests read the built file, so they need
 * `npm run build` (which `npm test` runs first); without it they are skipped.
 */
const BUNDLE = join(__dirname, '../../out/preload/index.js')

function bundle(skip: (note?: string) => never): string {
  if (!existsSync(BUNDLE)) skip('out/preload/index.js not built; run npm run build first')
  return readFileSync(BUNDLE, 'utf8')
}

test('the built preload requires electron and nothing else', ({ skip }) => {
  const required = [...bundle(skip).matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map(
    (match) => match[1],
  )
  expect(required).toEqual(['electron'])
})

test('the built preload is CommonJS: no import or export statements, no dynamic import', ({
  skip,
}) => {
  const code = bundle(skip)
  expect(code).not.toMatch(/^\s*(import|export)\s/m)
  expect(code).not.toMatch(/\bimport\(/)
})

test('the built preload carries no validation library: the contract came in as types only', ({
  skip,
}) => {
  expect(bundle(skip)).not.toMatch(/zod|ZodError|safeParse/)
})
