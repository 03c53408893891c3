import { expect, test, vi } from 'vitest'
import { appMenuTemplate, wallAccelerator } from '../../src/main/electron/app-menu'

type Template = ReturnType<typeof appMenuTemplate>

function viewMenu(template: Template): Template {
  const view = template.find((item) => item.label === 'View')
  return Array.isArray(view?.submenu) ? view.submenu : []
}

const base = { platform: 'linux' as const, development: false, wall: false, onToggleWall: () => {} }

test('the View menu toggles the ops wall with F11, or Ctrl+Cmd+F on macOS', () => {
  const wall = viewMenu(appMenuTemplate(base)).find((item) => item.label === 'Ops Wall')
  expect(wall).toMatchObject({ type: 'checkbox', checked: false, accelerator: 'F11' })
  expect(wallAccelerator('darwin')).toBe('Ctrl+Command+F')
})

test('the wall item is checked while the wall is on, and clicking it toggles', () => {
  const onToggleWall = vi.fn()
  const wall = viewMenu(appMenuTemplate({ ...base, wall: true, onToggleWall })).find(
    (item) => item.label === 'Ops Wall',
  )
  expect(wall?.checked).toBe(true)
  wall?.click?.(undefined as never, undefined, undefined as never)
  expect(onToggleWall).toHaveBeenCalledOnce()
})

test('developer tools are in the menu only in development', () => {
  const roles = (development: boolean) =>
    viewMenu(appMenuTemplate({ ...base, development })).map((item) => item.role)
  expect(roles(false)).not.toContain('toggleDevTools')
  expect(roles(true)).toContain('toggleDevTools')
})

test('there is an Edit menu (copy and paste in text fields need it on macOS)', () => {
  expect(appMenuTemplate({ ...base, platform: 'darwin' }).map((item) => item.role)).toEqual([
    'appMenu',
    'fileMenu',
    'editMenu',
    undefined,
    'windowMenu',
  ])
})
