// @vitest-environment happy-dom
import { expect, test } from 'vitest'
import { createMemoryHistory } from 'vue-router'
import { createAppRouter, moveWallPathToHash, sectionOf } from '../../../src/renderer/src/router'

async function at(path: string): Promise<ReturnType<typeof createAppRouter>> {
  const router = createAppRouter(createMemoryHistory())
  await router.push(path)
  return router
}

test('the dashboard is the default section', async () => {
  const router = await at('/')
  expect(router.currentRoute.value.name).toBe('dashboard')
  expect(sectionOf(router.currentRoute.value)).toBe('dashboard')
})

test("a feed's page takes its id and tab from the address", async () => {
  const router = await at('/feeds/orders/charts')
  const route = router.currentRoute.value
  expect(route.name).toBe('feed')
  expect(route.params).toEqual({ feedId: 'orders', tab: 'charts' })
  expect(sectionOf(route)).toBe('feeds')
})

test('an unknown tab or address goes to the dashboard', async () => {
  expect((await at('/feeds/orders/nope')).currentRoute.value.name).toBe('dashboard')
  expect((await at('/somewhere')).currentRoute.value.name).toBe('dashboard')
})

test('the alerts and wall sections have their own addresses', async () => {
  expect(sectionOf((await at('/alerts')).currentRoute.value)).toBe('alerts')
  const wall = (await at('/wall/Ops')).currentRoute.value
  expect(sectionOf(wall)).toBe('wall')
  expect(wall.params['profile']).toBe('Ops')
})

test('the back button returns to the section before', async () => {
  const router = await at('/')
  await router.push('/alerts')
  await router.push('/feeds/orders')
  router.back()
  await new Promise((resolve) => setTimeout(resolve, 0))
  expect(router.currentRoute.value.name).toBe('alerts')
})

test('the /wall path of feedwatch serve becomes the wall route', () => {
  const calls: string[] = []
  const history = {
    state: null,
    replaceState: (_s: unknown, _t: string, url: string) => calls.push(url),
  }
  moveWallPathToHash(
    { pathname: '/wall', hash: '', search: '?token=1' } as Location,
    history as unknown as History,
  )
  moveWallPathToHash(
    { pathname: '/', hash: '', search: '' } as Location,
    history as unknown as History,
  )
  moveWallPathToHash(
    { pathname: '/wall', hash: '#/alerts', search: '' } as Location,
    history as unknown as History,
  )
  expect(calls).toEqual(['/?token=1#/wall'])
})
