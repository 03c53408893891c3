import { contextBridge } from 'electron'

/** What the renderer may use; grows one named function per operation, never a generic channel. */
const api = {
  /** Versions of the runtime, shown in the About line. */
  versions: { electron: process.versions.electron, chrome: process.versions.chrome },
} as const

/** The renderer's view of the preload API, derived from the object so the two cannot drift. */
export type FeedwatchApi = typeof api

contextBridge.exposeInMainWorld('feedwatch', api)
