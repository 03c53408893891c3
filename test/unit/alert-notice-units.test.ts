import { afterEach, expect, test } from 'vitest'
import { cpuHigh, disposeEngines, jsonEvent, recordingEngine } from '../support/alert-fixtures'

afterEach(disposeEngines)

test("a notice gives values in the unit of the panels that show the rule's field", () => {
  const { engine, notices } = recordingEngine({
    fieldFormat: (source) => (source.path === 'cpu' ? { unit: 'percentunit' } : undefined),
  })
  engine.setRules([cpuHigh({ value: 0.9 })])
  engine.handleEvent('api', jsonEvent({ cpu: 0.95 }))
  expect(notices[0]?.body).toBe('cpu is 95 % (> 90 %) on api')
})

test('without a unit a notice gives the numbers as they are', () => {
  const { engine, notices } = recordingEngine()
  engine.setRules([cpuHigh()])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  expect(notices[0]?.body).toBe('cpu is 95 (> 90) on api')
})

test('a count of samples is not in the field unit', () => {
  const { engine, notices } = recordingEngine({
    fieldFormat: () => ({ unit: 'ms' }),
  })
  engine.setRules([
    cpuHigh({ value: 0, window: { kind: 'time', reducer: 'count', seconds: 60 } } as never),
  ])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  expect(notices[0]?.body).toMatch(/^count cpu over 1 min is 1 \(> 0\) on api$/)
})
