import { expect, test } from 'vitest'
import type { Layout } from '../../src/shared/profile'
import {
  isOnWall,
  keepWallPanels,
  moveOnWall,
  moveToWallPage,
  resizeOnWall,
  setOnWall,
  wallPages,
  wallSpan,
} from '../../src/shared/wall-layout'

const layout: Layout = {
  wallPanels: ['a', 'b', 'c'],
  wallSizes: { b: '2x2' },
  wallPages: [{ title: 'Traffic', panels: ['d'] }],
  wallRotateSeconds: 30,
}

test('the pages are the first page and then the others, in order', () => {
  expect(wallPages(layout)).toEqual([
    { title: undefined, panels: ['a', 'b', 'c'] },
    { title: 'Traffic', panels: ['d'] },
  ])
})

test('a panel moves within its page and stops at either end', () => {
  expect(moveOnWall(layout, 'a', 1).wallPanels).toEqual(['b', 'a', 'c'])
  expect(moveOnWall(layout, 'c', 5).wallPanels).toEqual(['a', 'b', 'c'])
  expect(moveOnWall(layout, 'a', -1).wallPanels).toEqual(['a', 'b', 'c'])
  expect(moveOnWall(layout, 'd', -1).wallPages[0]?.panels).toEqual(['d'])
})

test('1×1 is not stored; other sizes are, and give their columns and rows', () => {
  expect(resizeOnWall(layout, 'b', '1x1').wallSizes).toEqual({})
  expect(resizeOnWall(layout, 'a', '2x1').wallSizes).toEqual({ a: '2x1', b: '2x2' })
  expect(wallSpan('2x1')).toEqual({ columns: 2, rows: 1 })
  expect(wallSpan(undefined)).toEqual({ columns: 1, rows: 1 })
})

test('taking a panel off the wall removes it from every page and forgets its size', () => {
  const off = setOnWall(layout, 'b', false)
  expect(off.wallPanels).toEqual(['a', 'c'])
  expect(off.wallSizes).toEqual({})
  expect(isOnWall(off, 'b')).toBe(false)
  expect(setOnWall(off, 'b', true).wallPanels).toEqual(['a', 'c', 'b'])
  expect(setOnWall(layout, 'd', true)).toBe(layout)
})

test('a panel moved to another page keeps its size', () => {
  const moved = moveToWallPage(layout, 'b', 1)
  expect(moved.wallPanels).toEqual(['a', 'c'])
  expect(moved.wallPages[0]?.panels).toEqual(['d', 'b'])
  expect(moved.wallSizes).toEqual({ b: '2x2' })
  expect(moveToWallPage(moved, 'd', 0).wallPanels).toEqual(['a', 'c', 'd'])
})

test('keeping only some panels filters every page and the sizes', () => {
  const kept = keepWallPanels(layout, (id) => id !== 'd' && id !== 'b')
  expect(kept).toEqual({
    ...layout,
    wallPanels: ['a', 'c'],
    wallPages: [{ title: 'Traffic', panels: [] }],
    wallSizes: {},
  })
})
