import { expect, test } from 'vitest'
import { dotBitmap, trayAppearance, type OverallHealth } from '../../src/main/electron/tray-health'

const HEALTHS: OverallHealth[] = ['ok', 'degraded', 'down', 'idle']

test('every health has its own colour', () => {
  const colours = HEALTHS.map((health) => JSON.stringify(trayAppearance(health).color))
  expect(new Set(colours).size).toBe(HEALTHS.length)
})

test('the tooltip says what the health means', () => {
  expect(trayAppearance('ok').tooltip).toBe('Feedwatch: all feeds OK')
  expect(trayAppearance('degraded').tooltip).toMatch(/some feeds/)
  expect(trayAppearance('down').tooltip).toMatch(/down/)
  expect(trayAppearance('idle').tooltip).toMatch(/no feeds connected/)
})

test('ok is green and down is red', () => {
  const ok = trayAppearance('ok').color
  const down = trayAppearance('down').color
  expect(ok.g).toBeGreaterThan(ok.r)
  expect(down.r).toBeGreaterThan(down.g)
})

test('the dot is a BGRA bitmap of size × size pixels', () => {
  expect(dotBitmap({ r: 1, g: 2, b: 3 }, 16)).toHaveLength(16 * 16 * 4)
})

test('the centre is the colour, opaque, in BGRA order', () => {
  const size = 32
  const pixels = dotBitmap({ r: 200, g: 100, b: 50 }, size)
  const centre = (size / 2) * size * 4 + (size / 2) * 4
  expect([...pixels.subarray(centre, centre + 4)]).toEqual([50, 100, 200, 255])
})

test('the corners are transparent', () => {
  const size = 32
  const pixels = dotBitmap({ r: 200, g: 100, b: 50 }, size)
  const last = (size * size - 1) * 4
  expect([...pixels.subarray(0, 4)]).toEqual([0, 0, 0, 0])
  expect([...pixels.subarray(last, last + 4)]).toEqual([0, 0, 0, 0])
})

test('edge pixels are partly covered, with colour premultiplied by their alpha', () => {
  const size = 32
  const pixels = dotBitmap({ r: 255, g: 255, b: 255 }, size)
  const alphas = [...pixels].filter((_, index) => index % 4 === 3)
  const partial = alphas.filter((alpha) => alpha > 0 && alpha < 255)
  expect(partial.length).toBeGreaterThan(0)
  for (let index = 0; index < pixels.length; index += 4)
    expect(pixels[index]).toBeLessThanOrEqual(pixels[index + 3] ?? 0)
})
