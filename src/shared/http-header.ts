/**
 * What Feedwatch can send as a request header, checked where a header enters Feedwatch (the profile
 * schema, `feedwatch tail` options, the engine's options) so that a bad name or value becomes a clear
 * error instead of an `ERR_INVALID_CHAR` thrown later from inside a reconnect timer.
 *
 * The rules mirror Node's own checks (`checkIsHttpToken` and `checkInvalidHeaderChar` in
 * `lib/_http_common.js`): a name is an RFC 9110 token; a value may hold tab, visible ASCII and space.
 * Any other character but a control character is fine too: the engine sends every value as its UTF-8
 * bytes (as browsers send a `Last-Event-ID`), so what reaches Node is bytes, which it accepts. The
 * control characters U+0000–U+0008, U+000A–U+001F and U+007F cannot be sent at all: Node throws on
 * them, and CR, LF or NUL would end the header.
 */

const TOKEN = /^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const INVALID_VALUE_CHARACTER = /[\x00-\x08\x0a-\x1f\x7f]/

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
 * Why `value` cannot be sent as an HTTP header value, or `undefined` when it can. The same rule says
 * whether an event ID can be sent back as `Last-Event-ID`.
 * @example headerValueProblem('a\u0001b') // 'contains the control character U+0001 at position 2'
 */
export function headerValueProblem(value: string): string | undefined {
  const match = INVALID_VALUE_CHARACTER.exec(value)
  if (match === null) return undefined
  return `contains the control character ${describeCharacter(match[0])} at position ${match.index + 1}`
}
