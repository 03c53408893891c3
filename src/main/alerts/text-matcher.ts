/**
 * The `matches` operator: a regular expression from a rule, tested against field values without
 * letting one bad pattern freeze the process.
 *
 * JavaScript regexes backtrack, so a pattern like `(a+)+$` takes exponential time on `"aaaa…b"`, and
 * the main process would hang inside `RegExp.prototype.test`. Two defences:
 * - only the first {@link MATCH_INPUT_MAX_CHARS} characters of a value are examined, which keeps the
 *   polynomial cases (`\s*\s*$`) cheap;
 * - a pattern that can backtrack exponentially (a repeated group that itself contains a repetition
 *   or an alternation: `(a+)+`, `(a|aa)*`, `(\.\d+)*`) runs inside `node:vm` with a time budget of
 *   {@link MATCH_BUDGET_MS}; a value that exhausts it gives no result. The vm costs about 70 µs a
 *   call, so patterns without such a group run directly. The check is syntactic and errs on the side
 *   of the vm: it flags some patterns that are in fact linear, which then only run slower.
 *
 * Patterns are compiled without flags, so they mean what they mean in most tools people copy them
 * from (the `u` flag would reject common escapes such as `\-`).
 */
import { createContext, Script, type Context } from 'node:vm'

/** Characters of a value that `matches` examines; the rest is ignored. */
export const MATCH_INPUT_MAX_CHARS = 1024
/** Longest pattern accepted. */
export const PATTERN_MAX_CHARS = 1000
/** Time a suspicious pattern may spend on one value. */
export const MATCH_BUDGET_MS = 20

/** Tests text against a rule's pattern. */
export interface TextMatcher {
  /** Whether `text` (its first {@link MATCH_INPUT_MAX_CHARS} characters) matches; undefined when it took too long. */
  test(text: string): boolean | undefined
  /** Whether the pattern runs in the vm with a time budget. */
  readonly guarded: boolean
}

/** Compiles `pattern`, or returns why it cannot be used. */
export function compileTextMatcher(
  pattern: string,
):
  | { readonly ok: true; readonly matcher: TextMatcher }
  | { readonly ok: false; readonly message: string } {
  if (pattern.length > PATTERN_MAX_CHARS)
    return { ok: false, message: `pattern is longer than ${PATTERN_MAX_CHARS} characters` }
  let regex: RegExp
  try {
    regex = new RegExp(pattern)
  } catch (error) {
    return { ok: false, message: `invalid regular expression: ${(error as Error).message}` }
  }
  if (!mayBacktrackExponentially(pattern)) {
    return {
      ok: true,
      matcher: { guarded: false, test: (text) => regex.test(text.slice(0, MATCH_INPUT_MAX_CHARS)) },
    }
  }
  const context: Context = createContext({ regex, input: '' })
  return {
    ok: true,
    matcher: {
      guarded: true,
      test(text) {
        context.input = text.slice(0, MATCH_INPUT_MAX_CHARS)
        try {
          return GUARDED_TEST.runInContext(context, { timeout: MATCH_BUDGET_MS }) === true
        } catch {
          return undefined
        }
      },
    },
  }
}

const GUARDED_TEST = new Script('regex.test(input)')

/** A group being scanned: does it contain a repetition or an alternation (at any depth)? */
interface GroupScan {
  readonly start: number
  risky: boolean
}

/**
 * Whether `pattern` (already known to be a valid regex) has a repeated group that contains a
 * repetition or an alternation, the shapes behind exponential backtracking.
 */
export function mayBacktrackExponentially(pattern: string): boolean {
  const groups: GroupScan[] = [{ start: 0, risky: false }]
  /** Whether the atom just before a quantifier is a group containing a repetition or alternation. */
  let lastAtomRisky = false
  let i = 0
  while (i < pattern.length) {
    const char = pattern[i]
    const top = groups[groups.length - 1] as GroupScan
    if (char === '\\') {
      i += 2
      lastAtomRisky = false
    } else if (char === '[') {
      i = skipClass(pattern, i)
      lastAtomRisky = false
    } else if (char === '(') {
      groups.push({ start: i, risky: false })
      i++
      if (pattern[i] === '?') i = skipGroupPrefix(pattern, i)
      lastAtomRisky = false
    } else if (char === ')') {
      const group = groups.pop() as GroupScan
      const parent = groups[groups.length - 1]
      if (parent && group.risky) parent.risky = true
      lastAtomRisky = group.risky
      i++
    } else if (char === '|') {
      top.risky = true
      i++
      lastAtomRisky = false
    } else {
      const quantifier = readQuantifier(pattern, i)
      if (quantifier) {
        if (quantifier.repeats) {
          if (lastAtomRisky) return true
          top.risky = true
        }
        i = quantifier.end
        lastAtomRisky = false
      } else {
        i++
        lastAtomRisky = false
      }
    }
  }
  return false
}

/** Offset just past a group's prefix starting at the `?`: `?:`, `?=`, `?!`, `?<=`, `?<!`, `?<name>`. */
function skipGroupPrefix(pattern: string, question: number): number {
  if (pattern[question + 1] !== '<') return question + 2
  const after = pattern[question + 2]
  if (after === '=' || after === '!') return question + 3
  return pattern.indexOf('>', question) + 1
}

/** Offset just past the character class starting at `open`. */
function skipClass(pattern: string, open: number): number {
  let i = open + 1
  while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1
  return i + 1
}

/** The quantifier at `i` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each optionally lazy), if any. */
function readQuantifier(
  pattern: string,
  i: number,
): { readonly repeats: boolean; readonly end: number } | undefined {
  const char = pattern[i]
  let repeats: boolean
  let end: number
  if (char === '*' || char === '+') {
    repeats = true
    end = i + 1
  } else if (char === '?') {
    repeats = false
    end = i + 1
  } else if (char === '{') {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i, i + 32))
    if (!match) return undefined // a literal "{" (Annex B)
    const min = Number(match[1])
    const max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3])
    repeats = max > 1
    end = i + match[0].length
  } else {
    return undefined
  }
  if (pattern[end] === '?') end++
  return { repeats, end }
}
