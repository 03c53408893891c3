import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import ts from 'typescript'
import { expect, test } from 'vitest'

/**
 * A renamed command must fail the type check, not a click at run time. These tests run the
 * TypeScript compiler, with the renderer's own settings (tsconfig.web.json), over the renderer's IPC
 * client with the contract or the preload changed in memory, and read the errors it reports there.
 */

const ROOT = resolve(__dirname, '../..')
const CLIENT = join(ROOT, 'src/renderer/src/api/ipc-client.ts')
const CONTRACT = join(ROOT, 'src/shared/api.ts')
const PRELOAD = join(ROOT, 'src/preload/index.ts')

function webOptions(): ts.CompilerOptions {
  const configPath = join(ROOT, 'tsconfig.web.json')
  const { config } = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path))
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, configPath)
  return { ...parsed.options, noEmit: true, composite: false, incremental: false }
}

const options = webOptions()
let previous: ts.Program | undefined

/** The errors the compiler reports in the IPC client when `edits` replace files' text. */
function clientErrors(edits: ReadonlyMap<string, string> = new Map()): string[] {
  const host = ts.createCompilerHost(options)
  const readFile = host.readFile.bind(host)
  host.readFile = (path) => edits.get(resolve(path)) ?? readFile(path)
  const program = ts.createProgram({
    rootNames: [CLIENT, join(ROOT, 'src/preload/index.d.ts')],
    options,
    host,
    ...(previous === undefined ? {} : { oldProgram: previous }),
  })
  previous = program
  const client = program.getSourceFile(CLIENT)
  return [
    ...program.getSemanticDiagnostics(client),
    ...program.getSyntacticDiagnostics(client),
  ].map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'))
}

/** `path`'s text with every `from` replaced by `to`; fails when there is nothing to replace. */
function edited(path: string, from: string, to: string): Map<string, string> {
  const text = readFileSync(path, 'utf8')
  if (!text.includes(from)) throw new Error(`${from} is not in ${path}`)
  return new Map([[path, text.replaceAll(from, to)]])
}

test('the IPC client type-checks against the contract and the preload as they are', () => {
  expect(clientErrors()).toEqual([])
}, 60_000)

test('renaming a command in the contract fails the type check of the IPC client', () => {
  const errors = clientErrors(edited(CONTRACT, "'feeds:add'", "'feeds:append'"))
  expect(errors.join('\n')).toMatch(/feeds:add|feeds:append/)
}, 60_000)

test('renaming a preload function fails the type check of the IPC client', () => {
  const errors = clientErrors(edited(PRELOAD, 'feedsAdd:', 'feedsAppend:'))
  expect(errors.join('\n')).toMatch(/feedsAdd/)
}, 60_000)

test('a preload function that sends another command fails the type check of the IPC client', () => {
  // feedsRemove would now take a feed to add: the client's table no longer accepts it for feeds:remove.
  const errors = clientErrors(
    edited(PRELOAD, "feedsRemove: command('feeds:remove')", "feedsRemove: command('feeds:add')"),
  )
  expect(errors.join('\n')).toMatch(/feeds:remove|feedsRemove|not assignable/)
}, 60_000)
