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
    for (const d of list) {
      entries++
      const p = path.join(dir, d.name)
      if (d.isDirectory()) {
        if (d.name !== '.git') stack.push(p)
      } else if (d.isSymbolicLink()) {
        links++
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
  try {
    fs.statSync(p)
    return null
  } catch (err) {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return { target, why: 'target missing' }
    if (err.code === 'ELOOP') return { target, why: 'link loop' }
    return { target, why: `target unreachable (${err.code})` }
  }
}

function kindOf (inspect, p) {
  try {
    return inspect(p).kind === 'junction' ? 'junction' : 'symlink'
  } catch {
    return 'symlink'
  }
}

module.exports = { findBrokenLinks }
