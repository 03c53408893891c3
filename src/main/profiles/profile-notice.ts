/**
 * Why a notice was given:
 * - `recovered-from-backup`: the profile file was damaged; it was moved aside and the backup loaded.
 * - `moved-aside`: a damaged file was found while saving and moved aside instead of being replaced.
 * - `migrated`: the profile was written by an older Feedwatch and was updated; the original is kept.
 * - `headers-removed`: headers no HTTP request can carry were taken out and their feeds disabled; the
 *   original is kept.
 * - `secret-unreadable`: a secret header value could not be decrypted on this computer.
 * - `secret-left-out`: an export or import has a secret header without its value.
 * - `runtime-state-reset`: the runtime state file was damaged; it was moved aside and started afresh.
 * - `last-event-id-dropped`: a saved last event ID could not be sent in a header and was forgotten.
 */
export type ProfileNoticeCode =
  | 'recovered-from-backup'
  | 'moved-aside'
  | 'migrated'
  | 'headers-removed'
  | 'secret-unreadable'
  | 'secret-left-out'
  | 'runtime-state-reset'
  | 'last-event-id-dropped'

/** Something the person should know about an operation that nevertheless succeeded. */
export interface ProfileNotice {
  readonly code: ProfileNoticeCode
  /** Complete sentences; any file it mentions is given as an absolute path. */
  readonly message: string
  /** The absolute path of the file the notice is about (a moved or kept file), when there is one. */
  readonly path?: string
}
