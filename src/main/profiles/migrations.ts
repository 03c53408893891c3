import { PROFILE_VERSION } from '../../shared/profile'

/** A parsed JSON object whose shape is not yet known. */
export type JsonObject = Record<string, unknown>

/**
 * One step from an older profile format to the next. `migrate` receives a private copy it may change
 * and returns the document in format `to`; the runner sets `version` afterwards. It throws a
 * {@link MigrationError} for a document it cannot convert.
 */
export interface Migration {
  readonly from: number
  readonly to: number
  migrate(doc: JsonObject): JsonObject
}

/** A document an older format's rules reject; `message` is path-precise: `charts[1]: must be an object`. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError'
}

/** The outcome of reading a document's `version` field. */
export type VersionCheck =
  | { readonly ok: true; readonly version: number }
  | { readonly ok: false; readonly newer: boolean; readonly message: string }

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Format version 0 had no `version` field and kept its charts in `charts: [{ id, title, feedId, path,
 * event? }]`, one series each. Format 1 has `panels` of several kinds; each old chart becomes a panel
 * of kind `chart` with one series (window and unit take their defaults).
 */
const chartsToPanels: Migration = {
  from: 0,
  to: 1,
  migrate(doc) {
    const { charts, ...rest } = doc
    if (charts === undefined) return rest
    if (!Array.isArray(charts)) throw new MigrationError('charts: must be a list')
    if (rest.panels !== undefined && !Array.isArray(rest.panels)) {
      throw new MigrationError('panels: must be a list')
    }
    const panels = charts.map((chart: unknown, index) => {
      if (!isJsonObject(chart)) throw new MigrationError(`charts[${index}]: must be an object`)
      const { id, title, feedId, path, event } = chart
      const series = event === undefined ? { feedId, path } : { feedId, path, event }
      return { id, kind: 'chart', title, series: [series] }
    })
    return { ...rest, panels: [...((rest.panels as unknown[] | undefined) ?? []), ...panels] }
  },
}

/** Every step, oldest first. Add one here, with a test, whenever `PROFILE_VERSION` goes up. */
export const MIGRATIONS: readonly Migration[] = [chartsToPanels]

/**
 * The document's format version: its `version` field, or 0 when it has none (format 0 predates the
 * field). A version newer than `supported` is reported, never guessed at.
 */
export function documentVersion(doc: JsonObject, supported = PROFILE_VERSION): VersionCheck {
  if (!('version' in doc)) return { ok: true, version: 0 }
  const { version } = doc
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) {
    return { ok: false, newer: false, message: 'version: must be a whole number' }
  }
  if (version > supported) {
    return {
      ok: false,
      newer: true,
      message: `written by a newer Feedwatch (version ${version}); this build reads up to ${supported}`,
    }
  }
  return { ok: true, version }
}

/**
 * Runs the steps from `fromVersion` up to `target` on a copy of `doc`. Throws a
 * {@link MigrationError} when a step rejects the document or no step leads on.
 */
export function migrateDocument(
  doc: JsonObject,
  fromVersion: number,
  target = PROFILE_VERSION,
  migrations: readonly Migration[] = MIGRATIONS,
): JsonObject {
  let current = doc
  let version = fromVersion
  while (version < target) {
    const step = migrations.find((candidate) => candidate.from === version)
    if (step === undefined || step.to <= version) {
      throw new MigrationError(`no way to update format version ${version} to ${target}`)
    }
    current = { ...step.migrate(structuredClone(current)), version: step.to }
    version = step.to
  }
  return current
}
