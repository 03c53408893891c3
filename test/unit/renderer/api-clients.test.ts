// @vitest-environment happy-dom
import { afterEach, expect, test, vi } from 'vitest'
import { createHttpClient } from '../../../src/renderer/src/api/http-client'
import { createIpcClient } from '../../../src/renderer/src/api/ipc-client'

/** A stand-in for the browser's EventSource: the test fires its events. */
class FakeEventSource {
  static last: FakeEventSource | undefined
  readonly listeners = new Map<string, ((message: { data: string }) => void)[]>()
  constructor(
    readonly url: string,
    readonly init: EventSourceInit,
  ) {
    FakeEventSource.last = this
  }
  addEventListener(name: string, listener: (message: { data: string }) => void): void {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener])
  }
  fire(name: string, data = ''): void {
    for (const listener of this.listeners.get(name) ?? []) listener({ data })
  }
}

afterEach(() => {
  vi.unstubAllGlobals()
  FakeEventSource.last = undefined
})

test('over HTTP a command is a POST to its domain and verb, with the JSON answer as result', async () => {
  const fetch = vi.fn(async () => new Response(JSON.stringify({ ok: true, value: [] })))
  vi.stubGlobal('fetch', fetch)
  const client = createHttpClient('http://127.0.0.1:9')
  expect(client.runtime).toBe('browser')
  expect(await client.call('feeds:list', {})).toEqual({ ok: true, value: [] })
  expect(fetch).toHaveBeenCalledWith(
    'http://127.0.0.1:9/api/feeds/list',
    expect.objectContaining({ method: 'POST', body: '{}' }),
  )
})

test('over HTTP an unreachable server is an expected failure, not a throw', async () => {
  vi.stubGlobal('fetch', () => Promise.reject(new Error('connection refused')))
  const result = await createHttpClient().call('feeds:list', {})
  expect(result).toEqual({
    ok: false,
    error: { code: 'internal', message: 'Feedwatch is not reachable: connection refused' },
  })
})

test('over HTTP pushes, resyncs and stream changes come from one event stream', () => {
  vi.stubGlobal('EventSource', FakeEventSource)
  const client = createHttpClient()
  const states: unknown[] = []
  const stop = client.on('feeds:state', (payload) => states.push(payload))
  const resyncs = vi.fn()
  client.onResync(resyncs)
  const changes: boolean[] = []
  client.onStreamChange((up) => changes.push(up))
  const source = FakeEventSource.last as FakeEventSource
  expect(source.url).toBe('/api/stream')
  source.fire('feeds:state', '{"feedId":"a"}')
  source.fire('resync')
  source.fire('error')
  source.fire('open')
  stop()
  source.fire('feeds:state', '{"feedId":"b"}')
  expect(states).toEqual([{ feedId: 'a' }])
  expect(resyncs).toHaveBeenCalledTimes(1)
  expect(changes).toEqual([false, true])
})

test('over IPC commands and pushes use the preload functions, with plain JSON requests', async () => {
  const feedsList = vi.fn(async () => ({ ok: true, value: [] }))
  const unsubscribe = vi.fn()
  const onFeedsState = vi.fn(() => unsubscribe)
  const api = { versions: { electron: '45.0.0' }, feedsList, onFeedsState }
  const client = createIpcClient(api as never)
  expect(client.runtime).toBe('Electron 45.0.0')
  expect(await client.call('feeds:list', {})).toEqual({ ok: true, value: [] })
  expect(feedsList).toHaveBeenCalledWith({})
  const listener = vi.fn()
  expect(client.on('feeds:state', listener)).toBe(unsubscribe)
  expect(onFeedsState).toHaveBeenCalledWith(listener)
  expect(typeof client.onResync(() => undefined)).toBe('function')
  expect(typeof client.onStreamChange(() => undefined)).toBe('function')
})

test('in a browser the client talks HTTP, and there is one of it', async () => {
  vi.stubGlobal('EventSource', FakeEventSource)
  const { feedwatchClient } = await import('../../../src/renderer/src/api/client')
  expect(feedwatchClient().runtime).toBe('browser')
  expect(feedwatchClient()).toBe(feedwatchClient())
})
