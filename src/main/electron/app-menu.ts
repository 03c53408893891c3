import type { MenuItemConstructorOptions } from 'electron'

/**
 * The application menu. Besides the usual roles (the Edit menu is what makes copy and paste work in
 * text fields on macOS) it has the ops-wall toggle with its shortcut. Developer tools are offered only
 * in development: in a build, the renderer's console is not a place for users.
 */

export interface AppMenuOptions {
  readonly platform: NodeJS.Platform
  /** True in development (`!app.isPackaged`). */
  readonly development: boolean
  /** Whether the ops wall is on, for the checkbox. */
  readonly wall: boolean
  readonly onToggleWall: () => void
}

/** The wall's shortcut: F11 where that is the full-screen key, Ctrl+Cmd+F on macOS. */
export function wallAccelerator(platform: NodeJS.Platform): string {
  return platform === 'darwin' ? 'Ctrl+Command+F' : 'F11'
}

/** The menu template for `Menu.buildFromTemplate`. */
export function appMenuTemplate(options: AppMenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin'
  const view: MenuItemConstructorOptions[] = [
    {
      label: 'Ops Wall',
      type: 'checkbox',
      checked: options.wall,
      accelerator: wallAccelerator(options.platform),
      click: () => options.onToggleWall(),
    },
    { type: 'separator' },
    { role: 'reload' },
    ...(options.development ? [{ role: 'toggleDevTools' } as const] : []),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
  ]
  return [
    ...(mac ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
  ]
}
