import type { BrowserWindowConstructorOptions } from 'electron'
import type { MinimumSize, Rectangle } from './window-bounds'

/** The smallest the window may be made. */
export const MAIN_WINDOW_MINIMUM: MinimumSize = { minWidth: 720, minHeight: 480 }

/**
 * Options for every Feedwatch window. The renderer shows untrusted event data, so it gets no Node,
 * runs sandboxed and isolated, and reaches the main process only through the preload's narrow API.
 * Navigation, new windows and permissions are refused per web contents (`web-contents-security.ts`);
 * the Content-Security-Policy is the `<meta>` tag of `src/renderer/index.html`.
 *
 * @param bounds - Remembered bounds, already fitted to the displays (`fitBoundsToDisplays`); without
 *   them the window opens at its default size, centred.
 */
export function mainWindowOptions(
  preloadPath: string,
  iconPath: string,
  bounds?: Rectangle,
): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    ...bounds,
    ...MAIN_WINDOW_MINIMUM,
    show: false,
    title: 'Feedwatch',
    icon: iconPath,
    backgroundColor: '#111418',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  }
}
