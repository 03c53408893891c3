/** One thing wrong with one rule: `{ ruleId: "cpu-high", message: 'value: invalid regular expression: …' }`. */
export interface RuleProblem {
  readonly ruleId: string
  readonly message: string
}

/**
 * Rules the alert engine cannot evaluate (an invalid regex, a malformed path, a recovery threshold on
 * the wrong side). Thrown by `setRules` and `preview` before anything changes; `problems` lists every
 * problem of every rule, and `message` joins them.
 */
export class AlertRuleError extends Error {
  override readonly name = 'AlertRuleError'

  constructor(readonly problems: readonly RuleProblem[]) {
    super(problems.map(({ ruleId, message }) => `rule "${ruleId}": ${message}`).join('; '))
  }
}

/** Persisted alert state that does not match its schema; `message` lists where and why. */
export class InvalidAlertStateError extends Error {
  override readonly name = 'InvalidAlertStateError'
}
