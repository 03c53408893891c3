/* global window, requestAnimationFrame */
/*
 * Installed in both benchmark pages with Playwright's addInitScript, before any page script. It
 * records, between start() and stop():
 *   - frames: requestAnimationFrame deltas (ms);
 *   - longTasks: durations of main-thread tasks over 50 ms (Long Tasks API);
 *   - latencies: for every point a chart drew for the first time, the time of the draw minus the
 *     event's receivedAt (both epoch ms from this machine's clock).
 * Feedwatch's charts report their draws to `feedwatchChartProbe` (see redraw-scheduler.ts); the uPlot
 * anchor page reports to the same object.
 */
;(() => {
  const state = { measuring: false, start: 0, last: -1, frames: [], longTasks: [], latencies: [] }

  const frame = (time) => {
    if (state.measuring && state.last >= 0) state.frames.push(time - state.last)
    state.last = time
    requestAnimationFrame(frame)
  }
  requestAnimationFrame(frame)

  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      if (state.measuring && entry.startTime >= state.start) state.longTasks.push(entry.duration)
  }).observe({ type: 'longtask' })

  const probe = {
    drawn(receivedAt) {
      if (!state.measuring) return
      const now = Date.now()
      for (const at of receivedAt) state.latencies.push(now - at)
    },
  }
  window.feedwatchChartProbe = probe

  window.uiBench = {
    start() {
      state.frames = []
      state.longTasks = []
      state.latencies = []
      state.last = -1
      state.start = performance.now()
      state.measuring = true
    },
    stop() {
      state.measuring = false
      return { frames: state.frames, longTasks: state.longTasks, latencies: state.latencies }
    },
  }
})()
