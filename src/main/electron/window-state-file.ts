import { readTextIfExists, writeAtomically } from '../profiles/safe-files'
import { parseWindowState, type WindowState } from './window-bounds'

/** Name of the file, in the app's data folder, that remembers the window's bounds. */
export const WINDOW_STATE_FILE = 'window-state.json'

/**
 * The saved window state, or `undefined` when there is none or it cannot be read: a missing or
 * broken file only means the window opens at its default size.
 */
export async function readWindowState(path: string): Promise<WindowState | undefined> {
  try {
    const text = await readTextIfExists(path)
    return text === undefined ? undefined : parseWindowState(JSON.parse(text))
  } catch {
    return undefined
  }
}

/** Saves the window state, replacing the file atomically. */
export async function writeWindowState(path: string, state: WindowState): Promise<void> {
  await writeAtomically(path, `${JSON.stringify(state, null, 2)}\n`)
}
