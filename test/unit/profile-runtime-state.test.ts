import { expect, test } from 'vitest'
import {
  applyRuntimeStateUpdate,
  decodeRuntimeState,
  EMPTY_RUNTIME_STATE,
  encodeRuntimeState,
  mergeRuntimeStateUpdates,
} from '../../src/main/profiles/runtime-state'

test('an update merges last event ids feed by feed', () => {
  const state = applyRuntimeStateUpdate(
    { lastEventIds: { orders: '41', payments: '7' }, alertState: null },
    { lastEventIds: { orders: '42' } },
  )
  expect(state.lastEventIds).toEqual({ orders: '42', payments: '7' })
})

test('a null id forgets the feed', () => {
  const state = applyRuntimeStateUpdate(
    { lastEventIds: { orders: '41', payments: '7' }, alertState: null },
    { lastEventIds: { payments: null } },
  )
  expect(state.lastEventIds).toEqual({ orders: '41' })
})

test('the alert state is replaced only when the update has one', () => {
  const before = { lastEventIds: {}, alertState: { firing: ['cpu'] } }
  expect(applyRuntimeStateUpdate(before, { lastEventIds: { a: '1' } }).alertState).toEqual({
    firing: ['cpu'],
  })
  expect(applyRuntimeStateUpdate(before, { alertState: { firing: [] } }).alertState).toEqual({
    firing: [],
  })
})

test('merged updates have the effect of applying them in order', () => {
  const older = { lastEventIds: { orders: '1', payments: '1' }, alertState: 'old' }
  const newer = { lastEventIds: { orders: '2', payments: null } }
  const merged = mergeRuntimeStateUpdates(older, newer)
  expect(applyRuntimeStateUpdate(EMPTY_RUNTIME_STATE, merged)).toEqual(
    applyRuntimeStateUpdate(applyRuntimeStateUpdate(EMPTY_RUNTIME_STATE, older), newer),
  )
})

test('an encoded state decodes to the same state', () => {
  const state = { lastEventIds: { orders: '42' }, alertState: { firing: ['cpu'] } }
  expect(decodeRuntimeState(encodeRuntimeState(state))).toEqual({ ok: true, state })
})

test('a state file that is not JSON or has the wrong shape is refused with its problems', () => {
  expect(decodeRuntimeState('{"version":1,')).toMatchObject({ ok: false })
  expect(decodeRuntimeState('{"version":1,"lastEventIds":{"orders":42}}')).toEqual({
    ok: false,
    issues: ['lastEventIds.orders: Invalid input: expected string, received number'],
  })
})
