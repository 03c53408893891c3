import { join } from 'node:path'

/**
 * How a profile's files are named inside the store's directory. For the profile file `ops.json`:
 *
 * | file                              | what it is                                                  |
 * | --------------------------------- | ----------------------------------------------------------- |
 * | `ops.json`                        | the profile                                                 |
 * | `ops.json.bak`                    | the previous good version, replaced on every save           |
 * | `ops.json.corrupt-<time>`         | a damaged version, moved aside and kept                     |
 * | `ops.json.v0.bak`                 | the original of a profile updated from format version 0     |
 * | `ops.json.before-repair-<time>`   | the original of a profile whose unsendable headers were cut |
 * | `ops.state.json`                  | runtime state: last event IDs, alert state                  |
 * | `trash/<time>-ops/`               | everything above, after the profile was deleted             |
 *
 * A profile file is any `*.json` whose name has no other dot, so a file a person copies in by hand
 * (`My ops.json`) is listed too, while `ops.state.json` and the temporary files of an atomic write
 * (`ops.json.123456`) never are.
 */

/** Longest slug we generate, leaving room for a `-NN` suffix and the suffixes in the table above. */
const SLUG_MAX = 48

/** Names Windows reserves for devices, whatever the extension: `con.json` cannot be created there. */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/

/** Fallback for a name with no letters or digits we can spell in a file name (`日本語`, `!!!`). */
const EMPTY_SLUG = 'profile'

/** The subfolder deleted profiles are moved to. */
export const TRASH_FOLDER = 'trash'

const PROFILE_FILE = /^[^.]+\.json$/

/**
 * A lowercase ASCII file name stem for a display name: `Ops wall – EU` becomes `ops-wall-eu`.
 * Lowercase, because macOS and Windows compare file names without case.
 */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents, split off by NFKD: é → e
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, SLUG_MAX)
    .replace(/^-+|-+$/g, '')
  if (slug === '') return EMPTY_SLUG
  return WINDOWS_DEVICE.test(slug) ? `${slug}-profile` : slug
}

/** Profile names are unique without regard to case or surrounding spaces: "Ops" and "ops " clash. */
export function nameKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase()
}

/** Whether a directory entry is a profile file (see the table above). */
export function isProfileFileName(fileName: string): boolean {
  return PROFILE_FILE.test(fileName)
}

/** The files that belong to one profile. */
export interface ProfileFiles {
  /** The file name without `.json`: `ops`. */
  readonly stem: string
  /** Absolute path of the profile file. */
  readonly path: string
  /** Absolute path of the previous good version. */
  readonly backupPath: string
  /** Absolute path of the runtime state file. */
  readonly statePath: string
}

export function profileFiles(directory: string, stem: string): ProfileFiles {
  const path = join(directory, `${stem}.json`)
  return { stem, path, backupPath: `${path}.bak`, statePath: join(directory, `${stem}.state.json`) }
}

/** Whether a directory entry belongs to the profile with this stem (its file or any file beside it). */
export function belongsToProfile(fileName: string, stem: string): boolean {
  return [`${stem}.json`, `${stem}.state.json`].some(
    (own) => fileName === own || fileName.startsWith(`${own}.`),
  )
}

/** A UTC time that is safe in a file name on every OS and sorts as text: `2025-11-22T04-45-12-123Z`. */
export function fileTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[:.]/g, '-')
}

/** Where a damaged file is moved: `ops.json.corrupt-2025-11-22T04-45-12-123Z`. */
export function corruptPath(path: string, ms: number): string {
  return `${path}.corrupt-${fileTimestamp(ms)}`
}

/**
 * Where the original of a profile is kept before headers no request can carry are taken out of it:
 * `ops.json.before-repair-2025-11-22T04-45-12-123Z`.
 */
export function beforeRepairPath(path: string, ms: number): string {
  return `${path}.before-repair-${fileTimestamp(ms)}`
}

/** Where the original of a migrated profile is kept: `ops.json.v0.bak`. */
export function versionBackupPath(path: string, version: number): string {
  return `${path}.v${version}.bak`
}

/** Where a deleted profile's files go: `trash/2025-11-22T04-45-12-123Z-ops`. */
export function trashFolderPath(directory: string, stem: string, ms: number): string {
  return join(directory, TRASH_FOLDER, `${fileTimestamp(ms)}-${stem}`)
}

/**
 * The n-th choice of a path that must not replace anything: the path itself, then `path-2`, `path-3`…
 * @param attempt - 1-based.
 */
export function alternativePath(path: string, attempt: number): string {
  return attempt <= 1 ? path : `${path}-${attempt}`
}
