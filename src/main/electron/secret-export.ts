import { join } from 'node:path'
import type { MenuItemConstructorOptions, SaveDialogOptions } from 'electron'
import writeFileAtomic from 'write-file-atomic'
import { slugify } from '../profiles/file-names'

/**
 * "Export Profile with Secrets…": the only way a secret header value leaves Feedwatch. The API
 * refuses it (any local process may talk to `feedwatch serve`, and a renderer is not trusted with
 * secrets); here the main process asks the person for a file with its own save dialog and writes
 * it there, readable by its owner only.
 */

/** The File menu's item. */
export function exportWithSecretsMenuItem(onClick: () => void): MenuItemConstructorOptions {
  return { label: 'Export Profile with Secrets…', click: () => onClick() }
}

/** What {@link exportProfileWithSecrets} needs; the shell passes Electron's and the service's. */
export interface SecretExportDependencies {
  /** `FeedwatchService.exportProfileWithSecrets`. */
  readonly exportJson: (profile: string) => Promise<{ json: string; notices: string[] }>
  /** `dialog.showSaveDialog`, bound to the window. */
  readonly showSaveDialog: (
    options: SaveDialogOptions,
  ) => Promise<{ canceled: boolean; filePath?: string }>
  /** The folder the dialog opens in (`app.getPath('documents')`). */
  readonly folder: string
  /**
   * Writes the file.
   * @defaultValue atomically (a temporary file, flushed, renamed), mode 0600
   */
  readonly writeFile?: (path: string, text: string) => Promise<void>
}

/** What came of an export: nothing when the person cancelled the dialog. */
export type SecretExportOutcome =
  | { readonly saved: false }
  | { readonly saved: true; readonly path: string; readonly notices: readonly string[] }

function writeOwnerOnly(path: string, text: string): Promise<void> {
  return writeFileAtomic(path, text, { encoding: 'utf8', fsync: true, mode: 0o600 })
}

/**
 * Asks where to save `profile` with its secret values, then writes it there. The secrets are read
 * only after the person chose a file; a cancelled dialog reads and writes nothing.
 */
export async function exportProfileWithSecrets(
  profile: string,
  dependencies: SecretExportDependencies,
): Promise<SecretExportOutcome> {
  const choice = await dependencies.showSaveDialog({
    title: `Export “${profile}” with secrets`,
    message: 'The file will hold secret header values in plain text. Keep it safe.',
    buttonLabel: 'Export with Secrets',
    defaultPath: join(dependencies.folder, `${slugify(profile)}.json`),
    filters: [{ name: 'Feedwatch profile', extensions: ['json'] }],
    properties: ['showOverwriteConfirmation', 'createDirectory'],
  })
  if (choice.canceled || choice.filePath === undefined || choice.filePath === '')
    return { saved: false }
  const { json, notices } = await dependencies.exportJson(profile)
  await (dependencies.writeFile ?? writeOwnerOnly)(choice.filePath, json)
  return { saved: true, path: choice.filePath, notices }
}
