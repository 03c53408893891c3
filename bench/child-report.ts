/**
 * The child's end of "run one measurement in a fresh process" (the parent's end is `children.ts`):
 * read the task from argv, run the measurement, send one {@link ChildReport} over IPC, exit.
 */

/** The single message a measurement child sends. */
export type ChildReport<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string }

/** The task the parent passed to this process, as JSON in argv[2]. */
export function childTask<T>(): T {
  const json = process.argv[2]
  if (json === undefined) throw new Error('expected a JSON task in argv[2]: run engine.bench.ts')
  return JSON.parse(json) as T
}

/** Runs `measure`, sends its result (or its error) to the parent, and exits. */
export function reportFromChild<T>(measure: () => Promise<T>): void {
  // An orphaned child must not keep running (or keep sockets open) after its parent is gone.
  process.once('disconnect', () => process.exit(1))
  const send = (report: ChildReport<T>): void => {
    const code = report.ok ? 0 : 1
    if (process.send === undefined) {
      console.log(JSON.stringify(report))
      process.exit(code)
    }
    process.send(report, () => process.exit(code))
  }
  measure().then(
    (value) => send({ ok: true, value }),
    (error: unknown) =>
      send({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  )
}
