import { expect, test } from 'vitest'
import {
  csvField,
  eventsToCsv,
  eventsToNdjson,
} from '../../../src/renderer/src/components/events/event-export'
import type { FeedEvent } from '../../../src/shared/feed-event'

const event = (data: string, seq = 1): FeedEvent => ({
  event: 'message',
  id: String(seq),
  data,
  receivedAt: 0,
  seq,
})

test('NDJSON carries every field of each event untouched, one object per line', () => {
  const text = eventsToNdjson([event('{"cpu":1}'), event('a\nb', 2)])
  expect(text.split('\n')).toHaveLength(3)
  expect(JSON.parse(text.split('\n')[1] ?? '')).toEqual({
    seq: 2,
    receivedAt: '1970-01-01T00:00:00.000Z',
    event: 'message',
    id: '2',
    data: 'a\nb',
  })
})

test('CSV quotes fields with quotes, commas and line breaks, and ends records with CRLF', () => {
  expect(csvField('plain')).toBe('plain')
  expect(csvField('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"')
  expect(eventsToCsv([event('x')])).toBe(
    'seq,receivedAt,event,id,data\r\n1,1970-01-01T00:00:00.000Z,message,1,x\r\n',
  )
})

test('CSV defuses what a spreadsheet would run as a formula', () => {
  expect(csvField('=HYPERLINK("http://evil.example","click")')).toBe(
    '"\'=HYPERLINK(""http://evil.example"",""click"")"',
  )
  expect(csvField('+1+2')).toBe("'+1+2")
  expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)")
  expect(csvField('-2+3')).toBe("'-2+3")
})
