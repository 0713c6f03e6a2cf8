'use strict'
// The note the hook prints on a refusal: at most 4 lines, once per process
// tree. "Once per tree" needs more than a flag in this process: npm runs
// scripts side by side and pnpm links in worker threads, each with its own
// copy of the hook. So the root of the tree names a session in the
// environment (SYMLINK_DOCTOR_SESSION, inherited by every child and
// worker), and the first process to refuse claims a marker file for that
// session with an exclusive create; only the winner prints.

const fs = require('fs')
const os = require('os')
const path = require('path')

const SESSION = 'SYMLINK_DOCTOR_SESSION'
const SHOWN = 'SYMLINK_DOCTOR_REMEDY_SHOWN'
let shownHere = false
// This process named the session (it is the root of the hooked tree).
let rootOfSession = false
let cleanupSet = false

// Called at load by register.js: the first hooked process names the
// session; its descendants keep that name. No syscall.
function ensureSession (env = process.env) {
  if (!env[SESSION]) {
    env[SESSION] = newSession()
    rootOfSession = true
    // The marker may be claimed by a child only (the root itself never
    // meets a refusal): the root removes it at exit either way. One
    // unlink at exit, nothing on the link path.
    cleanUpAtExit(env)
  }
  return env[SESSION]
}

// A session is the marker's absolute path, fixed by the root: package
// managers change TMPDIR for their scripts (pnpm: node_modules/.tmp), so
// each process computing its own path would not meet the others.
function newSession (tag = '') {
  return path.join(os.tmpdir(), `symlink-doctor-remedy-${tag}${process.pid}-${Date.now().toString(36)}`)
}

// The root of a session removes the marker when it exits; `run --`, which
// names its own session, removes it when the command ends.
function cleanUpAtExit (env) {
  if (!rootOfSession || cleanupSet) return
  cleanupSet = true
  const session = env[SESSION]
  process.once('exit', () => forget(session))
}

function markerPath (session) {
  if (path.isAbsolute(session)) return session
  return path.join(os.tmpdir(), `symlink-doctor-remedy-${String(session).replace(/[^\w.-]/g, '_')}`)
}

// True for exactly one process of the tree (best effort without a session).
function claim (env = process.env) {
  cleanUpAtExit(env)
  if (env.SYMLINK_DOCTOR_QUIET === '1' || shownHere) return false
  shownHere = true
  if (env[SHOWN] === '1') return false
  let won = true
  if (env[SESSION]) {
    try {
      fs.closeSync(fs.openSync(markerPath(env[SESSION]), 'wx'))
    } catch (err) {
      won = err.code !== 'EEXIST'
    }
  }
  // Children started from now on know without touching the disk.
  env[SHOWN] = '1'
  return won
}

// Has this tree's note been printed (by any process)?
function alreadyShown (env = process.env) {
  if (shownHere || env[SHOWN] === '1') return true
  return Boolean(env[SESSION]) && fs.existsSync(markerPath(env[SESSION]))
}

function forget (session) {
  try { fs.unlinkSync(markerPath(session)) } catch {}
}

// The one sentence on why, from the probe of the link's directory when it
// can run, else from the error alone.
function why (report, refusal) {
  const { meaning } = require('./explain')
  const hit = report && report.refusals.find((r) => r.kind === 'dirSymlink' || r.kind === 'fileSymlink')
  if (hit) return hit.meaning
  return meaning('dirSymlink', refusal, report ? report.volume : {}, process.platform)
}

// The fix for this machine, best first, as `symlink-doctor doctor` would
// print it: { title, command } or null.
function fix (report) {
  if (!report) return null
  try {
    const first = require('./remedy').chooseRemedies(report, { pm: require('./package-manager').current() })[0]
    return first ? { title: first.title, command: (first.packageManagers ? first.commands.join(' && ') : (first.commands || [])[0]) || null } : null
  } catch {
    return null
  }
}

// At most 4 lines: what happened, the fix (or why, when no setting fixes
// it), where to read more, the settings.
function lines (refusal, linkPath, made, chain, report) {
  const { describeRefusal } = require('./explain')
  const shown = Buffer.isBuffer(linkPath) ? linkPath.toString() : String(linkPath)
  const head = `symlink-doctor: a symlink was refused (${describeRefusal(refusal)}) at ${shown}`
  const out = [made ? `${head}; made a ${made.kind} instead.${leftOut(made)}` : `${head}; no fallback could make it.`]
  const remedy = fix(report)
  if (remedy) {
    out.push(`  fix: ${remedy.title}.`)
    out.push(`  ${remedy.command ? `try: ${remedy.command}; ` : ''}all details: symlink-doctor doctor`)
  } else {
    out.push(`  why: ${why(report, refusal)}`)
  }
  const list = chain.join(',') || '(none)'
  // The flag of `symlink-doctor run` first, the variable for a bare hook.
  const hint = chain.includes('copy') ? '' : ` (to copy directories too: symlink-doctor run --fallback ${chain.filter((k) => k !== 'shim').concat('copy').join(',')} -- <command>)`
  out.push(`  SYMLINK_DOCTOR_FALLBACK=${list}${hint}; SYMLINK_DOCTOR_QUIET=1 hides this note, shown once per command.`)
  return out
}

// What a copy left out (links pointing outside the copied tree, dangling,
// or looping), in words: '' when nothing was. Part of the first line, so
// the note stays at 4 lines.
const LISTED = 3
function leftOut (made) {
  const list = (made && Array.isArray(made.skipped)) ? made.skipped : []
  if (list.length === 0) return ''
  const shown = list.slice(0, LISTED).map((s) => `${s.path} -> ${s.target} (${s.reason})`).join(', ')
  const more = list.length > LISTED ? `, and ${list.length - LISTED} more (symlink-doctor link --json lists them)` : ''
  return ` Left out of the copy: ${shown}${more}.`
}

// After the note was shown (once per tree), a later copy that left links
// out still says so, in one line: a copy that silently lacks part of its
// target is worse than a line on stderr.
function tellLeftOut (linkPath, made, env = process.env) {
  const text = leftOut(made)
  if (text === '' || env.SYMLINK_DOCTOR_QUIET === '1') return
  const shown = Buffer.isBuffer(linkPath) ? linkPath.toString() : String(linkPath)
  process.stderr.write(`symlink-doctor: made a copy at ${shown}.${text}\n`)
}

function dirOf (linkPath) {
  const p = Buffer.isBuffer(linkPath) ? linkPath.toString() : linkPath instanceof URL ? require('url').fileURLToPath(linkPath) : String(linkPath)
  return path.dirname(path.resolve(p))
}

function tellOnceSync (refusal, linkPath, made, chain) {
  if (!claim()) return tellLeftOut(linkPath, made)
  let report = null
  try { report = require('./diagnose').diagnoseSync(dirOf(linkPath)) } catch {}
  process.stderr.write(lines(refusal, linkPath, made, chain, report).join('\n') + '\n')
}

async function tellOnce (refusal, linkPath, made, chain) {
  if (!claim()) return tellLeftOut(linkPath, made)
  let report = null
  try { report = await require('./diagnose').diagnose(dirOf(linkPath)) } catch {}
  process.stderr.write(lines(refusal, linkPath, made, chain, report).join('\n') + '\n')
}

module.exports = { ensureSession, newSession, markerPath, claim, alreadyShown, forget, tellOnce, tellOnceSync, lines, leftOut, SESSION, SHOWN }
