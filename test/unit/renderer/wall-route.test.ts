// @vitest-environment happy-dom
import { expect, test } from 'vitest'
import { createMemoryHistory } from 'vue-router'
import { wallProfileOf } from '../../../src/renderer/src/components/wall/wall-route'
import { createAppRouter, moveWallPathToHash } from '../../../src/renderer/src/router'

async function routeOf(path: string): Promise<string | undefined> {
  const router = createAppRouter(createMemoryHistory())
  await router.push(path)
  return wallProfileOf(router.currentRoute.value)
}

test('a wall address names its profile, decoded; the bare wall and other sections name none', async () => {
  expect(await routeOf('/wall/Night%20shift')).toBe('Night shift')
  expect(await routeOf('/wall')).toBeUndefined()
  expect(await routeOf('/feeds')).toBeUndefined()
})

test("a profile's wall path of feedwatch serve becomes that profile's wall route, ?kiosk kept", () => {
  const calls: string[] = []
  const history = {
    state: null,
    replaceState: (_s: unknown, _t: string, url: string) => calls.push(url),
  } as unknown as History
  moveWallPathToHash(
    { pathname: '/wall/Lobby%20TV', hash: '', search: '?kiosk' } as Location,
    history,
  )
  moveWallPathToHash({ pathname: '/wall/Ops/', hash: '', search: '' } as Location, history)
  expect(calls).toEqual(['/?kiosk#/wall/Lobby%20TV', '/#/wall/Ops'])
})
