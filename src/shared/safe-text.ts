/**
 * Putting text that came from outside (a file's content, a name read from a damaged file, a parser's
 * message that quotes the input) into an error message or a log line. Such text may hold escape
 * sequences that repaint a terminal, line breaks that forge log lines, bidirectional controls that
 * reorder what is shown, or megabytes of garbage: each is shown as a visible escape, and the text
 * is cut to a readable length.
 */

/**
 * C0 controls, DEL and C1 controls; the line and paragraph separators; the bidirectional
 * embedding, override and isolate marks (the "Trojan Source" characters); the byte order mark.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
}

/**
 * Longest text shown, in characters, before it is cut.
 * @defaultValue 200
 */
export const SAFE_TEXT_MAX = 200

/**
 * `text` with every unsafe character shown as an escape (`\n`, `\t`, `\u001b`) and cut after
 * `max` characters with a count of what was left out.
 * @example safeText('a\u001b[31mb') // 'a\\u001b[31mb'
 */
export function safeText(text: string, max = SAFE_TEXT_MAX): string {
  const characters = Array.from(text)
  const kept = characters.length > max ? characters.slice(0, max).join('') : text
  const escaped = kept.replace(
    UNSAFE,
    (character) =>
      SHORT_ESCAPES[character] ??
      `\\u${(character.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  )
  const cut = characters.length - Math.min(characters.length, max)
  if (cut === 0) return escaped
  return `${escaped}… (${cut} more ${cut === 1 ? 'character' : 'characters'})`
}

/**
 * `text` in double quotes, made safe by {@link safeText}; a `"` or `\` inside is escaped too, so the
 * quotes always show where the text begins and ends.
 * @example quoteText('Ops "EU"') // '"Ops \\"EU\\""'
 */
export function quoteText(text: string, max = SAFE_TEXT_MAX): string {
  return `"${safeText(text.replace(/[\\"]/g, '\\$&'), max)}"`
}
