/**
 * The `matches` operator: a regular expression from a rule, tested against the whole of a field's
 * value in time linear in its length, so no value can stall the process.
 *
 * JavaScript regexes backtrack: `(a+)+$` takes exponential time on `"aaaa…b"`, and a budget per value
 * does not help when a feed sends a thousand such values in one read. Patterns therefore run on
 * re2js, a pure-JavaScript port of RE2 (no native module to rebuild for each Electron): its automata
 * never backtrack, at the price of what RE2 leaves out, backreferences (`\1`, `\k<name>`) and
 * lookaround (`(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)`), which are refused when the rule is saved.
 *
 * Linear is not free: about 50 ns a character in the worst case. Values longer than
 * {@link MATCH_INPUT_MAX_CHARS} are not tested (never half-tested): they give no reading, and the
 * rule says so through `onOversized`.
 */
import { RE2JS, RE2JSException } from 're2js'

/** Longest value `matches` tests, in UTF-16 code units; a longer one is reported, not tested. */
export const MATCH_INPUT_MAX_CHARS = 65_536
/** Longest pattern accepted. */
export const PATTERN_MAX_CHARS = 1000

/** Tests text against a rule's pattern. */
export interface TextMatcher {
  /** Whether the pattern matches anywhere in `text`; undefined when `text` is over {@link MATCH_INPUT_MAX_CHARS}. */
  test(text: string): boolean | undefined
}

/** What RE2 cannot do, found before re2js's terser message, so the person sees why. */
const UNSUPPORTED: readonly { readonly pattern: RegExp; readonly message: string }[] = [
  {
    pattern: /^\(\?<?[=!]/,
    message:
      'lookahead and lookbehind ((?=…), (?!…), (?<=…), (?<!…)) are not supported: patterns run on RE2, which never backtracks',
  },
  {
    pattern: /^\\(?:[1-9]|k<)/,
    message:
      'backreferences (\\1, \\k<name>) are not supported: patterns run on RE2, which never backtracks',
  },
]

/** Compiles `pattern` (RE2 syntax), or returns why it cannot be used. */
export function compileTextMatcher(
  pattern: string,
):
  | { readonly ok: true; readonly matcher: TextMatcher }
  | { readonly ok: false; readonly message: string } {
  if (pattern.length > PATTERN_MAX_CHARS)
    return { ok: false, message: `pattern is longer than ${PATTERN_MAX_CHARS} characters` }
  const unsupported = findUnsupported(pattern)
  if (unsupported !== undefined) return { ok: false, message: unsupported }
  let regex: RE2JS
  try {
    regex = RE2JS.compile(pattern)
  } catch (error) {
    if (!(error instanceof RE2JSException)) throw error
    return {
      ok: false,
      message: `invalid regular expression (RE2 syntax): ${error.message.replace(/^error parsing regexp: /, '')}`,
    }
  }
  return {
    ok: true,
    matcher: {
      test: (text) => (text.length > MATCH_INPUT_MAX_CHARS ? undefined : regex.test(text)),
    },
  }
}

/** The message for the first construct RE2 lacks, outside character classes; undefined if none. */
function findUnsupported(pattern: string): string | undefined {
  let inClass = false
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]
    if (char === '\\') {
      if (!inClass) {
        const found = UNSUPPORTED.find(({ pattern: shape }) => shape.test(pattern.slice(i, i + 3)))
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
      const found = UNSUPPORTED.find(({ pattern: shape }) => shape.test(pattern.slice(i, i + 4)))
      if (found) return found.message
    }
  }
  return undefined
}
