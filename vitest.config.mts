import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  // Renderer unit tests mount single-file components; their files ask for a DOM with
  // `// @vitest-environment happy-dom`, everything else runs under plain Node.
  plugins: [vue()],
  test: {
    include: [
      'test/unit/**/*.test.ts',
      'test/integration/**/*.test.ts',
      'test/ui/**/*.test.ts',
      'test/e2e/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts', 'src/**/*.vue'],
      // main.ts only mounts the app: the Chromium tests run it.
      exclude: ['src/**/*.d.ts', 'src/renderer/src/main.ts'],
      // `text` prints a row per folder (line coverage of everything in it) above its files.
      reporter: ['text', 'text-summary'],
      reportsDirectory: 'test-results/coverage',
      // The table is worth seeing when a test fails too: the failure is reported above it.
      reportOnFailure: true,
      thresholds: {
        // The renderer's logic (stores, formatting, buffers, schedulers) is tested where it lives.
        'src/renderer/src/**/*.ts': { lines: 80 },
      },
    },
  },
})
