/**
 * A command line the user has to fix. `message` is one line that names the option and says what is
 * wrong; the CLI prints it on stderr and exits with status 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}
