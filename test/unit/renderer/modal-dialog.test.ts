// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { afterEach, expect, test } from 'vitest'
import { defineComponent, h, nextTick, ref } from 'vue'
import FormField from '../../../src/renderer/src/components/common/FormField.vue'
import ModalDialog from '../../../src/renderer/src/components/common/ModalDialog.vue'
import ShortcutsDialog from '../../../src/renderer/src/components/common/ShortcutsDialog.vue'

afterEach(() => {
  document.body.innerHTML = ''
})

/** A page with an opener button and a dialog shown while `open` is true. */
function page(returnFocus?: () => HTMLElement | null) {
  const open = ref(false)
  const wrapper = mount(
    defineComponent({
      setup: () => () => [
        h('button', { id: 'opener', onClick: () => (open.value = true) }, 'Open'),
        h('button', { id: 'fallback' }, 'Fallback'),
        open.value
          ? h(
              ModalDialog,
              { title: 'Test dialog', returnFocus, onClose: () => (open.value = false) },
              { default: () => h('input', { 'aria-label': 'Inside' }) },
            )
          : null,
      ],
    }),
    { attachTo: document.body },
  )
  return { wrapper, open }
}

test('closing a dialog returns focus to the control that opened it', async () => {
  const { wrapper, open } = page()
  const opener = wrapper.get('#opener').element as HTMLButtonElement
  opener.focus()
  open.value = true
  await nextTick()
  expect(document.querySelector('dialog')?.getAttribute('aria-labelledby')).toBeTruthy()
  await wrapper.get('button[aria-label="Close dialog"]').trigger('click')
  await nextTick()
  expect(open.value).toBe(false)
  expect(document.activeElement).toBe(opener)
})

test('a dialog opened from nothing (a shortcut) returns focus where it is told to', async () => {
  const { wrapper, open } = page(() => document.getElementById('fallback'))
  ;(document.activeElement as HTMLElement | null)?.blur()
  open.value = true
  await nextTick()
  document.querySelector('dialog')?.dispatchEvent(new Event('cancel', { cancelable: true }))
  await nextTick()
  expect(open.value).toBe(false)
  expect(document.activeElement).toBe(wrapper.get('#fallback').element)
})

test('the shortcuts overlay lists every key with what it does', () => {
  const wrapper = mount(ShortcutsDialog, { attachTo: document.body })
  const rows = wrapper.findAll('tbody tr').map((row) => row.text())
  expect(rows).toContain('nAdd a feed')
  expect(rows).toContain('?This list of shortcuts')
  expect(rows).toHaveLength(8)
  wrapper.unmount()
})

test('a form field labels its control and lists what is wrong, described by both', async () => {
  const wrapper = mount(FormField, {
    props: { label: 'Title', help: 'Shown above the chart.', errors: 'Give it a title.' },
    slots: {
      default: `<template #default="field">
        <input :id="field.id" :aria-describedby="field.describedBy" :aria-invalid="field.invalid" />
      </template>`,
    },
  })
  const input = wrapper.get('input')
  expect(wrapper.get('label').attributes('for')).toBe(input.attributes('id'))
  expect(input.attributes('aria-invalid')).toBe('true')
  const described = (input.attributes('aria-describedby') ?? '').split(' ')
  expect(described).toHaveLength(2)
  expect(wrapper.get(`[id="${described[1]}"]`).text()).toBe('Give it a title.')
  await wrapper.setProps({ errors: [], help: '' })
  expect(input.attributes('aria-invalid')).toBe('false')
  expect(input.attributes('aria-describedby')).toBeUndefined()
  expect(wrapper.findAll('li')).toHaveLength(0)
})
