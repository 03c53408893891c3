import { profileSchema, type Profile } from '../../shared/profile'
import { describeIssues } from '../../shared/validation'
import {
  documentVersion,
  isJsonObject,
  migrateDocument,
  MigrationError,
  type JsonObject,
} from './migrations'

/**
 * Turning a profile file's text into a validated {@link Profile} and back. Pure: no file system, no
 * secrets (sealed header values pass through as they are stored).
 */

/** The outcome of reading a profile document. */
export type DecodedProfile =
  | {
      readonly ok: true
      readonly profile: Profile
      /** The format the text was in; below `PROFILE_VERSION` means it was migrated in memory. */
      readonly fromVersion: number
    }
  | {
      readonly ok: false
      /** `damaged`: not JSON, or breaks the schema. `newer`: a newer Feedwatch wrote it. */
      readonly problem: 'damaged' | 'newer'
      /** Path-precise problems: `feeds[0].url: must be an http(s) URL`. */
      readonly issues: readonly string[]
    }

export interface DecodeOptions {
  /** Replaces the document's name before validation (import under another name). */
  readonly name?: string
}

/** A BOM at the start, as some Windows editors write one, is not a reason to call a file damaged. */
const BOM = '\uFEFF'

function damaged(...issues: string[]): DecodedProfile {
  return { ok: false, problem: 'damaged', issues }
}

/** Parses, migrates and validates a profile document. Never throws. */
export function decodeProfile(text: string, options: DecodeOptions = {}): DecodedProfile {
  let parsed: unknown
  try {
    parsed = JSON.parse(text.startsWith(BOM) ? text.slice(1) : text)
  } catch (error) {
    return damaged(`not valid JSON (${(error as Error).message})`)
  }
  if (!isJsonObject(parsed)) return damaged('must be a JSON object')
  const version = documentVersion(parsed)
  if (!version.ok) {
    return { ok: false, problem: version.newer ? 'newer' : 'damaged', issues: [version.message] }
  }
  let doc: JsonObject
  try {
    doc = migrateDocument(parsed, version.version)
  } catch (error) {
    if (!(error instanceof MigrationError)) throw error
    return damaged(`${error.message} (while updating from format version ${version.version})`)
  }
  if (options.name !== undefined) doc = { ...doc, name: options.name }
  const result = profileSchema.safeParse(doc)
  if (!result.success) return damaged(...describeIssues(result.error))
  return { ok: true, profile: result.data, fromVersion: version.version }
}

/** The file text for a profile: indented JSON (readable in a diff or an editor) ending in a newline. */
export function encodeProfile(profile: Profile): string {
  return `${JSON.stringify(profile, null, 2)}\n`
}

/** The name a document gives itself, read leniently (for files that may be damaged), if any. */
export function nameInDocument(text: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(text.startsWith(BOM) ? text.slice(1) : text)
    if (!isJsonObject(parsed) || typeof parsed.name !== 'string') return undefined
    const name = parsed.name.trim()
    return name === '' ? undefined : name
  } catch {
    return undefined
  }
}

/** Up to `max` issues joined for a sentence, with a count of the rest. */
export function summariseIssues(issues: readonly string[], max = 3): string {
  const shown = issues.slice(0, max).join('; ')
  return issues.length > max ? `${shown}; and ${issues.length - max} more` : shown
}
