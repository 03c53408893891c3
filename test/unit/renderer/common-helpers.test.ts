// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { afterEach, expect, test, vi } from 'vitest'
import { defineComponent, effectScope, h, nextTick } from 'vue'
import { copyText } from '../../../src/renderer/src/components/common/clipboard'
import { downloadText, safeFileName } from '../../../src/renderer/src/components/common/download'
import { useNow } from '../../../src/renderer/src/components/common/now'
import { isTypingTarget, useShortcut } from '../../../src/renderer/src/components/common/shortcuts'
import {
  formatTime,
  prettyData,
  previewData,
} from '../../../src/renderer/src/components/events/event-format'

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

test('text fields take keys as text, checkboxes and buttons leave them to shortcuts', () => {
  const input = document.createElement('input')
  expect(isTypingTarget(input)).toBe(true)
  input.type = 'checkbox'
  expect(isTypingTarget(input)).toBe(false)
  expect(isTypingTarget(document.createElement('textarea'))).toBe(true)
  expect(isTypingTarget(document.createElement('select'))).toBe(true)
  expect(isTypingTarget(document.createElement('button'))).toBe(false)
  expect(isTypingTarget(null)).toBe(false)
})

test('a shortcut fires on its key alone, not while typing, with a modifier or a dialog open', async () => {
  const pressed = vi.fn()
  const wrapper = mount(
    defineComponent({
      setup() {
        useShortcut('n', pressed)
        return () => h('div')
      },
    }),
    { attachTo: document.body },
  )
  const press = (init: KeyboardEventInit, target: EventTarget = window): void =>
    void target.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, ...init }))
  press({ key: 'n' })
  expect(pressed).toHaveBeenCalledTimes(1)
  press({ key: 'n', ctrlKey: true })
  press({ key: 'x' })
  const field = document.body.appendChild(document.createElement('input'))
  press({ key: 'n' }, field)
  const dialog = document.body.appendChild(document.createElement('dialog'))
  dialog.setAttribute('open', '')
  press({ key: 'n' })
  expect(pressed).toHaveBeenCalledTimes(1)
  dialog.remove()
  wrapper.unmount()
  await nextTick()
  press({ key: 'n' })
  expect(pressed).toHaveBeenCalledTimes(1)
})

test('the clock ticks twice a second while used, and stops with its last user', () => {
  vi.useFakeTimers()
  vi.setSystemTime(1_000_000)
  const scope = effectScope()
  const now = scope.run(() => useNow())
  vi.setSystemTime(1_000_600)
  vi.advanceTimersByTime(500)
  expect(now?.value).toBe(1_001_100)
  scope.stop()
  expect(vi.getTimerCount()).toBe(0)
})

test('copying uses the clipboard API when there is one', async () => {
  const writeText = vi.fn(() => Promise.resolve())
  vi.stubGlobal('navigator', { clipboard: { writeText } })
  expect(await copyText('hello')).toBe(true)
  expect(writeText).toHaveBeenCalledWith('hello')
})

test('copying falls back to a hidden field when the clipboard API is refused, and puts focus back', async () => {
  vi.stubGlobal('navigator', {
    clipboard: { writeText: () => Promise.reject(new Error('not allowed')) },
  })
  const button = document.body.appendChild(document.createElement('button'))
  button.focus()
  const execCommand = vi.fn(() => true)
  ;(document as unknown as { execCommand: typeof execCommand }).execCommand = execCommand
  expect(await copyText('hello')).toBe(true)
  expect(execCommand).toHaveBeenCalledWith('copy')
  expect(document.activeElement).toBe(button)
  expect(document.querySelector('textarea')).toBeNull()
  ;(document as unknown as { execCommand: () => boolean }).execCommand = () => {
    throw new Error('no')
  }
  expect(await copyText('again')).toBe(false)
})

test('a download is a link clicked once and released later', () => {
  vi.useFakeTimers()
  const createObjectURL = vi.fn(() => 'blob:1')
  const revokeObjectURL = vi.fn()
  vi.stubGlobal('URL', Object.assign(URL, { createObjectURL, revokeObjectURL }))
  const clicked: string[] = []
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    clicked.push(this.download)
  }
  downloadText('events.csv', 'a,b', 'text/csv')
  expect(clicked).toEqual(['events.csv'])
  expect(document.querySelector('a')).toBeNull()
  vi.advanceTimersByTime(10_000)
  expect(revokeObjectURL).toHaveBeenCalledWith('blob:1')
})

test('file names keep only safe characters', () => {
  expect(safeFileName('Ops / EU')).toBe('Ops-EU')
  expect(safeFileName('///')).toBe('feedwatch')
})

test('event data previews on one line and pretty-prints JSON', () => {
  expect(previewData('a\nb')).toBe('a ⏎ b')
  expect(previewData('abcdef', 3)).toBe('abc…')
  expect(prettyData('{"a":1}')).toEqual({ text: '{\n  "a": 1\n}', json: true })
  expect(prettyData('{oops')).toEqual({ text: '{oops', json: false })
  expect(prettyData('plain')).toEqual({ text: 'plain', json: false })
  expect(formatTime(new Date(2026, 0, 1, 14, 3, 7, 9).getTime())).toBe('14:03:07.009')
})
