import { readFileSync, unlinkSync } from 'node:fs'
import { link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises'
import { hostname as osHostname } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import { quoteText, safeText } from '../../shared/safe-text'

/**
 * One writer per data folder. The profile store rewrites whole files from memory, so two processes
 * on one folder would each erase the other's acknowledged changes; `feedwatch serve` and the desktop
 * app take this lock before they read anything, and a second one exits naming the holder.
 *
 * The lock is a file, `feedwatch.lock`, that names its holder (pid, host, when the process started,
 * which command). It is created atomically and complete: the record is written to a private file
 * first and hard-linked into place, which fails if the lock exists. A lock whose holder is gone is
 * taken over at once, so a holder killed with SIGKILL or a power cut never blocks the next start:
 * on the same host the holder is gone when its pid is not running, is our own pid (a restarted
 * container), or belongs to a process that started at another time (the pid was reused; checked
 * through `/proc` where there is one). A holder on another host (a shared network folder) cannot be
 * checked and is taken as running; the message says which file to delete.
 */

/** The lock's file name inside the data folder. */
export const LOCK_FILE = 'feedwatch.lock'

/** Who holds a data folder. */
export interface LockHolder {
  readonly pid: number
  readonly hostname: string
  /** When the holding process started (epoch ms). */
  readonly startedAt: number
  /** What holds it: `feedwatch serve`, `the desktop app`. */
  readonly command: string
}

const holderSchema = z.object({
  pid: z.number().int().positive(),
  hostname: z.string(),
  startedAt: z.number(),
  command: z.string().max(200),
})

/** The data folder could not be locked. `message` is one line for people. */
export class DataFolderLockError extends Error {
  override readonly name: string = 'DataFolderLockError'
}

/** The data folder is held by a process that is still running. */
export class DataFolderInUseError extends DataFolderLockError {
  override readonly name = 'DataFolderInUseError'

  constructor(
    readonly dataDir: string,
    readonly lockPath: string,
    readonly holder: LockHolder,
    local: boolean,
  ) {
    const started = new Date(holder.startedAt).toISOString().replace('T', ' ').slice(0, 19)
    const where = local ? '' : ` on host ${quoteText(holder.hostname)}`
    const remedy = local
      ? 'stop it first, or use another data folder'
      : `stop it first; if that computer no longer runs it, delete ${lockPath}`
    super(
      `${dataDir} is in use by ${safeText(holder.command, 60)} (pid ${holder.pid}${where}, started ${started} UTC): ${remedy}`,
    )
  }
}

/** A held lock. */
export interface DataFolderLock {
  readonly path: string
  /** Removes the lock file if it is still ours. Safe to call twice. */
  release(): Promise<void>
}

/** What {@link lockDataFolder} needs besides the folder; each has a real default. */
export interface LockOptions {
  /** Names the holder in the message a second process prints. */
  readonly command: string
  /** @defaultValue `process.pid` */
  readonly pid?: number
  /** @defaultValue `os.hostname()` */
  readonly hostname?: string
  /** When this process started. @defaultValue now minus `process.uptime()` */
  readonly startedAt?: number
  /** Whether a pid on this host is a running process. @defaultValue a signal-0 probe */
  readonly isRunning?: (pid: number) => boolean
  /**
   * When the process with this pid started (epoch ms), or `undefined` when the OS does not say.
   * @defaultValue read from `/proc` on Linux, `undefined` elsewhere
   */
  readonly processStartedAt?: (pid: number) => Promise<number | undefined>
}

/** Two start times further apart than this belong to two processes (a reused pid). */
const SAME_PROCESS_TOLERANCE_MS = 5000
/** A `.breaking` file older than this was left by a process that died while breaking a lock. */
const BREAKER_STALE_MS = 10_000
/** Tries before giving up when other processes keep taking and breaking the lock at the same time. */
const MAX_ATTEMPTS = 20

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined
}

/** Signal 0 checks that a process exists without touching it; EPERM means it exists as another user. */
function isRunningDefault(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return errorCode(error) === 'EPERM'
  }
}

/** Linux: boot time (`/proc/stat` btime) plus the process's start in clock ticks (field 22). */
async function processStartedAtDefault(pid: number): Promise<number | undefined> {
  try {
    const [statText, procText] = await Promise.all([
      readFile('/proc/stat', 'utf8'),
      readFile(`/proc/${pid}/stat`, 'utf8'),
    ])
    const bootSeconds = Number(/^btime (\d+)$/m.exec(statText)?.[1])
    // Fields after the command name, which is in parentheses and may itself hold spaces.
    const fields = procText.slice(procText.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[19])
    if (!Number.isFinite(bootSeconds) || !Number.isFinite(ticks)) return undefined
    // USER_HZ is 100 on every Linux Node runs on.
    return bootSeconds * 1000 + ticks * 10
  } catch {
    return undefined
  }
}

/**
 * Takes the lock on `dataDir` (creating the folder), or throws {@link DataFolderInUseError} naming a
 * holder that is still running. A stale lock is replaced. Until it is released, the lock is also
 * removed when the process exits normally or by an uncaught exception.
 */
export async function lockDataFolder(
  dataDir: string,
  options: LockOptions,
): Promise<DataFolderLock> {
  const self: LockHolder = {
    pid: options.pid ?? process.pid,
    hostname: options.hostname ?? osHostname(),
    startedAt: options.startedAt ?? Math.round(Date.now() - process.uptime() * 1000),
    command: options.command,
  }
  try {
    return await acquire(dataDir, self, options)
  } catch (error) {
    if (error instanceof DataFolderLockError) throw error
    const reason = error instanceof Error ? error.message : String(error)
    throw new DataFolderLockError(`could not lock ${join(dataDir, LOCK_FILE)}: ${reason}`, {
      cause: error,
    })
  }
}

async function acquire(
  dataDir: string,
  self: LockHolder,
  options: LockOptions,
): Promise<DataFolderLock> {
  const isRunning = options.isRunning ?? isRunningDefault
  const processStartedAt = options.processStartedAt ?? processStartedAtDefault
  const path = join(dataDir, LOCK_FILE)
  const record = `${JSON.stringify(self)}\n`
  await mkdir(dataDir, { recursive: true, mode: 0o700 })

  /** Whether `holder` no longer holds anything. */
  async function gone(holder: LockHolder): Promise<boolean> {
    if (holder.hostname !== self.hostname) return false
    if (holder.pid === self.pid) return true
    if (!isRunning(holder.pid)) return true
    const started = await processStartedAt(holder.pid)
    return started !== undefined && Math.abs(started - holder.startedAt) > SAME_PROCESS_TOLERANCE_MS
  }

  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    if (await createExclusively(path, record, self.pid)) return held(path, record)
    const text = await readIfExists(path)
    if (text === undefined) continue // released meanwhile
    const holder = parseHolder(text)
    if (holder !== undefined && !(await gone(holder))) {
      throw new DataFolderInUseError(dataDir, path, holder, holder.hostname === self.hostname)
    }
    if (holder === undefined && !(await olderThan(path, BREAKER_STALE_MS))) {
      // Not a record this build writes, and fresh: someone may be writing it without hard links.
      await delay(50)
      continue
    }
    await breakStaleLock(path, text)
  }
  throw new DataFolderLockError(`could not take the lock ${path}: other processes keep taking it`)
}

/** Creates the lock with `record` in it, complete, or returns false when it exists. */
async function createExclusively(path: string, record: string, pid: number): Promise<boolean> {
  const draft = `${path}.${pid}.new`
  await writeFile(draft, record, { mode: 0o600 })
  try {
    await link(draft, path)
    return true
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false
    // File systems without hard links (FAT, some network shares): an exclusive create instead.
    try {
      await writeFile(path, record, { flag: 'wx', mode: 0o600 })
      return true
    } catch (fallbackError) {
      if (errorCode(fallbackError) === 'EEXIST') return false
      throw fallbackError
    }
  } finally {
    await unlink(draft).catch(() => undefined)
  }
}

/**
 * Removes a stale lock, unless someone replaced it meanwhile. A `.breaking` file created exclusively
 * makes sure only one process at a time looks and removes, so no one removes a lock another process
 * has just taken.
 */
async function breakStaleLock(path: string, staleText: string): Promise<void> {
  const breaker = `${path}.breaking`
  try {
    await writeFile(breaker, '', { flag: 'wx', mode: 0o600 })
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error
    if (await olderThan(breaker, BREAKER_STALE_MS)) await unlink(breaker).catch(() => undefined)
    else await delay(50)
    return
  }
  try {
    if ((await readIfExists(path)) === staleText) await unlink(path).catch(() => undefined)
  } finally {
    await unlink(breaker).catch(() => undefined)
  }
}

function held(path: string, record: string): DataFolderLock {
  const releaseNow = (): void => {
    try {
      if (readFileSync(path, 'utf8') === record) unlinkSync(path)
    } catch {
      // Already gone, or the folder went away: nothing is held.
    }
  }
  process.on('exit', releaseNow)
  let released = false
  return {
    path,
    async release() {
      if (released) return
      released = true
      process.off('exit', releaseNow)
      if ((await readIfExists(path)) === record) await unlink(path).catch(() => undefined)
    },
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const parsed = holderSchema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined
    throw error
  }
}

async function olderThan(path: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs > ms
  } catch {
    return true
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
