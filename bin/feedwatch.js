#!/usr/bin/env node
// The `feedwatch` command: a CommonJS shim that starts the CLI bundle electron-vite builds from
// src/main/cli/main.ts. It stays plain JavaScript so it runs without a build step of its own.
'use strict'
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS is this file's module system */

const { existsSync } = require('node:fs')
const { join } = require('node:path')

const cli = join(__dirname, '..', 'out', 'main', 'cli.js')
if (!existsSync(cli)) {
  process.stderr.write('feedwatch: not built yet, run npm run build\n')
  process.exit(2)
}
require(cli)
