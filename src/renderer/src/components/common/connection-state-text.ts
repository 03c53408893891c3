import type { ConnectionState } from '../../../../shared/connection'
import { UNLIMITED } from '../../../../shared/connection'
import { describeReason } from '../../../../shared/reason-text'

/** How a badge looks: the words carry the meaning; tone and symbol only repeat it. */
export interface StateText {
  /** What the badge says: `live`, `reconnecting 2/5 in 4 s`, `failed: HTTP 404 Not Found`. */
  readonly label: string
  /** More about it (the reason in words), for a tooltip or a detail line; empty when nothing more. */
  readonly detail: string
  /** What the engine reported, for people who want it (`connect ECONNREFUSED …`); may be empty. */
  readonly technical: string
  readonly tone: 'ok' | 'info' | 'warn' | 'danger' | 'neutral'
  /** A symbol shown before the label; hidden from assistive technology (the label says it all). */
  readonly symbol: string
}

/** What to know besides the state itself. */
export interface StateContext {
  /** A disabled feed says so, whatever its connection did last. */
  readonly enabled?: boolean
  /** When the pending reconnect happens, on this machine's clock (see the feeds store). */
  readonly retryAt?: number | undefined
  /** The current time, epoch ms. */
  readonly now: number
}

/** `in 4 s`, `now` when the time has come. */
function countdown(retryAt: number | undefined, fallbackMs: number, now: number): string {
  const ms = retryAt === undefined ? fallbackMs : retryAt - now
  const seconds = Math.ceil(ms / 1000)
  return seconds <= 0 ? 'now' : `in ${seconds} s`
}

/** Words, tone and symbol for a feed's connection state. */
export function describeState(state: ConnectionState, context: StateContext): StateText {
  if (context.enabled === false) {
    return {
      label: 'disabled',
      detail: 'This feed is disabled.',
      technical: '',
      tone: 'neutral',
      symbol: '○',
    }
  }
  switch (state.state) {
    case 'idle':
      return { label: 'idle', detail: '', technical: '', tone: 'neutral', symbol: '○' }
    case 'connecting':
      return {
        label: 'connecting',
        detail: state.attempt > 0 ? `attempt ${state.attempt}` : '',
        technical: '',
        tone: 'info',
        symbol: '◌',
      }
    case 'open':
      return {
        label: 'live',
        detail: '',
        technical: `HTTP ${state.status}, ${state.contentType}`,
        tone: 'ok',
        symbol: '●',
      }
    case 'reconnecting': {
      const attempts =
        state.maxAttempts === UNLIMITED
          ? `attempt ${state.attempt}`
          : `${state.attempt}/${state.maxAttempts}`
      const when = countdown(context.retryAt, state.delayMs, context.now)
      const stale = state.code === 'stale'
      const reason = describeReason(state)
      return {
        label: `${stale ? 'stale, reconnecting' : 'reconnecting'} ${attempts} ${when}`,
        detail: reason.sentence,
        technical: reason.detail,
        tone: 'warn',
        symbol: stale ? '⏸' : '↻',
      }
    }
    case 'closed': {
      const reason = describeReason(state)
      return {
        label: 'closed',
        detail: reason.sentence,
        technical: reason.detail,
        tone: 'neutral',
        symbol: '■',
      }
    }
    case 'failed': {
      const reason = describeReason(state)
      return {
        label: `failed: ${reason.sentence}`,
        detail: reason.sentence,
        technical: reason.detail,
        tone: 'danger',
        symbol: '✕',
      }
    }
  }
}
