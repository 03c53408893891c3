import { join } from 'node:path'
import { lockDataFolder, type DataFolderLock, type LockOptions } from './data-folder-lock'
import { removeLeftoverTemporaryFiles } from './safe-files'

/** A data folder this process now owns. */
export interface OpenDataFolder {
  readonly lock: DataFolderLock
  /** Temporary files of writes a crash interrupted, now removed (absolute paths). */
  readonly removed: readonly string[]
}

/**
 * Takes the data folder for this process, as `feedwatch serve` and the desktop app do before they
 * read anything: locks it ({@link lockDataFolder}; throws `DataFolderInUseError` when another
 * Feedwatch holds it), then removes the temporary files interrupted writes left in it and in its
 * `profiles` folder, which is safe only now that no one else writes there.
 */
export async function openDataFolder(
  dataDir: string,
  options: LockOptions,
): Promise<OpenDataFolder> {
  const lock = await lockDataFolder(dataDir, options)
  try {
    const removed = [
      ...(await removeLeftoverTemporaryFiles(dataDir)),
      ...(await removeLeftoverTemporaryFiles(join(dataDir, 'profiles'))),
    ]
    return { lock, removed }
  } catch (error) {
    await lock.release()
    throw error
  }
}
