import type { MetricsPage } from './feedwatch-metrics'
import { startMetricsServer, type RunningMetricsServer } from './metrics-server'

/** Where the desktop app serves `/metrics` when the setting is on: 127.0.0.1 only. */
export const DESKTOP_METRICS_PORT = 9479

/** What the desktop setting "Expose /metrics on 127.0.0.1" shows about itself. */
export type MetricsExposureState =
  | { readonly on: false }
  | { readonly on: true; readonly url: string }
  | { readonly on: false; readonly problem: string }

/**
 * The desktop app's "Expose /metrics on 127.0.0.1" setting (off by default): turning it on starts
 * the metrics-only server on {@link DESKTOP_METRICS_PORT}, turning it off stops it. Calls may come in
 * any order and any number of times (a menu clicked twice, a setting restored at start); each waits
 * for the one before. A port that is taken is a problem to show, not an error that ends the app.
 */
export class MetricsExposure {
  private server: RunningMetricsServer | undefined
  private current: MetricsExposureState = { on: false }
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly render: () => Promise<MetricsPage>,
    private readonly port: number = DESKTOP_METRICS_PORT,
  ) {}

  /** Whether it is on, at what address, or why it could not be turned on. */
  get state(): MetricsExposureState {
    return this.current
  }

  /** Turns the server on or off; resolves with the resulting state. */
  set(on: boolean): Promise<MetricsExposureState> {
    const next = this.queue.then(async () => {
      if (on && this.server === undefined) {
        try {
          this.server = await startMetricsServer({ port: this.port, render: this.render })
          this.current = { on: true, url: this.server.url }
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code
          this.current = {
            on: false,
            problem:
              code === 'EADDRINUSE'
                ? `port ${this.port} on 127.0.0.1 is already in use`
                : `could not listen on 127.0.0.1:${this.port}: ${String(error)}`,
          }
        }
      } else if (!on) {
        const server = this.server
        this.server = undefined
        await server?.close()
        this.current = { on: false }
      }
      return this.current
    })
    this.queue = next.catch(() => undefined)
    return next
  }
}
