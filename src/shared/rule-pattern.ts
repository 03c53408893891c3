/**
 * The regular-expression dialect of `matches` rules: RE2, through re2js (a pure-JavaScript port, so
 * the main process, `feedwatch serve` and the rule editor check a pattern the same way). RE2 runs in
 * time linear in the input and never backtracks; what it leaves out for that, backreferences and
 * lookaround, is refused with a message that says so.
 */
import { RE2JS, RE2JSException } from 're2js'

/** Longest pattern accepted. */
export const PATTERN_MAX_CHARS = 1000

/** What RE2 cannot do, found before re2js's terser message, so the person sees why. */
const UNSUPPORTED: readonly { readonly shape: RegExp; readonly message: string }[] = [
  {
    shape: /^\(\?<?[=!]/,
    message:
      'lookahead and lookbehind ((?=…), (?!…), (?<=…), (?<!…)) are not supported: patterns run on RE2, which never backtracks',
  },
  {
    shape: /^\\(?:[1-9]|k<)/,
    message:
      'backreferences (\\1, \\k<name>) are not supported: patterns run on RE2, which never backtracks',
  },
]

/** Compiles `pattern` (RE2 syntax), or says why it cannot be used. */
export function compilePattern(
  pattern: string,
): { readonly ok: true; readonly regex: RE2JS } | { readonly ok: false; readonly message: string } {
  if (pattern.length > PATTERN_MAX_CHARS)
    return { ok: false, message: `pattern is longer than ${PATTERN_MAX_CHARS} characters` }
  const unsupported = findUnsupported(pattern)
  if (unsupported !== undefined) return { ok: false, message: unsupported }
  try {
    return { ok: true, regex: RE2JS.compile(pattern) }
  } catch (error) {
    if (!(error instanceof RE2JSException)) throw error
    return {
      ok: false,
      message: `invalid regular expression (RE2 syntax): ${error.message.replace(/^error parsing regexp: /, '')}`,
    }
  }
}

/** The message for the first construct RE2 lacks, outside character classes; undefined if none. */
function findUnsupported(pattern: string): string | undefined {
  let inClass = false
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]
    if (char === '\\') {
      if (!inClass) {
        const found = UNSUPPORTED.find(({ shape }) => shape.test(pattern.slice(i, i + 3)))
        if (found) return found.message
      }
      i++
    } else if (inClass) {
      if (char === ']') inClass = false
    } else if (char === '[') {
      inClass = true
      // A `]` right after `[` or `[^` is a literal, not the end of the class.
      if (pattern[i + 1] === '^') i++
      if (pattern[i + 1] === ']') i++
    } else if (char === '(') {
      const found = UNSUPPORTED.find(({ shape }) => shape.test(pattern.slice(i, i + 4)))
      if (found) return found.message
    }
  }
  return undefined
}
