import type { ConnectionTestResult } from '../../shared/api'
import type { ConnectionErrorCode } from '../../shared/connection'
import type { FeedEvent } from '../../shared/feed-event'
import type { Feed } from '../../shared/profile'
import { InvalidConnectionOptionsError, SseConnection } from '../engine/sse-connection'
import { feedConnectionOptions } from '../feeds/feed-manager'
import { CommandError } from '../api/command-dispatch'

/** Events shown by "Test connection". */
const SAMPLE_EVENTS = 5

/**
 * "Test connection": connects once without reconnecting, and reports the status, the content type and
 * the first few events, or why it could not connect. Ends after `timeoutMs` at the latest.
 */
export function testConnection(feed: Feed, timeoutMs = 5000): Promise<ConnectionTestResult> {
  return new Promise((resolve, reject) => {
    const events: FeedEvent[] = []
    let status: number | null = null
    let contentType: string | null = null
    let connection: SseConnection
    const finish = (
      outcome: ConnectionTestResult['outcome'],
      reason: string | null,
      code?: ConnectionErrorCode,
    ): void => {
      clearTimeout(timer)
      connection.disconnect()
      resolve({
        status,
        contentType,
        outcome,
        reason,
        ...(code === undefined ? {} : { code }),
        events,
      })
    }
    try {
      connection = new SseConnection(
        { ...feedConnectionOptions(feed, ''), autoReconnect: false, staleTimeout: timeoutMs },
        {
          onEvent: (event) => {
            events.push(event)
            if (events.length >= SAMPLE_EVENTS) finish('open', null)
          },
          onState: (state) => {
            if (state.state === 'open') {
              status = state.status
              contentType = state.contentType
            } else if (
              state.state === 'failed' ||
              (state.state === 'closed' && state.code !== 'disconnected')
            ) {
              status = state.status ?? status
              finish(state.state, state.reason, state.code)
            }
          },
        },
      )
    } catch (error) {
      if (error instanceof InvalidConnectionOptionsError)
        reject(new CommandError('invalid-request', error.message, [error.message]))
      else reject(error)
      return
    }
    const timer = setTimeout(
      () =>
        finish(
          status === null ? 'timeout' : 'open',
          status === null ? `no answer within ${timeoutMs} ms` : null,
        ),
      timeoutMs,
    )
    connection.connect()
  })
}
