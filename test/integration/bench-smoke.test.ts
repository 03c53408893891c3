import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { beforeAll, expect, test } from 'vitest'

/**
 * Runs `bench/engine.bench.ts --smoke` (tiny sizes, a few seconds) so the benchmark cannot rot:
 * every client must still load, connect, receive and report. Its numbers are not checked.
 */

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
const SMOKE_DEADLINE_MS = 90_000

interface SmokeRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

function runSmokeBench(): Promise<SmokeRun> {
  return new Promise<SmokeRun>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/engine.bench.ts', '--smoke'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    // SIGTERM, not SIGKILL: the bench kills its own server and measurement children on SIGTERM.
    const timer = setTimeout(() => child.kill('SIGTERM'), SMOKE_DEADLINE_MS)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

/** The cells of the table row whose first cell starts with `caseStart`, or undefined. */
function tableRow(stdout: string, caseStart: string): string[] | undefined {
  const line = stdout.split('\n').find((text) => text.startsWith(`| ${caseStart}`))
  return line
    ?.split('|')
    .slice(1, -1)
    .map((cell) => cell.trim())
}

let run: SmokeRun

beforeAll(async () => {
  run = await runSmokeBench()
}, SMOKE_DEADLINE_MS + 10_000)

test('the smoke benchmark exits with status 0', () => {
  expect(run.code, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0)
})

test('the smoke benchmark prints the table header with every client and both ratios', () => {
  expect(tableRow(run.stdout, 'case')).toEqual([
    'case',
    'engine',
    'eventsource pkg',
    'raw node:http+parser',
    'engine/eventsource',
    'engine/raw',
  ])
})

test('the smoke benchmark prints events per second for every client, with ratios', () => {
  const row = tableRow(run.stdout, 'events/s')
  expect(row, run.stdout).toBeDefined()
  expect(row!.slice(1, 4)).toEqual([
    expect.stringMatching(/^[\d,]+$/),
    expect.stringMatching(/^[\d,]+$/),
    expect.stringMatching(/^[\d,]+$/),
  ])
  expect(row!.slice(4)).toEqual([
    expect.stringMatching(/^\d+\.\d\d×$/),
    expect.stringMatching(/^\d+\.\d\d×$/),
  ])
})

test('the smoke benchmark prints RSS per idle connection for every client', () => {
  const row = tableRow(run.stdout, 'KB RSS per idle connection')
  expect(row, run.stdout).toBeDefined()
  expect(row!.slice(1, 4)).toEqual([
    expect.stringMatching(/^-?\d+\.\d$/),
    expect.stringMatching(/^-?\d+\.\d$/),
    expect.stringMatching(/^-?\d+\.\d$/),
  ])
})

test('the smoke benchmark states its targets', () => {
  expect(run.stdout).toContain('engine events/s >= 2x eventsource pkg')
  expect(run.stdout).toContain('engine events/s >= 70% of raw baseline')
  expect(run.stdout).toContain('engine RSS per idle connection <= 60 KB')
})
