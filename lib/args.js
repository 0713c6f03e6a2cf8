'use strict'
// Argument checks done up front, before anything reaches the native layer.

const { fileURLToPath } = require('url')
const { invalidArgType, invalidArgValue } = require('./errors')

// A path as fs takes it: a string, a Buffer or a file: URL. Returns a string
// or a Buffer; throws ERR_INVALID_ARG_TYPE or ERR_INVALID_ARG_VALUE.
function toPath (value, name) {
  if (value instanceof URL) value = fileURLToPath(value)
  if (typeof value === 'string') {
    if (value.includes('\u0000')) {
      throw invalidArgValue(name, value, 'must be a string, Uint8Array, or URL without null bytes')
    }
    if (value === '') throw invalidArgValue(name, value, 'must be a non-empty path')
    return value
  }
  if (value instanceof Uint8Array) {
    const buf = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    if (buf.includes(0)) {
      throw invalidArgValue(name, value, 'must be a string, Uint8Array, or URL without null bytes')
    }
    if (buf.length === 0) throw invalidArgValue(name, value, 'must be a non-empty path')
    return buf
  }
  throw invalidArgType(name, 'of type string or an instance of Buffer or URL', value)
}

// The string form used to compute where a fallback lands.
function pathString (p) {
  return Buffer.isBuffer(p) ? p.toString() : p
}

// The caller's own options only, in an object with no prototype: a
// property set on Object.prototype (prototype pollution in some other
// dependency) must never turn on replace or a copy the caller did not ask for.
function toOptions (value) {
  if (value === undefined || value === null) return Object.create(null)
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalidArgType('options', 'of type object', value)
  }
  return Object.assign(Object.create(null), value)
}

function toBoolean (value, name) {
  if (value === undefined) return false
  if (typeof value !== 'boolean') throw invalidArgType(name, 'of type boolean', value)
  return value
}

function toOneOf (value, name, allowed) {
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw invalidArgType(name, 'of type string', value)
  if (!allowed.includes(value)) {
    throw invalidArgValue(name, value, `must be one of: ${allowed.map((a) => `'${a}'`).join(', ')}`)
  }
  return value
}

module.exports = { toPath, pathString, toOptions, toBoolean, toOneOf }
