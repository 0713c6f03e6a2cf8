'use strict'
// createLink: a symlink where the OS allows one, else a junction (Windows,
// directories), else a hard link (files), else a copy when the caller
// allows it. Returns what was made and why.

const path = require('path')
const crypto = require('crypto')
const { fsError } = require('./errors')
const { toPath, pathString, toOptions, toBoolean, toOneOf } = require('./args')
const { invalidArgType, invalidArgValue } = require('./errors')
const { describeRefusal } = require('./explain')
const { runSync, runAsync } = require('./run')
const { copyFile, copyTree } = require('./copy')
const { isRefusal } = require('./refusals')

const KINDS = ['symlink', 'junction', 'hardlink', 'copy']
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

function parseArgs (target, linkPath, options) {
  target = toPath(target, 'target')
  linkPath = toPath(linkPath, 'path')
  options = toOptions(options)
  const opts = {
    type: toOneOf(options.type, 'options.type', ['file', 'dir', 'junction']),
    allowCopy: toBoolean(options.allowCopy, 'options.allowCopy'),
    replace: toBoolean(options.replace, 'options.replace'),
    chain: parseFallback(options.fallback) || ['symlink', 'junction', 'hardlink']
  }
  if (opts.allowCopy && !opts.chain.includes('copy')) opts.chain.push('copy')
  // A junction is what the caller asked for: try it before a symlink.
  if (opts.type === 'junction' && isWindows && opts.chain.includes('junction')) {
    opts.chain = ['junction', ...opts.chain.filter((k) => k !== 'junction')]
  }
  return { target, linkPath, opts }
}

// Why a kind does not apply to this target, or null when it does.
function notApplicable (kind, targetStat) {
  if (kind === 'junction') {
    if (!isWindows) return 'platform'
    if (!targetStat || !targetStat.isDirectory()) return 'a junction needs an existing directory target'
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

function tempName (absLink) {
  const suffix = crypto.randomBytes(6).toString('hex')
  return path.join(path.dirname(absLink), `.${path.basename(absLink)}.sd-${suffix}`)
}

// Makes one kind of link at dest; leaves nothing behind when it fails.
function * make (kind, target, absTarget, targetStat, dest, isDir) {
  switch (kind) {
    case 'symlink':
      return yield ['symlink', target, dest, isDir ? 1 : 0]
    case 'junction':
      return yield ['symlink', absTarget, dest, 2]
    case 'hardlink':
      return yield ['hardlink', absTarget, dest]
    case 'copy':
      if (targetStat.isDirectory()) return yield * copyTree(absTarget, dest)
      return yield * copyFile(absTarget, dest, targetStat.mode & 0o777)
  }
}

function refusalReason (attempts) {
  return attempts
    .map((a) => a.skipped ? `${a.kind}: ${a.skipped}` : `${a.kind} refused: ${describeRefusal(a)}`)
    .join('; ')
}

function * createLinkSteps (target, linkPath, opts) {
  const absLink = path.resolve(pathString(linkPath))
  // A relative target means relative to the link's directory for every
  // kind, exactly as the symlink would resolve it, whatever process.cwd().
  const absTarget = path.resolve(path.dirname(absLink), pathString(target))
  // The target is looked up only when a step needs it: on POSIX a symlink
  // that works costs one syscall, as fs.symlink does. A target that cannot
  // even be looked at (ENAMETOOLONG, ELOOP) is reported by the link call.
  let targetStat
  let statted = false
  if ((opts.type === undefined && isWindows) || opts.chain[0] !== 'symlink' || opts.replace) {
    targetStat = yield * lookUp('stat', absTarget)
    statted = true
  }

  let dest = linkPath
  let tmp
  const existing = opts.replace ? yield * lookUp('lstat', absLink) : undefined
  const sameFile = isNameOf(existing, targetStat)
  if (existing) {
    if (!existing.isSymbolicLink() && !sameFile) {
      const what = existing.isDirectory() ? 'directory' : 'file'
      throw fsError('EEXIST', 'symlink', target, linkPath,
        `a real ${what} is at the link path; symlink-doctor replaces only links and never deletes a real ${what}`)
    }
    tmp = tempName(absLink)
    dest = tmp
  }

  const attempts = []
  let made = null
  for (const kind of opts.chain) {
    if (!statted && kind !== 'symlink') {
      targetStat = yield * lookUp('stat', absTarget)
      statted = true
    }
    const isDir = opts.type === 'dir' || opts.type === 'junction' ||
      (opts.type === undefined && targetStat !== undefined && targetStat.isDirectory())
    const skipped = notApplicable(kind, targetStat)
    if (skipped) {
      // Junctions are not a choice on POSIX, so not worth a word there.
      if (skipped !== 'platform') attempts.push({ kind, skipped })
      continue
    }
    try {
      yield * make(kind, target, absTarget, targetStat, kind === 'symlink' ? dest : path.resolve(pathString(dest)), isDir)
      made = kind
      break
    } catch (err) {
      relabel(err, tmp, linkPath)
      if (err.code === 'EEXIST' && tmp === undefined) throw yield * explainExisting(err, absLink, absTarget)
      if (!isRefusal(kind, err)) throw err
      attempts.push({ kind, code: err.code, errno: err.errno, syscall: err.syscall, winerror: err.winerror || null, message: err.message, error: err })
    }
  }

  if (made === null) {
    const first = attempts.find((a) => a.error)
    const reason = refusalReason(attempts) +
      (opts.chain.includes('copy') ? '' : '; a copy was not allowed (options.allowCopy)')
    const err = first ? first.error : fsError('ENOTSUP', 'symlink', target, linkPath)
    err.message += ` (symlink-doctor: ${reason})`
    err.attempts = attempts.map(({ error, ...rest }) => rest)
    err.reason = reason
    throw err
  }

  if (tmp !== undefined) {
    try {
      yield ['rename', tmp, absLink]
      // rename between two names of one file succeeds and does nothing
      // (POSIX): a hard link to the file already at the link path is left
      // at the temporary name.
      if (made === 'hardlink' && sameFile) yield * discard(made, tmp)
    } catch (err) {
      // rename cannot put a directory over a link (POSIX) or replace a
      // directory link (Windows). Move the old link aside, move the new one
      // in, then remove the old one; if the move in fails, the old link goes
      // back, so the user never ends with no link at all. Not atomic, and
      // said so in the README.
      const aside = tempName(absLink)
      try {
        yield ['rename', absLink, aside]
      } catch (err2) {
        yield * discard(made, tmp)
        throw relabel(err2, tmp, linkPath)
      }
      try {
        yield ['rename', tmp, absLink]
      } catch (err3) {
        try { yield ['rename', aside, absLink] } catch {}
        yield * discard(made, tmp)
        throw relabel(err3, tmp, linkPath)
      }
      yield * discard('symlink', aside)
    }
  }

  const failed = attempts.filter((a) => a.error || a.skipped)
  return {
    kind: made,
    path: pathString(linkPath),
    target: pathString(target),
    fallbackFrom: failed.length > 0 ? failed[0].kind : null,
    reason: failed.length > 0 ? `${refusalReason(failed)}; made a ${made} instead` : null,
    attempts: attempts.map(({ error, ...rest }) => rest)
  }
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

// Removes what this call made at the temporary name.
function * discard (kind, tmp) {
  try {
    if (kind === 'copy') yield ['removeOwnTree', tmp]
    else yield ['removeLink', tmp]
  } catch {}
}

function createLinkSync (target, linkPath, options) {
  const args = parseArgs(target, linkPath, options)
  return runSync(createLinkSteps(args.target, args.linkPath, args.opts))
}

async function createLink (target, linkPath, options) {
  const args = parseArgs(target, linkPath, options)
  return runAsync(createLinkSteps(args.target, args.linkPath, args.opts))
}

module.exports = { createLink, createLinkSync }
