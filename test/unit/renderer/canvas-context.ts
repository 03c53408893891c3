/**
 * A 2D canvas context that records what is drawn and does nothing else: happy-dom has no canvas, and
 * Chart.js needs one to lay out and draw. Installs itself on every canvas of the page.
 */
export interface RecordingContext {
  /** Names of the drawing calls made, in order. */
  readonly calls: string[]
  /** Text drawn with `fillText`. */
  readonly texts: string[]
}

export function installCanvasContext(): RecordingContext {
  const recording: RecordingContext = { calls: [], texts: [] }
  const contexts = new WeakMap<HTMLCanvasElement, unknown>()
  const make = (canvas: HTMLCanvasElement): unknown => {
    const state: Record<string | symbol, unknown> = { canvas }
    return new Proxy(state, {
      get(target, key) {
        if (key in target) return target[key]
        if (key === 'measureText') return (text: string) => ({ width: text.length * 6 })
        if (key === 'getLineDash') return () => []
        if (key === 'fillText')
          return (text: string) => {
            recording.calls.push('fillText')
            recording.texts.push(text)
          }
        if (key === 'createLinearGradient' || key === 'createPattern')
          return () => ({ addColorStop: () => undefined })
        if (key === 'getImageData') return () => ({ data: new Uint8ClampedArray(4) })
        if (typeof key === 'string')
          return () => {
            recording.calls.push(key)
          }
        return undefined
      },
      set(target, key, value) {
        target[key] = value
        return true
      },
    })
  }
  ;(
    HTMLCanvasElement.prototype as unknown as { getContext: (this: HTMLCanvasElement) => unknown }
  ).getContext = function (this: HTMLCanvasElement) {
    let context = contexts.get(this)
    if (context === undefined) {
      context = make(this)
      contexts.set(this, context)
    }
    return context
  }
  return recording
}
