'use strict'
// removeLink(path): removes a symlink, junction or hard link itself, never
// what it points to, never recursively; refuses real files and directories.
// inspect(path[, options]): what is at path, without following it.

const binding = require('./binding')
const { toPath } = require('./args')
const { invalidArgType, invalidArgValue } = require('./errors')

function explainRefusal (err) {
  if (err && err.syscall === 'unlink' && (err.code === 'EISDIR' || err.code === 'EINVAL')) {
    const what = err.code === 'EISDIR' ? 'a real directory' : 'a real file'
    const why = `not a link: ${what}, which removeLink never deletes`
    // When a racing writer took the name while removeLink had it aside,
    // the native core has already said where the rest is kept ("(... is
    // kept at '<dest>')"): one parenthesis for both.
    const head = `, unlink '${err.path}'`
    const at = typeof err.path === 'string' ? err.message.indexOf(head) : -1
    const rest = at === -1 ? '' : err.message.slice(at + head.length)
    if (rest.startsWith(' (') && rest.endsWith(')')) {
      err.message = `${err.message.slice(0, at + head.length)} (${why}; ${rest.slice(2)}`
    } else {
      err.message += ` (${why})`
    }
  }
  return err
}

function removeLinkSync (p) {
  p = toPath(p, 'path')
  try {
    binding.removeLinkSync(p)
  } catch (err) {
    if (!removeOursSync(p, err)) throw explainRefusal(err)
  }
}

async function removeLink (p) {
  p = toPath(p, 'path')
  try {
    await binding.removeLink(p)
  } catch (err) {
    // Recognizing one of ours is a few syscalls; its removal, like the
    // copy's, runs on the thread pool through the steps runner.
    if (!(await removeOurs(p, err))) throw explainRefusal(err)
  }
}

// A copy or shim that createLink made (lib/link-records.js) is a link to
// removeLink: refused natively as a real file or directory, it is removed
// here when its record still matches. The name is first moved aside to a
// name only this call knows (never over anything), checked there, and
// removed, or put back when it is not what was recorded. Returns true when
// it removed it.
function removeOursSync (p, err) {
  if (!err || (err.code !== 'EISDIR' && err.code !== 'EINVAL')) return false
  const records = require('./link-records')
  const found = records.findSync(p)
  if (!found) return false
  const { runSync } = require('./run')
  runSync(removeOursSteps(found))
  return true
}

async function removeOurs (p, err) {
  if (!err || (err.code !== 'EISDIR' && err.code !== 'EINVAL')) return false
  const records = require('./link-records')
  const found = records.findSync(p)
  if (!found) return false
  const { runAsync } = require('./run')
  await runAsync(removeOursSteps(found))
  return true
}

// Moves what is at aside to a kept name (lib/temp-name.js keptName), which
// no sweep of stale temporaries removes. Returns where it is.
function * keep (aside, str, out) {
  const { keptName } = require('./temp-name')
  const name = keptName(str)
  try {
    yield ['renameFlags', out(aside), out(name), binding.RENAME_NOREPLACE]
    return name
  } catch {
    return aside
  }
}

function * removeOursSteps ({ rec, st, key }) {
  const records = require('./link-records')
  const { tempName } = require('./temp-name')
  const isBuf = Buffer.isBuffer(key)
  const str = isBuf ? key.toString('latin1') : key
  const out = (s) => isBuf ? Buffer.from(s, 'latin1') : s
  const aside = tempName(str)
  try {
    yield ['renameFlags', key, out(aside), binding.RENAME_NOREPLACE]
  } catch (err) {
    if (!['ENOSYS', 'EINVAL', 'ENOTSUP', 'EOPNOTSUPP'].includes(err.code)) throw err
    // No such rename here (FAT through FUSE, macOS, Windows): a plain
    // rename to a fresh name, which nothing can be at.
    yield ['rename', key, out(aside)]
  }
  // Looked at again where only this call can reach it: still the same
  // inode, and still holding what was made (an edit between the first look
  // and the move aside makes it the user's).
  const now = yield ['lstat', out(aside)]
  const same = now && String(now.dev) === String(st.dev) && String(now.ino) === String(st.ino)
  const ours = same && (yield ['call', records.read, key, now, out(aside)]) !== null
  if (!ours) {
    let where = str
    try {
      yield ['renameFlags', out(aside), key, binding.RENAME_NOREPLACE]
    } catch {
      where = yield * keep(aside, str, out)
    }
    const what = now && now.isDirectory() ? 'a real directory' : 'a real file'
    const e = new Error(`${now && now.isDirectory() ? 'EISDIR: illegal operation on a directory' : 'EINVAL: invalid argument'}, unlink '${str}' (not a link: ${what}, which removeLink never deletes: it is not what symlink-doctor made${where !== str ? `; it is kept at '${where}'` : ''})`)
    Object.assign(e, { code: now && now.isDirectory() ? 'EISDIR' : 'EINVAL', syscall: 'unlink', path: String(key) })
    if (where !== str) e.dest = where
    throw e
  }
  try {
    if (now.isDirectory()) yield ['removeOwnTree', out(aside)]
    else yield ['unlinkOwn', out(aside)]
  } catch (err) {
    // Something was written into it while it went (ENOTEMPTY): what is
    // left is kept under a name no sweep removes, and the error says where.
    const where = yield * keep(aside, str, out)
    err.message = `${err.code}: removeLink could not remove all of '${str}' (something was written into it meanwhile); what is left is kept at '${where}'`
    err.path = String(key)
    err.dest = where
    throw err
  }
  yield ['call', records.forget, key, st]
}

// Options as fs.readlink takes them: an object with encoding, or the
// encoding itself. Only 'utf8' (the default) and 'buffer' (the target's
// bytes as stored) are accepted. As with fs.readlink, a Buffer path alone
// still gives a string: only encoding 'buffer' gives a Buffer.
function asBuffer (options) {
  let encoding
  if (options === undefined || options === null) return false
  if (typeof options === 'string') {
    encoding = options
  } else if (typeof options === 'object' && !Array.isArray(options)) {
    // Own property only: a polluted Object.prototype is not an option.
    encoding = Object.prototype.hasOwnProperty.call(options, 'encoding') ? options.encoding : undefined
  } else {
    throw invalidArgType('options', 'one of type string or an instance of Object', options)
  }
  if (encoding === undefined || encoding === null || encoding === 'utf8') return false
  if (encoding === 'buffer') return true
  throw invalidArgValue('encoding', encoding, "must be 'utf8' or 'buffer'")
}

// info.fallback: for a hard link, copy or shim that createLink made in
// place of a symlink (and that is still that one), { kind, target } with
// the target as the caller gave it; else null.
function withFallback (p, info) {
  info.fallback = null
  if (info.kind === 'file' || info.kind === 'directory') {
    const found = require('./link-records').findSync(p)
    if (found) info.fallback = { kind: found.rec.kind, target: found.rec.target, madeAt: found.rec.madeAt }
  }
  return info
}

function inspectSync (p, options) {
  const buffer = asBuffer(options)
  p = toPath(p, 'path')
  return withFallback(p, binding.inspectSync(p, buffer))
}

async function inspect (p, options) {
  const buffer = asBuffer(options)
  p = toPath(p, 'path')
  return withFallback(p, await binding.inspect(p, buffer))
}

module.exports = { removeLink, removeLinkSync, inspect, inspectSync }
