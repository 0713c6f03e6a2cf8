'use strict'
// The copy fallback: the last resort, only when the caller allows it.
// Steps for lib/run.js, so the sync and promise forms share them.
//
// What a copy is:
//  - A snapshot of the source tree, read without following any link it
//    did not decide to follow: an lstat-based walk; each directory is
//    opened with O_DIRECTORY|O_NOFOLLOW and each file with O_NOFOLLOW, and
//    their device/inode must be the ones lstat saw (a directory swapped for
//    a symlink in between is not followed: EAGAIN, nothing left behind);
//    file bytes are read from the descriptor that was checked.
//  - A link inside the tree is copied as what it shows when its target
//    (realpath) is inside the source tree's realpath and is not a directory
//    the copy is already inside (that would never end). Any other link is
//    left out and listed: { path (relative, inside the copy), target (the
//    link's text), reason: 'points outside the copied tree' | 'dangling' |
//    'loop' }. So `h -> ../../..` or `slash -> /` never copies the home
//    directory or the whole filesystem.
//  - Built under a private temporary directory next to the destination
//    (lib/temp-name.js name, mode 0o700, checked to be ours and empty) and
//    moved to the destination whole, with rename(RENAME_NOREPLACE): never
//    over anything. The final name is never half made: a process killed
//    midway leaves only the temporary, which the next copy into that
//    directory (or `symlink-doctor scan`) removes (lib/stale.js).
//  - On Linux everything is created through /proc/self/fd/<fd>/<name>:
//    the kernel resolves the open directory itself, as openat(2) would, so
//    another user who can write the destination's directory (no sticky
//    bit) cannot redirect a write by swapping a path component: entries
//    inside our 0o700 directory are ours alone, and the destination's
//    directory and our temporary are reached through their descriptors.
//
// Residual risks (no /proc/self/fd: macOS, Windows): names are plain paths
// inside the 0o700 temporary. Another user who can write the destination's
// directory can rename our temporary away and put a symlink at its name
// between two steps; a later mkdir or file creation under that name would
// then go through the symlink. (Files are still created exclusively, so
// nothing existing is overwritten.) The source walk checks each directory
// it enters, but a swap of a directory higher up between two lookups is
// not seen. On Windows directories are not opened to be checked at all.
//
// Where RENAME_NOREPLACE is not available (the native core lacks it,
// kernels before 3.15, NFS, some FUSE filesystems: ENOSYS/EINVAL), a file
// is moved in with link(2) then unlink (also never over anything), and a
// directory, or a file where hard links are refused, with a plain rename
// after lstat shows nothing at the destination. That last fallback is not
// atomic: something created at the destination between the lstat and the
// rename is replaced (a directory rename can replace only an empty
// directory; a file rename any file).
//
// fusefat loses a directory's contents when it renames it: there a tree is
// built at its final name (see renameKeepsContents), so a kill midway
// leaves a partial copy at the final name on that filesystem.
//
// Stale temporaries are told by their pid (lib/stale.js): a reused pid
// keeps one until that process is gone too; a process in another pid
// namespace sharing the directory looks dead, and its temporary can be
// removed under it (its copy then fails; nothing half-made appears).

const path = require('path')
const { tempName } = require('./temp-name')
const { fsError } = require('./errors')
const {
  removeStale, removeTree, openDir, domainOf, at, dirPath, hasProcFd, sameFile, idOf, ourUid, changed,
  useFds, DIR_FLAGS, FILE_FLAGS
} = require('./stale')

// fs.copyFile fails with ENOSYS on filesystems that lack what libuv calls
// after copying (fchmod on FAT through FUSE): copy the bytes instead.
const COPY_BYTES_ON = ['ENOSYS', 'ENOTSUP', 'EOPNOTSUPP', 'EPERM', 'EINVAL']
// What says "this filesystem or platform has no such call".
const UNSUPPORTED = ['ENOSYS', 'EINVAL', 'ENOTSUP', 'EOPNOTSUPP']
// A hard link refused where the move in would use one.
const NO_LINK = [...UNSUPPORTED, 'EPERM', 'EXDEV', 'EMLINK', 'EACCES']
// The name of what is built inside the private temporary directory.
const PAYLOAD = 'copy'

const OUTSIDE = 'points outside the copied tree'
const DANGLING = 'dangling'
const LOOP = 'loop'

// Copies one file to dest, which must not exist. A reflink where the
// filesystem has them. src is followed (the caller named it). Returns
// { skipped: [] }. On failure nothing is left at dest, nor any temporary.
function * copyFile (src, dest, mode) {
  const dom = domainOf(src)
  const absSrc = path.resolve(dom.inn(src))
  const absDest = path.resolve(domainOf(dest).inn(dest))
  const fds = new Set()
  let stage = null
  try {
    const fd = yield * openTracked(fds, dom.io(absSrc), FILE_FLAGS & ~nofollow())
    const st = yield ['fstat', fd]
    if (!st.isFile()) throw changed(absSrc, 'the source file')
    stage = yield * makeStage(absDest, dom, fds)
    yield * copyData(fd, st, absSrc, stage.tmp, PAYLOAD, mode === undefined ? st.mode & 0o777 : mode, dom)
    const made = yield * openTracked(fds, dom.io(at(stage.tmp, PAYLOAD)), FILE_FLAGS)
    stage.payload = { fd: made, path: useFds && hasProcFd() ? null : path.join(stage.tmp.path, PAYLOAD) }
    stage.payloadStat = yield ['fstat', made]
    yield * moveIntoPlace(stage, absDest, false, dom, src, dest)
    // What was made, from its own handle: never whatever another process
    // may have put at dest since (this is what gets recorded as ours).
    stage.finalStat = yield ['fstat', made]
  } catch (err) {
    yield * relabel(err, dom)
    yield * closeAll(fds)
    if (stage) yield * discardStage(stage, dom)
    throw err
  }
  yield * closeAll(fds)
  yield * discardStage(stage, dom)
  return { skipped: [], st: stage.finalStat }
}

// Copies a tree into dest, which must not exist. Returns { skipped }: the
// links left out (see above). On failure nothing is left at dest, nor any
// temporary.
function * copyTree (src, dest) {
  const dom = domainOf(src)
  const absDest = path.resolve(domainOf(dest).inn(dest))
  const fds = new Set()
  const skipped = []
  let stage = null
  try {
    const rootReal = dom.inn(yield ['realpathOrThrow', dom.io(path.resolve(dom.inn(src)))])
    const rootFd = useFds ? yield * openTracked(fds, dom.io(rootReal), DIR_FLAGS) : null
    const rootStat = rootFd !== null ? yield ['fstat', rootFd] : yield ['lstat', dom.io(rootReal)]
    if (!rootStat || !rootStat.isDirectory()) throw changed(rootReal, 'the source directory')
    stage = yield * makeStage(absDest, dom, fds)
    // Where renaming a directory loses what it holds (fusefat), the tree
    // is built at its final name instead (see renameKeepsContents).
    stage.inPlace = !(yield * renameKeepsContents(stage, dom))
    const home = stage.inPlace ? stage.parent : stage.tmp
    const name = stage.inPlace ? path.basename(absDest) : PAYLOAD
    try {
      yield ['mkdirMode', dom.io(at(home, name)), 0o700]
    } catch (err) {
      if (err.code === 'EEXIST' && stage.inPlace) throw existsError(true, dom, src, absDest)
      throw err
    }
    stage.payload = yield * openOwnDir(home, name, dom, fds, stage.inPlace)
    stage.payloadStat = stage.payload.st
    const root = { src: { fd: rootFd, path: rootReal }, dst: stage.payload, st: rootStat, name: null, parent: null, pending: null, released: false }
    yield * walk(root, rootReal, stage, dom, fds, skipped)
    // The modes are final before the tree can be seen at dest.
    yield * setMode(stage.payload, rootStat, dom)
    if (stage.inPlace) stage.moved = true
    else yield * moveIntoPlace(stage, absDest, true, dom, src, dest)
    // What was made, from its own handle (see copyFile); without one
    // (no /proc/self/fd), the stat taken when it was made.
    stage.finalStat = stage.payload.fd !== null ? yield ['fstat', stage.payload.fd] : stage.payloadStat
  } catch (err) {
    yield * relabel(err, dom)
    yield * closeAll(fds)
    if (stage) yield * discardStage(stage, dom)
    throw err
  }
  yield * closeAll(fds)
  yield * discardStage(stage, dom)
  return { skipped, st: stage.finalStat }
}

// The walk: one loop over an explicit stack of frames (no recursion, no
// yield* per level). A frame is a directory being copied: its source and
// destination ({ fd, path }), its lstat, and the subdirectories still to
// enter. A frame's descriptors are closed as soon as its last
// subdirectory is entered, so a chain 10,000 deep holds a few descriptors,
// not 20,000.
function * walk (root, rootReal, stage, dom, fds, skipped) {
  // The directories the copy is inside (plus the temporary, should the
  // destination be inside the source): entering one again never ends.
  const inside = new Set([idOf(root.st), idOf(stage.tmpStat), idOf(stage.payloadStat)])
  const stack = [root]
  const relOf = (frame, name) => {
    const names = [name]
    for (let f = frame; f.parent !== null; f = f.parent) names.push(f.name)
    return dom.shown(names.reverse().join(path.sep))
  }
  const skip = (frame, name, target, reason) => {
    skipped.push({ path: relOf(frame, name), target: dom.shown(target), reason })
  }

  while (stack.length > 0) {
    const f = stack[stack.length - 1]
    if (f.pending === null) {
      f.pending = []
      const names = (yield ['readdirAs', dom.io(dirPath(f.src))]).map(dom.inn)
      for (const name of names) {
        const st = yield ['lstat', dom.io(at(f.src, name))]
        if (!st) continue
        if (st.isDirectory()) {
          if (!inside.has(idOf(st))) f.pending.push({ name, st, real: null })
        } else if (st.isFile()) {
          yield * copyEntry(at(f.src, name), st, f.dst, name, dom, fds, null)
        } else if (st.isSymbolicLink()) {
          const target = dom.inn(yield ['readlink', dom.io(at(f.src, name))])
          const seen = yield * followLink(at(f.src, name), rootReal, dom)
          if (seen.reason) {
            skip(f, name, target, seen.reason)
          } else if (seen.st.isDirectory()) {
            if (inside.has(idOf(seen.st))) skip(f, name, target, LOOP)
            else f.pending.push({ name, st: seen.st, real: seen.real })
          } else if (seen.st.isFile()) {
            yield * copyEntry(seen.real, seen.st, f.dst, name, dom, fds, rootReal)
          }
          // (A link to a FIFO, socket or device is left out, as those are.)
        }
        // FIFOs, sockets and devices are not copied.
      }
      f.pending.reverse()
    }
    if (f.pending.length === 0) {
      if (f !== root) yield * release(f, dom, fds)
      stack.pop()
      inside.delete(idOf(f.st))
      continue
    }
    const c = f.pending.pop()
    const child = yield * enter(f, c, rootReal, dom, fds)
    // The parent's entries are all made: its mode can be final now.
    if (f.pending.length === 0 && f !== root) yield * release(f, dom, fds)
    inside.add(idOf(child.st))
    stack.push(child)
  }
}

// Opens a subdirectory to copy (source checked, destination made and
// checked) and returns its frame.
function * enter (f, c, rootReal, dom, fds) {
  let fd = null
  if (useFds) {
    fd = yield * openTracked(fds, dom.io(c.real !== null ? c.real : at(f.src, c.name)), DIR_FLAGS)
    const st = yield ['fstat', fd]
    if (!sameFile(st, c.st)) throw changed(c.real || at(f.src, c.name), 'a source directory')
    if (c.real !== null) yield * checkWhere(fd, c.real, rootReal, dom)
  }
  const srcPath = fd !== null && hasProcFd() ? null : (c.real !== null ? c.real : path.join(f.src.path, c.name))
  yield ['mkdirMode', dom.io(at(f.dst, c.name)), 0o700]
  const dst = yield * openOwnDir(f.dst, c.name, dom, fds, true)
  return { src: { fd, path: srcPath }, dst, st: c.st, name: c.name, parent: f, pending: null, released: false }
}

// A frame's destination gets the source directory's mode, then its
// descriptors are closed.
function * release (f, dom, fds) {
  if (f.released) return
  f.released = true
  yield * setMode(f.dst, f.st, dom)
  if (f.dst.fd !== null) yield * closeTracked(fds, f.dst.fd)
  if (f.src.fd !== null) yield * closeTracked(fds, f.src.fd)
}

function * setMode (ref, st, dom) {
  if (process.platform === 'win32') return
  try {
    if (ref.fd !== null) yield ['fchmod', ref.fd, st.mode & 0o7777 & ~0o6000]
    else yield ['chmod', dom.io(ref.path), st.mode & 0o7777 & ~0o6000]
  } catch (err) {
    // FAT through FUSE has no chmod; the copy is still the copy.
    if (!COPY_BYTES_ON.includes(err.code)) throw err
  }
}

// What a link inside the tree shows: { real, st } to copy, or { reason }.
function * followLink (linkPath, rootReal, dom) {
  let real
  try {
    real = dom.inn(yield ['realpathOrThrow', dom.io(linkPath)])
  } catch (err) {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return { reason: DANGLING }
    if (err.code === 'ELOOP') return { reason: LOOP }
    throw err
  }
  if (!isInside(real, rootReal)) return { reason: OUTSIDE }
  const st = yield ['stat', dom.io(real)]
  if (!st) return { reason: DANGLING }
  return { real, st }
}

function isInside (p, root) {
  if (p === root) return true
  const prefix = root.endsWith(path.sep) ? root : root + path.sep
  return p.startsWith(prefix)
}

// Linux: what a descriptor opened by path really is (its current path,
// from the kernel) must be the path we resolved, inside the source tree.
function * checkWhere (fd, real, rootReal, dom) {
  if (!hasProcFd()) return
  const now = dom.inn(yield ['readlink', dom.io(`/proc/self/fd/${fd}`)])
  if (now !== real || !isInside(now, rootReal)) throw changed(real, 'a linked source')
}

// Copies the file at srcPath into the destination directory `to` as
// destName. The source is opened without following a link, checked
// against its lstat (st), and read from that descriptor. rootReal: given
// for a linked file (srcPath is then its realpath), which must still be
// inside the source tree once open.
function * copyEntry (srcPath, st, to, destName, dom, fds, rootReal) {
  const fd = yield * openTracked(fds, dom.io(srcPath), FILE_FLAGS)
  try {
    const fst = yield ['fstat', fd]
    if (!sameFile(fst, st) || !fst.isFile()) throw changed(srcPath, 'a source file')
    if (rootReal !== null) yield * checkWhere(fd, srcPath, rootReal, dom)
    yield * copyData(fd, fst, srcPath, to, destName, fst.mode & 0o777, dom)
  } finally {
    yield * closeTracked(fds, fd)
  }
}

// The bytes of an open, checked file into a new file `name` of `to`.
// Linux: copyFile from /proc/self/fd/<fd> opens the same file again (not a
// path), so reflinks still work. Elsewhere the bytes come from the fd.
function * copyData (fd, st, srcPath, to, name, mode, dom) {
  const dest = dom.io(at(to, name))
  if (hasProcFd()) {
    try {
      yield ['copyFile', `/proc/self/fd/${fd}`, dest]
      return
    } catch (err) {
      // EEXIST: the file there is not ours. Otherwise libuv removed its partial.
      if (!COPY_BYTES_ON.includes(err.code)) throw err
    }
  }
  try {
    yield ['copyBytes', fd, dest, mode]
  } catch (err) {
    if (err.code !== 'EEXIST') {
      try { yield ['unlinkOwn', dest] } catch {}
    }
    throw err
  }
}

const staleChecked = new Set()

// The private temporary directory next to absDest: stale temporaries of
// dead processes there are removed first, then ours is made 0o700 and
// checked (ours, a directory, empty) through its descriptor.
function * makeStage (absDest, dom, fds) {
  const dir = path.dirname(absDest)
  // Once per directory and process: a package manager copying thousands
  // of packages into one directory lists it once, not once per copy.
  if (!staleChecked.has(dir)) {
    staleChecked.add(dir)
    try { yield * removeStale(dom.io(dir)) } catch {}
  }
  // The stage's own descriptors (the destination's directory and the
  // temporary) stay open until discardStage, after every other is closed.
  const parent = yield * openDir(dir, dom)
  const tmpName = path.basename(tempName(absDest))
  let tmp
  try {
    yield ['mkdirMode', dom.io(at(parent, tmpName)), 0o700]
    try {
      tmp = yield * openOwnDir(parent, tmpName, dom, fds, true)
    } catch (err) {
      // Not what we made (another user put something at the name): leave
      // it alone, but an empty directory of ours may go.
      if (err.code !== 'EAGAIN') {
        try { yield ['rmdir', dom.io(at(parent, tmpName))] } catch {}
      }
      throw err
    }
  } catch (err) {
    if (parent.fd !== null) {
      try { yield ['close', parent.fd] } catch {}
    }
    throw err
  }
  if (tmp.fd !== null) fds.delete(tmp.fd)
  return { parent, tmpName, tmp, tmpStat: tmp.st, destName: path.basename(absDest), payload: null, payloadStat: null }
}

// Opens a directory this call just made (never through a link) and checks
// it is ours, a directory and empty. Returns { fd, path, st }.
function * openOwnDir (parent, name, dom, fds, mustBeEmpty) {
  const p = useFds && hasProcFd() ? null : path.join(parent.path, name)
  if (!useFds) {
    const st = yield ['lstat', dom.io(p)]
    if (!st || !st.isDirectory()) throw changed(p, 'our temporary directory')
    return { fd: null, path: p, st }
  }
  const fd = yield * openTracked(fds, dom.io(at(parent, name)), DIR_FLAGS)
  const st = yield ['fstat', fd]
  const uid = ourUid()
  if (!st.isDirectory() || (uid !== null && st.uid !== uid)) throw changed(at(parent, name), 'our temporary directory')
  if (mustBeEmpty && (yield ['readdirAs', dom.io(dirPath({ fd, path: p }))]).length !== 0) {
    throw changed(at(parent, name), 'our temporary directory')
  }
  return { fd, path: p, st }
}

function existsError (isDir, dom, src, absDest) {
  const why = 'something is already at the copy\'s path; it was left as it is'
  return isDir
    ? fsError('EEXIST', 'mkdir', dom.shown(absDest), undefined, why)
    : fsError('EEXIST', 'copyfile', dom.shown(path.resolve(dom.inn(src))), dom.shown(absDest), why)
}

// fusefat (FAT through FUSE) renames a directory and loses everything in
// it (the data is gone after a remount too). So, once per filesystem and
// process: a directory holding one entry is renamed inside our temporary
// and looked at. Where the entry is lost, the tree is built at its final
// name (made with mkdir, so never over anything, and through its
// descriptor like everything else): there a process killed midway leaves
// a partial copy at the final name, which the next run reports as a real
// directory. No other filesystem seen here needs this.
const renameChecked = new Map()
function * renameKeepsContents (stage, dom) {
  const key = String(stage.tmpStat.dev)
  if (renameChecked.has(key)) return renameChecked.get(key)
  let ok = true
  try {
    yield ['mkdirMode', dom.io(at(stage.tmp, 'a')), 0o700]
    yield ['mkdirMode', dom.io(at(stage.tmp, 'a/x')), 0o700]
    yield ['rename', dom.io(at(stage.tmp, 'a')), dom.io(at(stage.tmp, 'b'))]
    ok = (yield ['readdirAs', dom.io(at(stage.tmp, 'b'))]).length === 1
  } catch {
    ok = false
  }
  for (const name of ['a', 'b']) {
    try { yield * removeTree(stage.tmp, name, dom) } catch {}
  }
  renameChecked.set(key, ok)
  return ok
}

// Moves the payload out of the temporary to absDest: never over anything.
function * moveIntoPlace (stage, absDest, isDir, dom, src, dest) {
  const from = dom.io(at(stage.tmp, PAYLOAD))
  const to = dom.io(at(stage.parent, path.basename(absDest)))
  const exists = () => existsError(isDir, dom, src, absDest)
  let moved = false
  try {
    yield ['renameNoReplace', from, to]
    moved = true
  } catch (err) {
    if (err.code === 'EEXIST') throw exists()
    if (!UNSUPPORTED.includes(err.code)) throw err
  }
  if (!moved && !isDir) {
    try {
      yield ['link', from, to]
      moved = true
    } catch (err) {
      if (err.code === 'EEXIST') throw exists()
      if (!NO_LINK.includes(err.code)) throw err
    }
    if (moved) yield ['unlinkOwn', from]
  }
  if (!moved) {
    // Not atomic (see the top of this file).
    if (yield ['lstat', to]) throw exists()
    yield ['rename', from, to]
  }
  stage.moved = true
  // What is at the destination now must be what we built.
  let ours = false
  if (hasProcFd() && stage.payload.fd !== null && stage.parent.fd !== null) {
    const now = dom.inn(yield ['readlink', dom.io(`/proc/self/fd/${stage.payload.fd}`)])
    const dir = dom.inn(yield ['readlink', dom.io(`/proc/self/fd/${stage.parent.fd}`)])
    ours = now === path.join(dir, path.basename(absDest))
  }
  // Windows: file ids are not checked (see the residual risks above).
  if (!ours) ours = process.platform === 'win32' || sameFile(yield ['lstat', to], stage.payloadStat)
  if (!ours) {
    const err = fsError('EAGAIN', 'rename', dom.shown(absDest), undefined, 'the copy was moved into place but something else is there now')
    throw err
  }
}

// The temporary and everything still in it, after a failure or (empty by
// then) a success: what it holds is removed through its descriptor,
// wherever another user may have renamed it, then its name if it is still
// ours. Once the payload has moved to the destination, the copy stays (it
// is whole).
function * discardStage (stage, dom) {
  if (stage.inPlace && !stage.moved && stage.payloadStat) {
    try { yield * removeTree(stage.parent, stage.destName, dom, stage.payloadStat) } catch {}
  }
  if (stage.tmp.fd !== null && !stage.moved) {
    try { yield * removeTree(stage.tmp, PAYLOAD, dom) } catch {}
  }
  if (stage.tmp.fd !== null) {
    try { yield ['close', stage.tmp.fd] } catch {}
  }
  try {
    yield * removeTree(stage.parent, stage.tmpName, dom, stage.tmpStat)
  } catch {}
  if (stage.parent.fd !== null) {
    try { yield ['close', stage.parent.fd] } catch {}
  }
}

// An error about /proc/self/fd/<fd>/name, told with the path the kernel
// has for that descriptor (before it is closed).
function * relabel (err, dom) {
  if (!err || typeof err !== 'object') return
  for (const key of ['path', 'dest']) {
    const was = err[key]
    const m = typeof was === 'string' ? /^\/proc\/self\/fd\/(\d+)(\/.*)?$/s.exec(was) : null
    if (!m) continue
    let now
    try {
      now = dom.shown(dom.inn(yield ['readlink', dom.io(`/proc/self/fd/${m[1]}`)]) + (m[2] || ''))
    } catch {
      continue
    }
    err[key] = now
    if (typeof err.message === 'string') err.message = err.message.split(`'${was}'`).join(`'${now}'`)
  }
}

function * openTracked (fds, p, flags) {
  const fd = yield ['open', p, flags]
  fds.add(fd)
  return fd
}

function * closeTracked (fds, fd) {
  fds.delete(fd)
  yield ['close', fd]
}

function * closeAll (fds) {
  for (const fd of fds) {
    try { yield ['close', fd] } catch {}
  }
  fds.clear()
}

function nofollow () {
  return require('fs').constants.O_NOFOLLOW || 0
}

module.exports = { copyFile, copyTree }
