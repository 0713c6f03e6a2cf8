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

const ops = {
  lstat: {
    sync: (p) => fs.lstatSync(p, { throwIfNoEntry: false }),
    async: (p) => fs.promises.lstat(p).catch(missingIsUndefined)
  },
  stat: {
    sync: (p) => { try { return fs.statSync(p) } catch (err) { return missingIsUndefined(err) } },
    async: (p) => fs.promises.stat(p).catch(missingIsUndefined)
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
  mkdir: { sync: (p) => fs.mkdirSync(p), async: (p) => fs.promises.mkdir(p) },
  // Into a directory we just made: links inside are copied as what they
  // show, since a copy is a snapshot of what the link would have shown.
  copyDir: {
    sync: (src, dest) => fs.cpSync(src, dest, { recursive: true, force: false, errorOnExist: true, dereference: true }),
    async: (src, dest) => fs.promises.cp(src, dest, { recursive: true, force: false, errorOnExist: true, dereference: true })
  },
  // Only ever called on a path this module created itself.
  removeOwnTree: {
    sync: (p) => fs.rmSync(p, { recursive: true, force: true }),
    async: (p) => fs.promises.rm(p, { recursive: true, force: true })
  },
  unlinkOwn: { sync: (p) => fs.unlinkSync(p), async: (p) => fs.promises.unlink(p) },
  rename: { sync: (a, b) => fs.renameSync(a, b), async: (a, b) => fs.promises.rename(a, b) }
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
