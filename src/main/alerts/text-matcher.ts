/**
 * The `matches` operator: a regular expression from a rule, tested against the whole of a field's
 * value in time linear in its length, so no value can stall the process.
 *
 * JavaScript regexes backtrack: `(a+)+$` takes exponential time on `"aaaa…b"`, and a time budget per
 * value does not help when a feed sends a thousand such values in one read. Patterns therefore run
 * on RE2 (see shared/rule-pattern for the dialect and what it refuses).
 *
 * Linear is not free: up to about 70 ns a character on this engine. Values longer than
 * {@link MATCH_INPUT_MAX_CHARS} are not tested (never half-tested): they give no reading, and the
 * rule reports them.
 */
import { compilePattern } from '../../shared/rule-pattern'

/** Longest value `matches` tests, in UTF-16 code units; a longer one is reported, not tested. */
export const MATCH_INPUT_MAX_CHARS = 65_536

/** Tests text against a rule's pattern. */
export interface TextMatcher {
  /** Whether the pattern matches anywhere in `text`; undefined when `text` is over {@link MATCH_INPUT_MAX_CHARS}. */
  test(text: string): boolean | undefined
}

/** Compiles `pattern` (RE2 syntax), or returns why it cannot be used. */
export function compileTextMatcher(
  pattern: string,
):
  | { readonly ok: true; readonly matcher: TextMatcher }
  | { readonly ok: false; readonly message: string } {
  const compiled = compilePattern(pattern)
  if (!compiled.ok) return compiled
  const { regex } = compiled
  return {
    ok: true,
    matcher: {
      test: (text) => (text.length > MATCH_INPUT_MAX_CHARS ? undefined : regex.test(text)),
    },
  }
}
