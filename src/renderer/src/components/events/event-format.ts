/**
 * How event data is shown. Event data is untrusted: these functions only make strings, which the
 * templates render as text (`{{ }}`), never as HTML.
 */

/** The first `max` characters of the data on one line (line breaks shown as ⏎). */
export function previewData(data: string, max = 240): string {
  const head = data.length > max ? data.slice(0, max) : data
  const oneLine = head.replace(/\r\n|\r|\n/g, ' ⏎ ')
  return data.length > max ? `${oneLine}…` : oneLine
}

/** `14:03:07.123` in local time. */
export function formatTime(epochMs: number): string {
  const date = new Date(epochMs)
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0')
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`
}

/** Data pretty-printed when it is JSON, otherwise as it came. */
export function prettyData(data: string): { text: string; json: boolean } {
  const trimmed = data.trim()
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return { text: JSON.stringify(JSON.parse(trimmed), null, 2), json: true }
    } catch {
      // Not JSON after all: show it raw.
    }
  }
  return { text: data, json: false }
}
