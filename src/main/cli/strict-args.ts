import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UsageError } from './usage-error'

type OptionsConfig = NonNullable<ParseArgsConfig['options']>

/** What a strict parse of `options` returns. */
type StrictParse<T extends OptionsConfig, P extends boolean> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: P }>
>

/**
 * `parseArgs` in strict mode, with Node's multi-line, Node-worded errors turned into one line that
 * names the option as the user typed it: `--port: expected a value`, `--bogus: unknown option`.
 *
 * @throws {@link UsageError}
 */
export function parseStrictArgs<T extends OptionsConfig, P extends boolean>(
  argv: readonly string[],
  options: T,
  allowPositionals: P,
): StrictParse<T, P> {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals })
  } catch (error) {
    throw new UsageError(diagnose(argv, options, allowPositionals) ?? firstLine(error))
  }
}

/** Finds what strict parsing refused by walking the tokens of a lenient parse. */
function diagnose(
  argv: readonly string[],
  options: OptionsConfig,
  allowPositionals: boolean,
): string | undefined {
  const { tokens } = parseArgs({
    args: [...argv],
    options,
    allowPositionals: true,
    strict: false,
    tokens: true,
  })
  for (const token of tokens) {
    if (token.kind === 'positional') {
      if (allowPositionals) continue
      return `unexpected argument "${token.value}"`
    }
    if (token.kind !== 'option') continue
    const option = options[token.name]
    if (option === undefined) return `${token.rawName}: unknown option`
    const name = `--${token.name}`
    if (option.type === 'boolean' && token.value !== undefined) return `${name}: takes no value`
    if (option.type === 'string' && token.value === undefined) return `${name}: expected a value`
    // parseArgs calls a separate value that starts with "-" ambiguous (`--port -1`).
    if (option.type === 'string' && token.inlineValue === false && isOptionLike(token.value)) {
      return `${name}: expected a value, got the option-like "${token.value}" (write ${name}=${token.value} if it is the value)`
    }
  }
  return undefined
}

/** The same test parseArgs uses to call a separate value "ambiguous". */
function isOptionLike(value: string | undefined): boolean {
  return value !== undefined && value.length > 1 && value.startsWith('-')
}

/** The first line of an error's message: Node's parse errors go on with advice we word ourselves. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.split('\n', 1)[0] ?? message
}
