'use strict'
// Temporaries left by a process that was killed, and the one way this
// package removes a tree it built: iteratively, never following a link,
// never through a name someone else could swap.
//
// Steps for lib/run.js (runSync/runAsync), so the sync and promise forms
// share them. No recursion on the JS stack and no yield* per level: a tree
// 10,000 directories deep is removed with a loop, an explicit stack of
// names and (on Linux) one directory descriptor at a time.
//
// Linux: every name is looked up through an open directory descriptor,
// as `/proc/self/fd/<fd>/<name>` (the kernel resolves the descriptor's
// directory itself, as openat(2) would), and a directory is entered by
// opening it with O_DIRECTORY|O_NOFOLLOW and checking that its
// device/inode are the ones lstat saw. Going back up opens `..` of the
// current descriptor and checks it is the directory we came from.
// Elsewhere (macOS, Windows: no /proc/self/fd) names are plain paths: a
// process that can rename a directory on the way can redirect a later
// lookup (the residual risk the README states), and a path longer than the
// OS allows fails with ENAMETOOLONG.

const fs = require('fs')
const path = require('path')
const { parseTempName } = require('./temp-name')

const C = fs.constants
const isWindows = process.platform === 'win32'
const NOFOLLOW = C.O_NOFOLLOW || 0
const DIRECTORY = C.O_DIRECTORY || 0
const NONBLOCK = C.O_NONBLOCK || 0
// A directory, never through a symlink at the last component.
const DIR_FLAGS = C.O_RDONLY | DIRECTORY | NOFOLLOW
// A directory the caller named (its own path may go through links).
const DIR_FLAGS_FOLLOW = C.O_RDONLY | DIRECTORY
// A regular file to read: no link followed, and a FIFO swapped in does not
// block the open.
const FILE_FLAGS = C.O_RDONLY | NOFOLLOW | NONBLOCK

// Whether directory descriptors can stand for paths (/proc/self/fd).
let procFd
function hasProcFd () {
  if (procFd === undefined) {
    procFd = process.platform === 'linux' && fs.existsSync('/proc/self/fd')
  }
  return procFd
}

// Descriptors are opened (and their device/inode checked) everywhere but
// Windows, where libuv's directory handles and inode numbers are not
// what this needs.
const useFds = !isWindows

// Paths inside the algorithms are strings. A Buffer path is carried as a
// latin1 string (one character per byte) and turned back into the same
// bytes for every fs call, so a name that is not UTF-8 stays that name.
function domainOf (p) {
  if (!Buffer.isBuffer(p)) return { inn: (s) => s, io: (s) => s, shown: (s) => s }
  return {
    inn: (b) => (Buffer.isBuffer(b) ? b : Buffer.from(b)).toString('latin1'),
    io: (s) => Buffer.from(s, 'latin1'),
    shown: (s) => Buffer.from(s, 'latin1').toString()
  }
}

// A directory reference: { fd, path }. With /proc/self/fd the fd is what
// names are resolved through and path may be null; without, path is the
// plain path (fd, when open, only served to check what was opened).
function at (ref, name) {
  if (ref.fd !== null && hasProcFd()) return `/proc/self/fd/${ref.fd}/${name}`
  return path.join(ref.path, name)
}

function dirPath (ref) {
  if (ref.fd !== null && hasProcFd()) return `/proc/self/fd/${ref.fd}`
  return ref.path
}

const sameFile = (a, b) => Boolean(a && b && a.dev === b.dev && a.ino === b.ino)
const idOf = (st) => `${st.dev}:${st.ino}`
const ourUid = () => (typeof process.getuid === 'function' ? process.getuid() : null)

function changed (p, what) {
  const err = new Error(`EAGAIN: ${what} changed while symlink-doctor worked on it, '${p}'`)
  err.code = 'EAGAIN'
  err.path = p
  return err
}

// Makes a directory of ours writable and searchable before emptying it (a
// copy sets the source's modes, which may be read-only). Best effort.
function * makeWritable (fd, p, st, dom) {
  const uid = ourUid()
  if ((st.mode & 0o700) === 0o700 || (uid !== null && st.uid !== uid)) return
  try {
    if (fd !== null) yield ['fchmod', fd, (st.mode & 0o7777) | 0o700]
    else yield ['chmod', dom.io(p), (st.mode & 0o7777) | 0o700]
  } catch {}
}

// Removes the entry `name` of the directory `parent` ({ fd, path }), the
// whole tree when it is a directory, without following any link (a link is
// removed, not what it points to). expect: the lstat the caller checked;
// when given, a different entry at the name is left alone (EAGAIN).
function * removeTree (parent, name, dom, expect) {
  const first = yield ['lstat', dom.io(at(parent, name))]
  if (!first) return
  if (expect && !sameFile(first, expect)) throw changed(at(parent, name), 'the entry')
  if (!first.isDirectory()) {
    yield ['unlinkOwn', dom.io(at(parent, name))]
    return
  }
  if (!(useFds && hasProcFd())) {
    yield * removeTreeByPath(path.join(parent.path, name), first, dom)
    return
  }
  let fd = yield ['open', dom.io(at(parent, name)), DIR_FLAGS]
  try {
    if (!sameFile(yield ['fstat', fd], first)) throw changed(at(parent, name), 'the directory')
    // One frame per directory on the way down: its name in its parent,
    // its identity, and the names still to remove. Only the deepest is open.
    const stack = [{ name, st: first, names: null }]
    for (;;) {
      const top = stack[stack.length - 1]
      const here = { fd, path: null }
      if (top.names === null) {
        yield * makeWritable(fd, null, top.st, dom)
        top.names = (yield ['readdirAs', dom.io(dirPath(here))]).map(dom.inn)
      }
      if (top.names.length > 0) {
        const n = top.names.pop()
        const st = yield ['lstat', dom.io(at(here, n))]
        if (!st) continue
        if (!st.isDirectory()) {
          yield ['unlinkOwn', dom.io(at(here, n))]
          continue
        }
        const child = yield ['open', dom.io(at(here, n)), DIR_FLAGS]
        const cst = yield * fstatOrClose(child)
        if (!sameFile(cst, st)) {
          yield ['close', child]
          throw changed(at(here, n), 'the directory')
        }
        yield ['close', fd]
        fd = child
        stack.push({ name: n, st, names: null })
        continue
      }
      stack.pop()
      if (stack.length === 0) {
        yield ['close', fd]
        fd = null
        yield ['rmdir', dom.io(at(parent, top.name))]
        return
      }
      // Up one level through the descriptor itself, then check it is the
      // directory we came down from.
      const up = yield ['open', dom.io(`${dirPath(here)}/..`), DIR_FLAGS]
      const ust = yield * fstatOrClose(up)
      if (!sameFile(ust, stack[stack.length - 1].st)) {
        yield ['close', up]
        throw changed(dirPath(here), 'the parent directory')
      }
      yield ['close', fd]
      fd = up
      yield ['rmdir', dom.io(at({ fd, path: null }, top.name))]
    }
  } finally {
    if (fd !== null) {
      try { yield ['close', fd] } catch {}
    }
  }
}

function * fstatOrClose (fd) {
  try {
    return yield ['fstat', fd]
  } catch (err) {
    try { yield ['close', fd] } catch {}
    throw err
  }
}

// Without /proc/self/fd: plain paths, an explicit stack all the same.
function * removeTreeByPath (root, first, dom) {
  const stack = [{ p: root, st: first, names: null }]
  while (stack.length > 0) {
    const top = stack[stack.length - 1]
    if (top.names === null) {
      yield * makeWritable(null, top.p, top.st, dom)
      top.names = (yield ['readdirAs', dom.io(top.p)]).map(dom.inn)
    }
    if (top.names.length > 0) {
      const p = path.join(top.p, top.names.pop())
      const st = yield ['lstat', dom.io(p)]
      if (!st) continue
      if (st.isDirectory()) stack.push({ p, st, names: null })
      else yield ['unlinkOwn', dom.io(p)]
      continue
    }
    stack.pop()
    yield ['rmdir', dom.io(top.p)]
  }
}

// Removes the tree at p (a string or Buffer path), p's directory taken as
// the caller names it. For run.js's removeOwnTree.
function * removeTreeAt (p) {
  const dom = domainOf(p)
  const abs = path.resolve(dom.inn(p))
  const parent = yield * openDir(path.dirname(abs), dom)
  try {
    yield * removeTree(parent, path.basename(abs), dom)
  } finally {
    if (parent.fd !== null) {
      try { yield ['close', parent.fd] } catch {}
    }
  }
}

// { fd, path } for a directory the caller named.
function * openDir (abs, dom) {
  const fd = useFds ? yield ['open', dom.io(abs), DIR_FLAGS_FOLLOW] : null
  return { fd, path: abs }
}

// Removes, in absDir, the temporaries (lib/temp-name.js names) that are
// ours (owner: this uid; on Windows, which has no uid, any) and whose
// process is gone (kill(pid, 0) says ESRCH): what a killed copy or replace
// left. A live process's temporary, our own process's, or another user's
// is never touched, nor anything that is not named like one. Each is
// removed whole or, when that fails, left for the next run. Returns the
// names removed.
//
// A pid can be reused: a temporary whose pid now belongs to another live
// process is kept until that one is gone too. A process in another pid
// namespace (a container sharing the directory) looks dead from here.
function * removeStale (absDir) {
  const dom = domainOf(absDir)
  const dir = path.resolve(dom.inn(absDir))
  const uid = ourUid()
  const removed = []
  let parent
  try {
    parent = yield * openDir(dir, dom)
  } catch (err) {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR' || err.code === 'EACCES') return removed
    throw err
  }
  try {
    const names = (yield ['readdirAs', dom.io(dirPath(parent))]).map(dom.inn)
    for (const name of names) {
      const temp = parseTempName(name)
      if (!temp || temp.pid === process.pid) continue
      if (yield ['alive', temp.pid]) continue
      const st = yield ['lstat', dom.io(at(parent, name))]
      if (!st || (uid !== null && st.uid !== uid)) continue
      try {
        yield * removeTree(parent, name, dom, st)
        removed.push(dom.shown(name))
      } catch {}
    }
  } finally {
    if (parent.fd !== null) {
      try { yield ['close', parent.fd] } catch {}
    }
  }
  return removed
}

function removeStaleSync (absDir) {
  return require('./run').runSync(removeStale(absDir))
}

module.exports = {
  removeStale,
  removeStaleSync,
  removeTree,
  removeTreeAt,
  openDir,
  domainOf,
  at,
  dirPath,
  hasProcFd,
  sameFile,
  idOf,
  ourUid,
  changed,
  useFds,
  DIR_FLAGS,
  DIR_FLAGS_FOLLOW,
  FILE_FLAGS
}
