/**
 * The three SSE clients the benchmark compares, behind one tiny interface so every measurement
 * drives them identically: open a URL, hear about "open", each event's data, and failures.
 *
 * - `engine`: Feedwatch's `SseConnection`, with its default options (what the app runs).
 * - `eventsource`: the `eventsource` npm package's `EventSource` (the anchor), on Node's own `fetch`.
 * - `raw`: the floor: `node:http` GET, one streaming `TextDecoder`, `eventsource-parser`. No
 *   reconnects, no states, no stats; what any client must at least do.
 *
 * Each client lives in its own module, built on its own and imported only by the processes that
 * measure it: a measurement process loads nothing but its client, and an engine that fails to build
 * (while it is being worked on) fails the engine's column instead of the whole benchmark.
 */

export const CLIENT_KINDS = ['engine', 'eventsource', 'raw'] as const

export type ClientKind = (typeof CLIENT_KINDS)[number]

/** Column headings and labels. */
export const CLIENT_NAMES: Readonly<Record<ClientKind, string>> = {
  engine: 'engine',
  eventsource: 'eventsource pkg',
  raw: 'raw node:http+parser',
}

/** What a measurement wants to hear from a client. Called synchronously: keep them cheap. */
export interface ClientHandlers {
  /** The response headers arrived with 200 and an event stream. */
  onOpen(): void
  /** One event was dispatched; only its data is passed, the same for every client. */
  onEvent(data: string): void
  /** The connection failed or ended without being asked to; the measurement is void. */
  onFailure(reason: string): void
}

/** An open client; `close()` stops it at once and for good. */
export interface BenchClient {
  close(): void
}

/** Opens one client on `url`. */
export type OpenClient = (url: string, handlers: ClientHandlers) => BenchClient

/** What each client module (`bench/clients/<kind>.ts`, built by `bundle.ts`) exports. */
export interface ClientModule {
  readonly openClient: OpenClient
}

/** Imports a built client module (by its `file:` URL) and returns how to open that client. */
export async function loadClient(moduleUrl: string): Promise<OpenClient> {
  const module = (await import(/* @vite-ignore */ moduleUrl)) as Partial<ClientModule>
  if (typeof module.openClient !== 'function') throw new Error(`${moduleUrl} exports no openClient`)
  return module.openClient
}
