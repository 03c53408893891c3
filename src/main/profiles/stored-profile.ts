import { quoteText } from '../../shared/safe-text'
import { stat } from 'node:fs/promises'
import { PROFILE_VERSION, type Profile } from '../../shared/profile'
import { beforeRepairPath, corruptPath, versionBackupPath, type ProfileFiles } from './file-names'
import {
  decodeProfile,
  encodeProfile,
  summariseIssues,
  type DecodedProfile,
  type HeaderRepair,
} from './profile-document'
import { ProfileError } from './profile-error'
import type { ProfileNotice } from './profile-notice'
import { keepCopy, moveWithoutReplacing, readTextIfExists, writeAtomically } from './safe-files'
import {
  revealSecrets,
  sealSecrets,
  secretKey,
  type SecretCipher,
  type UnreadableSecret,
} from './secret-cipher'

/**
 * Reading and writing one profile's file so that nothing is ever lost:
 *
 * - A save first keeps the current file as `.bak` (when it is good), then replaces the file
 *   atomically. A damaged file is kept as `.corrupt-<time>` instead, never overwritten; a file
 *   written by a newer Feedwatch is refused.
 * - A load that finds the file damaged (not JSON, or not a valid profile) keeps it as
 *   `.corrupt-<time>`, loads the `.bak` instead and restores the file from it; if the `.bak` is bad
 *   too (or missing), both are moved aside and the error lists the problems and where the files went.
 * - A file in an older format is migrated; the original is kept as `.v<old>.bak` first.
 *
 * Files are "kept" under a second name (a hard link) before the profile file is replaced by rename,
 * so the profile file never goes missing, and a kept file holds exactly the bytes that were there.
 * The caller serialises calls for one profile (the store queues every operation).
 */

/** What these functions need from the store. */
export interface StoredProfileContext {
  readonly cipher: SecretCipher | undefined
  readonly now: () => number
}

/** A profile read from disk. */
export interface LoadedProfile {
  /** As people and the engine use it: secrets decrypted. */
  readonly profile: Profile
  /** Secrets that could not be decrypted (empty in `profile`, kept sealed on disk). */
  readonly unreadable: readonly UnreadableSecret[]
  readonly notices: ProfileNotice[]
}

type StoredFile = { readonly text: string; readonly decoded: DecodedProfile }

async function readStored(path: string): Promise<StoredFile | undefined> {
  const text = await readTextIfExists(path)
  return text === undefined ? undefined : { text, decoded: decodeProfile(text) }
}

async function modifiedAt(path: string): Promise<string> {
  try {
    return new Date((await stat(path)).mtimeMs).toISOString()
  } catch {
    return 'at an unknown time'
  }
}

/** Keeps the original of a document in an older format beside the profile, byte for byte. */
async function keepOriginal(
  files: ProfileFiles,
  path: string,
  version: number,
  name: string,
): Promise<ProfileNotice> {
  const kept = await keepCopy(path, versionBackupPath(files.path, version))
  return {
    code: 'migrated',
    message: `Profile ${quoteText(name)} was saved by an older Feedwatch (format version ${version}) and has been updated to version ${PROFILE_VERSION}. The original file is kept at ${kept}.`,
    path: kept,
  }
}

/**
 * Keeps the original of a document whose unsendable headers were taken out, byte for byte, and says
 * which headers and feeds.
 */
async function keepBeforeRepair(
  path: string,
  repairs: readonly HeaderRepair[],
  name: string,
  now: number,
): Promise<ProfileNotice> {
  const kept = await keepCopy(path, beforeRepairPath(path, now))
  const owners = [...new Set(repairs.map((repair) => repair.owner))]
  const one = owners.length === 1
  return {
    code: 'headers-removed',
    message: `Profile ${quoteText(name)} has request headers no HTTP request can carry (${summariseIssues(repairs.map((repair) => repair.issue))}). They were taken out and ${owners.join(', ')} ${one ? 'was' : 'were'} disabled: enter the headers again, then enable ${one ? 'it' : 'them'}. The file as it was is kept at ${kept}.`,
    path: kept,
  }
}

function revealed(
  stored: Profile,
  cipher: SecretCipher | undefined,
  notices: ProfileNotice[],
): LoadedProfile {
  const { profile, unreadable } = revealSecrets(stored, cipher)
  for (const secret of unreadable) {
    notices.push({
      code: 'secret-unreadable',
      message: `The secret header ${quoteText(secret.header)} of feed ${quoteText(secret.feedName)} could not be decrypted on this computer, so it is empty here. Its encrypted value stays in the file until you enter a new value.`,
    })
  }
  return { profile, unreadable, notices }
}

function newerError(name: string, path: string, issues: readonly string[]): ProfileError {
  return new ProfileError(
    'newer-version',
    `Profile ${quoteText(name)} (${path}) was ${summariseIssues(issues)}. Update Feedwatch to open it; the file was left unchanged.`,
    { issues },
  )
}

/**
 * Loads the profile in `files`, repairing and migrating as described above.
 * @param name - the profile's name as the store knows it, for messages.
 */
export async function loadStoredProfile(
  files: ProfileFiles,
  name: string,
  context: StoredProfileContext,
): Promise<LoadedProfile> {
  const main = await readStored(files.path)
  if (main === undefined) {
    throw new ProfileError(
      'not-found',
      `Profile ${quoteText(name)} no longer exists (${files.path}).`,
    )
  }
  const { decoded } = main
  if (decoded.ok) {
    const notices: ProfileNotice[] = []
    if (decoded.fromVersion < PROFILE_VERSION) {
      notices.push(await keepOriginal(files, files.path, decoded.fromVersion, name))
      await writeAtomically(files.backupPath, main.text)
    }
    if (decoded.repairs.length > 0) {
      notices.push(await keepBeforeRepair(files.path, decoded.repairs, name, context.now()))
    }
    if (notices.length > 0) {
      await writeAtomically(files.path, encodeProfile(sealSecrets(decoded.profile, context.cipher)))
    }
    return revealed(decoded.profile, context.cipher, notices)
  }
  if (decoded.problem === 'newer') throw newerError(name, files.path, decoded.issues)

  const backup = await readStored(files.backupPath)
  if (backup !== undefined && !backup.decoded.ok && backup.decoded.problem === 'newer') {
    throw new ProfileError(
      'newer-version',
      `Profile ${quoteText(name)} (${files.path}) is damaged (${summariseIssues(decoded.issues)}), and its backup ${files.backupPath} was ${summariseIssues(backup.decoded.issues)}. Nothing was changed; open it with that Feedwatch.`,
      { issues: decoded.issues },
    )
  }

  const aside = corruptPath(files.path, context.now())
  if (backup?.decoded.ok === true) {
    const restored = backup.decoded
    const savedAt = await modifiedAt(files.backupPath)
    // Keep the damaged bytes under a second name, then replace the profile file atomically: there is
    // never a moment without a profile file.
    const moved = await keepCopy(files.path, aside)
    const notices: ProfileNotice[] = [
      {
        code: 'recovered-from-backup',
        message: `Profile ${quoteText(restored.profile.name)} could not be read (${summariseIssues(decoded.issues)}). The damaged file was moved to ${moved}, and the last good version, saved ${savedAt}, was loaded from the backup ${files.backupPath}. Changes made after that are only in the moved file.`,
        path: moved,
      },
    ]
    if (restored.fromVersion < PROFILE_VERSION) {
      notices.push(await keepOriginal(files, files.backupPath, restored.fromVersion, name))
    }
    if (restored.repairs.length > 0) {
      notices.push(await keepBeforeRepair(files.backupPath, restored.repairs, name, context.now()))
    }
    await writeAtomically(files.path, encodeProfile(sealSecrets(restored.profile, context.cipher)))
    return revealed(restored.profile, context.cipher, notices)
  }

  const movedTo = [await moveWithoutReplacing(files.path, aside)]
  let backupStory = `it has no backup (${files.backupPath} does not exist)`
  if (backup !== undefined && !backup.decoded.ok) {
    movedTo.push(
      await moveWithoutReplacing(files.backupPath, corruptPath(files.backupPath, context.now())),
    )
    backupStory = `its backup could not be read either (${summariseIssues(backup.decoded.issues)})`
  }
  throw new ProfileError(
    'invalid',
    `Profile ${quoteText(name)} could not be read (${summariseIssues(decoded.issues)}), and ${backupStory}. Nothing was deleted: the files were moved to ${movedTo.join(' and ')}.`,
    { issues: decoded.issues, movedTo },
  )
}

/**
 * Writes `profile` (secrets in plain; sealed on the way out) to `files.path`, keeping the current
 * file as `.bak` when it is good, moving it aside when it is damaged and refusing when it is newer.
 * @param unreadable - secrets this profile could not decrypt when it was loaded; where they are still
 *   empty their sealed values are written back, so they survive a save on this computer.
 * @returns notices about a damaged file moved aside or an older original kept.
 */
export async function saveStoredProfile(
  files: ProfileFiles,
  profile: Profile,
  context: StoredProfileContext,
  unreadable: readonly UnreadableSecret[] = [],
): Promise<ProfileNotice[]> {
  const notices: ProfileNotice[] = []
  const keep = new Map(unreadable.map((s) => [secretKey(s.feedId, s.header), s.stored]))
  const current = await readStored(files.path)
  if (current?.decoded.ok === true) {
    for (const secret of revealSecrets(current.decoded.profile, context.cipher).unreadable) {
      keep.set(secretKey(secret.feedId, secret.header), secret.stored)
    }
    if (current.decoded.fromVersion < PROFILE_VERSION) {
      notices.push(await keepOriginal(files, files.path, current.decoded.fromVersion, profile.name))
    }
    await writeAtomically(files.backupPath, current.text)
  } else if (current !== undefined && !current.decoded.ok) {
    if (current.decoded.problem === 'newer') {
      throw newerError(profile.name, files.path, current.decoded.issues)
    }
    const moved = await keepCopy(files.path, corruptPath(files.path, context.now()))
    notices.push({
      code: 'moved-aside',
      message: `The file of profile ${quoteText(profile.name)} was damaged (${summariseIssues(current.decoded.issues)}) when it was about to be saved. It was kept as ${moved} and the profile was saved anew.`,
      path: moved,
    })
  }
  await writeAtomically(files.path, encodeProfile(sealSecrets(profile, context.cipher, keep)))
  return notices
}
