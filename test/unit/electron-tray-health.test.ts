import { expect, test } from 'vitest'
import {
  profileStatus,
  trayAppearance,
  trayIconBitmap,
  trayStatus,
  trayTooltip,
  type ProfileHealthInput,
  type TrayStatus,
} from '../../src/main/electron/tray-health'

const STATUSES: TrayStatus[] = ['firing', 'failed', 'stale', 'live', 'idle']

function profile(overrides: Partial<ProfileHealthInput> = {}): ProfileHealthInput {
  return { profile: 'Demo', health: 'ok', firing: 0, ...overrides }
}

test('each profile health maps to a status, and a firing alert outranks it', () => {
  expect(profileStatus(profile({ health: 'ok' }))).toBe('live')
  expect(profileStatus(profile({ health: 'degraded' }))).toBe('stale')
  expect(profileStatus(profile({ health: 'down' }))).toBe('failed')
  expect(profileStatus(profile({ health: 'idle' }))).toBe('idle')
  expect(profileStatus(profile({ health: 'ok', firing: 1 }))).toBe('firing')
})

test('the tray shows the most urgent status of every running profile', () => {
  const live = profile({ profile: 'A' })
  const stale = profile({ profile: 'B', health: 'degraded' })
  const failed = profile({ profile: 'C', health: 'down' })
  const firing = profile({ profile: 'D', firing: 2 })
  expect(trayStatus([live])).toBe('live')
  expect(trayStatus([live, stale])).toBe('stale')
  expect(trayStatus([stale, failed, live])).toBe('failed')
  expect(trayStatus([failed, firing])).toBe('firing')
  expect(trayStatus([live, profile({ profile: 'E', health: 'idle' })])).toBe('live')
})

test('with no running profile the tray is idle', () => {
  expect(trayStatus([])).toBe('idle')
  expect(trayTooltip([])).toBe('Feedwatch: no feeds connected (no profile running)')
})

test('every status has its own shape, so it can be told without colour', () => {
  const shapes = STATUSES.map((status) => trayAppearance(status).shape)
  expect(new Set(shapes).size).toBe(STATUSES.length)
})

test('live is green, failed and firing are red, stale is amber', () => {
  const { color: live } = trayAppearance('live')
  const { color: failed } = trayAppearance('failed')
  const { color: stale } = trayAppearance('stale')
  expect(live.g).toBeGreaterThan(live.r)
  expect(failed.r).toBeGreaterThan(failed.g)
  expect(trayAppearance('firing').color).toEqual(failed)
  expect(stale.r).toBeGreaterThan(stale.b)
})

test('the tooltip says the overall status, then a line per profile, most urgent first', () => {
  const tooltip = trayTooltip([
    profile({ profile: 'Demo' }),
    profile({ profile: 'Ops', firing: 2 }),
    profile({ profile: 'Lab', health: 'down' }),
  ])
  expect(tooltip.split('\n')).toEqual([
    'Feedwatch: alerts firing',
    'Ops: 2 alerts firing',
    'Lab: feeds failed',
    'Demo: all feeds live',
  ])
  expect(trayTooltip([profile({ firing: 1 })])).toContain('Demo: 1 alert firing')
})

test('the tooltip lists at most four profiles and counts the rest', () => {
  const many = ['A', 'B', 'C', 'D', 'E', 'F'].map((name) => profile({ profile: name }))
  const lines = trayTooltip(many).split('\n')
  expect(lines).toHaveLength(6)
  expect(lines.at(-1)).toBe('and 2 more')
})

test('the icon is a BGRA bitmap of size × size pixels with transparent corners', () => {
  const size = 32
  for (const status of STATUSES) {
    const pixels = trayIconBitmap(status, size)
    expect(pixels).toHaveLength(size * size * 4)
    expect([...pixels.subarray(0, 4)]).toEqual([0, 0, 0, 0])
  }
})

test('a live dot is filled at its centre, a stale ring is hollow there', () => {
  const size = 32
  const centre = (size / 2) * size * 4 + (size / 2) * 4
  const { r, g, b } = trayAppearance('live').color
  expect([...trayIconBitmap('live', size).subarray(centre, centre + 4)]).toEqual([b, g, r, 255])
  expect(trayIconBitmap('stale', size)[centre + 3]).toBe(0)
})

test('the shapes differ pixel by pixel', () => {
  const alphas = (status: TrayStatus) =>
    [...trayIconBitmap(status, 16)].filter((_, index) => index % 4 === 3).join(',')
  expect(new Set(STATUSES.map(alphas)).size).toBe(STATUSES.length)
})

test('edge pixels are partly covered, with colour premultiplied by their alpha', () => {
  const pixels = trayIconBitmap('live', 32)
  const alphas = [...pixels].filter((_, index) => index % 4 === 3)
  expect(alphas.some((alpha) => alpha > 0 && alpha < 255)).toBe(true)
  for (let index = 0; index < pixels.length; index += 4)
    expect(pixels[index + 1]).toBeLessThanOrEqual(pixels[index + 3] ?? 0)
})
