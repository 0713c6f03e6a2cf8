'use strict'
// The doctor report: the library's diagnose report plus what the CLI adds
// (CI, process sandbox facts, the git finding, what running without the
// native core costs), the checklist and the remedies. This object IS the
// --json output (lib/cli/report-schema.json, doc/cli.md).

const fs = require('fs')
const path = require('path')
const { diagnoseSync } = require('../diagnose')
const { detectCI } = require('./ci')
const { processFacts } = require('./proc-status')
const { buildChecks } = require('./checks')
const { chooseRemedies } = require('../remedy')
const { gitFinding } = require('../git')
const { isSetupFailure } = require('../explain')
const pkg = require('../../package.json')

// Version of the CLI's JSON shape; bumped on any incompatible change.
const CLI_SCHEMA_VERSION = 1

const REBUILD = 'npm rebuild symlink-doctor'

// What the pure-JS fallback cannot do on this platform, in words.
function nativeCosts (platform) {
  if (platform === 'win32') {
    return [
      'no Windows facts: Developer Mode, its policy, the "Create symbolic links" right, elevation, build and edition are not read, so the remedies cannot be chosen for this machine',
      'no raw Win32 errors: EPERM cannot be told apart (missing privilege, WinError 1314, or access denied, WinError 5)',
      'junctions cannot be told from directory symlinks (inspect, scan)'
    ]
  }
  if (platform === 'linux') {
    return [
      'no statfs filesystem type (fsType) and no WSL detection: the filesystem is named from /proc/self/mountinfo only',
      'link --replace and removeLink lose the renameat2 swap (RENAME_EXCHANGE, RENAME_NOREPLACE) that keeps a real file or directory someone puts at the link path meanwhile'
    ]
  }
  return ['no filesystem facts (type, mount point): the filesystem check says "unknown"']
}

// { loaded, reason, forced, costs[], restore[], commands[] }: whether the
// native core runs, and if not why, what that costs here and how to get it
// back. In the human report and in --json (nativeCore).
function nativeCore (diag, env) {
  if (diag.native) return { loaded: true, reason: null, forced: false, costs: [], restore: [], commands: [] }
  const forced = env.SYMLINK_DOCTOR_FORCE_JS === '1'
  const reason = forced
    ? 'SYMLINK_DOCTOR_FORCE_JS=1 is set: the pure-JS fallback was chosen on purpose'
    : diag.nativeError || 'the native binary did not load'
  const restore = []
  const commands = []
  if (forced) {
    restore.push('Unset SYMLINK_DOCTOR_FORCE_JS to use the native core again.')
    commands.push('unset SYMLINK_DOCTOR_FORCE_JS')
  } else {
    if (env.PREBUILDS_ONLY) {
      restore.push(`PREBUILDS_ONLY is set, so a local build is neither made nor loaded, and there is no prebuilt binary for ${diag.platform}-${diag.arch}: unset it.`)
      commands.push('unset PREBUILDS_ONLY')
      // A local build is there: unsetting is all it takes.
      if (fs.existsSync(path.join(__dirname, '..', '..', 'build', 'Release', 'symlink_doctor.node'))) {
        return { loaded: false, reason, forced, costs: nativeCosts(diag.platform), restore, commands }
      }
    }
    restore.push(diag.platform === 'win32'
      ? 'Rebuild it in the project that installed symlink-doctor (add -g for a global install); the package ships a prebuilt binary for win32-x64.'
      : `Build it in the project that installed symlink-doctor (add -g for a global install). That needs a C compiler and Python 3 (${diag.platform === 'darwin' ? 'macOS: xcode-select --install' : 'Debian/Ubuntu: sudo apt-get install build-essential python3'}).`)
    commands.push(REBUILD)
  }
  return { loaded: false, reason, forced, costs: nativeCosts(diag.platform), restore, commands }
}

function shellQuote (s) {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`
}

// The probe could not create anything in dir (read-only, no write access,
// full, quota): make sure the remedy for that is there, where the platform
// remedies have none for the case (a full disk, a quota, Windows, an EPERM
// that is about the directory and not a sandbox). Added after a volume that
// cannot hold links at all, else first.
function writeRemedies (report, remedies) {
  const setup = (report.refusals || []).find((r) => isSetupFailure(r))
  if (!setup) return remedies
  const out = remedies.filter((r) => r.id !== 'sandbox-refusal' && r.id !== 'use-fallbacks')
  if (out.some((r) => r.id === 'read-only' || r.id === 'no-write-access')) return out
  const v = report.volume || {}
  const win = report.platform === 'win32'
  const dir = shellQuote(report.dir)
  let r
  if (setup.code === 'EROFS') {
    r = {
      id: 'read-only',
      title: 'The filesystem is mounted read-only',
      steps: ['Remount it read-write, or work in a writable directory.'],
      commands: win ? [] : [`sudo mount -o remount,rw ${shellQuote(v.mountPoint || 'MOUNTPOINT')}`]
    }
  } else if (setup.code === 'ENOSPC' || setup.code === 'EDQUOT') {
    r = {
      id: 'no-write-access',
      title: setup.code === 'ENOSPC' ? 'The filesystem that holds this directory is full' : 'Your disk quota on this filesystem is used up',
      steps: ['Free some space there (or ask for a larger quota), or work in a directory on another filesystem.'],
      commands: win ? [] : setup.code === 'ENOSPC' ? [`df -h ${dir}`] : ['quota -s']
    }
  } else {
    r = {
      id: 'no-write-access',
      title: 'This process cannot write to the directory',
      steps: [setup.code === 'EPERM' && !win
        ? 'Check its owner, mode and attributes (an immutable or append-only directory refuses new entries), or work in a directory you own.'
        : 'Check its owner and permissions, or work in a directory you own.'],
      commands: win ? [`icacls ${report.dir.includes(' ') ? `"${report.dir}"` : report.dir}`] : setup.code === 'EPERM' ? [`ls -ld ${dir}`, `lsattr -d ${dir}`] : [`ls -ld ${dir}`]
    }
  }
  const at = out.findIndex((x) => x.id === 'move-to-link-volume')
  out.splice(at === -1 ? 0 : at + 1, 0, r)
  return out
}

function buildReport (dir, env, { git = true } = {}) {
  const diag = diagnoseSync(dir)
  const report = {
    ...diag,
    schemaVersion: CLI_SCHEMA_VERSION,
    reportSchemaVersion: diag.schemaVersion,
    tool: { name: pkg.name, version: pkg.version },
    ci: detectCI(env),
    process: processFacts(),
    nativeCore: nativeCore(diag, env)
  }
  if (git) {
    const finding = gitFinding(report.dir)
    if (finding) report.git = finding
  }
  report.checks = buildChecks(report)
  report.remedies = writeRemedies(report, chooseRemedies(report))
  return report
}

// The JSON document, with keys in a stable, readable order.
function toJSON (report) {
  const { schemaVersion, tool, ...rest } = report
  return JSON.stringify({ schemaVersion, tool, ...rest }, null, 2)
}

module.exports = { buildReport, toJSON, nativeCore, CLI_SCHEMA_VERSION }
