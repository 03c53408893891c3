import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import writeFileAtomic from 'write-file-atomic'
import { z } from 'zod'

/** What the app remembers between runs apart from the profiles themselves. */
const appStateSchema = z.object({
  /** The profile windows open by default: the last one opened. */
  activeProfile: z.string().optional(),
  /**
   * The profiles started and not stopped since, by name. Absent before the first start or stop
   * (a data folder of an older build): the profile that was open then runs.
   */
  runningProfiles: z.array(z.string()).optional(),
})

/** Remembered between runs. */
export type AppState = z.infer<typeof appStateSchema>

function appStateFile(dataDir: string): string {
  return join(dataDir, 'app-state.json')
}

/** Reads the app state; a missing or unreadable file means a fresh start, never an error. */
export async function readAppState(dataDir: string): Promise<AppState> {
  try {
    const parsed = appStateSchema.safeParse(
      JSON.parse(await readFile(appStateFile(dataDir), 'utf8')),
    )
    return parsed.success ? parsed.data : {}
  } catch {
    return {}
  }
}

/** Writes the app state atomically. */
export async function writeAppState(dataDir: string, state: AppState): Promise<void> {
  await writeFileAtomic(appStateFile(dataDir), `${JSON.stringify(state, null, 2)}\n`)
}
