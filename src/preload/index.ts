import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type {
  CommandName,
  CommandRequest,
  CommandResponses,
  PushName,
  PushPayloads,
  Result,
} from '../shared/api'
import type {
  DesktopCommandName,
  DesktopCommandRequests,
  DesktopPushName,
  DesktopPushPayloads,
} from '../shared/api-channels'

/*
 * The bridge between the renderer and the main process: one named function per command of the
 * contract (`src/shared/api.ts`) and one `on…` subscription per push. Nothing generic crosses: the
 * page cannot pick a channel, and never sees `ipcRenderer` or an IPC event.
 *
 * This file runs in a sandboxed preload, which can load only `electron`: the contract is imported
 * for its types alone (they vanish in the build), and channel names are literals the type checker
 * holds to the contract.
 */

/** Every request the bridge sends: the contract's commands and the desktop shell's own. */
type Requests = { [N in CommandName]: CommandRequest<N> } & DesktopCommandRequests
/** What each of them answers; desktop commands answer `null`. */
type Responses = CommandResponses & { [N in DesktopCommandName]: null }
type Channel = CommandName | DesktopCommandName

/** A command's arguments: the request, optional where the command takes none. */
type CommandArgs<N extends Channel> =
  Record<string, never> extends Requests[N] ? [request?: Requests[N]] : [request: Requests[N]]

/** The function that sends command `N`; it always resolves, failures included, to a {@link Result}. */
function command<N extends Channel>(
  name: N,
): (...args: CommandArgs<N>) => Promise<Result<Responses[N]>> {
  return async (...[request]) => {
    try {
      return (await ipcRenderer.invoke(name, request ?? {})) as Result<Responses[N]>
    } catch (error) {
      // Only when main has no handler (yet) or the IPC itself failed: handlers answer with values.
      const message = error instanceof Error ? error.message : String(error)
      return { ok: false, error: { code: 'internal', message: `${name}: ${message}` } }
    }
  }
}

/** The subscription to push `N`: calls `listener` with each payload; returns the unsubscribe. */
function subscription<N extends PushName | DesktopPushName>(
  name: N,
): (listener: (payload: (PushPayloads & DesktopPushPayloads)[N]) => void) => () => void {
  return (listener) => {
    const forward = (_event: IpcRendererEvent, payload: (PushPayloads & DesktopPushPayloads)[N]) =>
      listener(payload)
    ipcRenderer.on(name, forward)
    return () => {
      ipcRenderer.removeListener(name, forward)
    }
  }
}

/** What the renderer may use, as `window.feedwatch`. */
const api = {
  /** Versions of the runtime, shown in the About line. */
  versions: { electron: process.versions.electron, chrome: process.versions.chrome },

  profilesList: command('profiles:list'),
  profilesActive: command('profiles:active'),
  profilesSwitch: command('profiles:switch'),
  profilesStart: command('profiles:start'),
  profilesStop: command('profiles:stop'),
  profilesRunning: command('profiles:running'),
  profilesCreate: command('profiles:create'),
  profilesDuplicate: command('profiles:duplicate'),
  profilesRename: command('profiles:rename'),
  profilesDelete: command('profiles:delete'),
  profilesExport: command('profiles:export'),
  profilesImport: command('profiles:import'),
  settingsSave: command('settings:save'),
  feedsList: command('feeds:list'),
  feedsAdd: command('feeds:add'),
  feedsUpdate: command('feeds:update'),
  feedsRemove: command('feeds:remove'),
  feedsEnable: command('feeds:enable'),
  feedsDisable: command('feeds:disable'),
  feedsConnect: command('feeds:connect'),
  feedsDisconnect: command('feeds:disconnect'),
  feedsRetry: command('feeds:retry'),
  feedsTest: command('feeds:test'),
  eventsQuery: command('events:query'),
  panelsSave: command('panels:save'),
  panelsRemove: command('panels:remove'),
  layoutSave: command('layout:save'),
  rulesSave: command('rules:save'),
  rulesRemove: command('rules:remove'),
  rulesPreview: command('rules:preview'),
  alertsList: command('alerts:list'),
  alertsAck: command('alerts:ack'),
  alertsSilence: command('alerts:silence'),
  alertsUnsilence: command('alerts:unsilence'),
  contactsSave: command('contacts:save'),
  contactsRemove: command('contacts:remove'),
  contactsTest: command('contacts:test'),
  contactsLog: command('contacts:log'),

  onFeedsState: subscription('feeds:state'),
  onEventsBatch: subscription('events:batch'),
  /** Only `feedwatch serve` drops events for a slow client; IPC never sends it, but the contract has it. */
  onEventsDropped: subscription('events:dropped'),
  onAlertsFired: subscription('alerts:fired'),
  onAlertsChanged: subscription('alerts:changed'),
  onProfilesChanged: subscription('profiles:changed'),
  onProfilesListed: subscription('profiles:listed'),
  onProfilesRunning: subscription('profiles:running'),
  onContactsDelivery: subscription('contacts:delivery'),
  /** Every second while the main process is responsive: its silence means the connection is lost. */
  onServiceHeartbeat: subscription('service:heartbeat'),
  /** A notification was clicked: show this feed. */
  onAppFocusFeed: subscription('app:focus-feed'),
  /** The ops wall was switched on or off (also sent after each page load). */
  onAppWall: subscription('app:wall'),
  /** Asks the main process to switch the ops wall (full screen, menus, tray) on or off. */
  appSetWall: command('app:set-wall'),
} as const

/** The renderer's view of the preload API, derived from the object so the two cannot drift. */
export type FeedwatchApi = typeof api

contextBridge.exposeInMainWorld('feedwatch', api)
