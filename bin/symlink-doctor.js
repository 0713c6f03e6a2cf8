#!/usr/bin/env node
'use strict'
// The package's bin: hands argv to the dispatcher and exits with its code.
// Output is flushed before exit (process.exitCode, not process.exit()), so
// piped output is never cut short.

const { main } = require('../lib/cli/main')

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd()
}).then((code) => { process.exitCode = code }, (err) => {
  process.stderr.write(`symlink-doctor: ${err && err.stack ? err.stack : err}\n`)
  process.exitCode = 70
})
