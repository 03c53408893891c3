/**
 * What Node's HTTP client accepts as a request header, checked where a header enters Feedwatch (the
 * profile schema, `feedwatch tail` options, the engine's options) so that a bad name or value becomes a
 * clear error instead of an `ERR_INVALID_CHAR` thrown later from inside a reconnect timer.
 *
 * The rules mirror Node's own checks (`checkIsHttpToken` and `checkInvalidHeaderChar` in
 * `lib/_http_common.js`): a name is an RFC 9110 token; a value may hold tab, visible ASCII, space and
 * the octets 0x80–0xFF, nothing else. Node writes header strings as latin-1, so a character above
 * U+00FF cannot be sent as such either.
 */

const TOKEN = /^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/
const INVALID_VALUE_CHARACTER = /[^\t\x20-\x7e\x80-\xff]/

/** Shows one character as a code point, so a control character never reaches a terminal raw. */
function describeCharacter(character: string): string {
  const code = character.codePointAt(0) ?? 0
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
}

/**
 * Why `name` cannot be sent as an HTTP header name, or `undefined` when it can.
 * @example headerNameProblem('X A') // 'a header name may hold only letters, digits and !#$%&\'*+-.^_`|~'
 */
export function headerNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'a header name cannot be empty'
  if (!TOKEN.test(name)) return "a header name may hold only letters, digits and !#$%&'*+-.^_`|~"
  return undefined
}

/**
 * Why `value` cannot be sent as an HTTP header value, or `undefined` when it can.
 * @example headerValueProblem('a\u0001b') // 'contains the control character U+0001 at position 2'
 */
export function headerValueProblem(value: string): string | undefined {
  const match = INVALID_VALUE_CHARACTER.exec(value)
  if (match === null) return undefined
  const character = match[0]
  const kind = (character.codePointAt(0) ?? 0) > 0xff ? 'the character' : 'the control character'
  return `contains ${kind} ${describeCharacter(character)} at position ${match.index + 1}`
}
