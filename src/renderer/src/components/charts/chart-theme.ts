import type { Severity } from '../../../../shared/profile'

/**
 * Colours a canvas needs, read from styles.css's custom properties (a canvas cannot use `var()`),
 * with fallbacks close to the light theme's for when a property is missing.
 */
export interface ChartTheme {
  readonly text: string
  readonly muted: string
  readonly grid: string
  readonly surface: string
  readonly series: readonly string[]
  readonly severity: Readonly<Record<Severity, string>>
  readonly font: string
}

const SERIES_FALLBACK = ['#1f6feb', '#d1512b', '#1a7f37', '#8250df', '#b08800', '#bf3989']

/** Reads the theme as it applies to `element` (the wall forces dark colours on its subtree). */
export function readChartTheme(element: Element): ChartTheme {
  const style = getComputedStyle(element)
  const read = (name: string, fallback: string): string =>
    style.getPropertyValue(name).trim() || fallback
  return {
    text: read('--fw-text', '#1a1f24'),
    muted: read('--fw-text-muted', '#545e69'),
    grid: read('--fw-border', '#c9d0d7'),
    surface: read('--fw-surface', '#ffffff'),
    series: SERIES_FALLBACK.map((fallback, index) => read(`--fw-series-${index + 1}`, fallback)),
    severity: {
      critical: read('--fw-danger', '#b0201c'),
      warning: read('--fw-warn', '#7a4d00'),
      info: read('--fw-info', '#0b5394'),
    },
    font: read('--fw-font', 'system-ui, sans-serif'),
  }
}

/**
 * Calls `changed` when the theme may have changed: the profile's theme setting (App.vue sets
 * `<html data-theme>`) or the OS's light/dark preference. Returns the function that stops watching.
 */
export function onThemeChange(changed: () => void): () => void {
  const media = matchMedia('(prefers-color-scheme: dark)')
  media.addEventListener('change', changed)
  const observer = new MutationObserver(changed)
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] })
  return () => {
    media.removeEventListener('change', changed)
    observer.disconnect()
  }
}
