import { expect, test } from 'vitest'
import { MAIN_WINDOW_MINIMUM, mainWindowOptions } from '../../src/main/electron/main-window'

const options = () => mainWindowOptions('/app/out/preload/index.js', '/app/resources/icon.png')

test('the renderer is isolated, sandboxed and has no Node', () => {
  expect(options().webPreferences).toMatchObject({
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
  })
})

test('web security stays on: no insecure content, no webview tag, no drag-and-drop navigation', () => {
  expect(options().webPreferences).toMatchObject({
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
  })
})

test('the preload given is the only script the window gets besides the page', () => {
  expect(options().webPreferences?.preload).toBe('/app/out/preload/index.js')
})

test('the window is titled Feedwatch and stays hidden until it is ready to show', () => {
  expect(options()).toMatchObject({ title: 'Feedwatch', show: false })
})

test('without remembered bounds the window opens at its default size, centred by the OS', () => {
  const { x, y, width, height } = options()
  expect({ x, y, width, height }).toEqual({
    x: undefined,
    y: undefined,
    width: 1280,
    height: 800,
  })
})

test('remembered bounds replace the default position and size; the minimum size stays', () => {
  const bounds = { x: 40, y: 30, width: 900, height: 600 }
  expect(mainWindowOptions('/p.js', '/i.png', bounds)).toMatchObject({
    ...bounds,
    ...MAIN_WINDOW_MINIMUM,
  })
})
