import { expect, test } from 'vitest'
import { fitBoundsToDisplays, parseWindowState } from '../../src/main/electron/window-bounds'

const MIN = { minWidth: 720, minHeight: 480 }
/** A 1920×1080 primary display with a 40 px task bar, and a 2560×1440 display to its right. */
const PRIMARY = { x: 0, y: 0, width: 1920, height: 1040 }
const RIGHT = { x: 1920, y: 0, width: 2560, height: 1400 }

test('bounds that fit on a display are kept as they are', () => {
  const saved = { x: 100, y: 80, width: 1200, height: 700 }
  expect(fitBoundsToDisplays(saved, [PRIMARY, RIGHT], MIN)).toEqual(saved)
})

test('a window on the second display stays there', () => {
  const saved = { x: 2200, y: 100, width: 1600, height: 900 }
  expect(fitBoundsToDisplays(saved, [PRIMARY, RIGHT], MIN)).toEqual(saved)
})

test('a window left on a display that is gone moves to the primary display', () => {
  const saved = { x: 2200, y: 100, width: 1600, height: 900 }
  expect(fitBoundsToDisplays(saved, [PRIMARY], MIN)).toEqual({
    x: 320,
    y: 100,
    width: 1600,
    height: 900,
  })
})

test('a window straddling two displays goes to the one it overlaps most', () => {
  const saved = { x: 1500, y: 50, width: 1200, height: 700 }
  expect(fitBoundsToDisplays(saved, [PRIMARY, RIGHT], MIN)).toEqual({
    x: 1920,
    y: 50,
    width: 1200,
    height: 700,
  })
})

test('a window larger than the display is shrunk to its work area', () => {
  const saved = { x: -50, y: -50, width: 3000, height: 2000 }
  expect(fitBoundsToDisplays(saved, [PRIMARY], MIN)).toEqual(PRIMARY)
})

test('a window hanging off an edge is pulled back inside', () => {
  const saved = { x: 1500, y: 900, width: 800, height: 600 }
  expect(fitBoundsToDisplays(saved, [PRIMARY], MIN)).toEqual({
    x: 1120,
    y: 440,
    width: 800,
    height: 600,
  })
})

test('a window below the minimum size grows to it', () => {
  const saved = { x: 10, y: 10, width: 100, height: 100 }
  expect(fitBoundsToDisplays(saved, [PRIMARY], MIN)).toMatchObject({ width: 720, height: 480 })
})

test('on a display smaller than the minimum the window fills the work area', () => {
  const tiny = { x: 0, y: 0, width: 640, height: 400 }
  expect(fitBoundsToDisplays({ x: 0, y: 0, width: 800, height: 600 }, [tiny], MIN)).toEqual(tiny)
})

test('with no displays there is nothing to fit into', () => {
  expect(fitBoundsToDisplays({ x: 0, y: 0, width: 800, height: 600 }, [], MIN)).toBeUndefined()
})

test('a saved state is read back, rounded to whole pixels', () => {
  expect(
    parseWindowState({ bounds: { x: 1.4, y: 2.6, width: 800, height: 600 }, maximized: true }),
  ).toEqual({ bounds: { x: 1, y: 3, width: 800, height: 600 }, maximized: true })
})

test('a malformed saved state is ignored', () => {
  for (const value of [
    null,
    'x',
    {},
    { bounds: null },
    { bounds: { x: 0, y: 0, width: 800 } },
    { bounds: { x: 0, y: 0, width: 800, height: '600' } },
    { bounds: { x: 0, y: 0, width: 0, height: 600 } },
    { bounds: { x: Number.NaN, y: 0, width: 800, height: 600 } },
  ])
    expect(parseWindowState(value)).toBeUndefined()
})

test('maximized is false unless saved as true', () => {
  expect(
    parseWindowState({ bounds: { x: 0, y: 0, width: 800, height: 600 }, maximized: 'yes' }),
  ).toMatchObject({ maximized: false })
})
