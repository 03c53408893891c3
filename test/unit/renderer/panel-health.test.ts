import { expect, test } from 'vitest'
import {
  UNKNOWN_INTERVAL_STALE_MS,
  panelHealth,
} from '../../../src/renderer/src/components/wall/panel-health'

const open = { state: 'open', at: 0, status: 200, contentType: '' } as const

test('a series of two points then silence turns stale after a minute, not before', () => {
  const young = { label: 'v', state: open, enabled: true, lastAt: 1000, intervalMs: undefined }
  expect(panelHealth([young], 1000 + UNKNOWN_INTERVAL_STALE_MS, 0)).toEqual({ kind: 'live' })
  expect(panelHealth([young], 1001 + UNKNOWN_INTERVAL_STALE_MS, 0)).toEqual({
    kind: 'stale',
    detail: 'no new data for 60 s',
  })
})
