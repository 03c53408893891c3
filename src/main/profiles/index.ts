/** Profiles on disk: the store, its errors and notices, and the runtime state. */
export { MIGRATIONS, type Migration } from './migrations'
export { ProfileError, type ProfileErrorCode } from './profile-error'
export type { ProfileNotice, ProfileNoticeCode } from './profile-notice'
export {
  ProfileStore,
  type DeleteResult,
  type ExportOptions,
  type ExportResult,
  type ImportOptions,
  type ProfileResult,
  type ProfileStoreOptions,
  type ProfileSummary,
} from './profile-store'
export type { RuntimeState, RuntimeStateUpdate } from './runtime-state'
export type { LoadedRuntimeState } from './runtime-state-file'
export {
  createRuntimeStateWriter,
  type RuntimeStateWriter,
  type RuntimeStateWriterOptions,
} from './runtime-state-writer'
export { SEALED_PREFIX, type SecretCipher } from './secret-cipher'
