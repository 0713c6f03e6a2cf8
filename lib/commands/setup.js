'use strict'
// symlink-doctor setup [--undo] [--dry-run]: project config that makes
// every lifecycle script of the repo (and what they start) run with the
// hook. npm and pnpm up to 10 read `node-options` from the project .npmrc
// and hand it to scripts as NODE_OPTIONS, replacing the caller's value
// (verified with npm 11.19 and pnpm 10.34); pnpm 11+ read `nodeOptions`
// from pnpm-workspace.yaml (verified with pnpm 12.21). Neither reaches the
// package manager's own process: its links need `symlink-doctor run --`.

const fs = require('fs')
const path = require('path')

const usage = 'symlink-doctor setup [dir] [--undo] [--dry-run]'

const help = `Usage: ${usage}

Makes every lifecycle script of the project in dir (default: the nearest
directory up from here with a package.json) run with symlink-doctor's hook:
  .npmrc               node-options=--require symlink-doctor/register
  pnpm-workspace.yaml  nodeOptions: ...   (only if the file exists)
The path is the package name when the project has symlink-doctor
installed, else this copy's absolute path (machine-specific: do not commit).
Idempotent; shows the change; --undo removes exactly what setup added.
This does not hook the package manager itself: npm install's own links
need  symlink-doctor run -- npm install.

Options:
  --undo      remove what setup added
  --dry-run   show the change, write nothing
  -h, --help  this help`

function projectRoot (start) {
  let dir = path.resolve(start)
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir
    const up = path.dirname(dir)
    if (up === dir) return path.resolve(start)
    dir = up
  }
}

// The package name when the project can resolve it (portable, fine to
// commit), else this copy's absolute path.
// Only the project's own node_modules chain counts (Node also looks in
// global folders, which another machine does not share).
function registerSpec (root) {
  for (let dir = root; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'node_modules', 'symlink-doctor', 'register.js'))) return 'symlink-doctor/register'
    if (path.dirname(dir) === dir) return path.join(__dirname, '..', '..', 'register.js')
  }
}

function readText (file) {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch (err) {
    if (err.code === 'ENOENT') return null
    throw err
  }
}

// Through a temporary file and a rename, so an interrupted write never
// leaves half a config. The file itself is replaced, never written through:
// run() refuses a config file that is a link before anything is written,
// and a link put there meanwhile is replaced by the rename, not followed.
// The temporary name is new (exclusive create) and removed again when the
// write or the rename fails.
function writeText (file, text) {
  let mode = 0o644
  try { mode = fs.lstatSync(file).mode & 0o777 } catch {}
  const tmp = require('../temp-name').tempName(file)
  let made = false
  try {
    const fd = fs.openSync(tmp, 'wx', mode)
    made = true
    try {
      fs.writeFileSync(fd, text)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(tmp, file)
  } catch (err) {
    if (made) try { fs.unlinkSync(tmp) } catch {}
    // Told in the user's terms: the temporary name is gone again.
    if (err.path === tmp) {
      err.message = err.message.split(`'${tmp}' -> `).join('').split(`'${tmp}'`).join(`'${file}'`)
      err.path = file
    }
    throw err
  }
}

// A config file that is a symbolic link (a dotfiles manager's .npmrc
// pointing into ~/dotfiles, or somewhere worse): setup writes nothing
// through it. Returns the link's target, or null for a plain file.
function linkTarget (file) {
  const st = fs.lstatSync(file, { throwIfNoEntry: false })
  return st && st.isSymbolicLink() ? fs.readlinkSync(file) : null
}

function parseArgs (args) {
  const { parseOptions } = require('../cli/options')
  const { opts, positionals } = parseOptions(args, { undo: { type: 'boolean' }, 'dry-run': { type: 'boolean' } }, { maxPositionals: 1 })
  return { undo: Boolean(opts.undo), dryRun: Boolean(opts['dry-run']), dir: positionals[0] }
}

function run (args, io) {
  const cfg = require('../project-config')
  const opts = parseArgs(args)
  const root = opts.dir ? path.resolve(io.cwd, opts.dir) : projectRoot(io.cwd)
  const rootStat = fs.statSync(root, { throwIfNoEntry: false })
  if (!rootStat) throw require('../errors').fsError('ENOENT', 'scandir', root)
  if (!rootStat.isDirectory()) throw require('../errors').fsError('ENOTDIR', 'scandir', root)
  const spec = registerSpec(root)
  const plans = []

  const npmrc = path.join(root, '.npmrc')
  const npmrcBefore = readText(npmrc)
  if (!(opts.undo && npmrcBefore === null)) {
    const before = npmrcBefore || ''
    let after = opts.undo ? cfg.npmrcUndo(before, spec) : cfg.npmrcAdd(before, spec, npmrcBefore === null)
    // Undo with the other spelling too, in case the project gained or lost
    // its own copy of symlink-doctor since setup.
    if (opts.undo && after === before) after = cfg.npmrcUndo(before, spec === 'symlink-doctor/register' ? path.join(__dirname, '..', '..', 'register.js') : 'symlink-doctor/register')
    plans.push({ file: npmrc, before, after, created: cfg.npmrcCreatedBySetup(before) })
  }
  const yaml = path.join(root, 'pnpm-workspace.yaml')
  const yamlBefore = readText(yaml)
  if (yamlBefore !== null) {
    if (opts.undo) {
      plans.push({ file: yaml, before: yamlBefore, after: cfg.yamlUndo(yamlBefore) })
    } else {
      const r = cfg.yamlAdd(yamlBefore, spec)
      if (r.skipped) io.stderr.write(`symlink-doctor setup: ${path.relative(root, yaml)}: ${r.skipped}\n`)
      plans.push({ file: yaml, before: yamlBefore, after: r.text })
    }
  }

  const linked = plans.filter((p) => p.before !== p.after && !opts.dryRun).map((p) => ({ file: p.file, target: linkTarget(p.file) })).filter((l) => l.target !== null)
  if (linked.length > 0) {
    for (const l of linked) {
      io.stderr.write(`symlink-doctor setup: ${path.relative(io.cwd, l.file) || l.file} is a symbolic link (to ${l.target}); setup never writes through a link. Nothing was changed. Add the line yourself to the file it points to, or replace the link with a plain file and run setup again.\n`)
    }
    return require('../cli/exit-codes').FAIL
  }

  let changed = 0
  for (const p of plans) {
    if (p.before === p.after) continue
    changed++
    io.stdout.write(`--- ${path.relative(io.cwd, p.file) || p.file}\n${cfg.diff(p.before, p.after).join('\n')}\n`)
    if (opts.dryRun) continue
    // A file setup created and undo emptied goes away again.
    if (opts.undo && p.after === '' && p.created) fs.unlinkSync(p.file)
    else writeText(p.file, p.after)
  }
  if (changed === 0) io.stdout.write(opts.undo ? 'symlink-doctor setup: nothing of ours to remove.\n' : 'symlink-doctor setup: already set up; nothing to change.\n')
  else if (opts.dryRun) io.stdout.write('(dry run: nothing written)\n')
  if (!opts.undo && spec !== 'symlink-doctor/register') {
    io.stderr.write('symlink-doctor setup: this project does not have symlink-doctor installed, so the config names this machine\'s copy by absolute path; install it (npm i -D symlink-doctor) and run setup again to get a portable setting.\n')
  }
  return 0
}

module.exports = { summary: 'make every lifecycle script of this project run with the symlink hook (.npmrc node-options)', usage, help, run }
