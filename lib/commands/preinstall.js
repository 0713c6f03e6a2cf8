'use strict'
// symlink-doctor preinstall [--strict]: for a project's preinstall (or
// pnpm:devPreinstall) script. Silent when symlinks work at the project
// root; otherwise the fix for this machine and the setting that makes the
// running package manager work here. Kept to one probe and no heavy
// requires on the silent path: it runs on every install.
//
// When it runs matters (verified, see doc/hook.md): npm 7-11 runs the
// root preinstall after it has linked node_modules (npm/cli#2660; npm 12
// runs it first), pnpm 10 too, yarn berry in its build step; pnpm's
// pnpm:devPreinstall runs before any link. So --strict can stop an install
// before it links only where the script runs first.

const usage = 'symlink-doctor preinstall [--strict]'

const help = `Usage: ${usage}

For a package.json script that runs before an install:
  "scripts": { "preinstall": "symlink-doctor preinstall" }          (npm 12+)
  "scripts": { "pnpm:devPreinstall": "symlink-doctor preinstall" }  (pnpm)

Probes the project root (npm_config_local_prefix, else the current
directory). Prints nothing and exits 0 when symlinks work. Otherwise prints
the fix for this machine and the setting for the package manager running
it (from npm_config_user_agent), and exits 0, or 1 with --strict.
When symlink-doctor's hook is loaded (symlink-doctor run -- ...) and can
reach the package manager, links are being made by fallback, so it only
makes sure the note was printed once, and exits 0 even with --strict.

Options:
  --strict    exit 1 when symlinks cannot be made (stops the install)
  -h, --help  this help`

const HOOK_MARK = Symbol.for('symlink-doctor.hook')

function parseArgs (args) {
  const opts = { strict: false }
  for (const a of args) {
    if (a === '--strict') opts.strict = true
    else {
      const { UsageError } = require('../cli/options')
      throw new UsageError(a.startsWith('-') ? `unknown option '${a}'` : `unexpected argument '${a}'`)
    }
  }
  return opts
}

// One directory symlink to '.' in dir, made with the unwrapped fs call and
// removed again: true, false (refused), or null (cannot tell: no write
// access...). Only fs, no native binary, so the silent path stays within a
// few milliseconds of `node -e 0`. On Windows one lstat catches the silent
// no-op of a stub CreateSymbolicLinkW (Wine).
function quickProbe (dir) {
  const fs = require('fs')
  const symlinkSync = fs.symlinkSync[HOOK_MARK] || fs.symlinkSync
  const name = require('path').join(dir, `.sd-preinstall-${process.pid}-${Date.now().toString(36)}`)
  try {
    symlinkSync('.', name, 'dir')
  } catch (err) {
    // The hook's own test of a refusal (required only here, off the silent path).
    return require('../hook').isRefusal(err) ? false : null
  }
  const made = process.platform !== 'win32' || fs.lstatSync(name, { throwIfNoEntry: false }) !== undefined
  if (made) {
    try { fs.unlinkSync(name) } catch {}
  }
  return made
}

function rootOf (io) {
  return io.env.npm_config_local_prefix || io.cwd
}

// The lines to print when symlinks are refused: what, the fix, and what to
// do for this package manager.
function message (root, pm, strict, hookedHere, covered) {
  const { diagnoseSync } = require('../diagnose')
  const { describeRefusal } = require('../explain')
  const { settings, hookable } = require('../package-manager')
  const report = diagnoseSync(root)
  const first = report.refusals.find((r) => r.kind === 'dirSymlink' || r.kind === 'fileSymlink')
  const out = [`symlink-doctor: symlinks cannot be made in ${root}${first ? ` (${describeRefusal(first)})` : ''}.`]
  let remedy = null
  try { remedy = require('../remedy').chooseRemedies(report, { pm })[0] } catch {}
  const who = pm.name ? `${pm.name} ${pm.version}` : 'this package manager'
  if (remedy && remedy.packageManagers) {
    // A volume without links: the line for this manager from the one table
    // (lib/package-manager.js) that test/remedies-on-fat.test.js applies.
    // Neither the hook nor the link settings below help there: every
    // manager dies on node_modules/.bin.
    out.push(`  fix: ${remedy.title}.`)
    const e = remedy.packageManagers[0]
    if (!pm.name) out.push('  the setting depends on the package manager: symlink-doctor doctor lists each')
    else if (!e) out.push(`  ${remedy.steps[remedy.steps.length - 1]}`)
    else if (!e.works) out.push(`  ${who} ${require('../package-manager').noLinkText(e)}`)
    else {
      out.push(`  to stay on this volume with ${who}, run in the project: ${e.commands.join(' && ')}`)
      out.push(`  then run a dependency's bin with: ${e.bin} (${e.note})`)
    }
    if (strict && !covered) out.push('  (--strict: stopping here)')
    return out
  }
  if (remedy) out.push(`  fix: ${remedy.title}${remedy.commands && remedy.commands[0] ? `: ${remedy.commands[0]}` : ''}`)
  else if (first) out.push(`  why: ${first.meaning}`)
  if (hookable(pm) && !hookedHere) out.push(`  ${who} works here with the hook: symlink-doctor run -- ${pm.name || 'npm'} install`)
  if (!hookable(pm) && pm.name) out.push(`  ${who} makes its links outside Node: the hook cannot help it; fix the system or use the setting below.`)
  for (const s of settings(pm)) out.push(`  ${s.text}${s.command ? `: ${s.command}` : ''}`)
  if (strict && !covered) out.push('  (--strict: stopping here)')
  return out
}

function run (args, io) {
  const opts = parseArgs(args)
  const root = rootOf(io)
  let ok
  try {
    ok = quickProbe(root)
    if (ok === null) ok = require('../diagnose').canSymlinkSync(root)
  } catch (err) {
    io.stderr.write(`symlink-doctor preinstall: cannot probe ${root}: ${err.message}\n`)
    return opts.strict ? 1 : 0
  }
  if (ok) return 0

  const { detect, hookable } = require('../package-manager')
  const note = require('../hook-note')
  const pm = detect(io.env.npm_config_user_agent)
  // The hook is loaded in this process, so NODE_OPTIONS carries it to the
  // package manager too (unless it is native).
  const hookedHere = Boolean(require('fs').symlinkSync[HOOK_MARK])
  const covered = hookedHere && hookable(pm)
  if (covered && note.alreadyShown(io.env)) return 0
  if (note.claim(io.env) || !covered) {
    io.stderr.write(message(root, pm, opts.strict, hookedHere, covered).join('\n') + '\n')
  }
  if (covered) return 0
  return opts.strict ? 1 : 0
}

module.exports = { summary: 'for a preinstall script: the fix and the package manager setting when symlinks are refused', usage, help, run }
