'use strict'
// createLink: a symlink where the OS allows one, else a junction (Windows,
// directories), else a hard link (files), else a copy when the caller
// allows it. Returns what was made and why.

const path = require('path')
const { fsError } = require('./errors')
const { toPath, pathString, toOptions, toBoolean, toOneOf } = require('./args')
const { invalidArgType, invalidArgValue } = require('./errors')
const { runSync, runAsync, symlinkPosixSync, symlinkPosix, isStackless } = require('./run')
const { isRefusal } = require('./refusals')

// What only the steps need (a fallback, replace, Windows), loaded by the
// first call that runs them: a symlink that works on POSIX loads none.
let tempName, keptName, describeRefusal, copyFile, copyTree, shim, RENAME_NOREPLACE, RENAME_EXCHANGE
let records

function loadSteps () {
  if (records !== undefined) return
  const binding = require('./binding')
  RENAME_NOREPLACE = binding.RENAME_NOREPLACE
  RENAME_EXCHANGE = binding.RENAME_EXCHANGE
  ;({ tempName, keptName } = require('./temp-name'))
  describeRefusal = require('./explain').describeRefusal
  ;({ copyFile, copyTree } = require('./copy'))
  shim = require('./shim')
  records = require('./link-records')
}

const KINDS = ['symlink', 'junction', 'shim', 'hardlink', 'copy']
const DEFAULT_CHAIN = ['symlink', 'junction', 'shim', 'hardlink']
const isWindows = process.platform === 'win32'

function parseFallback (value) {
  if (value === undefined) return undefined
  const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value
  if (!Array.isArray(list)) throw invalidArgType('options.fallback', 'of type string or an instance of Array', value)
  for (const kind of list) {
    if (!KINDS.includes(kind)) {
      throw invalidArgValue('options.fallback', value, `must list only ${KINDS.map((k) => `'${k}'`).join(', ')}`)
    }
  }
  if (list.length === 0) throw invalidArgValue('options.fallback', value, 'must name at least one link kind')
  return [...new Set(list)]
}

// No options: the defaults, made once (nothing changes an opts object).
const DEFAULT_OPTS = Object.freeze({ type: undefined, allowCopy: false, replace: false, chain: Object.freeze(DEFAULT_CHAIN.slice()) })

// A plain string path is what toPath would return it as (checked here
// first: this runs on every call).
const plainPath = (p) => typeof p === 'string' && p !== '' && !p.includes('\u0000')

function parseArgs (target, linkPath, options) {
  if (!plainPath(target)) target = toPath(target, 'target')
  if (!plainPath(linkPath)) linkPath = toPath(linkPath, 'path')
  if (options === undefined || options === null) return { target, linkPath, opts: DEFAULT_OPTS }
  options = toOptions(options)
  const opts = {
    type: toOneOf(options.type, 'options.type', ['file', 'dir', 'junction']),
    allowCopy: toBoolean(options.allowCopy, 'options.allowCopy'),
    replace: toBoolean(options.replace, 'options.replace'),
    chain: parseFallback(options.fallback) || DEFAULT_CHAIN.slice()
  }
  if (opts.allowCopy && !opts.chain.includes('copy')) opts.chain.push('copy')
  // A junction is what the caller asked for: try it before a symlink.
  if (opts.type === 'junction' && isWindows && opts.chain.includes('junction')) {
    opts.chain = ['junction', ...opts.chain.filter((k) => k !== 'junction')]
  }
  return { target, linkPath, opts }
}

// Why a kind does not apply to this target, or null when it does.
function notApplicable (kind, targetStat, type) {
  if (kind === 'junction') {
    if (!isWindows) return 'platform'
    // A missing target gets a junction when the caller asked for one, as
    // fs.symlink(target, path, 'junction') makes one (libuv does); an
    // existing target must be a directory (the native check follows links).
    if (targetStat ? !targetStat.isDirectory() : type !== 'junction') return 'a junction needs an existing directory target'
  }
  if (kind === 'shim') {
    if (isWindows) return 'platform'
    if (!targetStat || !targetStat.isFile()) return 'platform' // only commands get one: said nothing of
  }
  if (kind === 'hardlink' && (!targetStat || !targetStat.isFile())) {
    return 'a hard link needs an existing file target'
  }
  if (kind === 'copy' && !targetStat) return 'a copy needs an existing target'
  return null
}

// An error from work on the temporary name, told in the user's terms.
function relabel (err, tmp, real) {
  if (tmp === undefined || !err || typeof err !== 'object') return err
  const shown = pathString(real)
  if (err.path === tmp) err.path = shown
  if (err.dest === tmp) err.dest = shown
  if (typeof err.message === 'string') err.message = err.message.split(`'${tmp}'`).join(`'${shown}'`)
  return err
}

// Paths inside the algorithm are strings. A Buffer path is carried as a
// latin1 string (one character per byte), so path.* keeps its bytes
// whatever they are, and turned back into those bytes for every fs call:
// a name that is not UTF-8 stays that name, as with fs.
function pathDomain (target, linkPath) {
  if (!Buffer.isBuffer(target) && !Buffer.isBuffer(linkPath)) {
    return { target, linkPath, out: (s) => s, shown: (s) => s }
  }
  const inn = (p) => (Buffer.isBuffer(p) ? p : Buffer.from(p)).toString('latin1')
  const out = (s) => Buffer.from(s, 'latin1')
  return { target: inn(target), linkPath: inn(linkPath), out, shown: (s) => out(s).toString() }
}

// Where the kernel puts the link and what it would show, for the steps
// that are not a symlink (hard link, copy, replace's temporary name).
// POSIX resolves a path component by component: `pkg/../L` where pkg is a
// symlink is inside pkg's target, and a relative target is taken from the
// directory the link really is in. So the link's directory is resolved with
// realpath(3) (fs.realpath.native, not the JS realpath, which drops `..`
// first) and the target is joined to it unnormalized and resolved the same
// way. Windows resolves `..` in a path by text before the filesystem sees
// it (Win32 path normalization), so there the text is the answer.
function * resolvePaths (target, linkPath, out) {
  if (isWindows) {
    const absLink = path.resolve(linkPath)
    return { absLink, absTarget: path.resolve(path.dirname(absLink), target) }
  }
  const dir = path.dirname(linkPath)
  const realDir = yield ['realpath', out(dir)]
  const linkDir = realDir !== undefined ? inn(realDir) : path.resolve(dir)
  const absLink = path.join(linkDir, path.basename(linkPath))
  const raw = path.isAbsolute(target) ? target : `${linkDir}/${target}`
  // A target that cannot be resolved (missing, or a loop of links: ELOOP)
  // shows nothing, as the symlink would show nothing.
  let realTarget
  try { realTarget = yield ['realpath', out(raw)] } catch {}
  return { absLink, absTarget: realTarget !== undefined ? inn(realTarget) : path.resolve(linkDir, target) }
}

// symlink(2) with a link path that ends in a slash never makes a link
// named without it: EEXIST when something is there, else ENOENT. The
// fallbacks answer the same, instead of making "ts" for "ts/".
function * trailingSlashError (linkPath, out, givenTarget, givenLinkPath) {
  if (isWindows || !/\/$/.test(linkPath) || linkPath === '/') return null
  const there = yield * lookUp('lstat', out(linkPath.replace(/\/+$/, '') || '/'))
  return fsError(there ? 'EEXIST' : 'ENOENT', 'symlink', givenTarget, givenLinkPath)
}

function inn (p) {
  return Buffer.isBuffer(p) ? p.toString('latin1') : p
}

// Makes one kind of link at dest; leaves nothing behind when it fails.
// Returns { skipped: what a copy left out, st: the lstat of what was made
// (recorded for the kinds that look like the user's own files) }.
// head: the target's first bytes, read once when the shim step was weighed.
function * make (kind, target, absTarget, targetStat, dest, isDir, out, head) {
  switch (kind) {
    case 'symlink':
      if (isWindows) yield ['symlink', out(target), out(dest), isDir ? 1 : 0]
      else yield ['symlinkPosix', out(target), out(dest)]
      return NOTHING_SKIPPED
    case 'junction':
      yield ['symlink', out(absTarget), out(dest), 2]
      return { skipped: [] }
    case 'hardlink':
      yield ['hardlink', out(absTarget), out(dest)]
      // A hard link is the target's own inode: that is what was made.
      return { skipped: [], st: targetStat }
    case 'shim':
      return { skipped: [], st: yield * makeShim(target, absTarget, dest, out, head) }
    case 'copy': {
      const r = targetStat.isDirectory()
        ? yield * copyTree(out(absTarget), out(dest))
        : yield * copyFile(out(absTarget), out(dest), targetStat.mode & 0o777)
      // The stat of what the copy made, from its own handle: an lstat of
      // dest could meet what another process put there since, and record
      // that as ours.
      return { skipped: (r && r.skipped) || [], st: r && r.st }
    }
  }
}

// A shim at dest (absolute): written whole under a temporary name, then
// moved in without replacing anything. Returns the stat of what was
// written, from its own handle (never a look at a name another process
// could swap).
function * makeShim (target, absTarget, dest, out, head) {
  const text = shim.shimText(Buffer.from(out(absTarget)), out(target).toString(), head)
  const tmp = tempName(dest)
  let st
  try {
    st = yield ['call', shim.writeNew, out(tmp), text, 0o755]
    yield * moveInNew(tmp, dest, out)
    return st
  } catch (err) {
    // Ours unless the exclusive create itself found the name taken.
    if (st !== undefined || err.code !== 'EEXIST') {
      try { yield ['unlinkOwn', out(tmp)] } catch {}
    }
    throw err
  }
}

// rename without replacing: RENAME_NOREPLACE, or where the filesystem has
// no such rename (FAT through FUSE), a look first (the README says so).
function * moveInNew (from, to, out) {
  try {
    return yield ['renameFlags', out(from), out(to), RENAME_NOREPLACE]
  } catch (err) {
    if (!UNSUPPORTED.has(err.code)) throw err
  }
  if ((yield * lookUp('lstat', out(to))) !== undefined) {
    throw fsError('EEXIST', 'rename', out(from), out(to))
  }
  yield ['rename', out(from), out(to)]
}

const NOTHING_SKIPPED = Object.freeze({ skipped: [] })

function refusalReason (attempts) {
  return attempts
    .map((a) => a.skipped ? `${a.kind}: ${a.skipped}` : `${a.kind} refused: ${describeRefusal(a)}`)
    .join('; ')
}

// firstError: what the symlink step already threw when createLink tried it
// before starting the steps (the fast path below); it stands for that step.
function * createLinkSteps (givenTarget, givenLinkPath, opts, firstError) {
  loadSteps()
  const { target, linkPath, out } = pathDomain(givenTarget, givenLinkPath)
  // Where the link lands and what it shows are worked out only when a step
  // needs them: on POSIX a symlink that works costs one syscall, as
  // fs.symlink does. A target that cannot even be looked at (ENAMETOOLONG,
  // ELOOP) is reported by the link call.
  let absLink, absTarget, targetStat
  let resolved = false
  function * resolve () {
    if (resolved) return
    const slash = yield * trailingSlashError(linkPath, out, givenTarget, givenLinkPath)
    if (slash) throw slash
    ;({ absLink, absTarget } = yield * resolvePaths(target, linkPath, out))
    targetStat = yield * lookUp('stat', out(absTarget))
    resolved = true
  }
  // On Windows the directory flag of a symlink comes from the target, so
  // it is looked at first (one stat).
  if (isWindows || opts.chain[0] !== 'symlink' || opts.replace) {
    yield * resolve()
  }

  let dest = linkPath
  let tmp
  const existing = opts.replace ? yield * settledLook(absLink, targetStat, out) : undefined
  if (existing && existing.st) {
    if (!existing.ok) throw realThingError(existing.st, givenTarget, givenLinkPath)
    tmp = tempName(absLink)
    dest = tmp
  }

  const attempts = []
  let made = null
  let skippedEntries = []
  let madeStat
  for (const kind of opts.chain) {
    if (kind !== 'symlink') yield * resolve()
    // The directory flag from the target when it exists (a directory
    // symlink to a file, or a file symlink to a directory, is broken on
    // Windows); from the type asked for when it does not.
    const isDir = targetStat !== undefined
      ? targetStat.isDirectory()
      : opts.type === 'dir' || opts.type === 'junction'
    let skipped = notApplicable(kind, targetStat, opts.type)
    // A shim only for a command: a "#!" file or a link made in a .bin.
    let head
    if (!skipped && kind === 'shim') {
      head = yield ['call', shim.readHead, out(absTarget)]
      if (!shim.isCommand(path.dirname(absLink), head)) skipped = 'platform'
    }
    if (skipped) {
      // Junctions are not a choice on POSIX, so not worth a word there.
      if (skipped !== 'platform') attempts.push({ kind, skipped })
      continue
    }
    let err
    if (firstError !== undefined && kind === 'symlink') {
      // Taken as it came, not thrown again: a throw costs more than the
      // syscall that failed.
      err = firstError
      firstError = undefined
    } else {
      try {
        const r = yield * make(kind, target, absTarget, targetStat, kind === 'symlink' || dest === tmp ? dest : absLink, isDir, out, head)
        skippedEntries = r.skipped
        madeStat = r.st
        made = kind
        break
      } catch (e) {
        err = e
      }
    }
    relabel(err, tmp === undefined ? undefined : out(tmp).toString(), givenLinkPath)
    if (err.code === 'EEXIST' && tmp === undefined) {
      yield * resolve()
      throw yield * explainExisting(err, out(absLink), out(absTarget))
    }
    if (!isRefusal(kind, err)) throw err
    attempts.push({ kind, code: err.code, errno: err.errno, syscall: err.syscall, winerror: err.winerror || null, message: err.message, error: err })
  }

  if (made === null) {
    const first = attempts.find((a) => a.error)
    const reason = (attempts.length > 0 ? refusalReason(attempts) : `none of ${opts.chain.join(', ')} applies to this target on ${process.platform} (junctions are Windows only; shims are for commands, POSIX only)`) +
      (opts.chain.includes('copy') ? '' : '; a copy was not allowed (options.allowCopy)')
    const err = first ? first.error : fsError('ENOTSUP', 'createLink', givenTarget, givenLinkPath)
    err.message += ` (symlink-doctor: ${reason})`
    err.attempts = attempts.map(({ error, ...rest }) => rest)
    err.reason = reason
    throw err
  }

  // Remember what looks like the user's own file, so replace, removeLink,
  // inspect and scan know it later; recorded before it moves into place
  // (rename keeps the inode), so another process replacing the same path
  // never meets it unrecorded. A failure to record leaves a working link
  // that later calls treat as the user's: safe, never the reverse.
  let recorded = false
  if (madeStat && (made === 'hardlink' || made === 'copy' || made === 'shim')) {
    try {
      yield ['call', records.write, out(absLink), records.entry(made, out(absLink).toString(), pathString(givenTarget), out(absTarget).toString(), madeStat, targetStat), out(tmp !== undefined ? tmp : absLink)]
      recorded = true
    } catch {}
  }

  if (tmp !== undefined) {
    try {
      yield * putInPlace(made, tmp, absLink, targetStat, out, givenTarget, givenLinkPath)
    } catch (err) {
      if (recorded && made !== 'hardlink') {
        try { yield ['call', records.forget, out(absLink), madeStat] } catch {}
      }
      throw relabel(err, out(tmp).toString(), givenLinkPath)
    }
  }

  const failed = attempts.filter((a) => a.error || a.skipped)
  return {
    kind: made,
    path: givenLinkPath,
    target: givenTarget,
    fallbackFrom: failed.length > 0 ? failed[0].kind : null,
    reason: failed.length > 0 ? `${refusalReason(failed)}; made a ${made} instead` : null,
    attempts: attempts.map(({ error, ...rest }) => rest),
    skipped: skippedEntries
  }
}

// renameat2 flags the platform or filesystem does not have (FAT and NFS
// through FUSE say EINVAL, macOS and Windows ENOSYS from our binding).
const UNSUPPORTED = new Set(['ENOSYS', 'EINVAL', 'ENOTSUP', 'EOPNOTSUPP'])
// How many times putInPlace (and a settled look) starts again when the
// link path changed under it before it gives up with EBUSY. Every round
// looks again before it swaps, so more rounds never risk anything real;
// 8 gave up too soon against a racing writer once each round also made a
// settled look (test/replace-race.test.js, the promise form).
const ROUNDS = 32

// Puts the link made at tmp where the old link is, such that readers of
// the link path never find it missing and nothing real is ever lost.
// Linux: RENAME_EXCHANGE swaps the two names in one step; what came out is
// then looked at, and if another process had put a real file or directory
// at the link path meanwhile, it is swapped back and the call fails EEXIST.
// Elsewhere (or on a filesystem without the flag): the documented
// non-atomic fallback.
function * putInPlace (made, tmp, absLink, targetStat, out, givenTarget, givenLinkPath) {
  const ours = yield ['lstat', out(tmp)]
  for (let round = 0; round < ROUNDS; round++) {
    // Looked at again right before the swap: most real things that came
    // meanwhile are refused here without ever being moved.
    const look = yield * settledLook(absLink, targetStat, out)
    const current = look && look.st
    if (look && !look.ok) {
      yield * discard(made, out(tmp))
      throw realThingError(current, givenTarget, givenLinkPath, 'appeared at the link path while it was being replaced')
    }
    // The old link gone: move in, never over anything that came since.
    // Else swap: tmp then holds what was at the link path.
    try {
      yield ['renameFlags', out(tmp), out(absLink), current === undefined ? RENAME_NOREPLACE : RENAME_EXCHANGE]
      if (current === undefined) return
    } catch (err) {
      if (UNSUPPORTED.has(err.code)) return yield * replaceNonAtomic(made, tmp, absLink, out)
      // Something came (EEXIST) or went (ENOENT) since the look: again.
      if (err.code === 'EEXIST' || err.code === 'ENOENT') continue
      yield * discard(made, out(tmp))
      throw err
    }
    const old = yield * lookUp('lstat', out(tmp))
    if (old === undefined) return // removed meanwhile by someone else
    if (yield * isReplaceable(old, absLink, targetStat, out, tmp)) {
      yield * discardOld(old, tmp, absLink, out)
      return
    }
    // A real file or directory came to the link path while this call ran:
    // it goes back, and ours goes.
    throw yield * giveBack(old, ours, made, tmp, absLink, targetStat, out, givenTarget, givenLinkPath)
  }
  yield * discard(made, out(tmp))
  throw fsError('EBUSY', 'symlink', givenTarget, givenLinkPath,
    `the link path changed ${ROUNDS} times while symlink-doctor replaced it; nothing was replaced`)
}

// After a swap brought a real file or directory (old) out to tmp: swap it
// back. Returns the EEXIST to throw, naming where anything of the user's
// ended up if it could not go back.
function * giveBack (old, ours, made, tmp, absLink, targetStat, out, givenTarget, givenLinkPath) {
  const err = realThingError(old, givenTarget, givenLinkPath, 'appeared at the link path while it was being replaced')
  try {
    yield ['renameFlags', out(tmp), out(absLink), RENAME_EXCHANGE]
  } catch (e) {
    if (e.code !== 'ENOENT') return yield * keptAt(err, tmp, absLink, out)
    // The link path is empty again (ours was removed): the user's goes home.
    try {
      yield ['renameFlags', out(tmp), out(absLink), RENAME_NOREPLACE]
    } catch {
      return yield * keptAt(err, tmp, absLink, out)
    }
    return err
  }
  // tmp holds what was at the link path just now: ours, or whatever another
  // process put there since the first swap.
  const now = yield * lookUp('lstat', out(tmp))
  if (now === undefined) return err
  // Ours, if it still holds what was made: a copy or shim was at the link
  // path for a moment, and what was written into it then is the user's.
  const holdsNoData = made === 'symlink' || made === 'junction' || made === 'hardlink'
  if (sameInode(now, ours) && (holdsNoData || (yield * isReplaceable(now, absLink, targetStat, out, tmp)))) {
    yield * discard(made, out(tmp))
  } else if (yield * isReplaceable(now, absLink, targetStat, out, tmp)) {
    yield * discardOld(now, tmp, absLink, out)
  } else {
    return yield * keptAt(err, tmp, absLink, out)
  }
  return err
}

// What another process put at the link path and could not go back stays
// under a name that is not a temporary's (lib/stale.js never removes it),
// and the error names it.
function * keptAt (err, tmp, absLink, out) {
  let kept = tmp
  const name = keptName(absLink)
  try {
    yield ['renameFlags', out(tmp), out(name), RENAME_NOREPLACE]
    kept = name
  } catch {}
  const where = out(kept).toString()
  err.message += `; what another process put there meanwhile is kept at '${where}'`
  err.keptAt = where
  return err
}

// Without an atomic swap: the old link is checked, then renamed over (a
// file link), or moved aside while the new one moves in (rename cannot put
// a directory over a link, nor replace a directory link on Windows); if
// the move in fails, the old link goes back. A real file that another
// process puts at the link path between the check and the rename can be
// lost here; the README says where this path is taken.
function * replaceNonAtomic (made, tmp, absLink, out) {
  try {
    yield ['rename', out(tmp), out(absLink)]
    // rename between two names of one file succeeds and does nothing
    // (POSIX): a hard link over another name of its own file stays at tmp.
    if ((yield * lookUp('lstat', out(tmp))) !== undefined) yield * discard(made, out(tmp))
    return
  } catch {}
  const aside = tempName(absLink)
  try {
    yield ['rename', out(absLink), out(aside)]
  } catch (err2) {
    yield * discard(made, out(tmp))
    throw err2
  }
  try {
    yield ['rename', out(tmp), out(absLink)]
  } catch (err3) {
    try { yield ['rename', out(aside), out(absLink)] } catch {}
    yield * discard(made, out(tmp))
    throw err3
  }
  const old = yield * lookUp('lstat', out(aside))
  if (old) yield * discardOld(old, aside, absLink, out)
}

const sameInode = (a, b) => Boolean(a && b && a.ino === b.ino && a.dev === b.dev)

// What replace may put a link over: a symlink (or junction); another
// name of the target file itself (a hard link to it), as nothing is lost;
// or a hard link, copy or shim that symlink-doctor made at this path and
// that is still the one it made (lib/link-records.js; a hard link only
// while another name keeps its data). Any other file or directory, hard-
// linked elsewhere or not, is the user's.
// where: where st was taken (absLink, or the temporary name a swap moved
// the old link to).
function * isReplaceable (st, absLink, targetStat, out, where = absLink) {
  if (st.isSymbolicLink() || isNameOf(st, targetStat)) return true
  return (yield * ourRecord(absLink, st, out, where)) !== null
}

// What is at absLink, looked at until the look holds still: a link of ours
// that another process replaces (and whose record it removes) while this
// call reads that record is looked at again, not taken for the user's.
// Returns undefined when nothing is there, else { st, ok }.
function * settledLook (absLink, targetStat, out) {
  let st = yield * lookUp('lstat', out(absLink))
  for (let round = 0; round < ROUNDS && st !== undefined; round++) {
    if (yield * isReplaceable(st, absLink, targetStat, out)) return { st, ok: true }
    const again = yield * lookUp('lstat', out(absLink))
    if (again !== undefined && sameInode(again, st) && again.mtimeMs === st.mtimeMs) return { st, ok: false }
    st = again
  }
  return st === undefined ? undefined : { st, ok: false }
}

// The record of a link we made that is still what it was (st, at where).
function * ourRecord (absLink, st, out, where) {
  let rec
  try { rec = yield ['call', records.read, out(absLink), st, out(where)] } catch { return null }
  if (!rec) return null
  if (rec.kind === 'hardlink' && st.isFile() && st.nlink > 1) return rec
  if (rec.kind === 'shim' && st.isFile()) return rec
  if (rec.kind === 'copy' && (st.isDirectory() || st.isFile())) return rec
  return null
}

// Removes an old link that a swap brought out to tmp (a name only this
// call knows), after isReplaceable said it may go.
function * discardOld (st, tmp, absLink, out) {
  if (st.isDirectory()) yield * discard('copy', out(tmp))
  else if (st.isSymbolicLink() || st.nlink > 1) yield * discard('link', out(tmp))
  else {
    try { yield ['unlinkOwn', out(tmp)] } catch {}
  }
  if (!st.isSymbolicLink()) {
    try { yield ['call', records.forget, out(absLink), st] } catch {}
  }
}

function realThingError (st, givenTarget, givenLinkPath, how = 'is at the link path') {
  const what = st.isDirectory() ? 'directory' : 'file'
  return fsError('EEXIST', 'symlink', givenTarget, givenLinkPath,
    `a real ${what} ${how}; symlink-doctor replaces only links and never deletes a real ${what}`)
}

// Another name of the target file itself (a hard link to it): the one
// kind of non-symlink that replace may put a link over, as nothing is lost.
// Any other file, hard-linked elsewhere or not, is the user's.
function isNameOf (existing, targetStat) {
  return Boolean(existing && targetStat && existing.isFile() && existing.nlink > 1 &&
    existing.ino === targetStat.ino && existing.dev === targetStat.dev)
}

// EEXIST without replace: say what is in the way and what to do, as
// replace would treat it.
function * explainExisting (err, absLink, absTarget) {
  const existing = yield * lookUp('lstat', absLink)
  if (!existing) return err
  if (existing.isSymbolicLink() || isNameOf(existing, yield * lookUp('stat', absTarget))) {
    err.message += ' (a link is already at the link path; pass replace: true to replace it)'
  } else {
    const what = existing.isDirectory() ? 'directory' : 'file'
    err.message += ` (a real ${what} is at the link path; symlink-doctor never deletes it)`
  }
  return err
}

function * lookUp (op, p) {
  try {
    return yield [op, p]
  } catch {
    return undefined
  }
}

// Removes what this call made (or a link it swapped out) at a temporary
// name; 'copy' means a directory tree this call built.
function * discard (kind, p) {
  try {
    if (kind === 'copy') yield ['removeOwnTree', p]
    else yield ['removeLink', p]
  } catch {}
}

// The common case, where a symlink works: on POSIX with the symlink first
// and nothing to replace, the link is made right away with the one call
// fs.symlink makes, and nothing else runs unless it fails. The steps then
// go on from its error, so the outcome is the one they would have given.
function symlinkFirst (opts) {
  return !isWindows && !opts.replace && opts.chain[0] === 'symlink'
}

function symlinkMade (target, linkPath) {
  return { kind: 'symlink', path: linkPath, target, fallbackFrom: null, reason: null, attempts: [], skipped: [] }
}

// An error of ours made without a stack (lib/run.js) gets one here, from
// the caller's frame, when it reaches the caller.
function withStack (err, fn) {
  if (isStackless(err)) Error.captureStackTrace(err, fn)
  return err
}

function createLinkSync (target, linkPath, options) {
  // The most common call (POSIX, two string paths, no options) goes
  // straight to the symlink, without building the arguments.
  if (!isWindows && (options === undefined || options === null) && plainPath(target) && plainPath(linkPath)) {
    try {
      symlinkPosixSync(target, linkPath)
      return symlinkMade(target, linkPath)
    } catch (err) {
      return steps(target, linkPath, DEFAULT_OPTS, err)
    }
  }
  const args = parseArgs(target, linkPath, options)
  let first
  if (symlinkFirst(args.opts)) {
    try {
      symlinkPosixSync(args.target, args.linkPath)
      return symlinkMade(args.target, args.linkPath)
    } catch (err) {
      first = err
    }
  }
  return steps(args.target, args.linkPath, args.opts, first)
}

function steps (target, linkPath, opts, first) {
  try {
    return runSync(createLinkSteps(target, linkPath, opts, first))
  } catch (err) {
    throw withStack(err, createLinkSync)
  }
}

// Not an async function: one promise of the native core's, one .then.
function createLink (target, linkPath, options) {
  let args
  try {
    args = parseArgs(target, linkPath, options)
    if (symlinkFirst(args.opts)) {
      return symlinkPosix(args.target, args.linkPath).then(
        () => symlinkMade(args.target, args.linkPath),
        (err) => runAsync(createLinkSteps(args.target, args.linkPath, args.opts, err)))
    }
    return runAsync(createLinkSteps(args.target, args.linkPath, args.opts))
  } catch (err) {
    return Promise.reject(err)
  }
}

module.exports = { createLink, createLinkSync }
