import { headerProblem, profileSchema, type Profile } from '../../shared/profile'
import { quoteText, safeText } from '../../shared/safe-text'
import { describeIssues, formatPath } from '../../shared/validation'
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
      /**
       * Headers no HTTP request can carry (a control character, a name that is not a token), taken
       * out so the rest of the profile loads; the feeds that had them are disabled. Empty for a
       * document this build would write.
       */
      readonly repairs: readonly HeaderRepair[]
    }
  | {
      readonly ok: false
      /** `damaged`: not JSON, or breaks the schema. `newer`: a newer Feedwatch wrote it. */
      readonly problem: 'damaged' | 'newer'
      /** Path-precise problems: `feeds[0].url: must be an http(s) URL`. */
      readonly issues: readonly string[]
    }

/** A header taken out of a stored document because no HTTP request can carry it. */
export interface HeaderRepair {
  /** Path-precise: `feeds[2].headers["X-A"]: contains the control character U+0001 at position 2`. */
  readonly issue: string
  /** The name (or id) of the feed or contact point, as the document has it, made safe to show. */
  readonly owner: string
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
    // The parser's message quotes the text around the error: it may hold anything.
    return damaged(`not valid JSON (${safeText((error as Error).message)})`)
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
  const { doc: sendable, repairs } = withoutUnsendableHeaders(doc)
  const result = profileSchema.safeParse(sendable)
  if (!result.success) return damaged(...describeIssues(result.error))
  return { ok: true, profile: result.data, fromVersion: version.version, repairs }
}

/**
 * Takes out the headers Node's HTTP client would refuse to send, and disables the feeds and contact
 * points that had them: an older Feedwatch accepted such headers, and one of them must not keep a
 * whole profile from loading. Anything else that is wrong is left for the schema to report.
 */
function withoutUnsendableHeaders(doc: JsonObject): {
  doc: JsonObject
  repairs: HeaderRepair[]
} {
  const repairs: HeaderRepair[] = []
  const repaired: JsonObject = { ...doc }
  for (const list of ['feeds', 'contactPoints'] as const) {
    const owners = doc[list]
    if (!Array.isArray(owners)) continue
    repaired[list] = owners.map((owner: unknown, ownerIndex) => {
      if (!isJsonObject(owner) || !Array.isArray(owner.headers)) return owner
      const found = owner.headers.map((header: unknown, index) =>
        isJsonObject(header) && typeof header.name === 'string' && typeof header.value === 'string'
          ? headerProblem({ name: header.name, value: header.value }, index)
          : undefined,
      )
      if (found.every((problem) => problem === undefined)) return owner
      const label = typeof owner.name === 'string' ? owner.name : String(owner.id)
      for (const problem of found) {
        if (problem === undefined) continue
        repairs.push({
          issue: `${formatPath([list, ownerIndex, 'headers', ...problem.path])}: ${problem.message}`,
          owner: quoteText(label),
        })
      }
      return {
        ...owner,
        enabled: false,
        headers: owner.headers.filter((_header: unknown, index) => found[index] === undefined),
      }
    })
  }
  return { doc: repaired, repairs }
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
  // Issues may quote a damaged file's content: each is shown safely, and capped.
  const shown = issues
    .slice(0, max)
    .map((issue) => safeText(issue))
    .join('; ')
  return issues.length > max ? `${shown}; and ${issues.length - max} more` : shown
}
