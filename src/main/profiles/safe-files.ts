import { constants } from 'node:fs'
import {
  copyFile,
  link,
  lstat,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  unlink,
} from 'node:fs/promises'
import { join } from 'node:path'
import writeFileAtomic from 'write-file-atomic'
import { alternativePath } from './file-names'
import { ioError } from './profile-error'

/**
 * The only file-system writes the profile store makes. Each either replaces a file atomically (a
 * complete temporary file, flushed to disk, then renamed over the target) or creates a file under a
 * name nothing else has, so no sequence of crashes can leave a half-written profile or overwrite a
 * file that was moved aside. Failures become `ProfileError`s with code `io` naming the path.
 */

/**
 * Profiles may hold credentials in plain text (no OS keychain on a headless server), so only their
 * owner may read them.
 */
const FILE_MODE = 0o600
const FOLDER_MODE = 0o700

/** Give up looking for a free alternative name after this many tries (`path-2` … `path-99`). */
const MAX_ALTERNATIVES = 99

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined
}

/** The file's text, or `undefined` when it does not exist. */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined
    throw ioError('read', path, error)
  }
}

export async function pathExists(path: string): Promise<boolean> {
  try {
    await lstat(path)
    return true
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false
    throw ioError('check', path, error)
  }
}

/** Creates the folder and its parents; owner-only where the OS supports it. */
export async function ensureFolder(path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true, mode: FOLDER_MODE })
  } catch (error) {
    throw ioError('create the folder', path, error)
  }
}

/**
 * Replaces (or creates) the file with `text`: write-file-atomic writes a temporary file beside it,
 * fsyncs it and renames it over the target, so the target is always either the old or the new
 * version, never a mix. Writes to the same path from this process are queued by write-file-atomic.
 */
export async function writeAtomically(path: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(path, text, { encoding: 'utf8', fsync: true, mode: FILE_MODE })
  } catch (error) {
    throw ioError('write', path, error)
  }
}

/**
 * Writes `text` atomically to `path`, or to `path-2`, `path-3`… when that exists, and returns the
 * path written. Only safe while no one else creates files under these names (the store serialises its
 * operations).
 */
export async function writeNewFile(path: string, text: string): Promise<string> {
  for (let attempt = 1; attempt <= MAX_ALTERNATIVES; attempt += 1) {
    const candidate = alternativePath(path, attempt)
    if (await pathExists(candidate)) continue
    await writeAtomically(candidate, text)
    return candidate
  }
  throw ioError('find a free file name for', path, new Error('too many files with this name'))
}

/**
 * Gives the file a second name, `to` (or `to-2`, `to-3`… when taken), and returns it. The original
 * name may then be replaced atomically while the second name keeps the old bytes exactly, so there is
 * no moment without a profile file. A hard link cannot replace anything (it fails with EEXIST) and
 * copies nothing; file systems without hard links (FAT, some network shares) get an exclusive copy,
 * flushed to disk.
 */
export async function keepCopy(from: string, to: string): Promise<string> {
  for (let attempt = 1; attempt <= MAX_ALTERNATIVES; attempt += 1) {
    const candidate = alternativePath(to, attempt)
    try {
      await link(from, candidate)
      return candidate
    } catch (error) {
      const code = errorCode(error)
      if (code === 'EEXIST') continue
      if (code === 'ENOENT') throw ioError('keep a copy of', from, error)
    }
    try {
      await copyFile(from, candidate, constants.COPYFILE_EXCL)
      const copy = await open(candidate, 'r+')
      await copy.sync().finally(() => copy.close())
      return candidate
    } catch (error) {
      if (errorCode(error) === 'EEXIST') continue
      throw ioError(`copy ${from} to`, candidate, error)
    }
  }
  throw ioError('find a free file name for', to, new Error('too many files with this name'))
}

/**
 * Moves a file to `to` (or `to-2`, `to-3`… when taken) without ever replacing an existing file, and
 * returns where it went: {@link keepCopy}, then the old name is removed. (A plain rename would
 * silently replace a file already at `to`.)
 */
export async function moveWithoutReplacing(from: string, to: string): Promise<string> {
  const moved = await keepCopy(from, to)
  try {
    await unlink(from)
  } catch (error) {
    // Both names now hold the file: nothing is lost, but the move is incomplete.
    throw ioError('remove the old name of', from, error)
  }
  return moved
}

/** Renames a file whose destination is known to be free (a fresh folder, a just-allocated name). */
export async function moveInto(from: string, to: string): Promise<void> {
  try {
    await rename(from, to)
  } catch (error) {
    throw ioError(`move ${from} to`, to, error)
  }
}

/** Removes a file that is no longer needed; a missing file is fine. */
export async function removeIfExists(path: string): Promise<void> {
  try {
    await unlink(path)
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw ioError('remove', path, error)
  }
}

/** Creates a new, empty folder at `path` (or `path-2`…) and returns it; never reuses one. */
export async function createNewFolder(path: string): Promise<string> {
  for (let attempt = 1; attempt <= MAX_ALTERNATIVES; attempt += 1) {
    const candidate = alternativePath(path, attempt)
    try {
      await mkdir(candidate, { mode: FOLDER_MODE })
      return candidate
    } catch (error) {
      if (errorCode(error) === 'EEXIST') continue
      throw ioError('create the folder', candidate, error)
    }
  }
  throw ioError('find a free folder name for', path, new Error('too many folders with this name'))
}

/**
 * A temporary file of {@link writeAtomically} (write-file-atomic names it `<target>.<32-bit hash in
 * decimal>`) for one of our JSON files or their backups: `ops.json.3735928559`,
 * `ops.json.bak.12345`, `app-state.json.42`.
 */
const TEMPORARY_FILE = /^[^/\\]+\.json(?:\.bak)?\.\d{1,10}$/

/**
 * Removes the temporary files that a write interrupted by a crash or power cut left in `folder`,
 * and returns their paths. Only safe while no other process writes there: call it with the data
 * folder's lock held. A missing folder has none.
 */
export async function removeLeftoverTemporaryFiles(folder: string): Promise<string[]> {
  let entries
  try {
    entries = await readdir(folder, { withFileTypes: true })
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return []
    throw ioError('list', folder, error)
  }
  const removed: string[] = []
  for (const entry of entries) {
    if (!entry.isFile() || !TEMPORARY_FILE.test(entry.name)) continue
    const path = join(folder, entry.name)
    await removeIfExists(path)
    removed.push(path)
  }
  return removed
}
