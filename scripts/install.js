'use strict'
// npm install hook: use the prebuilt binary for this platform (and C
// library) when it loads, else build one with node-gyp (node-gyp-build).
// A failed build does not fail the install: the pure-JS fallback serves
// instead (reports then say native: false), and we say so
// in one line: what it costs here and the command that restores it.
//
// npm 7+ hides the output of an install script that succeeds (unless
// --foreground-scripts), so when stderr is not a terminal the line also goes
// to the controlling terminal (/dev/tty), where there is one. In CI there is
// none, and npm shows nothing: `symlink-doctor doctor` says it there
// (Native core: not loaded, with the cost and the command).

const { spawnSync } = require('child_process')
const fs = require('fs')
const path = require('path')

const COSTS = {
  linux: 'no filesystem type or WSL facts in reports, no atomic link --replace',
  win32: 'no Windows facts (Developer Mode, privilege, elevation) and no raw WinErrors in reports',
  darwin: 'no filesystem facts in reports'
}
const HOW = {
  linux: 'install a C compiler and Python 3 (Debian/Ubuntu: sudo apt-get install build-essential python3), then',
  darwin: 'install the compiler (xcode-select --install), then',
  win32: 'then'
}

function say (line) {
  process.stderr.write(line + '\n')
  if (process.stderr.isTTY || process.platform === 'win32') return
  try {
    fs.writeFileSync('/dev/tty', line + '\n')
  } catch {}
}

// As node-gyp-build: --build-from-source, or npm_config_build_from_source
// true or naming this package, builds even where a prebuild would load.
function buildFromSource () {
  if (process.argv.includes('--build-from-source')) return true
  const v = process.env.npm_config_build_from_source
  return v === 'true' || v === 'symlink-doctor'
}

// The prebuild this process's platform, arch and C library call for, as
// lib/binding.js picks it at run time, loaded in a child: when it loads,
// there is nothing to build. node-gyp-build alone tells musl from glibc by
// /etc/alpine-release, and would build (or fail to) on other musl systems.
function prebuildLoads () {
  if (buildFromSource()) return false
  const env = Object.assign({}, process.env, { PREBUILDS_ONLY: '1' })
  delete env.SYMLINK_DOCTOR_FORCE_JS
  delete env.SYMLINK_DOCTOR_ADDON
  const binding = path.join(__dirname, '..', 'lib', 'binding.js')
  const r = spawnSync(process.execPath, ['-e', `process.exit(require(${JSON.stringify(binding)}).native ? 0 : 1)`], { env, stdio: 'ignore', timeout: 60000 })
  return r.status === 0
}

if (prebuildLoads()) process.exit(0)

const bin = require.resolve('node-gyp-build/bin.js')
const r = spawnSync(process.execPath, [bin], { stdio: 'inherit' })
if (r.status !== 0) {
  const p = process.platform
  say(`symlink-doctor: no native core for ${p}-${process.arch} (no prebuilt binary, and the build failed); ` +
    `links still work through the JS fallback, but: ${COSTS[p] || COSTS.darwin}. ` +
    `To restore it, ${HOW[p] || HOW.darwin} run: npm rebuild symlink-doctor`)
}
