import { join } from 'node:path'
import { app, BrowserWindow, shell } from 'electron'
import { mainWindowOptions } from './electron/main-window'

/** Opens the main window and locks it down: no navigation, no new windows, only http(s) opened externally. */
function openMainWindow(): void {
  const window = new BrowserWindow(
    mainWindowOptions(join(__dirname, '../preload/index.js'), join(__dirname, '../../resources/icon.png')),
  )
  window.once('ready-to-show', () => window.show())
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//i.test(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  window.webContents.on('will-navigate', (event) => event.preventDefault())
  const devServerUrl = process.env['ELECTRON_RENDERER_URL']
  if (!app.isPackaged && devServerUrl) void window.loadURL(devServerUrl)
  else void window.loadFile(join(__dirname, '../renderer/index.html'))
}

app.on('web-contents-created', (_event, contents) => {
  contents.session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false))
})

void app.whenReady().then(() => {
  openMainWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openMainWindow()
  })
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
