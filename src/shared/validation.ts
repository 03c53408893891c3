import type { z } from 'zod'

/** A key that reads as itself after a dot: `url`, `wallPanels`. */
const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/**
 * Formats a zod path the way people read it: `feeds[2].url`; a key that is not a plain word is
 * quoted, `feeds[2].headers["X-Api-Key"]`.
 */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => {
      if (typeof key === 'number') return `[${key}]`
      const text = String(key)
      if (!PLAIN_KEY.test(text)) return `[${JSON.stringify(text)}]`
      return `${index === 0 ? '' : '.'}${text}`
    })
    .join('')
}

/** One line per problem, each prefixed with where it is: `feeds[2].url: must be an http(s) URL`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = formatPath(issue.path)
    return where ? `${where}: ${issue.message}` : issue.message
  })
}
