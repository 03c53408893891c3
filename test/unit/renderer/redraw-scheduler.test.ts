// @vitest-environment happy-dom
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import type { Drawable } from '../../../src/renderer/src/components/charts/redraw-scheduler'

type Scheduler = typeof import('../../../src/renderer/src/components/charts/redraw-scheduler')
let scheduler: Scheduler

/** Frames run when the test says so, not by the clock. */
let frames: (() => void)[] = []

beforeEach(async () => {
  vi.useFakeTimers()
  frames = []
  vi.stubGlobal('requestAnimationFrame', (callback: () => void) => frames.push(callback))
  vi.resetModules()
  scheduler = await import('../../../src/renderer/src/components/charts/redraw-scheduler')
})

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

function runFrame(): void {
  const due = frames
  frames = []
  for (const frame of due) frame()
}

function drawable(visible = true): Drawable & { draws: number; offscreens: number } {
  const result = {
    visible,
    draws: 0,
    offscreens: 0,
    draw: () => void result.draws++,
    offscreen: () => void result.offscreens++,
  }
  return result
}

test('many requests in one frame draw once', () => {
  const panel = drawable()
  for (let i = 0; i < 10; i++) scheduler.requestDraw(panel)
  expect(frames).toHaveLength(1)
  runFrame()
  expect(panel.draws).toBe(1)
})

test('a panel out of view is not drawn until it comes into view', () => {
  const panel = drawable(false)
  scheduler.requestDraw(panel)
  expect(frames).toHaveLength(0)
  panel.visible = true
  scheduler.visibilityChanged(panel)
  runFrame()
  expect(panel.draws).toBe(1)
})

test('a cancelled panel is not drawn', () => {
  const panel = drawable()
  scheduler.requestDraw(panel)
  scheduler.cancelDraw(panel)
  runFrame()
  expect(panel.draws).toBe(0)
})

test('a panel that throws does not stop the others', () => {
  const broken: Drawable = {
    visible: true,
    draw: () => {
      throw new Error('broken panel')
    },
  }
  const panel = drawable()
  const thrown: unknown[] = []
  vi.stubGlobal('queueMicrotask', (task: () => void) => {
    try {
      task()
    } catch (error) {
      thrown.push(error)
    }
  })
  scheduler.requestDraw(broken)
  scheduler.requestDraw(panel)
  runFrame()
  expect(panel.draws).toBe(1)
  expect(thrown).toHaveLength(1)
})

test('ticking redraws visible panels every second and refreshes the words of hidden ones', () => {
  const shown = drawable()
  const hidden = drawable(false)
  const stopShown = scheduler.tickEverySecond(shown)
  const stopHidden = scheduler.tickEverySecond(hidden)
  vi.advanceTimersByTime(1000)
  runFrame()
  expect(shown.draws).toBe(1)
  expect(hidden.offscreens).toBe(1)
  stopShown()
  stopHidden()
  vi.advanceTimersByTime(3000)
  runFrame()
  expect(shown.draws).toBe(1)
})

test('there is time in a frame until its budget is spent, and always outside one', () => {
  expect(scheduler.frameHasTime()).toBe(true)
  const seen: boolean[] = []
  scheduler.requestDraw({ visible: true, draw: () => void seen.push(scheduler.frameHasTime()) })
  runFrame()
  expect(seen).toEqual([true])
  expect(scheduler.drawProbe()).toBeUndefined()
})
