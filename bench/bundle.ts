/**
 * Builds what the benchmark runs the way the app itself is built: with Vite (Rolldown and Oxc, the
 * toolchain electron-vite uses for the main process), dependencies bundled in, not minified. The
 * children then run plain JavaScript with no loader.
 *
 * Why not run the TypeScript through tsx, as this parent process does? tsx compiles with esbuild's
 * `keepNames`, which wraps every named closure in `__name(fn, "name")`: one more
 * `Object.defineProperty` each time a closure is created, and a heavier function object. The app's
 * bundle has none of that. Under tsx one `eventsource-parser` parser costs about 5.5 KB of heap
 * instead of 1 KB, so every connection would be charged several KB it does not cost in the app
 * (the anchor, loaded as plain ESM from node_modules, would not be).
 *
 * Each client is built on its own, so an engine that does not build (while it is being worked on)
 * fails the engine's column, not the benchmark.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { stripVTControlCharacters } from 'node:util'
import { build } from 'vite'
import { CLIENT_KINDS, type ClientKind } from './clients/bench-client'

/** Where the built scripts are. */
export interface BenchBundle {
  /** Absolute paths of the scripts the parent forks. */
  readonly server: string
  readonly throughputChild: string
  readonly idleMemoryChild: string
  /** `file:` URL of each client's module, or why it could not be built. */
  readonly clients: Readonly<Record<ClientKind, string | Error>>
  /** Deletes the build output. */
  remove(): void
}

const benchDir = fileURLToPath(new URL('.', import.meta.url))
const repoRoot = join(benchDir, '..')

async function viteBuild(input: Record<string, string>, outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: repoRoot,
    logLevel: 'error',
    mode: 'production',
    publicDir: false,
    build: {
      ssr: true,
      outDir,
      emptyOutDir: false,
      minify: false,
      target: 'node20',
      copyPublicDir: false,
      reportCompressedSize: false,
      rolldownOptions: {
        input,
        output: {
          format: 'esm',
          entryFileNames: '[name].mjs',
          chunkFileNames: '[name]-[hash].mjs',
        },
      },
    },
    // Bundle dependencies in, as the app's build does (electron-vite `externalizeDeps: false`).
    ssr: { noExternal: true, target: 'node' },
  })
}

/** Builds the server, the measurement children and each client into a fresh temporary folder. */
export async function bundleBench(): Promise<BenchBundle> {
  const outDir = mkdtempSync(join(tmpdir(), 'feedwatch-bench-'))
  const remove = (): void => rmSync(outDir, { recursive: true, force: true })
  process.once('exit', remove)
  try {
    await viteBuild(
      {
        'sse-server': join(benchDir, 'sse-server.ts'),
        'throughput.child': join(benchDir, 'throughput.child.ts'),
        'idle-memory.child': join(benchDir, 'idle-memory.child.ts'),
      },
      join(outDir, 'harness'),
    )
    const clients = {} as Record<ClientKind, string | Error>
    for (const kind of CLIENT_KINDS) {
      try {
        await viteBuild({ [kind]: join(benchDir, 'clients', `${kind}.ts`) }, join(outDir, kind))
        clients[kind] = pathToFileURL(join(outDir, kind, `${kind}.mjs`)).href
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        // Rolldown's message starts "Build failed with 1 error:"; the next line says which.
        const lines = stripVTControlCharacters(message)
          .split('\n')
          .filter((line) => line.trim() !== '')
        clients[kind] = new Error(`build failed: ${lines.slice(0, 2).join(' ').slice(0, 300)}`)
      }
    }
    return {
      server: join(outDir, 'harness', 'sse-server.mjs'),
      throughputChild: join(outDir, 'harness', 'throughput.child.mjs'),
      idleMemoryChild: join(outDir, 'harness', 'idle-memory.child.mjs'),
      clients,
      remove,
    }
  } catch (error) {
    remove()
    throw error
  }
}
