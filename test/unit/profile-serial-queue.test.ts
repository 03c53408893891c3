import { expect, test } from 'vitest'
import { runSerially } from '../../src/main/profiles/serial-queue'

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

test('tasks under one key run one at a time in the order they were queued', async () => {
  const log: string[] = []
  const task = (name: string, ms: number) => async () => {
    log.push(`start ${name}`)
    await tick(ms)
    log.push(`end ${name}`)
    return name
  }
  const results = await Promise.all([
    runSerially('dir', task('a', 20)),
    runSerially('dir', task('b', 1)),
    runSerially('dir', task('c', 5)),
  ])
  expect(results).toEqual(['a', 'b', 'c'])
  expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c'])
})

test('a failed task rejects its own promise and the queue carries on', async () => {
  const failed = runSerially('dir', () => Promise.reject(new Error('disk full')))
  const next = runSerially('dir', () => Promise.resolve('next'))
  await expect(failed).rejects.toThrow('disk full')
  await expect(next).resolves.toBe('next')
})

test('tasks under different keys do not wait for each other', async () => {
  const log: string[] = []
  const slow = runSerially('one', async () => {
    await tick(30)
    log.push('slow')
  })
  const fast = runSerially('two', async () => {
    log.push('fast')
  })
  await Promise.all([slow, fast])
  expect(log).toEqual(['fast', 'slow'])
})
