import type {
  CommandName,
  CommandRequest,
  CommandResponses,
  PushName,
  PushPayloads,
  Result,
} from '../../../shared/api'
import type { FeedwatchClient } from './feedwatch-client'

/** The preload's API, as its global declaration types it. */
type FeedwatchApi = NonNullable<Window['feedwatch']>

/** The preload function that sends command `N`. */
type SendCommand<N extends CommandName> = (
  request: CommandRequest<N>,
) => Promise<Result<CommandResponses[N]>>

/** The preload function that subscribes to push `P`. */
type SubscribePush<P extends PushName> = (
  listener: (payload: PushPayloads[P]) => void,
) => () => void

/**
 * Which preload function sends each command of the contract, written out once (GitHub Desktop's
 * typed IPC does the same): no method name is built from a string, and the mapped type demands an
 * entry for every command with the function's exact request and response. A command renamed,
 * added or removed in `src/shared/api.ts`, or a preload function renamed, no longer compiles here.
 */
export type IpcCommandTable = {
  readonly [N in CommandName]: (api: FeedwatchApi) => SendCommand<N>
}

/** Which preload function subscribes to each push of the contract; see {@link IpcCommandTable}. */
export type IpcPushTable = { readonly [P in PushName]: (api: FeedwatchApi) => SubscribePush<P> }

export const IPC_COMMANDS: IpcCommandTable = {
  'profiles:list': (api) => api.profilesList,
  'profiles:active': (api) => api.profilesActive,
  'profiles:switch': (api) => api.profilesSwitch,
  'profiles:start': (api) => api.profilesStart,
  'profiles:stop': (api) => api.profilesStop,
  'profiles:running': (api) => api.profilesRunning,
  'profiles:create': (api) => api.profilesCreate,
  'profiles:duplicate': (api) => api.profilesDuplicate,
  'profiles:rename': (api) => api.profilesRename,
  'profiles:delete': (api) => api.profilesDelete,
  'profiles:export': (api) => api.profilesExport,
  'profiles:import': (api) => api.profilesImport,
  'settings:save': (api) => api.settingsSave,
  'feeds:list': (api) => api.feedsList,
  'feeds:add': (api) => api.feedsAdd,
  'feeds:update': (api) => api.feedsUpdate,
  'feeds:remove': (api) => api.feedsRemove,
  'feeds:enable': (api) => api.feedsEnable,
  'feeds:disable': (api) => api.feedsDisable,
  'feeds:connect': (api) => api.feedsConnect,
  'feeds:disconnect': (api) => api.feedsDisconnect,
  'feeds:retry': (api) => api.feedsRetry,
  'feeds:test': (api) => api.feedsTest,
  'events:query': (api) => api.eventsQuery,
  'panels:save': (api) => api.panelsSave,
  'panels:remove': (api) => api.panelsRemove,
  'layout:save': (api) => api.layoutSave,
  'rules:save': (api) => api.rulesSave,
  'rules:remove': (api) => api.rulesRemove,
  'rules:preview': (api) => api.rulesPreview,
  'alerts:list': (api) => api.alertsList,
  'alerts:ack': (api) => api.alertsAck,
  'alerts:silence': (api) => api.alertsSilence,
  'alerts:unsilence': (api) => api.alertsUnsilence,
  'contacts:save': (api) => api.contactsSave,
  'contacts:remove': (api) => api.contactsRemove,
  'contacts:test': (api) => api.contactsTest,
  'contacts:log': (api) => api.contactsLog,
}

export const IPC_PUSHES: IpcPushTable = {
  'feeds:state': (api) => api.onFeedsState,
  'events:batch': (api) => api.onEventsBatch,
  'events:dropped': (api) => api.onEventsDropped,
  'alerts:fired': (api) => api.onAlertsFired,
  'alerts:changed': (api) => api.onAlertsChanged,
  'profiles:changed': (api) => api.onProfilesChanged,
  'profiles:listed': (api) => api.onProfilesListed,
  'profiles:running': (api) => api.onProfilesRunning,
  'service:heartbeat': (api) => api.onServiceHeartbeat,
  'contacts:delivery': (api) => api.onContactsDelivery,
}

/** The contract over the desktop app's preload (`window.feedwatch`). */
export function createIpcClient(api: FeedwatchApi): FeedwatchClient {
  return {
    runtime: `Electron ${api.versions.electron}`,
    call<N extends CommandName>(
      name: N,
      request: CommandRequest<N>,
    ): Promise<Result<CommandResponses[N]>> {
      const send: SendCommand<N> = IPC_COMMANDS[name](api)
      // Vue's reactive proxies cannot be structured-cloned across the bridge; requests are plain JSON.
      const plain = JSON.parse(JSON.stringify(request ?? {})) as CommandRequest<N>
      return send(plain)
    },
    on<P extends PushName>(name: P, listener: (payload: PushPayloads[P]) => void): () => void {
      const subscribe: SubscribePush<P> = IPC_PUSHES[name](api)
      return subscribe(listener)
    },
    // IPC delivers every push while the window lives; there is nothing to resynchronise.
    onResync: () => () => undefined,
    // IPC has no connection to lose: the main process's heartbeat says whether it still answers.
    onStreamChange: () => () => undefined,
  }
}
