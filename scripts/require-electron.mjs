// Runs before `npm start` and `npm run dev`: without the Electron binary they would end in a stack
// trace (or, with Electron 45's package, in an attempt to download it), so say so in one sentence.
// The binary is looked up the way the `electron` package itself does (its path.txt, or
// ELECTRON_OVERRIDE_DIST_PATH), without loading that package, which would start a download.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const SENTENCE =
  'The Electron binary is not installed, so the desktop app cannot start here; see "Install" in README.md (npm test, the CLI and feedwatch serve work without it).'

/** The Electron executable the `electron` package would run, or undefined when there is none. */
function electronExecutable() {
  let packageDir
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
  } catch {
    return undefined
  }
  const pathFile = join(packageDir, 'path.txt')
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : ''
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH']
  if (override) return join(override, relative || 'electron')
  return relative === '' ? undefined : join(packageDir, 'dist', relative)
}

const executable = electronExecutable()
if (executable === undefined || !existsSync(executable)) {
  console.error(SENTENCE)
  process.exit(1)
}
