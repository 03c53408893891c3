import type { SecretCipher } from '../profiles/secret-cipher'

/** The part of Electron's `safeStorage` the cipher uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  encryptString(plainText: string): Buffer
  decryptString(encrypted: Buffer): string
  /** Linux only in Electron; absent elsewhere. */
  getSelectedStorageBackend?(): string
}

/**
 * A {@link SecretCipher} backed by the OS keychain through `safeStorage`, or `undefined` when the OS
 * offers none; secrets are then stored as typed, as on a headless server. Call it after the app is
 * ready: before that `safeStorage` reports no encryption on Linux and Windows.
 *
 * On Linux without a secret service (no GNOME Keyring, KWallet, …) Electron falls back to the
 * `basic_text` backend, which encrypts with a key built into Chromium: that is obfuscation, not
 * protection, so it counts as no encryption at all rather than as a false promise.
 *
 * `encrypt` returns base64 of the encrypted bytes (the store wants text); `decrypt` throws on a value
 * it cannot open (another computer's keychain), which the store reports as an unreadable secret.
 */
export function safeStorageCipher(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
): SecretCipher | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text')
    return undefined
  return {
    encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
    decrypt: (stored) => safeStorage.decryptString(Buffer.from(stored, 'base64')),
  }
}
