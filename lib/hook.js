'use strict'
// The fs hook behind symlink-doctor/register: wraps fs.symlink,
// fs.symlinkSync and fs.promises.symlink so that a symlink the OS refuses is
// made another way (createLink's fallback chain) and the user is told the
// fix once per process tree.
//
// This file is loaded into every Node process of a hooked tree (npm, its
// scripts, their children), so it requires only builtins at load, and the
// success path is the original call and nothing else (plus one lstat on
// Windows, where Wine's CreateSymbolicLinkW reports success and makes
// nothing). Everything heavy is required on the first refusal.

const fs = require('fs')

const isWindows = process.platform === 'win32'
// Shared by every copy of this package loaded into one process, so two
// copies do not wrap twice.
const MARK = Symbol.for('symlink-doctor.hook')
const KINDS = new Set(['junction', 'shim', 'hardlink', 'copy'])
const DEFAULT_CHAIN = ['junction', 'shim', 'hardlink']

// Set on the first refusal: an AsyncLocalStorage whose store is true while
// our own fallback runs. The pure-JS binding makes junctions and probes
// through fs.symlinkSync, which must then reach the OS unwrapped.
let guard = null
const inOwnCall = () => guard !== null && guard.getStore() === true

// lib/refusals.js loads with the first error (one module less at start-up).
// Modules of ours, loaded on the first refusal and kept (a require per
// call is a module-cache lookup by path each time).
const loaded = new Map()
function lazy (name) {
  let m = loaded.get(name)
  if (m === undefined) {
    m = require(name)
    loaded.set(name, m)
  }
  return m
}

function isRefusal (err) {
  return lazy('./refusals').isRefusal('symlink', err)
}

// The kinds to try after the symlink, from SYMLINK_DOCTOR_FALLBACK
// ("junction,hardlink,copy"). Unknown names are ignored; 'symlink' was just
// refused, so it is never retried.
// A command (a "#!" file, or anything linked into a .bin) always gets a shim
// before a hard link or copy, whatever the list says: a hard-linked or
// copied command runs from the wrong directory and fails.
function fallbackChain (env = process.env) {
  const value = lazy('./env').envVar('SYMLINK_DOCTOR_FALLBACK', env)
  if (value === undefined || value.trim() === '') return DEFAULT_CHAIN.slice()
  const chain = value.split(',').map((s) => s.trim()).filter((k) => KINDS.has(k))
  const at = chain.findIndex((k) => k === 'hardlink' || k === 'copy')
  if (at !== -1 && !chain.includes('shim')) chain.splice(at, 0, 'shim')
  return chain
}

// Node ignores the type on POSIX; on Windows only 'junction' changes what
// the fallback should try first. Otherwise the target decides dir or file.
function linkType (type) {
  return isWindows && type === 'junction' ? 'junction' : undefined
}

// The error a silent no-op deserves: what fs would have said had the
// call been honest.
function silentNoop (target, linkPath) {
  const { fsError } = require('./errors')
  return fsError('ENOTSUP', 'symlink-verify', target, linkPath,
    'the system reported success but created no link')
}

// On Windows: did the "successful" call make anything? One lstat.
function linkExists (linkPath) {
  try {
    return fs.lstatSync(linkPath, { throwIfNoEntry: false }) !== undefined
  } catch {
    return true // not ours to judge; keep the original result
  }
}

function linkExistsAsync (linkPath, done) {
  fs.lstat(linkPath, (err) => done(!err || err.code !== 'ENOENT'))
}

function linkExistsPromise (linkPath) {
  return new Promise((resolve) => linkExistsAsync(linkPath, resolve))
}

function getGuard () {
  if (guard === null) {
    const { AsyncLocalStorage } = require('async_hooks')
    guard = new AsyncLocalStorage()
  }
  return guard
}

// What the caller gets when the fallback could not make the link either:
// an error about the path itself (EEXIST, ENOENT: under a sandbox those hide
// behind EPERM) is the truer answer; when every kind was refused, the
// original error, the same object.
// Either way the error has the shape fs.symlink gives: syscall 'symlink',
// path and dest as the caller gave them.
function pickError (original, fallbackErr, target, linkPath) {
  if (fallbackErr && !Array.isArray(fallbackErr.attempts) && fallbackErr.code && !isRefusal(fallbackErr)) {
    return asSymlinkError(fallbackErr.code, target, linkPath)
  }
  // Under a sandbox the refusal comes before the kernel looks at the path:
  // a link in a missing directory is ENOENT, as fs says where links work.
  if (!parentExists(linkPath)) return asSymlinkError('ENOENT', target, linkPath)
  original.symlinkDoctor = fallbackErr && fallbackErr.reason
    ? { reason: fallbackErr.reason, attempts: fallbackErr.attempts }
    : { reason: fallbackErr ? String(fallbackErr.message) : 'no fallback configured' }
  return original
}

function asSymlinkError (code, target, linkPath) {
  const { toPath } = require('./args')
  return require('./errors').fsError(code, 'symlink', toPath(target, 'target'), toPath(linkPath, 'path'))
}

function parentExists (linkPath) {
  try {
    const p = require('./args').toPath(linkPath, 'path')
    const dir = Buffer.isBuffer(p) ? Buffer.from(require('path').dirname(p.toString('latin1')), 'latin1') : require('path').dirname(p)
    return fs.statSync(dir, { throwIfNoEntry: false }) !== undefined
  } catch {
    return true // not ours to judge
  }
}

function fallbackSync (original, target, linkPath, type) {
  const chain = fallbackChain()
  let made = null
  let failure = null
  if (chain.length > 0) {
    const { createLinkSync } = lazy('./link')
    try {
      made = getGuard().run(true, () => createLinkSync(target, linkPath, { type: linkType(type), fallback: chain }))
    } catch (err) {
      failure = err
    }
  }
  getGuard().run(true, () => lazy('./hook-note').tellOnceSync(original, linkPath, made, chain))
  if (made === null) throw pickError(original, failure, target, linkPath)
  return undefined
}

async function fallbackAsync (original, target, linkPath, type) {
  const chain = fallbackChain()
  let made = null
  let failure = null
  if (chain.length > 0) {
    const { createLink } = lazy('./link')
    try {
      made = await getGuard().run(true, () => createLink(target, linkPath, { type: linkType(type), fallback: chain }))
    } catch (err) {
      failure = err
    }
  }
  await getGuard().run(true, () => lazy('./hook-note').tellOnce(original, linkPath, made, chain))
  if (made === null) throw pickError(original, failure, target, linkPath)
  return undefined
}

function wrapSync (original) {
  return function symlinkSync (target, linkPath, type) {
    // The original with the caller's own arguments, as they came (without
    // materializing `arguments` for the usual two or three).
    const n = arguments.length
    if (guard !== null && guard.getStore() === true) {
      return n === 3 ? original.call(this, target, linkPath, type) : Reflect.apply(original, this, arguments)
    }
    let refusal
    try {
      const result = n === 3
        ? original.call(this, target, linkPath, type)
        : n === 2
          ? original.call(this, target, linkPath)
          : Reflect.apply(original, this, arguments)
      if (!isWindows || linkExists(linkPath)) return result
      refusal = silentNoop(target, linkPath)
    } catch (err) {
      if (!isRefusal(err)) throw err
      refusal = err
    }
    return fallbackSync(refusal, target, linkPath, type)
  }
}

function wrapCallback (original) {
  return function symlink (target, linkPath, type, callback) {
    const at = typeof type === 'function' ? 2 : 3
    const cb = arguments[at]
    // No callback: Node's own argument check throws; leave it to Node.
    if (inOwnCall() || typeof cb !== 'function') return Reflect.apply(original, this, arguments)
    const args = Array.prototype.slice.call(arguments)
    const kind = at === 3 ? type : undefined
    // The callback runs from a fresh stack, outside the promise: what it
    // throws is an uncaught exception, as with plain fs, never a rejection.
    const recover = (refusal) => {
      fallbackAsync(refusal, target, linkPath, kind).then(() => process.nextTick(cb, null), (err) => process.nextTick(cb, err))
    }
    args[at] = function (err) {
      if (err) {
        if (isRefusal(err)) return recover(err)
        return Reflect.apply(cb, this, arguments)
      }
      if (!isWindows) return Reflect.apply(cb, this, arguments)
      const self = this
      const argv = arguments
      linkExistsAsync(linkPath, (exists) => {
        if (exists) Reflect.apply(cb, self, argv)
        else recover(silentNoop(target, linkPath))
      })
    }
    return Reflect.apply(original, this, args)
  }
}

function wrapPromise (original) {
  return async function symlink (target, linkPath, type) {
    if (inOwnCall()) return Reflect.apply(original, this, arguments)
    let refusal
    try {
      const result = await Reflect.apply(original, this, arguments)
      if (!isWindows || await linkExistsPromise(linkPath)) return result
      refusal = silentNoop(target, linkPath)
    } catch (err) {
      if (!isRefusal(err)) throw err
      refusal = err
    }
    return fallbackAsync(refusal, target, linkPath, type)
  }
}

function mark (fn, original) {
  Object.defineProperty(fn, MARK, { value: original })
  return fn
}

// Installs the wrappers once per process; returns false when they were
// already there.
function install () {
  if (fs.symlinkSync[MARK]) return false
  fs.symlinkSync = mark(wrapSync(fs.symlinkSync), fs.symlinkSync)
  fs.symlink = mark(wrapCallback(fs.symlink), fs.symlink)
  // fs.promises is the very object require('fs/promises') returns.
  fs.promises.symlink = mark(wrapPromise(fs.promises.symlink), fs.promises.symlink)
  // ESM importers of 'fs' and 'fs/promises' see the wrappers too.
  require('module').syncBuiltinESMExports()
  return true
}

function installed () {
  return Boolean(fs.symlinkSync[MARK])
}

module.exports = { install, installed, fallbackChain, isRefusal }
