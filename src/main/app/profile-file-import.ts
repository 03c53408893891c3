import { join } from 'node:path'
import type { ProfileInput } from '../../shared/profile'
import { ProfileError } from '../profiles/profile-error'
import { ProfileStore } from '../profiles/profile-store'

/** The profile a file was imported as, and what the person should know. */
export interface ImportedProfileFile {
  readonly name: string
  readonly notices: readonly string[]
}

/**
 * Imports a profile file into the data folder so `feedwatch serve --profile wall.json` opens it. A
 * profile of the same name is replaced by the file's version; the store keeps the one it replaces as
 * its backup, so nothing is lost.
 */
export async function importProfileFile(
  dataDir: string,
  path: string,
  readFile: (path: string, encoding: 'utf8') => string,
): Promise<ImportedProfileFile> {
  const store = new ProfileStore({ directory: join(dataDir, 'profiles') })
  let text: string
  try {
    text = readFile(path, 'utf8')
  } catch (error) {
    throw new ProfileError(
      'io',
      `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  try {
    const imported = await store.importProfile(text)
    return {
      name: imported.profile.name,
      notices: imported.notices.map((notice) => notice.message),
    }
  } catch (error) {
    if (!(error instanceof ProfileError) || error.code !== 'exists') throw error
  }
  // importProfile has already read and validated this text, so it is a profile document.
  const saved = await store.save(JSON.parse(text) as ProfileInput)
  return {
    name: saved.profile.name,
    notices: [
      `profile "${saved.profile.name}" was replaced by ${path}; the previous version is kept as ${saved.file}.bak`,
      ...saved.notices.map((notice) => notice.message),
    ],
  }
}
