import { createServer } from 'node:net'
import { afterEach, expect, test } from 'vitest'
import { MetricsExposure } from '../../src/main/metrics/metrics-exposure'
import { refusingOrigin } from '../support/http-server'

const render = async () => ({
  contentType: 'text/plain; version=0.0.4',
  body: 'feedwatch_feed_up 1\n',
})
const exposures: MetricsExposure[] = []
afterEach(async () => {
  for (const exposure of exposures.splice(0)) await exposure.set(false)
})

async function freePort(): Promise<number> {
  return Number(new URL(await refusingOrigin()).port)
}

function exposure(port: number): MetricsExposure {
  const created = new MetricsExposure(render, port)
  exposures.push(created)
  return created
}

test('the desktop setting serves /metrics on 127.0.0.1 while on and nothing once off', async () => {
  const port = await freePort()
  const metrics = exposure(port)
  expect(metrics.state).toEqual({ on: false })
  expect(await metrics.set(true)).toEqual({ on: true, url: `http://127.0.0.1:${port}/metrics` })
  expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toBe(
    'feedwatch_feed_up 1\n',
  )
  expect(await metrics.set(false)).toEqual({ on: false })
  await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow()
})

test('turning it on twice in a row starts one server', async () => {
  const port = await freePort()
  const metrics = exposure(port)
  const [first, second] = await Promise.all([metrics.set(true), metrics.set(true)])
  expect(first).toEqual(second)
  expect(first.on).toBe(true)
})

test('a taken port is reported as a problem and the setting stays off', async () => {
  const blocker = createServer()
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
  const { port } = blocker.address() as { port: number }
  try {
    expect(await exposure(port).set(true)).toEqual({
      on: false,
      problem: `port ${port} on 127.0.0.1 is already in use`,
    })
  } finally {
    await new Promise((resolve) => blocker.close(resolve))
  }
})
