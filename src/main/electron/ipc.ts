import type { IpcMainInvokeEvent } from 'electron'
import { commands, type PushMessage, type Result } from '../../shared/api'
import {
  DESKTOP_COMMANDS,
  type DesktopCommandName,
  type DesktopCommandRequests,
  type DesktopPushName,
  type DesktopPushPayloads,
} from '../../shared/api-channels'
import {
  dispatchCommand,
  type CommandHandlers,
  type DispatchContext,
} from '../api/command-dispatch'
import type { IpcSender } from './trusted-sender'

/**
 * The IPC side of the contract: each command is one `ipcMain.handle` channel named after it, and
 * each push is sent on a channel named after it. Every command goes through {@link dispatchCommand},
 * so IPC and HTTP accept exactly the same requests.
 */

/** The part of `ipcMain` this module uses (a fake in tests). */
export interface IpcMainLike<E> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => unknown): void
  removeHandler(channel: string): void
}

/** The part of the service the IPC handlers need. */
export interface CommandSource {
  readonly handlers: CommandHandlers
}

/** The part of the service push forwarding needs. */
export interface PushSource {
  subscribe(listener: (message: PushMessage) => void): () => void
}

/** The part of `webContents` pushes are sent to. */
export interface PushTarget {
  send(channel: string, payload: unknown): void
  isDestroyed(): boolean
}

/** What an untrusted sender gets back, without the command being looked at. */
export const FORBIDDEN: Result<never> = {
  ok: false,
  error: { code: 'forbidden', message: 'this sender may not use the Feedwatch API' },
}

/**
 * Registers one handler per command of the contract. Each checks the sender with `isTrusted` first
 * (an untrusted one gets {@link FORBIDDEN}), then validates and runs the command with
 * {@link dispatchCommand}; the renderer always receives a {@link Result}, never a thrown error.
 * Returns a function that removes every handler again.
 */
export function registerCommandHandlers<E>(
  ipcMain: IpcMainLike<E>,
  service: CommandSource,
  isTrusted: (event: E) => boolean,
  context: DispatchContext = {},
): () => void {
  const names = Object.keys(commands)
  for (const name of names) {
    ipcMain.handle(name, async (event, payload) =>
      isTrusted(event) ? dispatchCommand(service.handlers, name, payload, context) : FORBIDDEN,
    )
  }
  return () => names.forEach((name) => ipcMain.removeHandler(name))
}

/**
 * What the desktop shell does for each desktop command (`src/shared/api-channels.ts`); `sender` is
 * the `webContents.id` that asked, since these commands are about the sender's own window.
 */
export type DesktopCommandHandlers = {
  readonly [N in DesktopCommandName]: (request: DesktopCommandRequests[N], sender: number) => void
}

/** Each desktop command's request shape: small enough to check by hand, and said in words. */
const DESKTOP_REQUESTS: {
  readonly [N in DesktopCommandName]: {
    readonly expected: string
    readonly is: (payload: unknown) => payload is DesktopCommandRequests[N]
  }
} = {
  'app:set-wall': {
    expected: '{ on: true | false }',
    is: (payload): payload is { on: boolean } =>
      typeof payload === 'object' &&
      payload !== null &&
      Object.keys(payload).length === 1 &&
      typeof (payload as { on?: unknown }).on === 'boolean',
  },
}

/**
 * Registers one handler per desktop command, with the same sender check as the contract's
 * commands; a payload of the wrong shape gets `invalid-request`. Returns the function that removes
 * them again.
 */
export function registerDesktopCommandHandlers<
  E extends { readonly sender: { readonly id: number } },
>(
  ipcMain: IpcMainLike<E>,
  handlers: DesktopCommandHandlers,
  isTrusted: (event: E) => boolean,
): () => void {
  for (const name of DESKTOP_COMMANDS) {
    ipcMain.handle(name, (event, payload): Result<null> => {
      if (!isTrusted(event)) return FORBIDDEN
      const shape = DESKTOP_REQUESTS[name]
      if (!shape.is(payload)) {
        const message = `${name} takes ${shape.expected}`
        return { ok: false, error: { code: 'invalid-request', message } }
      }
      handlers[name](payload, event.sender.id)
      return { ok: true, value: null }
    })
  }
  return () => DESKTOP_COMMANDS.forEach((name) => ipcMain.removeHandler(name))
}

/**
 * Sends every push of the service to the web contents `targets()` returns at that moment (our
 * windows that show our page); destroyed ones are skipped. Returns the unsubscribe function.
 */
export function forwardPushes(
  service: PushSource,
  targets: () => Iterable<PushTarget>,
): () => void {
  return service.subscribe((message) => {
    for (const target of targets()) {
      if (!target.isDestroyed()) target.send(message.type, message.payload)
    }
  })
}

/** Sends one desktop push (see `src/shared/api-channels.ts`) to one window. */
export function sendDesktopPush<N extends DesktopPushName>(
  target: PushTarget,
  name: N,
  payload: DesktopPushPayloads[N],
): void {
  if (!target.isDestroyed()) target.send(name, payload)
}

/** The sender of an IPC message in the shape {@link isTrustedSender} checks. */
export function senderOf(event: IpcMainInvokeEvent): IpcSender {
  let frame: IpcSender['frame'] = null
  try {
    // senderFrame is null, or on older Electron throws, once the frame navigated or was destroyed.
    const senderFrame = event.senderFrame
    if (senderFrame !== null)
      frame = { url: senderFrame.url, isMainFrame: senderFrame.parent === null }
  } catch {
    frame = null
  }
  return { webContentsId: event.sender.id, frame }
}
