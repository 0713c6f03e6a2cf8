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
    throw explainRefusal(err)
  }
}

async function removeLink (p) {
  p = toPath(p, 'path')
  return binding.removeLink(p).catch((err) => { throw explainRefusal(err) })
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
    encoding = options.encoding
  } else {
    throw invalidArgType('options', 'one of type string or an instance of Object', options)
  }
  if (encoding === undefined || encoding === null || encoding === 'utf8') return false
  if (encoding === 'buffer') return true
  throw invalidArgValue('encoding', encoding, "must be 'utf8' or 'buffer'")
}

function inspectSync (p, options) {
  const buffer = asBuffer(options)
  return binding.inspectSync(toPath(p, 'path'), buffer)
}

async function inspect (p, options) {
  const buffer = asBuffer(options)
  return binding.inspect(toPath(p, 'path'), buffer)
}

module.exports = { removeLink, removeLinkSync, inspect, inspectSync }
