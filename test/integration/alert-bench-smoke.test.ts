import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, test } from 'vitest'

/**
 * Runs `bench/alerts.bench.ts --smoke` (a few seconds) so the alert benchmark cannot rot: both tables
 * must still print, with a number in every cell. Its numbers are not checked.
 */

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

test('the alert benchmark runs in smoke mode and prints both tables', async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'bench/alerts.bench.ts', '--smoke'],
    { cwd: repoRoot, timeout: 60_000 },
  )
  expect(stdout).toMatch(/^\| 200 window rules +\| +\d+\.\d+ % \| +\d+\.\d+ % \|/m)
  expect(stdout).toMatch(/^\| 200 single-sample rules \(anchor\) +\| +\d+\.\d+ % \|/m)
  expect(stdout).toMatch(
    /^\| "a"×40\+"b", \(a\+\)\+\$ +\| +\d+\.\d+ \| +\d+\.\d+ \|.*false, gave up \|$/m,
  )
}, 90_000)
