/**
 * A reference implementation of the WHATWG "Server-sent events" parsing algorithm, written straight
 * from the spec's steps and for clarity rather than speed, to compare the engine against.
 *
 * It reads a whole response body at once: UTF-8 decode (one leading BOM stripped, invalid bytes as
 * U+FFFD), split into lines at CRLF, LF or CR, process each line, and discard whatever follows the
 * last line terminator (an incomplete line, and with it any event not yet dispatched).
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */

/** One thing the algorithm produces, in stream order. */
export type ReferenceOutput =
  | { readonly kind: 'event'; readonly event: string; readonly id: string; readonly data: string }
  | { readonly kind: 'retry'; readonly ms: number }

/** What one body yields. */
export interface ReferenceResult {
  readonly outputs: ReferenceOutput[]
  /** The event source's last event ID string once the body ends (what a reconnect would send). */
  readonly lastEventId: string
}

const LF = '\n'
const CR = '\r'

/**
 * Runs the algorithm over `body`, starting from `lastEventId` (the last event ID string the event
 * source had before this response).
 */
export function parseEventStreamReference(body: Uint8Array, lastEventId = ''): ReferenceResult {
  // "UTF-8 decode": strips one leading BOM, replaces invalid sequences with U+FFFD.
  const text = new TextDecoder('utf-8').decode(body)
  const outputs: ReferenceOutput[] = []
  let lastEventIdString = lastEventId
  let dataBuffer = ''
  let eventTypeBuffer = ''
  let lastEventIdBuffer = lastEventId

  const dispatch = (): void => {
    // 1. The last event ID string is set even when there is no data to dispatch.
    lastEventIdString = lastEventIdBuffer
    // 2. No data: reset the buffers and return.
    if (dataBuffer === '') {
      eventTypeBuffer = ''
      return
    }
    // 3. Remove one trailing LF.
    const data = dataBuffer.endsWith(LF) ? dataBuffer.slice(0, -1) : dataBuffer
    const event = eventTypeBuffer === '' ? 'message' : eventTypeBuffer
    outputs.push({ kind: 'event', event, id: lastEventIdString, data })
    dataBuffer = ''
    eventTypeBuffer = ''
  }

  const processField = (field: string, value: string): void => {
    switch (field) {
      case 'event':
        eventTypeBuffer = value
        return
      case 'data':
        dataBuffer += value + LF
        return
      case 'id':
        if (!value.includes('\0')) lastEventIdBuffer = value
        return
      case 'retry':
        // "Consists of only ASCII digits": an empty value is taken as not a number.
        if (/^[0-9]+$/.test(value)) outputs.push({ kind: 'retry', ms: Number.parseInt(value, 10) })
        return
      default:
      // Any other field is ignored.
    }
  }

  const processLine = (line: string): void => {
    if (line === '') return dispatch()
    if (line.startsWith(':')) return
    const colon = line.indexOf(':')
    if (colon === -1) return processField(line, '')
    let value = line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    processField(line.slice(0, colon), value)
  }

  let lineStart = 0
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (char !== CR && char !== LF) continue
    processLine(text.slice(lineStart, i))
    if (char === CR && text[i + 1] === LF) i++
    lineStart = i + 1
  }
  // Text after the last terminator is an incomplete line: discarded, as is an undispatched event.
  return { outputs, lastEventId: lastEventIdString }
}
