import { defineStore } from 'pinia'
import { ref } from 'vue'
import { CONNECTION_LOST_AFTER_MS } from '../../../shared/api'
import { feedwatchClient } from '../api/client'

/**
 * Whether this window still hears from Feedwatch: the service sends a heartbeat every second over
 * the push path (IPC in the desktop app, the stream of `feedwatch serve` in a browser). Silence for
 * {@link CONNECTION_LOST_AFTER_MS}, or a browser's stream going down, means everything shown is
 * only last known; the next heartbeat means it is live again.
 */
export const useConnectionStore = defineStore('connection', () => {
  const client = feedwatchClient()
  /** Nothing heard for too long, or the stream is down. */
  const lost = ref(false)
  /** When Feedwatch was last heard from (epoch ms, this machine's clock): what is shown is from then. */
  const lastHeardAt = ref(Date.now())
  let timer: ReturnType<typeof setTimeout> | undefined

  function expectNextHeartbeat(): void {
    clearTimeout(timer)
    timer = setTimeout(() => (lost.value = true), CONNECTION_LOST_AFTER_MS)
  }

  client.on('service:heartbeat', () => {
    lastHeardAt.value = Date.now()
    lost.value = false
    expectNextHeartbeat()
  })
  client.onStreamChange((up) => {
    // Back up: the next heartbeat (within a second) confirms it; down: say so at once.
    if (!up) lost.value = true
  })
  expectNextHeartbeat()

  return { lost, lastHeardAt }
})
