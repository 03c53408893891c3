/** The options cannot be used: a bad URL, method, header or number. `message` says which and why. */
export class InvalidConnectionOptionsError extends Error {
  override readonly name = 'InvalidConnectionOptionsError'
}
