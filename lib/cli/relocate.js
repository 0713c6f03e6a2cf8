'use strict'
// Where did a broken absolute link's target go? When a project moves (or its
// drive letter changes) links and targets move together, so the target keeps
// its position relative to some ancestor of the link. Try the target's
// trailing path segments under each ancestor of the link up to the scanned
// root (never above it: a search that climbed to / found this machine's
// /etc/passwd for a link to /old-host/.../etc/passwd), longest suffix first
// (the most specific match), and take the first that exists and that the
// caller accepts (it resolves inside the tree).

const fs = require('fs')
const path = require('path')

function splitSegments (p) {
  return p.split(/[\\/]+/).filter((s) => s !== '' && !/^[A-Za-z]:$/.test(s))
}

// Absolute here or on Windows (C:\\... or C:/...): a junction's target read
// on another system is still absolute.
function isAbsoluteTarget (target) {
  return path.isAbsolute(target) || /^[A-Za-z]:[\\/]/.test(target)
}

function isInside (p, dir) {
  if (p === dir) return true
  const rel = path.relative(dir, p)
  return rel !== '' && rel !== '..' && !rel.startsWith('..' + path.sep) && !path.isAbsolute(rel)
}

// The link's ancestors, nearest first, from its directory up to root
// (inclusive). A link outside root has none.
function ancestorsUpTo (linkPath, root) {
  const out = []
  if (!isInside(path.dirname(linkPath), root)) return out
  for (let d = path.dirname(linkPath); ; d = path.dirname(d)) {
    out.push(d)
    if (d === root || path.dirname(d) === d) break
  }
  return out
}

// → { found: absolute path or null, rejected: [{ candidate, code, why }] }.
// accept(candidate) → null to take it, or { code, why } to pass over it.
function findMovedTarget (linkPath, target, { root, accept = () => null } = {}) {
  const rejected = []
  if (!isAbsoluteTarget(target)) return { found: null, rejected }
  const segs = splitSegments(target)
  const ancestors = ancestorsUpTo(linkPath, root === undefined ? path.parse(linkPath).root : root)
  // A lone basename matches too easily; keep at least two segments when the
  // target has them.
  for (let k = segs.length; k >= Math.min(2, segs.length); k--) {
    const suffix = segs.slice(segs.length - k)
    if (suffix.includes('..')) continue
    for (const a of ancestors) {
      const candidate = path.join(a, ...suffix)
      // Never the link itself nor a directory that contains it.
      if (candidate === linkPath || linkPath.startsWith(candidate + path.sep)) continue
      if (candidate === path.resolve(target)) continue
      if (!fs.existsSync(candidate)) continue
      const no = accept(candidate)
      if (!no) return { found: candidate, rejected }
      rejected.push({ candidate, ...no })
    }
  }
  return { found: null, rejected }
}

module.exports = { findMovedTarget, isAbsoluteTarget, isInside }
