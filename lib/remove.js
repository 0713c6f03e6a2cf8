'use strict'
// removeLink(path): removes a symlink, junction or hard link itself, never
// what it points to, never recursively; refuses real files and directories.

const binding = require('./binding')
const { toPath } = require('./args')

function explainRefusal (err) {
  if (err && err.syscall === 'unlink' && (err.code === 'EISDIR' || err.code === 'EINVAL')) {
    const what = err.code === 'EISDIR' ? 'a real directory' : 'a real file'
    err.message += ` (not a link: ${what}, which removeLink never deletes)`
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

function inspectSync (p) {
  return binding.inspectSync(toPath(p, 'path'))
}

async function inspect (p) {
  return binding.inspect(toPath(p, 'path'))
}

module.exports = { removeLink, removeLinkSync, inspect, inspectSync }
