import { expect, test } from 'vitest'
import type { AlertRule } from '../../../src/shared/profile'
import {
  checkDraft,
  draftFromRule,
  newDraft,
} from '../../../src/renderer/src/components/alerts/rule-draft'

const rule: AlertRule = {
  id: 'down',
  name: 'API down',
  enabled: true,
  severity: 'critical',
  repeatIntervalSeconds: 0,
  kind: 'feed-down',
  feedId: 'api',
  forSeconds: 30,
}

test('a new rule goes to every contact point', () => {
  const checked = checkDraft({ ...newDraft('api'), name: 'Rule', path: 'cpu', value: '1' })
  expect(checked.errors).toBeUndefined()
  expect('rule' in checked && checked.rule.contactPoints).toBeUndefined()
})

test('a rule that picks contact points keeps them through the editor', () => {
  const picked: AlertRule = { ...rule, contactPoints: ['pager', 'chat'] }
  expect(draftFromRule(picked).contactPoints).toEqual(['pager', 'chat'])
  expect(checkDraft(draftFromRule(picked))).toEqual({ rule: picked })
})

test('a rule that picks none sends to none', () => {
  expect(checkDraft({ ...draftFromRule(rule), contactPoints: [] })).toEqual({
    rule: { ...rule, contactPoints: [] },
  })
})
