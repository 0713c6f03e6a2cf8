'use strict'
// Loads the native core: the local build (build/Release, made by
// node-gyp at install), else the prebuilt binary shipped for this platform
// (prebuilds/<platform>-<arch>/node.napi.node, node-gyp-build's layout).
// When none loads, the pure-JS fallback with the same API serves, and
// reports say native: false.
//
// node-gyp-build decides at install time whether to compile; at run time
// these two fixed paths are all there is to look at, and skipping its
// module and directory scan saves ~3 ms on every CLI start.
//
// SYMLINK_DOCTOR_FORCE_JS=1 picks the fallback on purpose (the tests run
// against both); SYMLINK_DOCTOR_ADDON=<file.node> loads that binary instead
// (the sanitizer build in scripts/test-c-posix.sh); PREBUILDS_ONLY=1 skips
// the local build, as with node-gyp-build.

const path = require('path')

const ROOT = path.join(__dirname, '..')

function candidates () {
  if (process.env.SYMLINK_DOCTOR_ADDON) return [path.resolve(process.env.SYMLINK_DOCTOR_ADDON)]
  const list = []
  if (!process.env.PREBUILDS_ONLY) list.push(path.join(ROOT, 'build', 'Release', 'symlink_doctor.node'))
  list.push(path.join(ROOT, 'prebuilds', `${process.platform}-${process.arch}`, 'node.napi.node'))
  return list
}

function load () {
  if (process.env.SYMLINK_DOCTOR_FORCE_JS === '1') {
    return { impl: require('./fallback'), native: false, loadError: null }
  }
  const files = candidates()
  let loadError = null
  for (const file of files) {
    try {
      return { impl: require(file), native: true, loadError: null }
    } catch (err) {
      // A missing file is no news; a file that exists and fails to load
      // (another platform's build, a missing symbol) is the error to show.
      if (err.code !== 'MODULE_NOT_FOUND') loadError = loadError || err
    }
  }
  if (!loadError) {
    loadError = new Error(`no native binary for ${process.platform}-${process.arch} (looked for ${files.join(', ')})`)
  }
  return { impl: require('./fallback'), native: false, loadError }
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
  // rename(from, to, flags): flags 0, RENAME_NOREPLACE or RENAME_EXCHANGE;
  // ENOSYS/EINVAL where the OS or filesystem lacks the flag.
  renameSync: impl.renameSync,
  rename: impl.rename,
  RENAME_NOREPLACE: impl.RENAME_NOREPLACE,
  RENAME_EXCHANGE: impl.RENAME_EXCHANGE,
  systemFacts: impl.systemFacts,
  // Windows, native only: undefined where it cannot be done.
  grantSymlinkRight: impl.grantSymlinkRight
}
