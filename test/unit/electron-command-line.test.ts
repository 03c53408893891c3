import { expect, test } from 'vitest'
import {
  flagsFromInstanceData,
  flagsToInstanceData,
  parseDesktopFlags,
} from '../../src/main/electron/command-line'

test('no flags: the last profile, no wall', () => {
  expect(parseDesktopFlags([])).toEqual({ wall: false, problems: [] })
})

test('--profile NAME and --wall are read', () => {
  expect(parseDesktopFlags(['--profile', 'ops', '--wall'])).toEqual({
    profile: 'ops',
    wall: true,
    problems: [],
  })
})

test('--profile=NAME is read too, and a name may contain spaces', () => {
  expect(parseDesktopFlags(['--profile=Night shift'])).toMatchObject({ profile: 'Night shift' })
})

test("Electron's and Chromium's own arguments are left alone", () => {
  const argv = ['.', '--inspect=0', '--remote-debugging-port=0', '--no-sandbox', '--wall']
  expect(parseDesktopFlags(argv)).toEqual({ wall: true, problems: [] })
})

test('the last --profile wins', () => {
  expect(parseDesktopFlags(['--profile', 'a', '--profile=b'])).toMatchObject({ profile: 'b' })
})

test('--profile without a name is a problem, and the flag after it still counts', () => {
  const flags = parseDesktopFlags(['--profile', '--wall'])
  expect(flags.profile).toBeUndefined()
  expect(flags.wall).toBe(true)
  expect(flags.problems).toEqual(['--profile needs a profile name, e.g. --profile ops'])
})

test('--profile at the end or empty is a problem', () => {
  expect(parseDesktopFlags(['--profile']).problems).toHaveLength(1)
  expect(parseDesktopFlags(['--profile=']).problems).toHaveLength(1)
  expect(parseDesktopFlags(['--profile', '   ']).problems).toHaveLength(1)
})

test('a profile name longer than the contract allows is a problem', () => {
  const flags = parseDesktopFlags(['--profile', 'x'.repeat(121)])
  expect(flags.profile).toBeUndefined()
  expect(flags.problems[0]).toMatch(/at most 120 characters/)
})

test('arguments after -- are not flags', () => {
  expect(parseDesktopFlags(['--', '--wall'])).toEqual({ wall: false, problems: [] })
})

test('the flags survive the trip to the first instance', () => {
  const flags = parseDesktopFlags(['--profile', 'ops', '--wall'])
  const data: unknown = JSON.parse(JSON.stringify(flagsToInstanceData(flags)))
  expect(flagsFromInstanceData(data)).toEqual({ profile: 'ops', wall: true, problems: [] })
})

test('instance data from anything else means no flags', () => {
  for (const data of [null, undefined, 'wall', { wall: true }, { feedwatch: 2, wall: true }])
    expect(flagsFromInstanceData(data)).toEqual({ wall: false, problems: [] })
})

test('a bad profile name in instance data is dropped', () => {
  expect(flagsFromInstanceData({ feedwatch: 1, wall: false, profile: 7 })).toEqual({
    wall: false,
    problems: [],
  })
  expect(flagsFromInstanceData({ feedwatch: 1, profile: ' ' }).profile).toBeUndefined()
})

test('--hidden is read: a start at login opens no window', () => {
  expect(parseDesktopFlags(['--hidden'])).toEqual({ wall: false, hidden: true, problems: [] })
})
