/**
 * The desktop app's own command-line flags. Electron and Chromium put their own arguments on the same
 * command line (the executable, the app path in development, `--inspect`, `--no-sandbox`, …), so
 * anything that is not ours is left alone rather than refused.
 */

/** What the flags ask for. */
export interface DesktopFlags {
  /** `--profile NAME` or `--profile=NAME`: open this profile instead of the last active one. */
  readonly profile?: string
  /** `--wall`: start in full-screen ops-wall mode. */
  readonly wall: boolean
  /** `--hidden`: start in the tray without opening the window (how a login start runs). */
  readonly hidden?: true
  /** Flags of ours that were given wrongly (`--profile` without a name), one sentence each. */
  readonly problems: readonly string[]
}

/** Longest profile name accepted (the contract's limit). */
const MAX_PROFILE_NAME = 120

/**
 * Reads `--profile NAME`, `--profile=NAME`, `--wall` and `--hidden` from the arguments after the executable
 * (`process.argv.slice(1)`). The last `--profile` wins. Arguments after `--` are not flags.
 */
export function parseDesktopFlags(args: readonly string[]): DesktopFlags {
  let profile: string | undefined
  let wall = false
  let hidden = false
  const problems: string[] = []
  const takeProfile = (value: string | undefined): void => {
    const name = value?.trim() ?? ''
    if (name === '' || name.startsWith('--')) {
      problems.push('--profile needs a profile name, e.g. --profile ops')
    } else if (name.length > MAX_PROFILE_NAME) {
      problems.push(`--profile: a profile name has at most ${MAX_PROFILE_NAME} characters`)
    } else {
      profile = name
    }
  }
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]
    if (arg === '--') break
    if (arg === '--wall') {
      wall = true
    } else if (arg === '--hidden') {
      hidden = true
    } else if (arg === '--profile') {
      const value = args[index + 1]
      takeProfile(value)
      if (value !== undefined && !value.startsWith('--')) index += 1
    } else if (arg?.startsWith('--profile=')) {
      takeProfile(arg.slice('--profile='.length))
    }
  }
  return {
    ...(profile === undefined ? {} : { profile }),
    wall,
    ...(hidden ? { hidden: true as const } : {}),
    problems,
  }
}

/**
 * The flags a second instance passes to the first through `requestSingleInstanceLock(data)`.
 * Chromium may reorder or add to a second instance's `argv`, so the parsed flags travel instead.
 */
export function flagsToInstanceData(flags: DesktopFlags): Record<string, unknown> {
  return {
    feedwatch: 1,
    wall: flags.wall,
    ...(flags.profile === undefined ? {} : { profile: flags.profile }),
  }
}

/** Reads what {@link flagsToInstanceData} wrote; anything else (another build, garbage) gives no flags. */
export function flagsFromInstanceData(data: unknown): DesktopFlags {
  if (typeof data !== 'object' || data === null) return { wall: false, problems: [] }
  const { feedwatch, wall, profile } = data as Record<string, unknown>
  if (feedwatch !== 1) return { wall: false, problems: [] }
  const valid =
    typeof profile === 'string' && profile.trim() !== '' && profile.length <= MAX_PROFILE_NAME
  return { ...(valid ? { profile: profile.trim() } : {}), wall: wall === true, problems: [] }
}
