import { expect, test } from 'vitest'
import { quoteText, safeText } from '../../src/shared/safe-text'

test('control characters are shown as escapes', () => {
  expect(safeText('a\u001b[31mb\nc\td\u007f\u0085')).toBe('a\\u001b[31mb\\nc\\td\\u007f\\u0085')
})

test('bidirectional controls and line separators are shown as escapes', () => {
  expect(safeText('a\u202eb\u2066c\u2028d')).toBe('a\\u202eb\\u2066c\\u2028d')
})

test('ordinary text, accents and emoji pass unchanged', () => {
  expect(safeText('Ops wall – été 🚦')).toBe('Ops wall – été 🚦')
})

test('long text is cut with a count of what was left out', () => {
  expect(safeText('x'.repeat(250))).toBe(`${'x'.repeat(200)}… (50 more characters)`)
  expect(safeText('abcdef', 3)).toBe('abc… (3 more characters)')
})

test('a cut never splits a character outside the basic plane', () => {
  expect(safeText('🚦🚦🚦', 2)).toBe('🚦🚦… (1 more character)')
})

test('quoted text escapes its quotes and backslashes', () => {
  expect(quoteText('Ops "EU" \\ \u001b')).toBe('"Ops \\"EU\\" \\\\ \\u001b"')
})
