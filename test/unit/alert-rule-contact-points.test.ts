import { afterEach, expect, test } from 'vitest'
import { cpuHigh, disposeEngines, jsonEvent, recordingEngine } from '../support/alert-fixtures'

afterEach(() => disposeEngines())

test("changing where a rule's notices go keeps its firing alert and sends nothing", () => {
  const { engine, kinds } = recordingEngine()
  engine.setRules([cpuHigh()])
  engine.handleEvent('api', jsonEvent({ cpu: 95 }))
  const [firing] = engine.active()
  engine.setRules([cpuHigh({ contactPoints: ['pager'] })])
  engine.setRules([cpuHigh({ contactPoints: 'all' })])
  expect(engine.active().map((alert) => alert.id)).toEqual([firing?.id])
  expect(kinds()).toEqual(['firing'])
})
