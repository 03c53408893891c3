import { expect, test } from 'vitest'
import type { FeedEvent } from '../../src/shared/feed-event'
import { panelSchema } from '../../src/shared/profile'
import { PanelValueTracker } from '../../src/main/metrics/panel-values'

function event(data: unknown, name = 'message'): FeedEvent {
  return { event: name, id: '', data: JSON.stringify(data), receivedAt: 0, seq: 1 }
}

const tile = panelSchema.parse({
  id: 'cpu',
  kind: 'tile',
  title: 'CPU',
  source: { feedId: 'api', event: 'metrics', path: 'cpu' },
})
const chart = panelSchema.parse({
  id: 'lat',
  kind: 'chart',
  title: 'Latency',
  series: [
    { feedId: 'api', path: 'latency.p50' },
    { feedId: 'db', path: 'items[0].v' },
  ],
})

test('the latest number of each series is kept, in profile order', () => {
  const tracker = new PanelValueTracker()
  tracker.setPanels([tile, chart])
  tracker.handleEvent('api', event({ cpu: 0.5, latency: { p50: 12 } }, 'metrics'))
  tracker.handleEvent('api', event({ cpu: 0.7 }, 'metrics'))
  tracker.handleEvent('db', event({ items: [{ v: '3.5' }] }))
  expect(tracker.latest()).toEqual([
    { panelId: 'cpu', seriesIndex: 0, value: 0.7 },
    { panelId: 'lat', seriesIndex: 0, value: 12 },
    { panelId: 'lat', seriesIndex: 1, value: 3.5 },
  ])
})

test('events of another name, without the field or not JSON leave the value as it was', () => {
  const tracker = new PanelValueTracker()
  tracker.setPanels([tile])
  tracker.handleEvent('api', event({ cpu: 0.5 }, 'metrics'))
  tracker.handleEvent('api', event({ cpu: 0.9 }, 'other'))
  tracker.handleEvent('api', event({ mem: 1 }, 'metrics'))
  tracker.handleEvent('api', { event: 'metrics', id: '', data: 'not json', receivedAt: 0, seq: 2 })
  expect(tracker.latest()).toEqual([{ panelId: 'cpu', seriesIndex: 0, value: 0.5 }])
})

test('a panel edit keeps the values of fields still read and forgets the others', () => {
  const tracker = new PanelValueTracker()
  tracker.setPanels([tile, chart])
  tracker.handleEvent('api', event({ cpu: 0.5, latency: { p50: 12 } }, 'metrics'))
  tracker.setPanels([{ ...tile, title: 'CPU now' }])
  expect(tracker.latest()).toEqual([{ panelId: 'cpu', seriesIndex: 0, value: 0.5 }])
  tracker.setPanels([tile, chart])
  expect(tracker.latest()).toEqual([{ panelId: 'cpu', seriesIndex: 0, value: 0.5 }])
})
