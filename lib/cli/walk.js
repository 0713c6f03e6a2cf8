'use strict'
// Walks a tree without following links and returns the links that are
// broken. One readdir (withFileTypes) per directory; only the links
// themselves cost an extra readlink + stat, so 100,000 entries take well
// under a second. .git directories are skipped: git's own store holds no
// project links and is often the biggest part of a tree.

const fs = require('fs')
const path = require('path')

// → { broken: [{ path, target, kind: 'symlink'|'junction', why }], links, entries, unreadable: [{path, code}] }
function findBrokenLinks (root, { inspect } = {}) {
  const broken = []
  const unreadable = []
  let entries = 0
  let links = 0
  const stack = [root]
  while (stack.length > 0) {
    const dir = stack.pop()
    let list
    try {
      list = fs.readdirSync(dir, { withFileTypes: true })
    } catch (err) {
      unreadable.push({ path: dir, code: err.code })
      continue
    }
    // path.join(dir, name) for every entry, once per directory: names hold
    // no separator, so the normalized directory and a separator suffice.
    // Only directories and links get a path at all.
    let prefix = path.normalize(dir)
    if (!prefix.endsWith(path.sep)) prefix += path.sep
    entries += list.length
    for (let i = 0; i < list.length; i++) {
      const d = list[i]
      if (d.isDirectory()) {
        if (d.name !== '.git') stack.push(prefix + d.name)
      } else if (d.isSymbolicLink()) {
        links++
        const p = prefix + d.name
        const problem = linkProblem(p)
        if (problem) {
          // Junctions and symlinks look alike to readdir on Windows; ask the
          // native core only about the broken few.
          const kind = inspect ? kindOf(inspect, p) : 'symlink'
          broken.push({ path: p, target: problem.target, kind, why: problem.why })
        }
      }
    }
  }
  return { broken, links, entries, unreadable }
}

function linkProblem (p) {
  let target
  try {
    target = fs.readlinkSync(p)
  } catch (err) {
    return { target: null, why: `unreadable link (${err.code})` }
  }
  // A missing target is the common finding: no exception for it.
  let st
  try {
    st = fs.statSync(p, { throwIfNoEntry: false })
  } catch (err) {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return { target, why: 'target missing' }
    if (err.code === 'ELOOP') return { target, why: 'link loop' }
    return { target, why: `target unreachable (${err.code})` }
  }
  return st === undefined ? { target, why: 'target missing' } : null
}

function kindOf (inspect, p) {
  try {
    return inspect(p).kind === 'junction' ? 'junction' : 'symlink'
  } catch {
    return 'symlink'
  }
}

module.exports = { findBrokenLinks }
