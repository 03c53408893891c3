import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { appMenuTemplate, type AppMenuOptions } from '../../src/main/electron/app-menu'
import {
  exportProfileWithSecrets,
  type SecretExportDependencies,
} from '../../src/main/electron/secret-export'

type SaveDialogOptions = Parameters<SecretExportDependencies['showSaveDialog']>[0]

let folder: string
const JSON_TEXT = '{"name":"Ops wall","feeds":[{"headers":[{"value":"Bearer t0ken"}]}]}\n'

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'feedwatch-secret-export-'))
})

afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

function dependencies(filePath: string | undefined): {
  deps: SecretExportDependencies
  dialogs: SaveDialogOptions[]
  exported: string[]
} {
  const dialogs: SaveDialogOptions[] = []
  const exported: string[] = []
  return {
    dialogs,
    exported,
    deps: {
      folder,
      showSaveDialog: (options) => {
        dialogs.push(options)
        return Promise.resolve(
          filePath === undefined ? { canceled: true } : { canceled: false, filePath },
        )
      },
      exportJson: (profile) => {
        exported.push(profile)
        return Promise.resolve({ json: JSON_TEXT, notices: ['a notice'] })
      },
    },
  }
}

test('the chosen file gets the profile with its secrets, readable by its owner only', async () => {
  const path = join(folder, 'chosen.json')
  const { deps } = dependencies(path)

  const outcome = await exportProfileWithSecrets('Ops wall', deps)

  expect(outcome).toEqual({ saved: true, path, notices: ['a notice'] })
  expect(await readFile(path, 'utf8')).toBe(JSON_TEXT)
  if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600)
})

test('the dialog suggests the profile slug in the folder and warns that secrets are in plain text', async () => {
  const { deps, dialogs } = dependencies(undefined)
  await exportProfileWithSecrets('Ops wall', deps)
  expect(dialogs).toHaveLength(1)
  expect(dialogs[0]).toMatchObject({
    defaultPath: join(folder, 'ops-wall.json'),
    buttonLabel: 'Export with Secrets',
    properties: expect.arrayContaining(['showOverwriteConfirmation']),
  })
  expect(dialogs[0]?.message).toMatch(/plain text/)
})

test('a cancelled dialog reads no secret and writes nothing', async () => {
  const { deps, exported } = dependencies(undefined)
  expect(await exportProfileWithSecrets('Ops wall', deps)).toEqual({ saved: false })
  expect(exported).toEqual([])
})

test('the File menu has the export item only when the shell offers it', () => {
  const base = {
    platform: 'linux',
    development: false,
    wall: false,
    settings: { mutedUntil: 0, keepRunningWhenClosed: true, startAtLogin: false },
    now: 0,
    formatTime: () => '',
    displays: [],
    profiles: [],
    onShowWindow: () => undefined,
    onToggleWall: () => undefined,
    onOpenWallOnDisplay: () => undefined,
    onToggleMute: () => undefined,
    onToggleKeepRunning: () => undefined,
    onToggleStartAtLogin: () => undefined,
    onQuit: () => undefined,
  } as unknown as AppMenuOptions
  const labels = (options: AppMenuOptions): unknown[] => {
    const file = appMenuTemplate(options).find((menu) => menu.label === 'File')
    return Array.isArray(file?.submenu) ? file.submenu.map((item) => item.label) : []
  }
  let clicked = 0
  const withExport = { ...base, onExportWithSecrets: () => (clicked += 1) }
  expect(labels(base)).not.toContain('Export Profile with Secrets…')
  expect(labels(withExport)).toContain('Export Profile with Secrets…')
  const file = appMenuTemplate(withExport).find((menu) => menu.label === 'File')
  const item = Array.isArray(file?.submenu)
    ? file.submenu.find((entry) => entry.label === 'Export Profile with Secrets…')
    : undefined
  item?.click?.({} as never, undefined, {} as never)
  expect(clicked).toBe(1)
})
