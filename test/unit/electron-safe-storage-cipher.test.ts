import { expect, test } from 'vitest'
import {
  safeStorageCipher,
  type SafeStorageLike,
} from '../../src/main/electron/safe-storage-cipher'
import { openValue, sealValue } from '../../src/main/profiles/secret-cipher'

/** A stand-in keychain: "encrypts" by reversing the bytes behind a marker, refuses anything else. */
function fakeSafeStorage(overrides: Partial<SafeStorageLike> = {}): SafeStorageLike {
  const MARK = Buffer.from([0x76, 0x31, 0x31, 0x00, 0xff])
  return {
    isEncryptionAvailable: () => true,
    encryptString: (plain) => Buffer.concat([MARK, Buffer.from(plain, 'utf8').reverse()]),
    decryptString: (encrypted) => {
      if (!encrypted.subarray(0, MARK.length).equals(MARK))
        throw new Error('Error while decrypting')
      return Buffer.from(encrypted.subarray(MARK.length)).reverse().toString('utf8')
    },
    ...overrides,
  }
}

test('no cipher when the OS offers no encryption', () => {
  expect(safeStorageCipher(fakeSafeStorage({ isEncryptionAvailable: () => false }), 'darwin')).toBe(
    undefined,
  )
})

test("no cipher on Linux with the basic_text backend: Chromium's built-in key is no protection", () => {
  const storage = fakeSafeStorage({ getSelectedStorageBackend: () => 'basic_text' })
  expect(safeStorageCipher(storage, 'linux')).toBeUndefined()
})

test('a cipher on Linux with a real secret service', () => {
  const storage = fakeSafeStorage({ getSelectedStorageBackend: () => 'gnome_libsecret' })
  expect(safeStorageCipher(storage, 'linux')).toBeDefined()
})

test('encrypted values are ASCII text and decrypt to what went in', () => {
  const cipher = safeStorageCipher(fakeSafeStorage(), 'win32')
  const stored = cipher?.encrypt('Bearer s3cr3t ✓') ?? ''
  expect(stored).toMatch(/^[A-Za-z0-9+/]+=*$/)
  expect(stored).not.toContain('s3cr3t')
  expect(cipher?.decrypt(stored)).toBe('Bearer s3cr3t ✓')
})

test('decrypting what this keychain did not encrypt throws', () => {
  const cipher = safeStorageCipher(fakeSafeStorage(), 'darwin')
  expect(() => cipher?.decrypt(Buffer.from('from another computer').toString('base64'))).toThrow()
})

test('the profile store seals and opens values with it', () => {
  const cipher = safeStorageCipher(fakeSafeStorage(), 'darwin')
  const sealed = sealValue('token-123', cipher)
  expect(sealed).not.toContain('token-123')
  expect(openValue(sealed, cipher)).toBe('token-123')
})
