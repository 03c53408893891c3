import { access, mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'

/**
 * "Start at login". macOS and Windows have `app.setLoginItemSettings`; Linux desktops follow the
 * XDG Autostart specification: a `.desktop` file in `$XDG_CONFIG_HOME/autostart`. Either way
 * Feedwatch is started with `--hidden`, so it comes up in the tray without a window.
 */

/** The flag a login start passes: start in the tray, without opening the window. */
export const HIDDEN_FLAG = '--hidden'

/** Name of the autostart file: the app id, as the spec recommends. */
const AUTOSTART_FILE = 'app.feedwatch.desktop.desktop'

/** Where the autostart entry goes: `$XDG_CONFIG_HOME/autostart`, by default `~/.config/autostart`. */
export function autostartPath(env: NodeJS.ProcessEnv, home: string): string {
  const configHome = env['XDG_CONFIG_HOME']?.startsWith('/') ? env['XDG_CONFIG_HOME'] : undefined
  return join(configHome ?? join(home, '.config'), 'autostart', AUTOSTART_FILE)
}

/**
 * The autostart entry that runs `executable` (the AppImage when there is one, else the installed
 * binary) with {@link HIDDEN_FLAG}. The path is quoted and escaped as the Desktop Entry
 * specification's `Exec` key requires, so a path with spaces or quotes still works.
 */
export function autostartEntry(executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Feedwatch',
    'Comment=Watch Server-Sent Events feeds',
    `Exec=${quoteExecArgument(executable)} ${HIDDEN_FLAG}`,
    'Icon=feedwatch',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n')
}

/** Quotes one `Exec` argument: `"`, `` ` ``, `$` and `\` escaped, `%` doubled, then as a string escaped again. */
function quoteExecArgument(argument: string): string {
  const quoted = `"${argument.replace(/(["`$\\])/g, '\\$1').replace(/%/g, '%%')}"`
  // The Exec value is itself a "string" value, whose own escape rule doubles each backslash.
  return quoted.replace(/\\/g, '\\\\')
}

/** What {@link setStartAtLogin} and {@link startsAtLogin} need of Electron's `app`. */
export interface LoginItemApp {
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void
  getLoginItemSettings(options?: { args?: string[] }): { openAtLogin: boolean }
}

/** Where the running app is and which system it runs on. */
export interface LoginItemContext {
  readonly platform: NodeJS.Platform
  /** `process.env['APPIMAGE']` when running from an AppImage, else `process.execPath`. */
  readonly executable: string
  readonly env: NodeJS.ProcessEnv
  readonly home: string
}

/** Turns starting at login on or off. */
export async function setStartAtLogin(
  on: boolean,
  app: LoginItemApp,
  context: LoginItemContext,
): Promise<void> {
  if (context.platform === 'darwin' || context.platform === 'win32') {
    app.setLoginItemSettings({ openAtLogin: on, args: on ? [HIDDEN_FLAG] : [] })
    return
  }
  const path = autostartPath(context.env, context.home)
  if (on) {
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, autostartEntry(context.executable), { mode: 0o644 })
  } else {
    await rm(path, { force: true })
  }
}

/**
 * Whether Feedwatch starts at login now, as the system has it: the user may have removed the login
 * item or the autostart file by other means, and the menu's check mark must say what is true.
 */
export async function startsAtLogin(
  app: LoginItemApp,
  context: LoginItemContext,
): Promise<boolean> {
  if (context.platform === 'darwin' || context.platform === 'win32')
    return app.getLoginItemSettings({ args: [HIDDEN_FLAG] }).openAtLogin
  try {
    await access(autostartPath(context.env, context.home))
    return true
  } catch {
    return false
  }
}
