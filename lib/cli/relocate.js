'use strict'
// Where did a broken absolute link's target go? When a project moves (or its
// drive letter changes) links and targets move together, so the target keeps
// its position relative to some ancestor of the link. Try the target's
// trailing path segments under each ancestor of the link, longest suffix
// first (the most specific match), and take the first that exists.

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

// → the absolute path the target most likely moved to, or null.
function findMovedTarget (linkPath, target) {
  if (!isAbsoluteTarget(target)) return null
  const segs = splitSegments(target)
  const ancestors = []
  for (let d = path.dirname(linkPath); ; d = path.dirname(d)) {
    ancestors.push(d)
    if (path.dirname(d) === d) break
  }
  // A lone basename matches too easily; keep at least two segments when the
  // target has them.
  for (let k = segs.length; k >= Math.min(2, segs.length); k--) {
    const suffix = segs.slice(segs.length - k)
    for (const a of ancestors) {
      const candidate = path.join(a, ...suffix)
      // Never the link itself nor a directory that contains it.
      if (candidate === linkPath || linkPath.startsWith(candidate + path.sep)) continue
      if (candidate === path.resolve(target)) continue
      if (fs.existsSync(candidate)) return candidate
    }
  }
  return null
}

module.exports = { findMovedTarget, isAbsoluteTarget }
