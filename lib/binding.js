'use strict'
// Loads the native core: the local build (build/Release, made by
// node-gyp at install), else the prebuilt binary shipped for this platform
// in node-gyp-build's layout (scripts/prebuild.js makes them all):
// prebuilds/linux-<arch>/node.napi.glibc.node or node.napi.musl.node, picked
// by the C library this process runs on; prebuilds/<platform>-<arch>/
// node.napi.node elsewhere (darwin-x64, darwin-arm64, win32-x64, win32-ia32,
// win32-arm64).
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

// The C library of this process on Linux: 'musl' or 'glibc'. The libraries
// mapped into the process say it for sure (musl's libc is its loader,
// ld-musl-<arch>.so.1), whatever the distribution; reading them costs well
// under a millisecond, where process.report costs 5 to 15. null elsewhere.
function libc () {
  if (process.platform !== 'linux') return null
  try {
    const maps = require('fs').readFileSync('/proc/self/maps', 'latin1')
    if (/\/ld-musl-[^/\n]*\.so|\/libc\.musl-/.test(maps)) return 'musl'
    if (/\/libc\.so\.6$|\/libc-2\.[0-9]+\.so$/m.test(maps)) return 'glibc'
  } catch {}
  // No /proc (or a static node): glibc's version is in the report header.
  try {
    return process.report.getReport().header.glibcVersionRuntime ? 'glibc' : 'musl'
  } catch {
    return 'glibc'
  }
}

// In order; lazily, so that a local build that loads costs no libc look-up.
function * candidates () {
  if (process.env.SYMLINK_DOCTOR_ADDON) {
    yield path.resolve(process.env.SYMLINK_DOCTOR_ADDON)
    return
  }
  if (!process.env.PREBUILDS_ONLY) yield path.join(ROOT, 'build', 'Release', 'symlink_doctor.node')
  const dir = path.join(ROOT, 'prebuilds', `${process.platform}-${process.arch}`)
  const c = libc()
  if (c) yield path.join(dir, `node.napi.${c}.node`)
  yield path.join(dir, 'node.napi.node')
}

function load () {
  if (process.env.SYMLINK_DOCTOR_FORCE_JS === '1') {
    return { impl: require('./fallback'), native: false, loadError: null, file: null }
  }
  const files = []
  let loadError = null
  for (const file of candidates()) {
    files.push(file)
    try {
      return { impl: require(file), native: true, loadError: null, file }
    } catch (err) {
      // A missing file is no news; a file that exists and fails to load
      // (another platform's build, a missing symbol) is the error to show.
      if (err.code !== 'MODULE_NOT_FOUND') loadError = loadError || err
    }
  }
  if (!loadError) {
    loadError = new Error(`no native binary for ${process.platform}-${process.arch} (looked for ${files.join(', ')})`)
  }
  return { impl: require('./fallback'), native: false, loadError, file: null }
}

const { impl, native, loadError, file } = load()

module.exports = {
  native,
  // Why the native binary did not load (null when it did, or when the
  // fallback was chosen on purpose).
  loadError,
  // The binary that loaded (null with the fallback).
  file,
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
