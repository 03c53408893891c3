import { expect, test } from 'vitest'
import { proxyForUrl } from '../../src/main/engine/proxy-settings'

const proxied = (url: string, env: NodeJS.ProcessEnv): string | undefined =>
  proxyForUrl(new URL(url), env)?.href

test('http URLs use HTTP_PROXY and https URLs use HTTPS_PROXY', () => {
  const env = { HTTP_PROXY: 'http://plain:3128', HTTPS_PROXY: 'http://secure:3128' }
  expect(proxied('http://feeds.example/a', env)).toBe('http://plain:3128/')
  expect(proxied('https://feeds.example/a', env)).toBe('http://secure:3128/')
})

test('lower-case variables win over upper-case ones', () => {
  expect(
    proxied('http://feeds.example/', { http_proxy: 'http://low:1', HTTP_PROXY: 'http://up:1' }),
  ).toBe('http://low:1/')
})

test('ALL_PROXY applies when no scheme-specific proxy is set', () => {
  expect(proxied('https://feeds.example/', { ALL_PROXY: 'http://all:8080' })).toBe(
    'http://all:8080/',
  )
})

test('a proxy without a scheme is taken as http', () => {
  expect(proxied('http://feeds.example/', { HTTP_PROXY: 'proxy.local:3128' })).toBe(
    'http://proxy.local:3128/',
  )
})

test('NO_PROXY matches hosts, domain suffixes, ports and the wildcard', () => {
  const env = {
    HTTP_PROXY: 'http://p:1',
    NO_PROXY: 'localhost, .internal.example,api.example:8080',
  }
  expect(proxied('http://localhost:9000/', env)).toBeUndefined()
  expect(proxied('http://feeds.internal.example/', env)).toBeUndefined()
  expect(proxied('http://internal.example/', env)).toBeUndefined()
  expect(proxied('http://api.example:8080/', env)).toBeUndefined()
  expect(proxied('http://api.example:9090/', env)).toBe('http://p:1/')
  expect(proxied('http://notinternal.example/', env)).toBe('http://p:1/')
  expect(proxied('http://anything/', { HTTP_PROXY: 'http://p:1', NO_PROXY: '*' })).toBeUndefined()
})

test('no proxy variables means a direct connection', () => {
  expect(proxied('http://feeds.example/', {})).toBeUndefined()
})
