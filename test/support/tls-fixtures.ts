import { readFileSync } from 'node:fs'

/**
 * PEM files in test/fixtures/tls, made once with OpenSSL 3 and committed (valid for 100 years; the
 * CA's private key was deleted, so nothing can be signed with it again):
 *
 * ```sh
 * openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
 *   -keyout ca-key.pem -out ca.pem -days 36500 -subj "/CN=Feedwatch Test CA" \
 *   -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
 * openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
 *   -keyout server-key.pem -out server.csr -subj "/CN=127.0.0.1"
 * printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n' > server.ext
 * openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial \
 *   -out server.pem -days 36500 -extfile server.ext
 * rm server.csr server.ext ca.srl ca-key.pem
 * ```
 */
function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url), 'utf8')
}

/** The test certificate authority (trust it with `ca`). */
export const testCa = fixture('ca.pem')

/** A server certificate for 127.0.0.1 and localhost, signed by {@link testCa}, and its key. */
export const serverTls = { cert: fixture('server.pem'), key: fixture('server-key.pem') }
