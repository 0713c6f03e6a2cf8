'use strict'
// npm install hook: use the prebuilt binary for this platform, else build
// one with node-gyp. A failed build does not fail the install: the pure-JS
// fallback serves instead (reports then say native: false), and we say so.

const { spawnSync } = require('child_process')

const bin = require.resolve('node-gyp-build/bin.js')
const r = spawnSync(process.execPath, [bin], { stdio: 'inherit' })
if (r.status !== 0) {
  console.warn('symlink-doctor: the native part could not be built here (see above); ' +
    'the JS fallback will be used. Links still work; Windows detection needs the native part.')
}
