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
  .symlink-doctor-register.cjs   a loader that loads the hook when
                                 symlink-doctor can be found, else nothing
  .npmrc               node-options=--require <dir>/.symlink-doctor-register.cjs
  pnpm-workspace.yaml  nodeOptions: ...   (only if the file exists)
The path is absolute, so a script that changes directory (cd /tmp && node
...) still finds it, and a script run before npm install (or after
rm -rf node_modules) still runs: the loader then does nothing. The path is
this machine's: each machine runs setup once.
Idempotent; shows the change; --undo removes exactly what setup added.
What it cannot reach: the package manager's own links (npm install,
pnpm install), and with pnpm 9 and 10 the lifecycle scripts that
pnpm install runs (they do not get node-options; pnpm run does). For those:
  symlink-doctor run -- npm install

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

// The loader setup writes: it finds symlink-doctor from the project (or
// this copy, when setup ran from npx or a global install) and loads the
// hook; where neither can be found it does nothing, so no script breaks.
const LOADER = '.symlink-doctor-register.cjs'
const LOADER_HEAD = '// symlink-doctor setup wrote this file'

function loaderText () {
  const self = path.join(__dirname, '..', '..', 'register.js')
  return `${LOADER_HEAD} (undo: symlink-doctor setup --undo).
// It loads symlink-doctor's hook into the lifecycle scripts of this project
// when the package can be found (the project's own, else the copy that ran
// setup), and does nothing where it cannot (before npm install, after
// rm -rf node_modules), so no script ever fails on it.
'use strict'
let file = null
try { file = require.resolve('symlink-doctor/register', { paths: [__dirname] }) } catch {}
if (file === null && require('fs').existsSync(${JSON.stringify(self)})) file = ${JSON.stringify(self)}
if (file !== null) require(file)
`
}

// Every spelling of the --require setup has written, for undo.
function knownSpecs (root) {
  return [path.join(root, LOADER), 'symlink-doctor/register', path.join(__dirname, '..', '..', 'register.js')]
}

// Read without following a link (O_NOFOLLOW): a config file that is a
// link, or that another user swaps for one, is never read through, so its
// target's contents (a token in ~/.npmrc) never end up in a file we write.
// Returns the text, null when there is none, or LINKED.
const LINKED = Symbol('a link')
// The mode of each file as read (from its own handle): the rewrite keeps
// it, whatever another user may have put at the name since (a 0600 .npmrc
// with a token must not come back 0644 because a 0666 decoy was swapped in).
const modes = new Map()
function readText (file) {
  let fd
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW || 0))
  } catch (err) {
    if (err.code === 'ENOENT') return null
    if (err.code === 'ELOOP') return LINKED
    throw err
  }
  try {
    const st = fs.fstatSync(fd)
    if (!st.isFile()) return LINKED
    modes.set(file, st.mode & 0o777)
    return fs.readFileSync(fd, 'utf8')
  } finally {
    fs.closeSync(fd)
  }
}

// Through a temporary file and a rename, so an interrupted write never
// leaves half a config. The file itself is replaced, never written through:
// run() refuses a config file that is a link before anything is written,
// and a link put there meanwhile is replaced by the rename, not followed.
// The temporary name is new (exclusive create) and removed again when the
// write or the rename fails.
function writeText (file, text) {
  const mode = modes.has(file) ? modes.get(file) : 0o644
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
  const spec = path.join(root, LOADER)
  const plans = []

  const npmrc = path.join(root, '.npmrc')
  const yamlFile = path.join(root, 'pnpm-workspace.yaml')
  const loaderFile = path.join(root, LOADER)
  for (const f of [npmrc, yamlFile, loaderFile]) {
    if (readText(f) === LINKED) {
      const st = fs.lstatSync(f, { throwIfNoEntry: false })
      const to = st && st.isSymbolicLink() ? ` (to ${fs.readlinkSync(f)})` : ''
      io.stderr.write(`symlink-doctor setup: ${path.relative(io.cwd, f) || f} is a symbolic link${to} or not a regular file; setup never reads or writes through a link. Nothing was changed. Add the line yourself to the file it points to, or replace the link with a plain file and run setup again.\n`)
      return require('../cli/exit-codes').FAIL
    }
  }
  const npmrcBefore = readText(npmrc)
  if (!(opts.undo && npmrcBefore === null)) {
    const before = npmrcBefore || ''
    let after = before
    if (opts.undo) {
      // Every spelling an earlier version of setup wrote, too.
      for (const known of knownSpecs(root)) if (after === before) after = cfg.npmrcUndo(before, known)
    } else {
      after = cfg.npmrcAdd(before, spec, npmrcBefore === null)
    }
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

  // The loader itself: written when setup adds, removed when undo leaves no
  // line that needs it. A file of that name that is not ours is left alone.
  const loader = path.join(root, LOADER)
  const loaderBefore = readText(loader)
  const loaderOurs = loaderBefore === null || loaderBefore.startsWith(LOADER_HEAD)
  if (!loaderOurs) {
    io.stderr.write(`symlink-doctor setup: ${path.relative(io.cwd, loader) || loader} exists and was not written by setup; nothing was changed.\n`)
    return require('../cli/exit-codes').FAIL
  }
  // Written before the configs that name it, removed after them: a failure
  // midway never leaves a config pointing at a missing loader.
  if (opts.undo) {
    if (loaderBefore !== null) plans.push({ file: loader, before: loaderBefore, after: '', created: true })
  } else {
    plans.unshift({ file: loader, before: loaderBefore || '', after: loaderText(), created: loaderBefore === null })
  }

  let changed = 0
  for (const p of plans) {
    if (p.before === p.after) continue
    changed++
    io.stdout.write(`--- ${path.relative(io.cwd, p.file) || p.file}\n${cfg.diff(p.before, p.after).join('\n')}\n`)
    if (opts.dryRun) continue
    // A file setup created and undo emptied goes away again.
    if (opts.undo && p.after === '' && p.created) {
      const st = fs.lstatSync(p.file, { throwIfNoEntry: false })
      if (st && st.isFile()) fs.unlinkSync(p.file)
    } else writeText(p.file, p.after)
  }
  if (changed === 0) io.stdout.write(opts.undo ? 'symlink-doctor setup: nothing of ours to remove.\n' : 'symlink-doctor setup: already set up; nothing to change.\n')
  else if (opts.dryRun) io.stdout.write('(dry run: nothing written)\n')
  if (!opts.undo && !opts.dryRun) {
    io.stdout.write('symlink-doctor setup: the path in the config is this machine\'s (each machine runs setup once).\n' +
      'Not reached by this setting: the package manager\'s own links, and with pnpm 9 and 10 the lifecycle\n' +
      'scripts pnpm install runs (they do not get node-options). For those: symlink-doctor run -- <pm> install\n')
  }
  return 0
}

module.exports = { summary: 'make every lifecycle script of this project run with the symlink hook (.npmrc node-options)', usage, help, run }
