/**
 * Bytes of one `text/event-stream` response in, events out.
 *
 * The line grammar is eventsource-parser's; this module adds what the parser leaves to its caller:
 * UTF-8 decoding across chunk boundaries, exactly one stripped byte order mark, the last event ID
 * that persists across blocks (and across reconnects, through {@link EventStreamDecoderOptions.lastEventId}),
 * the default event type, and a size cap that ends the response cleanly.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
import { createParser, type EventSourceMessage, type ParseError } from 'eventsource-parser'

/** What {@link createEventStreamDecoder} needs: where it starts from, its cap, and its outputs. */
export interface EventStreamDecoderOptions {
  /** Last event ID carried over from the previous response ("" when none). */
  readonly lastEventId: string
  /** Cap on one line or event, in UTF-16 code units (passed to the parser's maxBufferSize). */
  readonly maxEventBytes: number
  /**
   * Called with each event as decoded, before the connection stamps receivedAt and seq. The fields
   * come as arguments, not an object: this runs millions of times a second, and the connection builds
   * the one object the app keeps.
   *
   * @param event - the `event:` field, or `"message"` when the block had none (or an empty one)
   * @param id - the last event ID in effect when the event was dispatched ("" when none)
   * @param data - the `data:` lines joined with "\n"
   */
  readonly onEvent: (event: string, id: string, data: string) => void
  /** Raw value of a valid `retry:` field in ms (clamping is the caller's job). */
  readonly onRetry: (ms: number) => void
  /** Called once when a line or event exceeds maxEventBytes; after it the decoder ignores all input. */
  readonly onTooLarge: (message: string) => void
}

/** One decoder per HTTP response. */
export interface EventStreamDecoder {
  /** Feeds the next chunk of body bytes. */
  push(bytes: Uint8Array): void
  /** The last event ID in effect ("" when none). */
  readonly lastEventId: string
}

/** U+FEFF, the byte order mark, as decoded text. */
const BOM = '\uFEFF'
const BOM_CODE = 0xfeff
const DEFAULT_EVENT_TYPE = 'message'
/** Shared so that no options object is allocated per chunk. */
const STREAM = { stream: true }

/**
 * Creates the decoder for one response. Callbacks run synchronously inside {@link EventStreamDecoder.push},
 * in stream order.
 */
export function createEventStreamDecoder(options: EventStreamDecoderOptions): EventStreamDecoder {
  const { maxEventBytes, onEvent, onRetry, onTooLarge } = options
  let lastEventId = options.lastEventId
  /** Set once the cap was exceeded: from then on input and parser callbacks are ignored. */
  let stopped = false
  /** Whether the first non-empty text of the response has been handed to the parser. */
  let started = false

  // `ignoreBOM: true` makes the decoder pass a leading U+FEFF through as text, so that exactly one
  // component strips it: the parser (see `feedFirst`). A split multi-byte character, the BOM
  // included, is held back by `stream: true` until its last byte arrives; invalid bytes become U+FFFD.
  const utf8 = new TextDecoder('utf-8', { ignoreBOM: true })

  function tooLarge(): void {
    if (stopped) return
    stopped = true
    onTooLarge(`event larger than ${maxEventBytes} characters (maxEventBytes)`)
  }

  const parser = createParser({
    maxBufferSize: maxEventBytes,
    // Called once per block that had a valid `id` field (an empty one included, which resets the
    // ID), before that block's onEvent. An id containing U+0000 never gets here: the parser drops it.
    onId(id: string) {
      if (stopped) return
      if (id.length > maxEventBytes) return tooLarge()
      lastEventId = id
    },
    onEvent(message: EventSourceMessage) {
      if (stopped) return
      const { data } = message
      // The parser reports an absent or empty `event:` as undefined.
      const event = message.event ?? DEFAULT_EVENT_TYPE
      // The parser caps only what it buffers between chunks and the data of multi-line events; a
      // one-line event that arrives inside a single chunk is dispatched unchecked. Checking here
      // keeps the outcome the same however the bytes were chunked.
      if (data.length > maxEventBytes || event.length > maxEventBytes) return tooLarge()
      onEvent(event, lastEventId, data)
    },
    onRetry(ms: number) {
      if (!stopped) onRetry(ms)
    },
    // 'invalid-retry' and 'unknown-field' are ignored, as the spec ignores such fields. After
    // 'max-buffer-size-exceeded' the parser is terminated and would throw if fed again.
    onError(error: ParseError) {
      if (error.type === 'max-buffer-size-exceeded') tooLarge()
    },
  })

  /**
   * The parser strips one leading BOM from the first text it is fed, matching both a decoded U+FEFF
   * and the three Latin-1 characters "ï»¿" (the BOM's bytes read as Latin-1). The latter would eat
   * real text from a stream that starts with the UTF-8 bytes C3 AF C2 BB C2 BF. So the parser always
   * gets a U+FEFF first: the stream's own BOM if it has one, else a synthetic one fed on its own (no
   * copy of the chunk). Either way exactly one BOM is removed and content is never touched, and a
   * stream that starts with two BOMs keeps the second (wpt eventsource/format-bom-2).
   */
  function feedFirst(text: string): void {
    started = true
    if (text.charCodeAt(0) !== BOM_CODE) parser.feed(BOM)
    parser.feed(text)
  }

  function push(bytes: Uint8Array): void {
    if (stopped) return
    const text = utf8.decode(bytes, STREAM)
    // Empty text (an empty chunk, or only part of a multi-byte character) must not end the BOM check.
    if (text === '') return
    if (started) parser.feed(text)
    else feedFirst(text)
  }

  return {
    push,
    get lastEventId() {
      return lastEventId
    },
  }
}
