#!/usr/bin/env node
'use strict'
// The package's bin: hands argv to the dispatcher and exits with its code.
// Output is flushed before exit (process.exitCode, not process.exit()), so
// piped output is never cut short.

const { main } = require('../lib/cli/main')

// A reader that stops early (scan --json | head -1) closes the pipe: stop
// quietly, as other command-line tools do, not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code !== 'EPIPE') throw err
    process.exit(process.exitCode === undefined ? 0 : process.exitCode)
  })
}

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd()
}).then((code) => { process.exitCode = code }, (err) => {
  process.stderr.write(`symlink-doctor: ${err && err.stack ? err.stack : err}\n`)
  process.exitCode = 70
})
