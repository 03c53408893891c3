/* global window, document, EventSource, requestAnimationFrame, uPlot */
/*
 * The benchmark's anchor: the same data as Feedwatch's wall drawn by uPlot, fed the same way (the
 * engine's buffered events from `events:query`, then every `events:batch` push of `feedwatch serve`'s
 * /api/stream), with the same rules: 5-minute windows, bounded buffers trimmed in chunks, at most one
 * redraw per animation frame. Served by the benchmark at feedwatch serve's origin (Playwright route),
 * so it talks to the API as the app does. Reports first draws of points to window.feedwatchChartProbe.
 */
;(async () => {
  const params = new URLSearchParams(window.location.search)
  const feedId = params.get('feed') ?? 'bench'
  const seriesCount = Number(params.get('series') ?? 12)
  const windowMs = Number(params.get('window') ?? 300000)
  const capacity = 36000
  const chunk = capacity / 8
  const colors = ['#79b0ff', '#ff9e6b', '#5fd47f', '#c5a3ff', '#f2c14e', '#ff8fc8']

  // The engine's clock as this machine sees it (the same estimate the app's charts store makes).
  let clockOffset
  const engineNow = () => Date.now() - (clockOffset ?? 0)

  const columns = Math.ceil(Math.sqrt(seriesCount))
  const grid = document.getElementById('grid')
  grid.style.gridTemplateColumns = `repeat(${columns}, minmax(0, 1fr))`
  grid.style.gridTemplateRows = `repeat(${Math.ceil(seriesCount / columns)}, minmax(0, 1fr))`

  const charts = []
  for (let i = 0; i < seriesCount; i++) {
    const panel = document.createElement('article')
    panel.className = 'panel'
    const title = document.createElement('h2')
    title.textContent = `Series ${i + 1}`
    const plot = document.createElement('div')
    plot.className = 'plot'
    panel.append(title, plot)
    grid.append(panel)
    charts.push({ plot, xs: [], ys: [], appended: 0, drawnUpTo: 0, lastSeq: 0, u: undefined })
  }

  const append = (chart, seq, x, y) => {
    if (seq <= chart.lastSeq) return
    chart.lastSeq = seq
    chart.xs.push(x)
    chart.ys.push(y)
    chart.appended++
    const over = chart.xs.length - capacity
    if (over >= chunk) {
      chart.xs.splice(0, over)
      chart.ys.splice(0, over)
    }
  }

  const take = (events) => {
    for (const event of events) {
      let data
      try {
        data = JSON.parse(event.data)
      } catch {
        continue
      }
      charts.forEach((chart, i) => {
        const value = data[`s${i}`]
        if (typeof value === 'number') append(chart, event.seq, event.receivedAt, value)
      })
    }
  }

  const response = await fetch('/api/events/query', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ feedId, event: 'metrics', limit: capacity }),
  })
  const seeded = await response.json()
  if (seeded.ok) take(seeded.value.events)
  for (const chart of charts) chart.drawnUpTo = chart.appended

  for (const chart of charts) {
    const { width, height } = chart.plot.getBoundingClientRect()
    chart.u = new uPlot(
      {
        width: Math.floor(width),
        height: Math.floor(height),
        ms: 1,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: true, range: () => [engineNow() - windowMs, engineNow()] } },
        axes: [
          {
            stroke: '#b3bcc6',
            grid: { stroke: '#3a434e', width: 0.5 },
            font: '16px system-ui',
            space: 110,
            values: (self, splits) =>
              splits.map((value) =>
                new Date(value).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
              ),
          },
          { stroke: '#b3bcc6', grid: { stroke: '#3a434e', width: 0.5 }, font: '16px system-ui' },
        ],
        series: [{}, { stroke: colors[charts.indexOf(chart) % colors.length], width: 3 }],
        hooks: {
          draw: [
            () => {
              const fresh = Math.min(chart.appended - chart.drawnUpTo, chart.xs.length)
              chart.drawnUpTo = chart.appended
              if (fresh > 0) window.feedwatchChartProbe?.drawn(chart.xs.slice(-fresh))
            },
          ],
        },
      },
      [chart.xs, chart.ys],
      chart.plot,
    )
  }

  let frame
  const dirty = new Set()
  const draw = () => {
    frame = undefined
    for (const chart of dirty) chart.u.setData([chart.xs, chart.ys])
    dirty.clear()
  }

  const source = new EventSource('/api/stream')
  source.addEventListener('events:batch', (message) => {
    const batch = JSON.parse(message.data)
    for (const { feedId: id, events } of batch.feeds) {
      if (id !== feedId || events.length === 0) continue
      const offset = Date.now() - events[events.length - 1].receivedAt
      clockOffset =
        clockOffset === undefined || offset < clockOffset
          ? offset
          : clockOffset + (offset - clockOffset) * 0.01
      take(events)
      for (const chart of charts) dirty.add(chart)
    }
    if (dirty.size > 0 && frame === undefined) frame = requestAnimationFrame(draw)
  })
  // The window slides even without data, as the app's charts do.
  setInterval(() => {
    for (const chart of charts) dirty.add(chart)
    if (frame === undefined) frame = requestAnimationFrame(draw)
  }, 1000)

  window.uplotReady = true
})()
