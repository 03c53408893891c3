// Loaded into the `feedwatch serve` process of the soak run (node --expose-gc --require …): on
// SIGUSR2 it collects garbage and reports the live heap and the RSS on stderr as one line, so the
// soak can tell memory the buffers hold from garbage V8 has not collected yet.
'use strict'

process.on('SIGUSR2', () => {
  global.gc?.()
  global.gc?.()
  const { heapUsed, rss } = process.memoryUsage()
  process.stderr.write(`heap-probe ${JSON.stringify({ heapUsed, rss })}\n`)
})
