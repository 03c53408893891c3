/** Profile names are unique regardless of case and surrounding spaces, as the store compares them. */
export function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase()
}
