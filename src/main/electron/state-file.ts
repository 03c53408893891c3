import { readTextIfExists, writeAtomically } from '../profiles/safe-files'

/**
 * The desktop shell's small JSON files in the app's data folder: the window's bounds and the desktop
 * settings. They describe this computer's desktop, not a profile, so they are not in profiles.
 */

/** Remembers the window's bounds (`window-bounds.ts`). */
export const WINDOW_STATE_FILE = 'window-state.json'
/** The desktop app's settings (`desktop-settings.ts`). */
export const DESKTOP_SETTINGS_FILE = 'desktop-settings.json'

/**
 * The file's content as `parse` reads it, or `undefined` when there is none or it cannot be read: a
 * missing or broken file only means the defaults apply.
 */
export async function readStateFile<T>(
  path: string,
  parse: (value: unknown) => T | undefined,
): Promise<T | undefined> {
  try {
    const text = await readTextIfExists(path)
    return text === undefined ? undefined : parse(JSON.parse(text))
  } catch {
    return undefined
  }
}

/** Writes `value` as JSON, replacing the file atomically. */
export async function writeStateFile(path: string, value: unknown): Promise<void> {
  await writeAtomically(path, `${JSON.stringify(value, null, 2)}\n`)
}
