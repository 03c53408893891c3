import type { ApiError, Result } from '../../../shared/api'

/** A command failed; carries the contract's error so a form can show it next to its field. */
export class CommandFailure extends Error {
  override readonly name = 'CommandFailure'
  constructor(readonly error: ApiError) {
    super(error.message)
  }
}

/** The value of a successful result, or a {@link CommandFailure}. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new CommandFailure(result.error)
  return result.value
}
