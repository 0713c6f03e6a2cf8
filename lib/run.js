'use strict'
// One algorithm, two forms. An algorithm is a generator that yields
// [operation, ...args] and receives the result (or has the error thrown
// into it); runSync performs each operation with the sync fs and native
// calls, runAsync with the promise ones. So createLink and createLinkSync
// cannot drift apart, and the promise form never blocks the event loop.

const fs = require('fs')
const util = require('util')
// The native core, loaded by the first step that calls it (a symlink on
// POSIX does not).
let nativeCore = null
const core = () => nativeCore || (nativeCore = require('./binding'))

const { COPYFILE_EXCL, COPYFILE_FICLONE } = fs.constants

function missingIsUndefined (err) {
  if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return undefined
  throw err
}

const encodingOf = (p) => Buffer.isBuffer(p) ? { encoding: 'buffer' } : undefined

const ops = {
  lstat: {
    sync: (p) => fs.lstatSync(p, { throwIfNoEntry: false }),
    async: (p) => fs.promises.lstat(p).catch(missingIsUndefined)
  },
  stat: {
    sync: (p) => { try { return fs.statSync(p) } catch (err) { return missingIsUndefined(err) } },
    async: (p) => fs.promises.stat(p).catch(missingIsUndefined)
  },
  // realpath(3) itself (fs.realpath.native): resolves `..` after a symlink
  // as the kernel does. Bytes in, bytes out; undefined when missing.
  realpath: {
    sync: (p) => { try { return fs.realpathSync.native(p, encodingOf(p)) } catch (err) { return missingIsUndefined(err) } },
    async: (p) => fs.promises.realpath(p, encodingOf(p)).catch(missingIsUndefined)
  },
  symlink: { sync: (...a) => core().symlinkSync(...a), async: (...a) => core().symlink(...a) },
  // POSIX (lib/link.js): sync, the call fs.symlinkSync makes, its errors
  // Node's own, then a look that the link exists once per directory
  // (symlinkPosixSync); promise, the native core's (symlinkPosix).
  symlinkPosix: { sync: (target, p) => symlinkPosixSync(target, p), async: (target, p) => symlinkPosix(target, p) },
  hardlink: { sync: (...a) => core().hardlinkSync(...a), async: (...a) => core().hardlink(...a) },
  removeLink: { sync: (...a) => core().removeLinkSync(...a), async: (...a) => core().removeLink(...a) },
  inspect: { sync: (...a) => core().inspectSync(...a), async: (...a) => core().inspect(...a) },
  probe: { sync: (...a) => core().probeSync(...a), async: (...a) => core().probe(...a) },
  // A reflink where the filesystem has them, a plain copy elsewhere; never
  // over an existing file.
  copyFile: {
    sync: (src, dest) => fs.copyFileSync(src, dest, COPYFILE_EXCL | COPYFILE_FICLONE),
    async: (src, dest) => fs.promises.copyFile(src, dest, COPYFILE_EXCL | COPYFILE_FICLONE)
  },
  // Byte by byte into a new file created with the source's mode (no
  // chmod afterwards, which is what FAT refuses).
  copyBytes: { sync: copyBytesSync, async: copyBytes },
  mkdir: { sync: (p) => fs.mkdirSync(p), async: (p) => fs.promises.mkdir(p) },
  readdir: { sync: (p) => fs.readdirSync(p), async: (p) => fs.promises.readdir(p) },
  // Only ever called on a path this module created itself. Iterative
  // (lib/stale.js removeTree): fs.rm recurses on the JS stack and
  // overflowed on a 10,000-deep tree, leaving it half removed.
  removeOwnTree: {
    sync: (p) => runSync(removeOwnTree(p)),
    async: (p) => runAsync(removeOwnTree(p))
  },
  unlinkOwn: { sync: (p) => fs.unlinkSync(p), async: (p) => fs.promises.unlink(p) },
  // A module's own { sync, async } pair (lib/shim.js, lib/link-records.js):
  // ['call', pair, ...args].
  call: { sync: (pair, ...args) => pair.sync(...args), async: (pair, ...args) => pair.async(...args) },
  rename: { sync: (a, b) => fs.renameSync(a, b), async: (a, b) => fs.promises.rename(a, b) },
  // rename(2) with flags (binding.RENAME_NOREPLACE, binding.RENAME_EXCHANGE):
  // renameat2 on Linux; ENOSYS/EINVAL where the platform or filesystem
  // has no such rename (the caller then takes its documented fallback).
  // Until the addon has it (or with the pure-JS fallback, or on a platform
  // without it) this throws ENOSYS, the same answer as a kernel without
  // renameat2, so every caller has one fallback path to take.
  renameFlags: {
    sync: (a, b, flags) => {
      if (!hasRenameFlags(flags)) throw noRenameFlags(a, b)
      return core().renameSync(a, b, flags)
    },
    async: async (a, b, flags) => {
      if (!hasRenameFlags(flags)) throw noRenameFlags(a, b)
      return core().rename(a, b, flags)
    }
  },
  // renameFlags with RENAME_NOREPLACE, for callers that do not hold the
  // binding's constant: never over anything (EEXIST), or ENOSYS/EINVAL.
  renameNoReplace: {
    sync: (a, b) => ops.renameFlags.sync(a, b, core().RENAME_NOREPLACE),
    async: (a, b) => ops.renameFlags.async(a, b, core().RENAME_NOREPLACE)
  },
  // File descriptors, for walks that must not follow a name twice: open
  // returns a plain number (not a FileHandle) in both forms.
  open: {
    sync: (p, flags, mode) => fs.openSync(p, flags, mode),
    async: (p, flags, mode) => promisified.open(p, flags, mode)
  },
  close: { sync: (fd) => fs.closeSync(fd), async: (fd) => promisified.close(fd) },
  fstat: { sync: (fd) => fs.fstatSync(fd), async: (fd) => promisified.fstat(fd) },
  fchmod: { sync: (fd, mode) => fs.fchmodSync(fd, mode), async: (fd, mode) => promisified.fchmod(fd, mode) },
  chmod: { sync: (p, mode) => fs.chmodSync(p, mode), async: (p, mode) => fs.promises.chmod(p, mode) },
  // mkdir with a mode (0o700 for our private temporaries); never recursive.
  mkdirMode: { sync: (p, mode) => fs.mkdirSync(p, mode), async: (p, mode) => fs.promises.mkdir(p, mode) },
  rmdir: { sync: (p) => fs.rmdirSync(p), async: (p) => fs.promises.rmdir(p) },
  link: { sync: (a, b) => fs.linkSync(a, b), async: (a, b) => fs.promises.link(a, b) },
  // Names as Buffers when the path is one (bytes in, bytes out).
  readdirAs: {
    sync: (p) => fs.readdirSync(p, encodingOf(p)),
    async: (p) => fs.promises.readdir(p, encodingOf(p))
  },
  readFile: { sync: (p) => fs.readFileSync(p), async: (p) => fs.promises.readFile(p) },
  readlink: {
    sync: (p) => fs.readlinkSync(p, encodingOf(p)),
    async: (p) => fs.promises.readlink(p, encodingOf(p))
  },
  // realpath(3) that throws (ENOENT, ELOOP, ...), for callers that tell
  // the reasons apart.
  realpathOrThrow: {
    sync: (p) => fs.realpathSync.native(p, encodingOf(p)),
    async: (p) => fs.promises.realpath(p, encodingOf(p))
  },
  // Whether a process with this pid exists (EPERM: it does, another
  // user's). Used to tell a live build's temporary from a dead one's.
  alive: { sync: alive, async: async (pid) => alive(pid) }
}

const promisified = {
  open: util.promisify(fs.open),
  close: util.promisify(fs.close),
  fstat: util.promisify(fs.fstat),
  fchmod: util.promisify(fs.fchmod)
}

function alive (pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return err.code !== 'ESRCH'
  }
}

function hasRenameFlags (flags) {
  const binding = core()
  return typeof binding.renameSync === 'function' && typeof binding.rename === 'function' &&
    flags !== undefined && flags !== null
}

function noRenameFlags (a, b) {
  return require('./errors').fsError('ENOSYS', 'rename', Buffer.isBuffer(a) ? a.toString() : a, Buffer.isBuffer(b) ? b.toString() : b,
    'rename with flags is not in this build of the native core')
}

function * removeOwnTree (p) {
  const { removeTreeAt } = require('./stale')
  yield * removeTreeAt(p)
}

const CHUNK = 1 << 16

// src: a path, or an open file descriptor (a number: read from offset 0
// with positioned reads, left open for its owner).
function copyBytesSync (src, dest, mode) {
  const buf = Buffer.allocUnsafe(CHUNK)
  const from = typeof src === 'number' ? src : fs.openSync(src, 'r')
  try {
    const to = fs.openSync(dest, 'wx', mode)
    try {
      let n
      let pos = 0
      while ((n = fs.readSync(from, buf, 0, CHUNK, pos)) > 0) {
        pos += n
        let off = 0
        while (off < n) off += fs.writeSync(to, buf, off, n - off)
      }
    } finally {
      fs.closeSync(to)
    }
  } finally {
    if (from !== src) fs.closeSync(from)
  }
}

async function copyBytes (src, dest, mode) {
  const buf = Buffer.allocUnsafe(CHUNK)
  const read = util.promisify(fs.read)
  const from = typeof src === 'number' ? src : await promisified.open(src, 'r')
  try {
    const to = await fs.promises.open(dest, 'wx', mode)
    try {
      let n
      let pos = 0
      while ((n = (await read(from, buf, 0, CHUNK, pos)).bytesRead) > 0) {
        pos += n
        let off = 0
        while (off < n) off += (await to.write(buf, off, n - off)).bytesWritten
      }
    } finally {
      await to.close()
    }
  } finally {
    if (from !== src) await promisified.close(from)
  }
}

// A symlink(2) that reports success must have made a link: the native
// core looks with lstat after every one (Wine's CreateSymbolicLinkW makes
// nothing and says it did). On POSIX no filesystem is known to do that, so
// the sync form pays the look once per directory per process: the first
// link made in a directory is checked, later ones there are not; one whose
// check fails is checked again next time.
//
// What each directory did last, per process: OK (a link made and seen) or
// REFUSED (the last attempt failed). A refusal is remembered only to make
// the next attempt cheaper: it is still made, its error built without a
// stack trace (V8 walks the stack for each one); a symlink that works again
// is seen at once. Bounded: forgotten past 4,096 directories.
const OK = 1
const REFUSED = 2
const dirs = new Map()
let lastDir = null
let lastState = 0

// The directory part of a link path (POSIX), without allocating when it
// is the same directory as last time (a batch in one directory).
function stateOf (p) {
  if (lastDir !== null && p.length > lastDir.length && p.charCodeAt(lastDir.length) === 47 &&
      p.startsWith(lastDir) && p.indexOf('/', lastDir.length + 1) === -1) {
    return lastState
  }
  // Keyed by the path's text: after a chdir a relative name may stand for
  // another directory; the most that costs is a skipped look there (a
  // refusal still comes from the call itself).
  const at = p.lastIndexOf('/')
  lastDir = at === -1 ? '.' : at === 0 ? '/' : p.slice(0, at)
  lastState = dirs.get(lastDir) || 0
  return lastState
}

function setState (state) {
  if (lastState === state) return
  lastState = state
  if (!dirs.has(lastDir) && dirs.size >= 4096) dirs.clear()
  dirs.set(lastDir, state)
}

function notMade (target, p) {
  const { fsError } = require('./errors')
  const shown = (v) => Buffer.isBuffer(v) ? v.toString() : v
  return fsError('ENOTSUP', 'symlink-verify', shown(target), shown(p))
}

// fs's own symlink, never a wrapper of ours (symlink-doctor/register wraps
// fs.symlink* and keeps the original under this symbol): a caller of
// createLink in a hooked process must see the refusal, not a link the
// hook made in its place.
const HOOK = Symbol.for('symlink-doctor.hook')
const plainSymlinkSync = fs.symlinkSync[HOOK] || fs.symlinkSync

// Errors made with Error.stackTraceLimit 0 have no frames; lib/link.js
// gives one that reaches the caller a stack from its own frame.
function isStackless (err) {
  if (err === null || typeof err !== 'object') return false
  const stack = err.stack
  return typeof stack === 'string' && !stack.includes('\n    at ')
}

function symlinkPosixSync (target, p) {
  const state = stateOf(Buffer.isBuffer(p) ? p.toString('latin1') : p)
  if (state === REFUSED) return symlinkExpectingRefusal(target, p)
  let made = false
  // No catch and throw again: a throw makes V8 build a message and walk
  // the stack; finally passes the error on as it is.
  try {
    plainSymlinkSync(target, p)
    made = true
  } finally {
    if (!made) setState(REFUSED)
  }
  if (state !== OK) check(target, p)
}

function symlinkExpectingRefusal (target, p) {
  const limit = Error.stackTraceLimit
  let set = false
  try {
    Error.stackTraceLimit = 0
    set = true
  } catch {} // frozen by a hardened realm: errors keep their stacks
  try {
    plainSymlinkSync(target, p)
  } finally {
    if (set) Error.stackTraceLimit = limit
  }
  check(target, p)
}

function check (target, p) {
  const st = fs.lstatSync(p, { throwIfNoEntry: false })
  // Gone already: another process removed the link it saw appear.
  if (st !== undefined && !st.isSymbolicLink()) {
    setState(REFUSED)
    throw notMade(target, p)
  }
  setState(st !== undefined ? OK : 0)
}

// The promise form: the native core's symlink, which looks with lstat in
// the same thread-pool job (half the CPU time of fs.promises.symlink, look
// included).
function symlinkPosix (target, p) {
  return core().symlink(target, p, 0)
}

function runSync (gen) {
  let step = gen.next()
  while (!step.done) {
    const [op, ...args] = step.value
    let value
    try {
      value = ops[op].sync(...args)
    } catch (err) {
      step = gen.throw(err)
      continue
    }
    step = gen.next(value)
  }
  return step.value
}

async function runAsync (gen) {
  let step = gen.next()
  while (!step.done) {
    const [op, ...args] = step.value
    let value
    try {
      value = await ops[op].async(...args)
    } catch (err) {
      step = gen.throw(err)
      continue
    }
    step = gen.next(value)
  }
  return step.value
}

module.exports = { runSync, runAsync, symlinkPosixSync, symlinkPosix, isStackless }
