import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { ParseArgsConfig } from 'node:util'
import envPaths from 'env-paths'
import { wallPath } from '../../shared/api-channels'
import type { ProfileAlertNotice } from '../../shared/api'
import { FeedwatchService } from '../app/feedwatch-service'
import { importProfileFile } from '../app/profile-file-import'
import { createFeedwatchMetrics } from '../metrics/feedwatch-metrics'
import { openDataFolder } from '../profiles/data-folder'
import { DataFolderLockError } from '../profiles/data-folder-lock'
import { ProfileError } from '../profiles/profile-error'
import { generateToken, isLoopbackHost } from '../server/access-control'
import { startFeedwatchServer, ServerStartError } from '../server/feedwatch-server'
import { PushStream } from '../server/push-stream'
import { parseStrictArgs } from './strict-args'
import { UsageError } from './usage-error'

/** One line for `feedwatch help`. */
export const SERVE_SUMMARY = 'run Feedwatch headless and serve its UI to browsers (an ops wall)'

/** What `feedwatch serve --help` prints. */
export const SERVE_USAGE = `Usage: feedwatch serve [options]

Runs the feeds, alerts and charts of profiles without the desktop app, and serves the
same user interface to browsers (at /, and each running profile's ops wall at /wall/<profile>).
Prometheus metrics of every running profile are at /metrics, with the same token rules.

Options:
  --profile NAME|FILE  a profile to run, by name, or a profile JSON file to import and run;
                       repeat it to run several (default: the profiles marked running, or the
                       Demo profile on first run). The first one is what / and /wall show
  --data-dir DIR       where profiles are kept (default: ${defaultDataDir()})
  --port N             port to listen on (default: 4000; 0 picks a free one)
  --host ADDRESS       address to bind (default: 127.0.0.1). Anything but a loopback address
                       makes Feedwatch reachable from other machines and requires a token
  --token T            require this token (a bearer header, or the login link printed at start);
                       generated and printed when binding beyond loopback without one
  --read-only          refuse every command that changes anything (a wall on a shared TV)
  -h, --help           show this help
`

/** The OS's config folder for Feedwatch: `~/.config/feedwatch` on Linux. */
export function defaultDataDir(): string {
  return envPaths('feedwatch', { suffix: '' }).config
}

const SERVE_OPTIONS = {
  profile: { type: 'string', multiple: true },
  'data-dir': { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  token: { type: 'string' },
  'read-only': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>

/** What `feedwatch serve` was asked to do. */
export interface ServeOptions {
  /** Profiles to run, by name or file; empty: those marked running. */
  readonly profiles: readonly string[]
  readonly dataDir: string
  readonly port: number
  readonly host: string
  readonly token: string | undefined
  readonly readOnly: boolean
}

/**
 * Reads `feedwatch serve`'s arguments.
 * @throws {@link UsageError} with one line naming the option and the problem.
 */
export function parseServeArgs(argv: readonly string[]): ServeOptions | 'help' {
  const { values } = parseStrictArgs(argv, SERVE_OPTIONS, false)
  if (values.help) return 'help'
  const port = values.port === undefined ? 4000 : Number(values.port)
  if (!/^\d+$/.test(values.port ?? '4000') || port > 65535) {
    throw new UsageError(`--port: expected a whole number from 0 to 65535, got "${values.port}"`)
  }
  const host = values.host ?? '127.0.0.1'
  if (host === '' || /[\s/]/.test(host))
    throw new UsageError(`--host: expected an address, got "${host}"`)
  if (values.token !== undefined && values.token.length < 8) {
    throw new UsageError('--token: must be at least 8 characters')
  }
  const dataDir = values['data-dir'] ?? defaultDataDir()
  if (existsSync(dataDir) && !statSync(dataDir).isDirectory()) {
    throw new UsageError(`--data-dir: ${dataDir} is not a folder`)
  }
  const profiles = values.profile ?? []
  if (profiles.some((profile) => profile.trim() === ''))
    throw new UsageError('--profile: must not be empty')
  return {
    profiles,
    dataDir,
    port,
    host,
    token: values.token,
    readOnly: values['read-only'] ?? false,
  }
}

/** Runs `feedwatch serve` until SIGINT or SIGTERM; resolves with the exit status. */
export async function runServeCommand(argv: readonly string[]): Promise<number> {
  const options = parseServeArgs(argv)
  if (options === 'help') {
    process.stdout.write(SERVE_USAGE)
    return 0
  }
  const log = (line: string): void => void process.stderr.write(`${line}\n`)
  // One writer per data folder; the lock goes when the process exits, by any path but SIGKILL.
  try {
    const folder = await openDataFolder(options.dataDir, { command: 'feedwatch serve' })
    for (const path of folder.removed)
      log(`feedwatch serve: removed ${path}, left by an interrupted write`)
  } catch (error) {
    if (!(error instanceof DataFolderLockError)) throw error
    log(`feedwatch serve: ${error.message}`)
    return 1
  }
  let service: FeedwatchService
  /** Where alerts link back to (`generatorURL`), known once the server listens. */
  let serverUrl: string | undefined = undefined
  try {
    const profileNames: string[] = []
    for (const profile of options.profiles) {
      if (!looksLikeFile(profile)) {
        profileNames.push(profile)
        continue
      }
      const imported = await importProfileFile(options.dataDir, profile, readFileSync)
      for (const notice of imported.notices) log(`feedwatch serve: ${notice}`)
      profileNames.push(imported.name)
    }
    service = await FeedwatchService.start({
      dataDir: options.dataDir,
      ...(profileNames.length === 0 ? {} : { profileNames }),
      notifier: { notify: (notice) => log(describeNotice(notice)) },
      log,
      delivery: { generatorUrl: () => serverUrl && `${serverUrl}/` },
    })
  } catch (error) {
    // A profile that cannot be used is the person's to fix: say what and where, without a stack.
    if (!(error instanceof ProfileError)) throw error
    log(`feedwatch serve: ${error.message}`)
    return 1
  }
  const token = options.token ?? (isLoopbackHost(options.host) ? undefined : generateToken())
  const pushes = new PushStream()
  const unsubscribe = service.subscribe((message) => pushes.publish(message))
  const metrics = createFeedwatchMetrics(() => service.metrics())
  let server
  try {
    server = await startFeedwatchServer({
      handlers: service.handlers,
      pushes,
      staticRoot: join(__dirname, '../renderer'),
      host: options.host,
      port: options.port,
      token,
      readOnly: options.readOnly,
      metrics: () => metrics.render(),
      onInternalError: (error, command) =>
        log(`feedwatch serve: ${command} failed: ${String(error)}`),
    })
  } catch (error) {
    unsubscribe()
    await service.close()
    if (error instanceof ServerStartError) {
      log(`feedwatch serve: ${error.message}`)
      return 1
    }
    throw error
  }
  serverUrl = server.url
  // Listen for stop signals before saying we are up: a stop right after the URL still closes cleanly.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  process.stdout.write(`${server.url}/\n`)
  const running = service.runningProfiles().map(({ profile }) => profile)
  log(
    `feedwatch serve: ${running.length === 0 ? 'no profile running' : `running ${running.map((name) => `"${name}"`).join(', ')}`} at ${server.url}/${options.readOnly ? ', read-only' : ''}`,
  )
  for (const name of running)
    log(`feedwatch serve: ops wall of "${name}": ${server.url}${wallPath(name)}`)
  if (token !== undefined) {
    log(
      `feedwatch serve: token required; open ${server.url}/login?token=${encodeURIComponent(token)} once in each browser`,
    )
  }
  await stopped
  unsubscribe()
  await server.close()
  await service.close()
  return 0
}

/** An alert as one log line: `[critical] Ops: CPU high — demo: cpu is 0.97 (> 0.9)`. */
function describeNotice(notice: ProfileAlertNotice): string {
  const state = notice.kind === 'resolved' ? 'resolved' : notice.severity
  return `feedwatch serve: [${state}] ${notice.profile}: ${notice.title} — ${notice.body}`
}

/** `--profile` names a file when it ends in .json or contains a path separator. */
function looksLikeFile(value: string): boolean {
  return value.endsWith('.json') || value.includes('/') || value.includes('\\')
}
