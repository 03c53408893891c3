import { expect, test } from 'vitest'
import { headerNameProblem, headerValueProblem } from '../../src/shared/http-header'

test('a header name must be a non-empty HTTP token', () => {
  expect(headerNameProblem('X-Team_1.a~')).toBeUndefined()
  expect(headerNameProblem('')).toBe('a header name cannot be empty')
  expect(headerNameProblem('X A')).toMatch(/^a header name may hold only/)
  expect(headerNameProblem('X:A')).toMatch(/^a header name may hold only/)
  expect(headerNameProblem('Ü')).toMatch(/^a header name may hold only/)
})

test('a header value may hold tab, space, visible ASCII and any character beyond ASCII', () => {
  expect(headerValueProblem('')).toBeUndefined()
  expect(headerValueProblem('Bearer a.b-c~ "q" \t end')).toBeUndefined()
  expect(headerValueProblem('ü € ✓ 😀 \u0085 \u00ff')).toBeUndefined()
})

test('every control character but tab is a problem, named by code point and position', () => {
  for (let code = 0; code < 0x20; code++) {
    if (code === 0x09) continue
    const hex = code.toString(16).toUpperCase().padStart(4, '0')
    expect(headerValueProblem(`ab${String.fromCharCode(code)}`)).toBe(
      `contains the control character U+${hex} at position 3`,
    )
  }
  expect(headerValueProblem('\u007f')).toBe('contains the control character U+007F at position 1')
})

test('the problem is worded without the raw character, so it is safe to print', () => {
  // eslint-disable-next-line no-control-regex -- checking for control characters is the point
  expect(headerValueProblem('a\u001b[31mred')).not.toMatch(/[\u0000-\u001f]/)
})
