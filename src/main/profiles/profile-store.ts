import { quoteText } from '../../shared/safe-text'
import { readdir, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import {
  PROFILE_VERSION,
  profileSchema,
  type Profile,
  type ProfileInput,
} from '../../shared/profile'
import { describeIssues } from '../../shared/validation'
import {
  TRASH_FOLDER,
  belongsToProfile,
  isProfileFileName,
  nameKey,
  profileFiles,
  slugify,
  trashFolderPath,
  type ProfileFiles,
} from './file-names'
import { decodeProfile, nameInDocument, summariseIssues } from './profile-document'
import { ProfileError } from './profile-error'
import { emptySecretNotices, exportProfileJson } from './profile-export'
import type { ProfileNotice } from './profile-notice'
import {
  readRuntimeStateFile,
  writeRuntimeStateFile,
  type LoadedRuntimeState,
} from './runtime-state-file'
import { applyRuntimeStateUpdate, type RuntimeStateUpdate } from './runtime-state'
import {
  createNewFolder,
  ensureFolder,
  moveInto,
  pathExists,
  readTextIfExists,
  removeIfExists,
} from './safe-files'
import { revealSecrets, type SecretCipher } from './secret-cipher'
import { runSerially } from './serial-queue'
import {
  loadStoredProfile,
  saveStoredProfile,
  type LoadedProfile,
  type StoredProfileContext,
} from './stored-profile'

export interface ProfileStoreOptions {
  /**
   * The folder holding one file per profile; created on the first write. The Electron shell passes
   * `userData/profiles`, the headless server `profiles` in its data folder (`--data-dir`).
   */
  readonly directory: string
  /**
   * Encrypts secret header values at rest.
   * @defaultValue none: secret values are stored as typed
   */
  readonly cipher?: SecretCipher
  /**
   * The clock, for the times in the names of files moved aside or to the trash.
   * @defaultValue `Date.now`
   */
  readonly now?: () => number
}

/** One profile in {@link ProfileStore.list}. */
export interface ProfileSummary {
  readonly name: string
  /** Absolute path of the profile's file. */
  readonly file: string
  readonly feeds: number
  readonly panels: number
  readonly rules: number
  /** When the file was last written (epoch ms). */
  readonly updatedAt: number
  /**
   * Set when the profile needs attention before it can be used: its file is damaged (loading it
   * restores the backup) or it was written by a newer Feedwatch. Counts then come from the backup,
   * or are 0.
   */
  readonly problem?: string
}

/** A profile after an operation, with what the person should know about it. */
export interface ProfileResult {
  /** Validated, defaults filled in, secrets decrypted. */
  readonly profile: Profile
  /** Absolute path of the profile's file. */
  readonly file: string
  /** Repairs, migrations and secrets that could not be decrypted; empty when all went as expected. */
  readonly notices: ProfileNotice[]
}

export interface ExportOptions {
  /** Include secret header values in plain text; otherwise they are `""` and marked `redacted`. */
  readonly includeSecrets: boolean
}

export interface ExportResult {
  /** The profile document as indented JSON text. */
  readonly json: string
  /** A file name to suggest when saving it: the slug of the profile's name, `ops-wall.json`. */
  readonly fileName: string
  readonly notices: ProfileNotice[]
}

export interface ImportOptions {
  /** Import under this name instead of the one in the document. */
  readonly name?: string
  /**
   * What to do when a profile of that name exists: fail with code `exists`, or import as
   * "Name (2)", "Name (3)"…
   * @defaultValue `'error'`
   */
  readonly ifExists?: 'error' | 'suffix'
}

export interface DeleteResult {
  /** Absolute path of the folder in `trash/` that now holds the profile's files. */
  readonly trashedTo: string
}

/** A profile file and the name the store knows it by. */
interface Located {
  readonly files: ProfileFiles
  readonly name: string
}

/** A damaged profile file or backup that was moved aside: `ops.json.corrupt-<time>`, `ops.json.bak.corrupt-<time>`. */
const UNRECOVERED = /^([^.]+)\.json(?:\.bak)?\.corrupt-/

/** Highest `-N` tried when a generated file stem or imported name is taken. */
const MAX_SUFFIX = 999

/**
 * Profiles on disk, one JSON file each, in one folder. Every operation is async and either returns a
 * value or throws a {@link ProfileError}. Operations run one at a time (queued per directory), so
 * concurrent saves of a profile never interleave.
 *
 * Names identify profiles and are unique regardless of case; file names are slugs of the names
 * (`Ops wall` → `ops-wall.json`), kept unique with `-2`, `-3`…
 */
export class ProfileStore {
  /** Absolute path of the folder. */
  readonly directory: string
  readonly #context: StoredProfileContext

  constructor(options: ProfileStoreOptions) {
    this.directory = resolve(options.directory)
    this.#context = { cipher: options.cipher, now: options.now ?? Date.now }
  }

  /** Every profile, sorted by name. Reads only: a damaged file is reported, not repaired. */
  list(): Promise<ProfileSummary[]> {
    return this.#serially(async () => {
      const summaries: ProfileSummary[] = []
      for (const files of await this.#profileFiles()) {
        try {
          const summary = await this.#summarise(files)
          if (summary !== undefined) summaries.push(summary)
        } catch (error) {
          // One unreadable file (permissions) must not hide every other profile.
          const reason = error instanceof Error ? error.message : String(error)
          summaries.push({
            name: files.stem,
            file: files.path,
            feeds: 0,
            panels: 0,
            rules: 0,
            updatedAt: 0,
            problem: `the file could not be read (${reason})`,
          })
        }
      }
      return summaries.sort((a, b) =>
        a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }),
      )
    })
  }

  /**
   * The profile with this name. A damaged file is moved aside and the backup loaded; an older format
   * is migrated (original kept); `notices` says so, with absolute paths.
   */
  load(name: string): Promise<ProfileResult> {
    return this.#serially(async () => {
      const { files, name: known } = await this.#locate(name)
      const loaded = await loadStoredProfile(files, known, this.#context)
      return { profile: loaded.profile, file: files.path, notices: loaded.notices }
    })
  }

  /** Replaces the stored profile of the same name (the previous version is kept as `.bak`). */
  save(profile: ProfileInput): Promise<ProfileResult> {
    return this.#serially(async () => {
      const valid = validate(profile)
      const found = await this.#find(valid.name)
      if (found === undefined) {
        throw new ProfileError(
          'not-found',
          `There is no profile named ${quoteText(valid.name)} to save: create it first, or rename the profile to change its name.`,
        )
      }
      const { files } = found
      const notices = await saveStoredProfile(files, valid, this.#context)
      return { profile: valid, file: files.path, notices }
    })
  }

  /** A new profile: empty, or with the feeds, panels, rules, layout and settings of `initial`. */
  create(
    name: string,
    initial: Partial<Omit<ProfileInput, 'version' | 'name'>> = {},
  ): Promise<ProfileResult> {
    return this.#serially(async () => {
      const profile = validate({ ...initial, version: PROFILE_VERSION, name })
      return this.#createFile(profile)
    })
  }

  /** A copy of a profile under a new name; the original is not changed. */
  duplicate(name: string, newName: string): Promise<ProfileResult> {
    return this.#serially(async () => {
      const source = await this.#locate(name)
      const loaded = await loadStoredProfile(source.files, source.name, this.#context)
      const copy = validate({ ...loaded.profile, name: newName })
      const created = await this.#createFile(copy, loaded)
      return { ...created, notices: [...loaded.notices, ...created.notices] }
    })
  }

  /**
   * Gives a profile a new name, and its file the matching slug. The version before the rename
   * becomes the new file's `.bak`; runtime state moves with it.
   */
  rename(name: string, newName: string): Promise<ProfileResult> {
    return this.#serially(async () => {
      const { files, name: known } = await this.#locate(name)
      const loaded = await loadStoredProfile(files, known, this.#context)
      const renamed = validate({ ...loaded.profile, name: newName })
      const holder = await this.#find(renamed.name)
      if (holder !== undefined && holder.files.stem !== files.stem) throw exists(renamed.name)
      const stem = await this.#freeStem(slugify(renamed.name), files.stem)
      if (stem === files.stem) {
        const notices = await saveStoredProfile(files, renamed, this.#context, loaded.unreadable)
        return { profile: renamed, file: files.path, notices: [...loaded.notices, ...notices] }
      }
      // Crash-safe order: until the old file is moved, both exist (a duplicate, never a loss).
      const target = profileFiles(this.directory, stem)
      await saveStoredProfile(target, renamed, this.#context, loaded.unreadable)
      await moveInto(files.path, target.backupPath)
      if (await pathExists(files.statePath)) await moveInto(files.statePath, target.statePath)
      // The version before the previous one; a save would have replaced it too.
      await removeIfExists(files.backupPath)
      return { profile: renamed, file: target.path, notices: loaded.notices }
    })
  }

  /**
   * Moves the profile's file, with its backup, runtime state and any files moved aside, into a new
   * folder `trash/<time>-<stem>/`. Nothing is unlinked; works on damaged profiles too.
   */
  delete(name: string): Promise<DeleteResult> {
    return this.#serially(async () => {
      const { files } = await this.#locate(name)
      await ensureFolder(join(this.directory, TRASH_FOLDER))
      const folder = await createNewFolder(
        trashFolderPath(this.directory, files.stem, this.#context.now()),
      )
      const own = (await this.#entries()).filter((entry) => belongsToProfile(entry, files.stem))
      // The profile file first: once it is gone the profile is deleted, whatever happens next.
      const ordered = [
        `${files.stem}.json`,
        ...own.filter((entry) => entry !== `${files.stem}.json`),
      ]
      for (const entry of ordered) await moveInto(join(this.directory, entry), join(folder, entry))
      return { trashedTo: folder }
    })
  }

  /** The profile as JSON text for another computer or person; secrets only when asked for. */
  exportProfile(name: string, options: ExportOptions): Promise<ExportResult> {
    return this.#serially(async () => {
      const { files, name: known } = await this.#locate(name)
      const loaded = await loadStoredProfile(files, known, this.#context)
      const exported = exportProfileJson(loaded.profile, options.includeSecrets, loaded.unreadable)
      return {
        json: exported.json,
        fileName: `${slugify(loaded.profile.name)}.json`,
        notices: [...loaded.notices, ...exported.notices],
      }
    })
  }

  /**
   * Adds a profile from JSON text (an export, or a file written by an older Feedwatch). Invalid text
   * fails with code `invalid` and path-precise `issues`; a taken name fails with code `exists`
   * unless `ifExists: 'suffix'`.
   */
  importProfile(text: string, options: ImportOptions = {}): Promise<ProfileResult> {
    return this.#serially(async () => {
      const decoded = decodeProfile(text, { name: options.name })
      if (!decoded.ok) {
        if (decoded.problem === 'newer') {
          throw new ProfileError(
            'newer-version',
            `The profile to import was ${summariseIssues(decoded.issues)}.`,
            { issues: decoded.issues },
          )
        }
        throw new ProfileError(
          'invalid',
          `The profile to import is not valid: ${summariseIssues(decoded.issues)}.`,
          { issues: decoded.issues },
        )
      }
      if (decoded.repairs.length > 0) {
        // What enters is checked as it enters: only files already stored are repaired.
        const issues = decoded.repairs.map((repair) => repair.issue)
        throw new ProfileError(
          'invalid',
          `The profile to import is not valid: ${summariseIssues(issues)}.`,
          { issues },
        )
      }
      const { profile: opened } = revealSecrets(decoded.profile, this.#context.cipher)
      let profile = opened
      if ((await this.#find(profile.name)) !== undefined) {
        if (options.ifExists !== 'suffix') throw exists(profile.name)
        profile = validate({ ...profile, name: await this.#freeName(profile.name) })
      }
      const created = await this.#createFile(profile)
      const notices: ProfileNotice[] = []
      if (decoded.fromVersion < PROFILE_VERSION) {
        notices.push({
          code: 'migrated',
          message: `The imported profile was in the format of an older Feedwatch (version ${decoded.fromVersion}) and was updated to version ${PROFILE_VERSION}.`,
        })
      }
      return { ...created, notices: [...notices, ...emptySecretNotices(profile)] }
    })
  }

  /**
   * The runtime state beside a profile. A missing or damaged state file gives the empty state
   * (a damaged one is moved aside, with a notice); only a missing profile or the file system throws.
   */
  loadRuntimeState(name: string): Promise<LoadedRuntimeState> {
    return this.#serially(async () => {
      const { files, name: known } = await this.#locate(name)
      return readRuntimeStateFile(files, known, this.#context.now)
    })
  }

  /** Applies `update` to the stored runtime state and writes it atomically; returns the new state. */
  updateRuntimeState(name: string, update: RuntimeStateUpdate): Promise<LoadedRuntimeState> {
    return this.#serially(async () => {
      const { files, name: known } = await this.#locate(name)
      const current = await readRuntimeStateFile(files, known, this.#context.now)
      const state = applyRuntimeStateUpdate(current.state, update)
      await writeRuntimeStateFile(files, state)
      return { state, notices: current.notices }
    })
  }

  /**
   * Throws a `ProfileError` (code `invalid`) when the folder holds files kept from a damaged profile
   * that could not be recovered (no usable backup) and no profile file took its place. Call before
   * creating a first profile on an empty list: a fresh profile must never silently open over lost
   * work, so each start fails the same way, naming the files, until the person repairs or moves them.
   */
  ensureNothingUnrecovered(): Promise<void> {
    return this.#serially(async () => {
      const entries = await this.#entries()
      const present = new Set(entries)
      const kept = entries
        .filter((entry) => {
          const match = UNRECOVERED.exec(entry)
          return match !== null && !present.has(`${match[1]}.json`)
        })
        .sort()
      if (kept.length === 0) return
      const stem = UNRECOVERED.exec(kept[0] ?? '')?.[1] ?? 'profile'
      const paths = kept.map((entry) => join(this.directory, entry))
      throw new ProfileError(
        'invalid',
        `No profile can be opened: ${paths.join(' and ')} ${paths.length === 1 ? 'holds' : 'hold'} a damaged profile that could not be recovered (it had no usable backup). Repair the file and rename it to ${stem}.json, or move it out of ${this.directory}, then start again.`,
        { movedTo: paths },
      )
    })
  }

  #serially<T>(task: () => Promise<T>): Promise<T> {
    return runSerially(this.directory, async () => {
      try {
        return await task()
      } catch (error) {
        if (error instanceof ProfileError) throw error
        const reason = error instanceof Error ? error.message : String(error)
        throw new ProfileError('io', `Profile operation failed: ${reason}`, { cause: error })
      }
    })
  }

  /** Names of the regular files in the directory; none when it does not exist yet. */
  async #entries(): Promise<string[]> {
    try {
      const entries = await readdir(this.directory, { withFileTypes: true })
      return entries.filter((entry) => entry.isFile()).map((entry) => entry.name)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw new ProfileError(
        'io',
        `Could not list ${this.directory}: ${(error as Error).message}`,
        {
          cause: error,
        },
      )
    }
  }

  async #profileFiles(): Promise<ProfileFiles[]> {
    return (await this.#entries())
      .filter(isProfileFileName)
      .sort()
      .map((entry) => profileFiles(this.directory, entry.slice(0, -'.json'.length)))
  }

  /**
   * The name a profile file goes by: the one inside it, else the one in its backup (the file may be
   * damaged), else the file name.
   */
  async #nameOf(files: ProfileFiles): Promise<string | undefined> {
    try {
      const text = await readTextIfExists(files.path)
      if (text === undefined) return undefined
      const inFile = nameInDocument(text)
      if (inFile !== undefined) return inFile
      const backup = await readTextIfExists(files.backupPath)
      return (backup === undefined ? undefined : nameInDocument(backup)) ?? files.stem
    } catch (error) {
      // An unreadable file goes by its file name; loading it then reports the real problem.
      if (error instanceof ProfileError) return files.stem
      throw error
    }
  }

  async #find(name: string): Promise<Located | undefined> {
    const key = nameKey(name)
    const all = await this.#profileFiles()
    // The file named after the slug is the usual answer; try it before reading every other file.
    const slug = slugify(name)
    const ordered = [...all.filter((f) => f.stem === slug), ...all.filter((f) => f.stem !== slug)]
    for (const files of ordered) {
      const known = await this.#nameOf(files)
      if (known !== undefined && nameKey(known) === key) return { files, name: known }
    }
    return undefined
  }

  async #locate(name: string): Promise<Located> {
    const found = await this.#find(name)
    if (found === undefined) {
      throw new ProfileError('not-found', `There is no profile named ${quoteText(name.trim())}.`)
    }
    return found
  }

  /** `base`, `base-2`, `base-3`… whichever has no file of any kind yet (or is `own`). */
  async #freeStem(base: string, own?: string): Promise<string> {
    for (let n = 1; n <= MAX_SUFFIX; n += 1) {
      const stem = n === 1 ? base : `${base}-${n}`
      if (stem === own) return stem
      const files = profileFiles(this.directory, stem)
      const taken = await Promise.all(
        [files.path, files.backupPath, files.statePath].map((path) => pathExists(path)),
      )
      if (!taken.includes(true)) return stem
    }
    throw new ProfileError(
      'io',
      `Could not find a free file name for ${quoteText(base)} in ${this.directory}.`,
    )
  }

  /** `name (2)`, `name (3)`… whichever no profile has. */
  async #freeName(name: string): Promise<string> {
    const taken = new Set<string>()
    for (const files of await this.#profileFiles()) {
      const known = await this.#nameOf(files)
      if (known !== undefined) taken.add(nameKey(known))
    }
    for (let n = 2; n <= MAX_SUFFIX; n += 1) {
      const candidate = `${name} (${n})`
      if (!taken.has(nameKey(candidate))) return candidate
    }
    throw exists(name)
  }

  /** Writes a profile under a new file, after checking its name is free. */
  async #createFile(profile: Profile, source?: LoadedProfile): Promise<ProfileResult> {
    if ((await this.#find(profile.name)) !== undefined) throw exists(profile.name)
    await ensureFolder(this.directory)
    const files = profileFiles(this.directory, await this.#freeStem(slugify(profile.name)))
    const notices = await saveStoredProfile(files, profile, this.#context, source?.unreadable)
    return { profile, file: files.path, notices }
  }

  async #summarise(files: ProfileFiles): Promise<ProfileSummary | undefined> {
    const text = await readTextIfExists(files.path)
    if (text === undefined) return undefined
    const updatedAt = (await stat(files.path)).mtimeMs
    const decoded = decodeProfile(text)
    if (decoded.ok) return { ...counts(decoded.profile), file: files.path, updatedAt }
    const backupText = await readTextIfExists(files.backupPath)
    const backup = backupText === undefined ? undefined : decodeProfile(backupText)
    const name =
      nameInDocument(text) ?? (backupText === undefined ? undefined : nameInDocument(backupText))
    const base = { name: name ?? files.stem, file: files.path, updatedAt }
    if (decoded.problem === 'newer') {
      return { ...base, feeds: 0, panels: 0, rules: 0, problem: summariseIssues(decoded.issues) }
    }
    const problem = `the file is damaged (${summariseIssues(decoded.issues)})`
    if (backup?.ok === true) {
      return {
        ...counts(backup.profile),
        ...base,
        problem: `${problem}; opening it restores the last good version from its backup`,
      }
    }
    return {
      ...base,
      feeds: 0,
      panels: 0,
      rules: 0,
      problem: `${problem} and it has no usable backup`,
    }
  }
}

function counts(profile: Profile): Pick<ProfileSummary, 'name' | 'feeds' | 'panels' | 'rules'> {
  return {
    name: profile.name,
    feeds: profile.feeds.length,
    panels: profile.panels.length,
    rules: profile.rules.length,
  }
}

function validate(input: unknown): Profile {
  const result = profileSchema.safeParse(input)
  if (result.success) return result.data
  const issues = describeIssues(result.error)
  throw new ProfileError('invalid', `The profile is not valid: ${summariseIssues(issues)}.`, {
    issues,
  })
}

function exists(name: string): ProfileError {
  return new ProfileError('exists', `A profile named ${quoteText(name)} already exists.`)
}
