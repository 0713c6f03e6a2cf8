'use strict'
// What symlink-doctor made when it could not make a symlink: hard links,
// copies and shims look like the user's own files, so each one is recorded
// here, outside the volume (FAT and exFAT have no extended attributes, and
// a file next to the link would be one more thing in the user's tree).
//
// Where: $SYMLINK_DOCTOR_STATE_DIR, else %LOCALAPPDATA%\symlink-doctor\links
// (Windows), ~/Library/Application Support/symlink-doctor/links (macOS),
// $XDG_STATE_HOME/symlink-doctor/links or ~/.local/state/symlink-doctor/links.
// One small JSON file per link path and inode (sha256 of the absolute
// path's bytes, device, inode), written to a temporary name and renamed, so
// no reader sees half a record, and removed with what it describes.
//
// A record only counts while the thing at the path is still the one that
// was made: same device and inode. Anything else at that path (the user
// replaced it, the volume was remounted and FUSE renumbered its inodes) is
// the user's, and is treated as such: never replaced, never removed.

const fs = require('fs')
const os = require('os')
const path = require('path')
const { envVar } = require('./env')

// The last absolute SYMLINK_DOCTOR_STATE_DIR and what it resolved to: the
// variable is read on every call (it may change), path.resolve only when
// it did.
let lastOwn = null
let lastResolved = null

function stateDir () {
  const own = envVar('SYMLINK_DOCTOR_STATE_DIR')
  if (own) {
    if (own === lastOwn) return lastResolved
    const resolved = path.resolve(own)
    if (path.isAbsolute(own)) {
      lastOwn = own
      lastResolved = resolved
    }
    return resolved
  }
  if (process.platform === 'win32') {
    return path.join(envVar('LOCALAPPDATA') || path.join(os.homedir(), 'AppData', 'Local'), 'symlink-doctor', 'links')
  }
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'symlink-doctor', 'links')
  const xdg = envVar('XDG_STATE_HOME')
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.local', 'state'), 'symlink-doctor', 'links')
}

// crypto loads on the first record (it costs ~3 ms at start-up); one
// crypto.hash call (Node 20.12+) where there is one, not a Hash object.
let crypto = null
const cryptoModule = () => crypto || (crypto = require('crypto'))
function sha256 (bytes) {
  const c = cryptoModule()
  return typeof c.hash === 'function' ? c.hash('sha256', bytes, 'hex') : c.createHash('sha256').update(bytes).digest('hex')
}

// absLink: the absolute link path (a string, or a Buffer of its bytes);
// st: the lstat of what was made there. One record per path and inode, so
// processes that replace one path at the same time never overwrite each
// other's record: each names only what that process made.
function recordFile (absLink, st) {
  const bytes = Buffer.isBuffer(absLink) ? absLink : Buffer.from(absLink)
  const hash = sha256(bytes)
  return path.join(stateDir(), `${hash}-${st.dev}-${st.ino}.json`)
}

// The record of what is at absLink now, or null. st: its lstat.
function parse (text, st) {
  let rec
  try { rec = JSON.parse(text) } catch { return null }
  if (!rec || rec.v !== 1 || typeof rec.kind !== 'string') return null
  if (!st || String(st.dev) !== rec.dev || String(st.ino) !== rec.ino) return null
  // Inode numbers are reused: a directory the user made after removing
  // ours can get its number. The birth time tells them apart where the
  // filesystem keeps one; a copy or shim whose mtime changed was edited
  // (or, for a directory, had entries added or removed) and is the user's.
  if (rec.btime !== st.birthtimeMs) return null
  if (rec.kind !== 'hardlink' && rec.mtime !== st.mtimeMs) return null
  return rec
}

// What a copy or shim holds, to tell it from one the user edited since:
// a file's bytes (sha256, up to FP_MAX; beyond that its size), a
// directory's entry count and bytes, never following links. Coarse clocks
// (exFAT through FUSE keeps whole seconds) cannot show an edit made in the
// second the copy was made; the bytes can. Iterative: no recursion on the
// JS stack however deep the tree.
const FP_MAX = 64 * 1024 * 1024

// Steps for lib/run.js, so the sync and promise forms are one walk.
function * fingerprintSteps (where, st) {
  if (st.isFile()) return st.size <= FP_MAX ? { sha256: sha256(yield ['readFile', where]), size: st.size } : { size: st.size }
  if (!st.isDirectory()) return null
  let count = 0
  let bytes = 0
  let newest = 0
  const stack = [where]
  while (stack.length) {
    const dir = stack.pop()
    for (const name of yield ['readdirAs', dir]) {
      const p = Buffer.isBuffer(dir) ? Buffer.concat([dir, Buffer.from('/'), name]) : path.join(dir, name)
      const e = yield ['lstat', p]
      if (e === undefined) throw Object.assign(new Error('changed while read'), { code: 'ENOENT' })
      count++
      if (e.isFile()) bytes += e.size
      newest = Math.max(newest, e.ctimeMs, e.mtimeMs)
      if (e.isDirectory()) stack.push(p)
    }
  }
  return { count, bytes, newest }
}

const fingerprintSync = (where, st) => require('./run').runSync(fingerprintSteps(where, st))
const fingerprint = (where, st) => require('./run').runAsync(fingerprintSteps(where, st))

// Whether fp (now) is what was recorded: same bytes (or, beyond FP_MAX, size),
// or the same count and bytes with nothing inside changed after the record.
function sameContent (rec, fp) {
  const was = rec.fp
  if (!was || !fp) return false
  if (was.sha256 !== undefined || fp.sha256 !== undefined) return was.sha256 === fp.sha256 && was.size === fp.size
  if (was.size !== undefined) return was.size === fp.size
  return was.count === fp.count && was.bytes === fp.bytes && fp.newest <= was.newest
}

// Builds a record. made: 'hardlink' | 'copy' | 'shim'; st: lstat of what
// was made; targetStat: stat of the target when it was made (for staleness
// of copies).
function entry (made, absLink, target, absTarget, st, targetStat) {
  return {
    v: 1,
    kind: made,
    path: String(absLink),
    target: String(target),
    absTarget: String(absTarget),
    dev: String(st.dev),
    ino: String(st.ino),
    btime: st.birthtimeMs,
    mtime: st.mtimeMs,
    targetMtimeMs: targetStat ? targetStat.mtimeMs : null,
    madeAt: new Date().toISOString()
  }
}

// State directories this process has made or found: mkdir runs once per
// directory, not once per link (a missing one, removed meanwhile, is made
// again when the write says ENOENT).
const dirsMade = new Set()
const PID = process.pid
let seq = 0

// A temporary name next to the record: this process's pid and a counter
// (a stale one with the same name, from a dead process that had this pid,
// makes the 'wx' open fail and a random name is taken instead).
function tmpName (file, random) {
  return `${file}.${PID}.${random ? cryptoModule().randomBytes(4).toString('hex') : (++seq).toString(36)}`
}

function writeTmpSync (file, text) {
  const dir = path.dirname(file)
  for (let attempt = 0; ; attempt++) {
    if (!dirsMade.has(dir)) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
      dirsMade.add(dir)
    }
    const tmp = tmpName(file, attempt > 0)
    try {
      fs.writeFileSync(tmp, text, { flag: 'wx', mode: 0o600 })
      return tmp
    } catch (err) {
      if (attempt > 2 || (err.code !== 'ENOENT' && err.code !== 'EEXIST')) throw err
      if (err.code === 'ENOENT') dirsMade.delete(dir)
    }
  }
}

async function writeTmp (file, text) {
  const dir = path.dirname(file)
  for (let attempt = 0; ; attempt++) {
    if (!dirsMade.has(dir)) {
      await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 })
      dirsMade.add(dir)
    }
    const tmp = tmpName(file, attempt > 0)
    try {
      await fs.promises.writeFile(tmp, text, { flag: 'wx', mode: 0o600 })
      return tmp
    } catch (err) {
      if (attempt > 2 || (err.code !== 'ENOENT' && err.code !== 'EEXIST')) throw err
      if (err.code === 'ENOENT') dirsMade.delete(dir)
    }
  }
}

// where: the path of what was made right now (a temporary name during a
// replace); its content fingerprint goes into the record.
function writeSync (absLink, rec, where) {
  if (rec.kind !== 'hardlink') rec.fp = fingerprintSync(where, fs.lstatSync(where))
  const file = recordFile(absLink, rec)
  const tmp = writeTmpSync(file, JSON.stringify(rec))
  try {
    fs.renameSync(tmp, file)
  } catch (err) {
    try { fs.unlinkSync(tmp) } catch {}
    throw err
  }
}

async function write (absLink, rec, where) {
  if (rec.kind !== 'hardlink') rec.fp = await fingerprint(where, await fs.promises.lstat(where))
  const file = recordFile(absLink, rec)
  const tmp = await writeTmp(file, JSON.stringify(rec))
  try {
    await fs.promises.rename(tmp, file)
  } catch (err) {
    await fs.promises.unlink(tmp).catch(() => {})
    throw err
  }
}

// The record for what was made at absLink, if st (its lstat, taken at
// where: absLink, or the temporary name a swap moved it to) is still that
// and holds what it held then; else null.
function readSync (absLink, st, where = absLink) {
  let rec
  try { rec = parse(fs.readFileSync(recordFile(absLink, st), 'utf8'), st) } catch { return null }
  if (rec && rec.kind !== 'hardlink') {
    try { if (!sameContent(rec, fingerprintSync(where, st))) return null } catch { return null }
  }
  return rec
}

async function read (absLink, st, where = absLink) {
  let rec
  try { rec = parse(await fs.promises.readFile(recordFile(absLink, st), 'utf8'), st) } catch { return null }
  if (rec && rec.kind !== 'hardlink') {
    try { if (!sameContent(rec, await fingerprint(where, st))) return null } catch { return null }
  }
  return rec
}

// Forgets the record of what was at absLink with lstat st (once removed).
function forgetSync (absLink, st) {
  try { fs.unlinkSync(recordFile(absLink, st)) } catch {}
}

async function forget (absLink, st) {
  await fs.promises.unlink(recordFile(absLink, st)).catch(() => {})
}

// For lib/run.js's 'call' step: { sync, async } pairs.
module.exports = {
  stateDir,
  recordFile,
  entry,
  write: { sync: writeSync, async: write },
  read: { sync: readSync, async: read },
  forget: { sync: forgetSync, async: forget }
}

// The absolute path a link at p has, as createLink records it: the real
// path of its directory plus its name (see resolvePaths in lib/link.js).
function keyOfSync (p) {
  const str = Buffer.isBuffer(p) ? p.toString('latin1') : String(p)
  const dir = path.dirname(str)
  const enc = Buffer.isBuffer(p) ? { encoding: 'latin1' } : undefined
  let real
  try { real = fs.realpathSync.native(Buffer.isBuffer(p) ? Buffer.from(dir, 'latin1') : dir, enc) } catch { real = path.resolve(dir) }
  const key = path.join(real, path.basename(str))
  return Buffer.isBuffer(p) ? Buffer.from(key, 'latin1') : key
}

// What symlink-doctor made at p, if that is still what is there:
// { rec, st, key } or null. Synchronous: a few syscalls and one small read.
function findSync (p) {
  const key = keyOfSync(p)
  const st = fs.lstatSync(key, { throwIfNoEntry: false })
  if (!st || st.isSymbolicLink()) return null
  const rec = readSync(key, st)
  if (!rec) return null
  if (rec.kind === 'hardlink' && !(st.isFile() && st.nlink > 1)) return null
  return { rec, st, key }
}

module.exports.keyOfSync = keyOfSync
module.exports.findSync = findSync
