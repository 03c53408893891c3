import type { BrowserWindowConstructorOptions } from 'electron'

/**
 * Options for every Feedwatch window. The renderer shows untrusted event data, so it gets no Node,
 * runs sandboxed and isolated, and reaches the main process only through the preload's narrow API.
 */
export function mainWindowOptions(preloadPath: string, iconPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 720,
    minHeight: 480,
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
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  }
}
