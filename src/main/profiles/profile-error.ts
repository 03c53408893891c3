/**
 * What went wrong, for code to act on:
 * - `not-found`: no profile has that name.
 * - `exists`: another profile already has that name.
 * - `invalid`: a document or a name breaks the profile schema, or a stored file is damaged (and so is
 *   its backup); `issues` lists the problems as `feeds[2].url: must be an http(s) URL`.
 * - `newer-version`: a file was written by a newer Feedwatch; it was left untouched.
 * - `io`: the file system refused (permissions, a full disk, a path that is a folder).
 */
export type ProfileErrorCode = 'not-found' | 'exists' | 'invalid' | 'newer-version' | 'io'

/** Extra facts a {@link ProfileError} may carry. */
export interface ProfileErrorDetails {
  /** Path-precise problems with the document, one per line of text. */
  readonly issues?: readonly string[]
  /** Absolute paths of files that were moved aside (never deleted) before the error was thrown. */
  readonly movedTo?: readonly string[]
  readonly cause?: unknown
}

/** An expected failure of a profile operation. `message` is a complete sentence meant for people. */
export class ProfileError extends Error {
  override readonly name = 'ProfileError'
  readonly code: ProfileErrorCode
  /** @defaultValue `[]` */
  readonly issues: readonly string[]
  /** @defaultValue `[]` */
  readonly movedTo: readonly string[]

  constructor(code: ProfileErrorCode, message: string, details: ProfileErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.code = code
    this.issues = details.issues ?? []
    this.movedTo = details.movedTo ?? []
  }
}

/** Wraps a file-system failure as a `ProfileError` with code `io` that names the action and path. */
export function ioError(action: string, path: string, cause: unknown): ProfileError {
  const reason = cause instanceof Error ? cause.message : String(cause)
  return new ProfileError('io', `Could not ${action} ${path}: ${reason}`, { cause })
}
