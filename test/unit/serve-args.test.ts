import { expect, test } from 'vitest'
import { parseServeArgs } from '../../src/main/cli/serve-command'
import { UsageError } from '../../src/main/cli/usage-error'

test('--profile may be repeated, each one a profile to run, in order', () => {
  const options = parseServeArgs(['--profile', 'Lobby TV', '--profile=Ops', '--data-dir', '/tmp'])
  expect(options).toMatchObject({ profiles: ['Lobby TV', 'Ops'] })
})

test('without --profile no profile is named: those marked running run', () => {
  expect(parseServeArgs(['--data-dir', '/tmp'])).toMatchObject({ profiles: [] })
})

test('an empty --profile among others is refused', () => {
  expect(() => parseServeArgs(['--profile', 'Ops', '--profile', ' '])).toThrow(UsageError)
})
