'use strict'
// Errors shaped like the ones Node's own fs and argument checks throw.

const util = require('util')

// libuv's table, read once: util.getSystemErrorMap() builds a fresh Map of
// every error on each call, which made it the largest single cost of a
// refused link when it was called per error.
let byName = null

function table () {
  if (byName === null) {
    byName = new Map()
    for (const [errno, [name, text]] of util.getSystemErrorMap()) {
      if (!byName.has(name)) byName.set(name, { errno, text })
    }
  }
  return byName
}

// The errno Node uses for a code name on this platform (-1 for EPERM on
// Linux, -4048 on Windows), read from libuv's own table.
function errnoOf (code) {
  const e = table().get(code)
  return e === undefined ? undefined : e.errno
}

// libuv's description of a code name ("operation not permitted").
function codeText (code) {
  const e = table().get(code)
  return e === undefined ? 'unknown error' : e.text
}

function quote (p) {
  return `'${Buffer.isBuffer(p) ? p.toString() : p}'`
}

// fsError('EEXIST', 'symlink', 'a', 'b') is the error fs.symlinkSync('a', 'b')
// throws when b exists: "EEXIST: file already exists, symlink 'a' -> 'b'".
function fsError (code, syscall, path, dest, extra) {
  const errno = errnoOf(code)
  const text = codeText(code)
  let message = `${code}: ${text}, ${syscall}`
  if (path !== undefined) message += ` ${quote(path)}`
  if (dest !== undefined) message += ` -> ${quote(dest)}`
  if (extra) message += ` (${extra})`
  const err = new Error(message)
  err.errno = errno
  err.code = code
  err.syscall = syscall
  if (path !== undefined) err.path = Buffer.isBuffer(path) ? path.toString() : path
  if (dest !== undefined) err.dest = Buffer.isBuffer(dest) ? dest.toString() : dest
  return err
}

// Node's description of a wrong value: "type number (1)", "null",
// "an instance of Object".
function describe (value) {
  if (value == null) return String(value)
  if (typeof value === 'function') return `function ${value.name || '<anonymous>'}`
  if (typeof value === 'object') {
    const name = value.constructor && value.constructor.name
    return name ? `an instance of ${name}` : util.inspect(value, { depth: -1 })
  }
  let shown = util.inspect(value, { colors: false })
  if (shown.length > 28) shown = `${shown.slice(0, 25)}...`
  return `type ${typeof value} (${shown})`
}

function invalidArgType (name, expected, value) {
  const what = name.includes('.') ? 'property' : 'argument'
  const err = new TypeError(`The "${name}" ${what} must be ${expected}. Received ${describe(value)}`)
  err.code = 'ERR_INVALID_ARG_TYPE'
  return err
}

function invalidArgValue (name, value, reason) {
  const what = name.includes('.') ? 'property' : 'argument'
  const shown = util.inspect(value).slice(0, 128)
  const err = new TypeError(`The ${what} '${name}' ${reason}. Received ${shown}`)
  err.code = 'ERR_INVALID_ARG_VALUE'
  return err
}

module.exports = { fsError, errnoOf, codeText, invalidArgType, invalidArgValue }
