import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, test } from 'vitest'

/** Runs `bench/metrics.bench.ts --smoke` on a small profile so the benchmark cannot rot; its numbers are not checked. */
test('the /metrics benchmark runs and prints its table', async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'bench/metrics.bench.ts', '--smoke', '--feeds', '20'],
    { cwd: fileURLToPath(new URL('../..', import.meta.url)) },
  )
  expect(stdout).toContain('| render 20 feeds (')
  expect(stdout).toContain('| GET /metrics over loopback')
  expect(stdout).toMatch(/^target: /m)
})
