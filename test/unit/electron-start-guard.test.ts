import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'

/**
 * `npm start` and `npm run dev` first run scripts/require-electron.mjs. Here it runs in a scratch
 * project whose `node_modules/electron` is whatever the test makes of it.
 */

const ROOT = resolve(__dirname, '../..')
const SENTENCE = /^The Electron binary is not installed, .*see "Install" in README\.md.*\n$/

let project = ''

beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'feedwatch-guard-'))
  mkdirSync(join(project, 'scripts'))
  copyFileSync(
    join(ROOT, 'scripts/require-electron.mjs'),
    join(project, 'scripts/require-electron.mjs'),
  )
})

afterEach(() => rmSync(project, { recursive: true, force: true }))

/** Writes `node_modules/electron` with its package.json and, when given, path.txt and the binary. */
function electronPackage(options: { pathTxt?: string; binary?: string } = {}): void {
  const dir = join(project, 'node_modules/electron')
  mkdirSync(join(dir, 'dist'), { recursive: true })
  writeFileSync(join(dir, 'package.json'), '{"name":"electron","main":"index.js"}')
  // Loading the package would start a download; the guard must not do it.
  writeFileSync(join(dir, 'index.js'), 'throw new Error("the guard loaded the electron package")')
  if (options.pathTxt !== undefined) writeFileSync(join(dir, 'path.txt'), options.pathTxt)
  if (options.binary !== undefined) writeFileSync(join(dir, 'dist', options.binary), '')
}

function guard(env: NodeJS.ProcessEnv = {}) {
  const { ELECTRON_OVERRIDE_DIST_PATH: _ignored, ...inherited } = process.env
  return spawnSync(process.execPath, [join(project, 'scripts/require-electron.mjs')], {
    cwd: project,
    env: { ...inherited, ...env },
    encoding: 'utf8',
  })
}

test('npm start and npm run dev run the guard before electron-vite', () => {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>
  }
  expect(scripts['start']).toMatch(/^node scripts\/require-electron\.mjs && electron-vite preview/)
  expect(scripts['dev']).toMatch(/^node scripts\/require-electron\.mjs && electron-vite dev/)
})

test('without the electron package it prints one sentence and exits 1', () => {
  const result = guard()
  expect(result.status).toBe(1)
  expect(result.stderr).toMatch(SENTENCE)
  expect(result.stdout).toBe('')
})

test('with the package installed but its binary skipped it prints one sentence and exits 1', () => {
  electronPackage()
  const result = guard()
  expect(result.status).toBe(1)
  expect(result.stderr).toMatch(SENTENCE)
})

test('with path.txt naming a binary that is gone it prints one sentence and exits 1', () => {
  electronPackage({ pathTxt: 'electron' })
  expect(guard().stderr).toMatch(SENTENCE)
})

test('with the binary in place it says nothing and exits 0', () => {
  electronPackage({ pathTxt: 'electron', binary: 'electron' })
  const result = guard()
  expect(result.status).toBe(0)
  expect(result.stderr).toBe('')
})

test('ELECTRON_OVERRIDE_DIST_PATH is honoured as the electron package honours it', () => {
  electronPackage({ pathTxt: 'electron' })
  const dist = join(project, 'custom-dist')
  mkdirSync(dist)
  writeFileSync(join(dist, 'electron'), '')
  expect(guard({ ELECTRON_OVERRIDE_DIST_PATH: dist }).status).toBe(0)
})
