'use strict'
// Loads the native core: a prebuilt binary for this platform
// (prebuilds/<platform>-<arch>/), else the local node-gyp build. When none
// loads, the pure-JS fallback with the same API serves, and reports say
// native: false. SYMLINK_DOCTOR_FORCE_JS=1 picks the fallback on purpose
// (the test suite runs against both); SYMLINK_DOCTOR_ADDON=<file.node>
// loads that binary instead (the sanitizer build in scripts/test-c-posix.sh).

const path = require('path')

function load () {
  if (process.env.SYMLINK_DOCTOR_FORCE_JS === '1') {
    return { impl: require('./fallback'), native: false, loadError: null }
  }
  if (process.env.SYMLINK_DOCTOR_ADDON) {
    return { impl: require(path.resolve(process.env.SYMLINK_DOCTOR_ADDON)), native: true, loadError: null }
  }
  try {
    const impl = require('node-gyp-build')(path.join(__dirname, '..'))
    return { impl, native: true, loadError: null }
  } catch (err) {
    return { impl: require('./fallback'), native: false, loadError: err }
  }
}

const { impl, native, loadError } = load()

module.exports = {
  native,
  // Why the native binary did not load (null when it did, or when the
  // fallback was chosen on purpose).
  loadError,
  symlinkSync: impl.symlinkSync,
  symlink: impl.symlink,
  hardlinkSync: impl.hardlinkSync,
  hardlink: impl.hardlink,
  inspectSync: impl.inspectSync,
  inspect: impl.inspect,
  removeLinkSync: impl.removeLinkSync,
  removeLink: impl.removeLink,
  probeSync: impl.probeSync,
  probe: impl.probe,
  systemFacts: impl.systemFacts,
  // Windows, native only: undefined where it cannot be done.
  grantSymlinkRight: impl.grantSymlinkRight
}
