'use strict'
// Builds the C helpers the tests run (test/helpers/*.c) with the system cc,
// into test/helpers/build/. Rebuilds only what is missing or older than its
// source. On a machine without cc (Windows) there is nothing to build: the
// tests that need a helper skip and say why.

const { execFileSync } = require('child_process')
const fs = require('fs')
const path = require('path')

const dir = path.join(__dirname, '..', 'test', 'helpers')
const out = path.join(dir, 'build')

if (process.platform !== 'linux') {
  console.log(`build:test-helpers: nothing to build on ${process.platform}`)
  process.exit(0)
}

fs.mkdirSync(out, { recursive: true })
for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.c'))) {
  const src = path.join(dir, name)
  const bin = path.join(out, path.basename(name, '.c'))
  const built = fs.statSync(bin, { throwIfNoEntry: false })
  if (built && built.mtimeMs >= fs.statSync(src).mtimeMs) continue
  const cc = process.env.CC || 'cc'
  execFileSync(cc, ['-std=c11', '-O2', '-Wall', '-Wextra', '-Werror', '-o', bin, src], { stdio: 'inherit' })
  console.log(`build:test-helpers: built ${path.relative(process.cwd(), bin)}`)
}
