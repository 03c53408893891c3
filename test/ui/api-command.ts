import type { CommandName, CommandRequest, CommandResponses, Result } from '../../src/shared/api'

/**
 * Runs a command against `feedwatch serve` at `url` the way the browser's api adapter does (as
 * another operator's browser would); throws with the server's message when it fails.
 */
export async function apiCommand<N extends CommandName>(
  url: string,
  name: N,
  request: CommandRequest<N>,
): Promise<CommandResponses[N]> {
  const [domain, verb] = name.split(':')
  const response = await fetch(`${url}/api/${domain}/${verb}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
  })
  const result = (await response.json()) as Result<CommandResponses[N]>
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`)
  return result.value
}
