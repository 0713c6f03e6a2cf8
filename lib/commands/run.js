'use strict'
// symlink-doctor run -- <cmd> [args...]: runs a command with the hook
// preloaded into every Node process it starts (NODE_OPTIONS --require), so
// a package manager's symlinks that the OS refuses are made another way.
// The hook must be in place before the manager's code loads (npm's arborist
// takes `symlink` from fs/promises at load), which only a preload achieves.

const path = require('path')

const REGISTER = path.join(__dirname, '..', '..', 'register.js')
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP']

const usage = 'symlink-doctor run [--fallback LIST] [--quiet] [--] <command> [args...]'

const help = `Usage: ${usage}

Runs <command> with symlink-doctor's hook loaded into every Node process it
starts (NODE_OPTIONS gets --require <register.js>; what was there is kept).
When the OS refuses a symlink (EPERM, WinError 1314, a filesystem without
links), the link is made with the fallback chain instead, and the fix for
this machine is printed once. Exits with the command's exit code
(128 + the signal number if it died of a signal).

  symlink-doctor run -- npm link ../my-lib
  symlink-doctor run -- npm install

Options (before the command):
  --fallback LIST  kinds to try after a refused symlink, in order:
                   junction,hardlink,copy (default junction,hardlink;
                   sets SYMLINK_DOCTOR_FALLBACK)
  --quiet          do not print the note (sets SYMLINK_DOCTOR_QUIET=1)
  -h, --help       this help

A Node hook cannot help programs that make links without Node's fs (the
Rust pnpm 12+, Bun, Go or Python tools); see symlink-doctor preinstall.`

// Options end at "--" or at the first argument that is not one of ours:
// everything after belongs to the command, unparsed.
function parseArgs (args) {
  const { UsageError } = require('../cli/options')
  const opts = {}
  let i = 0
  for (; i < args.length; i++) {
    const a = args[i]
    if (a === '--') { i++; break }
    if (a === '--quiet') opts.quiet = true
    else if (a === '--fallback' || a.startsWith('--fallback=')) {
      const value = a === '--fallback' ? args[++i] : a.slice('--fallback='.length)
      if (value === undefined) throw new UsageError("option '--fallback' needs a value")
      const bad = value.split(',').map((s) => s.trim()).filter((k) => k && !['junction', 'shim', 'hardlink', 'copy'].includes(k))
      if (bad.length > 0) throw new UsageError(`--fallback lists only junction, hardlink, copy (got '${bad[0]}')`)
      opts.fallback = value
    } else if (a.startsWith('-')) {
      throw new UsageError(`unknown option '${a}' (put the command after --)`)
    } else break
  }
  const command = args.slice(i)
  if (command.length === 0) throw new UsageError('no command given')
  return { opts, command }
}

// The environment the command runs in.
function childEnv (env, opts) {
  const { withRequire } = require('../node-options')
  const out = { ...env, NODE_OPTIONS: withRequire(env.NODE_OPTIONS, REGISTER) }
  if (opts.fallback !== undefined) out.SYMLINK_DOCTOR_FALLBACK = opts.fallback
  if (opts.quiet) out.SYMLINK_DOCTOR_QUIET = '1'
  return out
}

function exitCodeOf (code, signal) {
  if (code !== null) return code
  const os = require('os')
  return 128 + (os.constants.signals[signal] || 0)
}

function run (args, io) {
  const { spawn } = require('child_process')
  const note = require('../hook-note')
  const { opts, command } = parseArgs(args)
  const env = childEnv(io.env, opts)
  // One session for the whole tree, so the note prints once; ours to
  // clean up unless an outer run owns it.
  const ownSession = !env[note.SESSION]
  if (ownSession) env[note.SESSION] = note.newSession('run-')
  delete env[note.SHOWN]

  let file = command[0]
  let argv = command.slice(1)
  let options = {}
  if (process.platform === 'win32') {
    ({ file, args: argv, options } = require('../win-command').spawnPlan(file, argv, env, io.cwd))
  }

  return new Promise((resolve) => {
    const child = spawn(file, argv, { ...options, cwd: io.cwd, env, stdio: 'inherit', shell: false })
    // A console Ctrl+C on Windows reaches the child itself; killing it
    // from here would end it without cleanup. So there we only stay alive.
    // Ctrl+C and Ctrl+\ in a terminal go to the whole foreground process
    // group, the child included: sent again from here, the child would see
    // each one twice. Only a signal sent to this process alone is passed on.
    const fromTerminal = (signal) => (signal === 'SIGINT' || signal === 'SIGQUIT') &&
      Boolean(process.stdin.isTTY || process.stdout.isTTY || process.stderr.isTTY)
    const forward = (signal) => {
      if (fromTerminal(signal)) return
      if (process.platform !== 'win32' && child.exitCode === null && child.signalCode === null) {
        try { child.kill(signal) } catch {}
      }
    }
    for (const s of FORWARDED) process.on(s, forward)
    const done = (code) => {
      for (const s of FORWARDED) process.removeListener(s, forward)
      if (ownSession) note.forget(env[note.SESSION])
      resolve(code)
    }
    child.on('error', (err) => {
      io.stderr.write(`symlink-doctor run: cannot start ${command[0]}: ${err.message}\n`)
      done(err.code === 'ENOENT' ? 127 : 126)
    })
    child.on('exit', (code, signal) => done(exitCodeOf(code, signal)))
  })
}

module.exports = { summary: 'run a command (npm, pnpm, yarn, ...) with the symlink hook preloaded', passthrough: true, usage, help, run, parseArgs, childEnv, REGISTER }
