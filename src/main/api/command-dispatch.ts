import {
  commands,
  isCommandName,
  type ApiError,
  type CommandName,
  type CommandResponses,
  type Result,
  type ValidCommandRequest,
} from '../../shared/api'
import { describeIssues } from '../../shared/validation'

/** One function per command; each receives a validated request. */
export type CommandHandlers = {
  [N in CommandName]: (
    request: ValidCommandRequest<N>,
  ) => Promise<CommandResponses[N]> | CommandResponses[N]
}

/** An expected failure a handler reports; it crosses the boundary as a value. */
export class CommandError extends Error {
  override readonly name = 'CommandError'
  constructor(
    readonly code: ApiError['code'],
    message: string,
    readonly issues?: readonly string[],
  ) {
    super(message)
  }
}

/** Where a command comes from, for the checks that depend on it. */
export interface DispatchContext {
  /** Refuse every command that changes anything (`feedwatch serve --read-only`). */
  readonly readOnly?: boolean
  /** Told about unexpected errors; the caller only sees "internal error". */
  readonly onInternalError?: (error: unknown, command: string) => void
}

/**
 * Runs one command from an untrusted transport: checks the name, validates the payload with the
 * contract's schema and turns every failure into `{ ok: false, error }`. Both transports (IPC, HTTP)
 * go through here, so they cannot differ in what they accept.
 */
export async function dispatchCommand(
  handlers: CommandHandlers,
  name: string,
  payload: unknown,
  context: DispatchContext = {},
): Promise<Result<unknown>> {
  if (!isCommandName(name))
    return failure({ code: 'unknown-command', message: `unknown command "${name}"` })
  const command = commands[name]
  if (context.readOnly && command.mutates) {
    return failure({
      code: 'read-only',
      message: `${name} changes the profile; this server is read-only`,
    })
  }
  const parsed = command.request.safeParse(payload ?? {})
  if (!parsed.success) {
    const issues = describeIssues(parsed.error)
    return failure({ code: 'invalid-request', message: `${name}: ${issues.join('; ')}`, issues })
  }
  try {
    const handler = handlers[name] as (request: unknown) => unknown
    return { ok: true, value: await handler(parsed.data) }
  } catch (error) {
    if (error instanceof CommandError) {
      return failure({
        code: error.code,
        message: error.message,
        ...(error.issues === undefined ? {} : { issues: error.issues }),
      })
    }
    context.onInternalError?.(error, name)
    return failure({
      code: 'internal',
      message: `${name} failed unexpectedly; see the log for details`,
    })
  }
}

function failure(error: ApiError): Result<never> {
  return { ok: false, error }
}
