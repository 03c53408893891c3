/**
 * Runs tasks one at a time per key, in the order they were queued. The profile store queues every
 * operation under its directory, so two saves of one profile can never interleave their reads,
 * backups and renames, and two stores opened on the same directory in one process share the queue.
 * (Two processes on one directory are not coordinated.)
 */

const tails = new Map<string, Promise<void>>()

/** Runs `task` after every task queued earlier under `key` has settled; a failure does not stop the queue. */
export function runSerially<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve()
  const result = previous.then(task)
  const tail = result.then(
    () => undefined,
    () => undefined,
  )
  tails.set(key, tail)
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key)
  })
  return result
}
