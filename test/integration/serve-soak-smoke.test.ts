import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'

/**
 * Runs a tiny `bench/soak/serve.soak.ts` (20 feeds for 3 seconds) so the soak run cannot rot: the
 * serve process must start, every event must reach the push-stream client, and the table must print.
 * Its memory and latency numbers are not checked.
 */

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

test('a tiny soak run through feedwatch serve loses no event and prints its table', async () => {
  const args = ['--minutes', '0.05', '--feeds', '20', '--buffer', '10', '--clients', '1']
  const { code, stdout, stderr } = await new Promise<{
    code: number | null
    stdout: string
    stderr: string
  }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'bench/soak/serve.soak.ts', ...args],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
    // SIGTERM: the soak takes its serve process with it.
    const timer = setTimeout(() => child.kill('SIGTERM'), 90_000)
    child.on('error', reject)
    child.on('close', (status) => {
      clearTimeout(timer)
      resolve({ code: status, stdout: out, stderr: err })
    })
  })
  expect(code, stderr).toBe(0)
  expect(stdout).toMatch(/\| lost between sources and serve +\| 0 +\|/)
  expect(stdout).toMatch(/\| push client 1: [^|]+\| \d+ \/ 0 \/ 0 \/ 0 \/ 0 +\|/)
  expect(stdout).toMatch(/\| push-stream latency p50 \/ p99 [^|]+\| [\d.]+ \/ [\d.]+ ms/)
}, 120_000)
