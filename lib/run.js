'use strict'
// One algorithm, two forms. An algorithm is a generator that yields
// [operation, ...args] and receives the result (or has the error thrown
// into it); runSync performs each operation with the sync fs and native
// calls, runAsync with the promise ones. So createLink and createLinkSync
// cannot drift apart, and the promise form never blocks the event loop.

const fs = require('fs')
const binding = require('./binding')

const { COPYFILE_EXCL, COPYFILE_FICLONE } = fs.constants

function missingIsUndefined (err) {
  if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return undefined
  throw err
}

const encodingOf = (p) => Buffer.isBuffer(p) ? { encoding: 'buffer' } : undefined

const ops = {
  lstat: {
    sync: (p) => fs.lstatSync(p, { throwIfNoEntry: false }),
    async: (p) => fs.promises.lstat(p).catch(missingIsUndefined)
  },
  stat: {
    sync: (p) => { try { return fs.statSync(p) } catch (err) { return missingIsUndefined(err) } },
    async: (p) => fs.promises.stat(p).catch(missingIsUndefined)
  },
  // realpath(3) itself (fs.realpath.native): resolves `..` after a symlink
  // as the kernel does. Bytes in, bytes out; undefined when missing.
  realpath: {
    sync: (p) => { try { return fs.realpathSync.native(p, encodingOf(p)) } catch (err) { return missingIsUndefined(err) } },
    async: (p) => fs.promises.realpath(p, encodingOf(p)).catch(missingIsUndefined)
  },
  symlink: { sync: binding.symlinkSync, async: binding.symlink },
  hardlink: { sync: binding.hardlinkSync, async: binding.hardlink },
  removeLink: { sync: binding.removeLinkSync, async: binding.removeLink },
  inspect: { sync: binding.inspectSync, async: binding.inspect },
  probe: { sync: binding.probeSync, async: binding.probe },
  // A reflink where the filesystem has them, a plain copy elsewhere; never
  // over an existing file.
  copyFile: {
    sync: (src, dest) => fs.copyFileSync(src, dest, COPYFILE_EXCL | COPYFILE_FICLONE),
    async: (src, dest) => fs.promises.copyFile(src, dest, COPYFILE_EXCL | COPYFILE_FICLONE)
  },
  // Byte by byte into a new file created with the source's mode (no
  // chmod afterwards, which is what FAT refuses).
  copyBytes: { sync: copyBytesSync, async: copyBytes },
  mkdir: { sync: (p) => fs.mkdirSync(p), async: (p) => fs.promises.mkdir(p) },
  readdir: { sync: (p) => fs.readdirSync(p), async: (p) => fs.promises.readdir(p) },
  // Only ever called on a path this module created itself.
  removeOwnTree: {
    sync: (p) => fs.rmSync(p, { recursive: true, force: true }),
    async: (p) => fs.promises.rm(p, { recursive: true, force: true })
  },
  unlinkOwn: { sync: (p) => fs.unlinkSync(p), async: (p) => fs.promises.unlink(p) },
  rename: { sync: (a, b) => fs.renameSync(a, b), async: (a, b) => fs.promises.rename(a, b) },
  // rename(2) with flags (binding.RENAME_NOREPLACE, binding.RENAME_EXCHANGE):
  // renameat2 on Linux; ENOSYS/EINVAL where the platform or filesystem
  // has no such rename (the caller then takes its documented fallback).
  renameFlags: {
    sync: (a, b, flags) => binding.renameSync(a, b, flags),
    async: (a, b, flags) => binding.rename(a, b, flags)
  }
}

const CHUNK = 1 << 16

function copyBytesSync (src, dest, mode) {
  const buf = Buffer.allocUnsafe(CHUNK)
  const from = fs.openSync(src, 'r')
  try {
    const to = fs.openSync(dest, 'wx', mode)
    try {
      let n
      while ((n = fs.readSync(from, buf, 0, CHUNK, null)) > 0) {
        let off = 0
        while (off < n) off += fs.writeSync(to, buf, off, n - off)
      }
    } finally {
      fs.closeSync(to)
    }
  } finally {
    fs.closeSync(from)
  }
}

async function copyBytes (src, dest, mode) {
  const buf = Buffer.allocUnsafe(CHUNK)
  const from = await fs.promises.open(src, 'r')
  try {
    const to = await fs.promises.open(dest, 'wx', mode)
    try {
      let n
      while ((n = (await from.read(buf, 0, CHUNK, null)).bytesRead) > 0) {
        let off = 0
        while (off < n) off += (await to.write(buf, off, n - off)).bytesWritten
      }
    } finally {
      await to.close()
    }
  } finally {
    await from.close()
  }
}

function runSync (gen) {
  let step = gen.next()
  while (!step.done) {
    const [op, ...args] = step.value
    let value
    try {
      value = ops[op].sync(...args)
    } catch (err) {
      step = gen.throw(err)
      continue
    }
    step = gen.next(value)
  }
  return step.value
}

async function runAsync (gen) {
  let step = gen.next()
  while (!step.done) {
    const [op, ...args] = step.value
    let value
    try {
      value = await ops[op].async(...args)
    } catch (err) {
      step = gen.throw(err)
      continue
    }
    step = gen.next(value)
  }
  return step.value
}

module.exports = { runSync, runAsync }
