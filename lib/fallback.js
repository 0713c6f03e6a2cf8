'use strict'
// The native core's API in plain JS, for when no binary loads. It can make
// and inspect links through fs, but it cannot tell a junction from a
// symlink, read Windows detection facts, or see the raw Win32 error, so
// reports made with it say native: false.

const fs = require('fs')
const os = require('os')
const path = require('path')
const crypto = require('crypto')
const { fsError, invalidArgType, invalidArgValue } = require('./errors')
const { toPath } = require('./args')

const TYPES = ['file', 'dir', 'junction']

function symlinkSync (target, linkPath, type) {
  fs.symlinkSync(target, linkPath, TYPES[type])
  // Wine's CreateSymbolicLinkW reports success and makes nothing.
  if (!fs.lstatSync(linkPath, { throwIfNoEntry: false })) {
    throw fsError('ENOTSUP', 'symlink-verify', target, linkPath)
  }
}

function hardlinkSync (existing, linkPath) {
  fs.linkSync(existing, linkPath)
}

function inspectSync (p, asBuffer) {
  if (asBuffer !== undefined && typeof asBuffer !== 'boolean') throw invalidArgType('asBuffer', 'of type boolean', asBuffer)
  const st = fs.lstatSync(p)
  const info = { kind: 'other', target: null, relative: false, targetExists: true, nlink: st.nlink, reparseTag: 0 }
  if (st.isSymbolicLink()) {
    info.kind = 'symlink'
    info.target = fs.readlinkSync(p, { encoding: asBuffer ? 'buffer' : 'utf8' })
    info.relative = !path.isAbsolute(asBuffer ? info.target.toString() : info.target)
    info.targetExists = fs.existsSync(p)
  } else if (st.isDirectory()) {
    info.kind = 'directory'
  } else if (st.isFile()) {
    info.kind = 'file'
  }
  return info
}

function removeLinkSync (p) {
  const st = fs.lstatSync(p)
  if (st.isDirectory()) throw fsError('EISDIR', 'unlink', p)
  if (!st.isSymbolicLink() && !(st.isFile() && st.nlink > 1)) throw fsError('EINVAL', 'unlink', p)
  // libuv's unlink removes a directory symlink or junction itself on
  // Windows and never recurses.
  fs.unlinkSync(p)
}

const RENAME_NOREPLACE = 1
const RENAME_EXCHANGE = 2

// rename with flags: fs has none, so only 0 (a plain rename) is done here;
// the others are ENOSYS, as from a kernel without renameat2, and the
// caller takes its fallback.
function renameSync (from, to, flags) {
  from = toPath(from, 'oldPath')
  to = toPath(to, 'newPath')
  if (typeof flags !== 'number') throw invalidArgType('flags', 'of type number', flags)
  if (flags !== 0 && flags !== RENAME_NOREPLACE && flags !== RENAME_EXCHANGE) {
    throw invalidArgValue('flags', flags, 'must be 0, RENAME_NOREPLACE (1) or RENAME_EXCHANGE (2)')
  }
  if (flags !== 0) throw fsError('ENOSYS', 'rename', from, to)
  fs.renameSync(from, to)
}

function attempt (fn) {
  try {
    fn()
    return { tried: true, ok: true, code: null, message: null, syscall: null, errno: null, winerror: null }
  } catch (err) {
    const message = typeof err.message === 'string' ? err.message.replace(/^[A-Z]+: /, '').replace(/,.*$/, '') : null
    return { tried: true, ok: false, code: err.code || 'UNKNOWN', message, syscall: err.syscall || null, errno: err.errno ?? null, winerror: null }
  }
}

function untried () {
  return { tried: false, ok: false, code: null, message: null, syscall: null, errno: null, winerror: null }
}

function probeSync (dir) {
  const id = () => path.join(dir, `.sd-probe-${crypto.randomBytes(8).toString('hex')}`)
  const made = []
  const file = `${id()}-f`
  const sub = `${id()}-d`
  const result = { fileSymlink: untried(), dirSymlink: untried(), junction: untried(), hardlink: untried(), volume: {} }
  try {
    result.volume.device = fs.statSync(dir).dev
    fs.writeFileSync(file, '', { flag: 'wx' })
    made.push(file)
    fs.mkdirSync(sub)
    made.push(sub)
    const fl = `${id()}-fl`
    result.fileSymlink = attempt(() => { symlinkSync(path.basename(file), fl, 0); made.push(fl) })
    const dl = `${id()}-dl`
    result.dirSymlink = attempt(() => { symlinkSync(path.basename(sub), dl, 1); made.push(dl) })
    if (process.platform === 'win32') {
      const jl = `${id()}-jl`
      result.junction = attempt(() => { symlinkSync(sub, jl, 2); made.push(jl) })
    }
    const hl = `${id()}-hl`
    result.hardlink = attempt(() => { hardlinkSync(file, hl); made.push(hl) })
  } finally {
    for (const p of made.reverse()) {
      try {
        if (p === sub) fs.rmdirSync(p)
        else fs.unlinkSync(p)
      } catch {}
    }
  }
  return result
}

function systemFacts () {
  const facts = { kernel: os.type(), kernelRelease: os.release() }
  if (typeof process.getuid === 'function') {
    facts.uid = process.getuid()
    facts.euid = process.geteuid()
    facts.gid = process.getgid()
  }
  return facts
}

function promised (fn) {
  return (...args) => new Promise((resolve) => resolve(fn(...args)))
}

module.exports = {
  symlinkSync,
  symlink: promised(symlinkSync),
  hardlinkSync,
  hardlink: promised(hardlinkSync),
  inspectSync,
  inspect: promised(inspectSync),
  removeLinkSync,
  removeLink: promised(removeLinkSync),
  probeSync,
  probe: promised(probeSync),
  renameSync,
  rename: promised(renameSync),
  RENAME_NOREPLACE,
  RENAME_EXCHANGE,
  systemFacts
}
