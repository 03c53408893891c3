import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'

/**
 * The window's Content-Security-Policy is the <meta> tag of the renderer's index.html: it travels with
 * the page, whether the desktop app serves it from feedwatch://app or `feedwatch serve` over HTTP, and
 * `'self'` then means that origin only. These tests keep it strict.
 */
function policy(): Map<string, string[]> {
  const html = readFileSync(join(__dirname, '../../src/renderer/index.html'), 'utf8')
  const match = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html)
  if (match?.[1] === undefined)
    throw new Error('index.html has no Content-Security-Policy meta tag')
  const directives = new Map<string, string[]>()
  for (const part of match[1].split(';')) {
    const [name, ...values] = part.trim().split(/\s+/)
    if (name) directives.set(name.toLowerCase(), values)
  }
  return directives
}

test('the renderer page has a Content-Security-Policy whose default is our own origin only', () => {
  expect(policy().get('default-src')).toEqual(["'self'"])
})

test('scripts come only from our own files: no inline script, no eval', () => {
  expect(policy().get('script-src')).toEqual(["'self'"])
})

test('no source list allows unsafe-inline, unsafe-eval or any host', () => {
  for (const [name, values] of policy()) {
    for (const value of values) {
      expect(value, name).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|\*/)
      expect(value, name).not.toMatch(/^https?:/)
    }
  }
})

test('plugins, <base> and form submissions are off', () => {
  const csp = policy()
  expect(csp.get('object-src')).toEqual(["'none'"])
  expect(csp.get('base-uri')).toEqual(["'none'"])
  expect(csp.get('form-action')).toEqual(["'none'"])
})
