/**
 * Picks the proxy for a URL from `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` (either case,
 * lower case first), following curl's rules. Written here rather than taken from `proxy-from-env`
 * because that package reads only the global `process.env`, and the engine takes its environment as
 * an input.
 *
 * @returns the proxy URL, or undefined for a direct connection.
 */
export function proxyForUrl(url: URL, env: NodeJS.ProcessEnv): URL | undefined {
  const scheme = url.protocol.slice(0, -1)
  const proxy = readEnv(env, `${scheme}_proxy`) || readEnv(env, 'all_proxy')
  if (!proxy || bypassesProxy(url, readEnv(env, 'no_proxy'))) return undefined
  try {
    return new URL(proxy.includes('://') ? proxy : `http://${proxy}`)
  } catch {
    return undefined
  }
}

/** True when `NO_PROXY` names the URL's host: `*`, an exact host, a domain suffix, optionally `:port`. */
function bypassesProxy(url: URL, noProxy: string): boolean {
  const host = url.hostname.toLowerCase()
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  return noProxy
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => {
      if (entry === '*') return true
      const match = /^(.+?)(?::(\d+))?$/.exec(entry)
      const entryHost = (match?.[1] ?? entry).replace(/^\*?\.?/, '')
      const entryPort = match?.[2]
      if (entryPort && entryPort !== port) return false
      return host === entryHost || host.endsWith(`.${entryHost}`)
    })
}

function readEnv(env: NodeJS.ProcessEnv, name: string): string {
  return env[name.toLowerCase()] || env[name.toUpperCase()] || ''
}
