import { expect, test } from 'vitest'
import type { DeliveryLogEntry } from '../../../src/shared/delivery'
import { deliveryText } from '../../../src/renderer/src/components/alerts/contact-point-text'

const at = new Date(2026, 0, 2, 14, 2, 11).getTime()
const base: DeliveryLogEntry = {
  at,
  contactPointId: 'hook',
  contactPoint: 'Team hook',
  outcome: 'delivered',
  label: 'Firing: CPU high',
}

test('a delivery says when it happened', () => {
  expect(deliveryText({ ...base, attempt: 1 }, at)).toMatch(
    /^delivered 14:02:11|^delivered 02:02:11 PM/,
  )
})

test('a failed attempt says why and when the next one is', () => {
  expect(
    deliveryText(
      { ...base, outcome: 'retrying', reason: '503 Service Unavailable', retryInMs: 8000 },
      at,
    ),
  ).toBe('failed: 503 Service Unavailable, retrying in 8 s')
  expect(
    deliveryText(
      { ...base, outcome: 'retrying', reason: 'connection refused', retryInMs: 90_000 },
      at,
    ),
  ).toBe('failed: connection refused, retrying in 1 min 30 s')
})

test('a notice given up or dropped says so', () => {
  expect(deliveryText({ ...base, outcome: 'failed', reason: '400 Bad Request' }, at)).toBe(
    'failed: 400 Bad Request',
  )
  expect(deliveryText({ ...base, outcome: 'dropped', reason: 'the queue was full' }, at)).toBe(
    'dropped: the queue was full',
  )
})
