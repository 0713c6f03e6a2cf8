'use strict'
// The copy fallback: the last resort, only when the caller allows it.
// Steps for lib/run.js, so the sync and promise forms share them.

const path = require('path')

// fs.copyFile fails with ENOSYS on filesystems that lack what libuv calls
// after copying (fchmod on FAT through FUSE): copy the bytes instead.
const COPY_BYTES_ON = ['ENOSYS', 'ENOTSUP', 'EOPNOTSUPP', 'EPERM', 'EINVAL']

// Copies one file to dest, which must not exist. A reflink where the
// filesystem has them. On failure nothing is left at dest.
function * copyFile (src, dest, mode) {
  try {
    return yield ['copyFile', src, dest]
  } catch (err) {
    // EEXIST: the file there is not ours. Otherwise libuv removed its partial.
    if (!COPY_BYTES_ON.includes(err.code)) throw err
  }
  try {
    return yield ['copyBytes', src, dest, mode]
  } catch (err) {
    if (err.code !== 'EEXIST') {
      try { yield ['unlinkOwn', dest] } catch {}
    }
    throw err
  }
}

// Copies a tree into dest, which this call creates (mkdir claims the name:
// it fails if anything is there). Links inside are copied as what they
// show: a copy is a snapshot of what the link would have shown. A link to a
// directory the copy is already inside (an ancestor, or the copy itself)
// has no finite snapshot and is left out. On failure the whole of dest, all
// of it made here, is removed.
function * copyTree (src, dest) {
  yield ['mkdir', dest]
  try {
    const inside = new Set([idOf(yield ['stat', src]), idOf(yield ['stat', dest])])
    yield * copyInto(src, dest, inside)
  } catch (err) {
    try { yield ['removeOwnTree', dest] } catch {}
    throw err
  }
}

// (A source removed meanwhile has no id; its readdir then says ENOENT.)
const idOf = (st) => st ? `${st.dev}:${st.ino}` : ''

// inside: the directories this copy is in, as dev:ino.
function * copyInto (src, dest, inside) {
  const names = yield ['readdir', src]
  for (const name of names) {
    const from = path.join(src, name)
    const to = path.join(dest, name)
    const st = yield ['stat', from]
    if (st === undefined) continue // a dangling link: nothing to show
    if (st.isDirectory()) {
      const id = idOf(st)
      if (inside.has(id)) continue
      yield ['mkdir', to]
      inside.add(id)
      yield * copyInto(from, to, inside)
      inside.delete(id)
    } else if (st.isFile()) {
      yield * copyFile(from, to, st.mode & 0o777)
    }
  }
}

module.exports = { copyFile, copyTree }
