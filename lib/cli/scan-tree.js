'use strict'
// scan's work, separate from its printing: find the broken links under a
// root, then (when asked) repair what can be repaired.

const fs = require('fs')
const path = require('path')
const { findBrokenLinks } = require('./walk')
const { findMovedTarget, isAbsoluteTarget } = require('./relocate')

function rel (root, p) {
  return path.relative(root, p) || '.'
}

function repairMoved (item) {
  const { createLinkSync } = require('../link')
  const found = findMovedTarget(item.absPath, item.target)
  if (!found) {
    const absolute = item.target !== null && isAbsoluteTarget(item.target)
    return { fixed: false, why: absolute ? 'the target is not found at the same relative location' : 'relative target missing: it did not move, so there is nothing to find' }
  }
  const newTarget = path.relative(path.dirname(item.absPath), found)
  try {
    const made = createLinkSync(newTarget, item.absPath, { replace: true })
    return { fixed: true, kind: made.kind, newTarget, reason: made.reason }
  } catch (err) {
    return { fixed: false, why: err.message }
  }
}

// A git plain file holds its link's target as text. Replace it only when git
// says it is unmodified (lib/git.js), and put the bytes back if no link can be made.
function repairGitPlainFile (item, modified) {
  const { createLinkSync } = require('../link')
  if (modified.has(item.gitPath)) return { fixed: false, why: 'modified in the work tree (its bytes are not the link target git holds); left as it is' }
  const content = fs.readFileSync(item.absPath)
  const target = content.toString('utf8')
  if (!fs.existsSync(path.resolve(path.dirname(item.absPath), target))) {
    return { fixed: false, why: `its target ${target} does not exist` }
  }
  const mode = fs.statSync(item.absPath).mode & 0o777
  fs.unlinkSync(item.absPath)
  try {
    const made = createLinkSync(target, item.absPath)
    return { fixed: true, kind: made.kind, newTarget: target, reason: made.reason }
  } catch (err) {
    fs.writeFileSync(item.absPath, content, { mode })
    return { fixed: false, why: `${err.message} (the plain file was put back)` }
  }
}

function gitItems (root) {
  const { gitFinding } = require('../git')
  const finding = gitFinding(root, { under: root })
  if (!finding || finding.error) return { finding, items: [] }
  return {
    finding,
    items: finding.plainFiles.map((p) => {
      const absPath = path.join(finding.workTree, p)
      let target = null
      try { target = fs.readFileSync(absPath, 'utf8') } catch {}
      return { absPath, gitPath: p, target, kind: 'git-plain-file', why: `git symlink checked out as a plain file (core.symlinks=${finding.coreSymlinks === false ? 'false' : 'unset'})` }
    })
  }
}

function repairGit (items, finding) {
  const { planGitFix, applyGitFix } = require('../git')
  const { canSymlinkSync } = require('../diagnose')
  const results = new Map()
  if (items.length === 0) return results
  const plan = planGitFix(finding.workTree)
  const modified = new Set(plan.skipped.map((s) => s.path))
  if (canSymlinkSync(finding.workTree)) {
    // Real symlinks are possible: let git put them back (clean git status).
    const wanted = new Set(items.map((i) => i.gitPath))
    const sub = { ...plan, repair: plan.repair.filter((p) => wanted.has(p)) }
    const done = applyGitFix(sub, () => {})
    for (const p of done.fixed) results.set(p, { fixed: true, kind: 'symlink', newTarget: null, reason: 'git checkout with core.symlinks=true' })
    for (const f of done.failed) results.set(f.path, { fixed: false, why: f.why })
    for (const p of modified) results.set(p, { fixed: false, why: 'modified in the work tree (its bytes are not the link target git holds); left as it is' })
    return results
  }
  for (const item of items) results.set(item.gitPath, repairGitPlainFile(item, modified))
  return results
}

function scanTree (root, { repair = false } = {}) {
  const started = process.hrtime.bigint()
  const binding = require('../binding')
  const inspect = process.platform === 'win32' ? binding.inspectSync : null
  const walk = findBrokenLinks(root, { inspect })
  const git = gitItems(root)
  const items = [
    ...walk.broken.map((b) => ({ absPath: b.path, target: b.target, kind: b.kind, why: b.why })),
    ...git.items
  ]
  if (repair) {
    const gitResults = repairGit(git.items, git.finding)
    for (const item of items) {
      item.repair = item.kind === 'git-plain-file' ? gitResults.get(item.gitPath) : repairMoved(item)
    }
  }
  const broken = items.map((i) => ({
    path: rel(root, i.absPath),
    kind: i.kind,
    target: i.target,
    why: i.why,
    ...(i.repair ? { repair: i.repair } : {})
  }))
  return {
    root,
    entries: walk.entries,
    links: walk.links,
    broken,
    repaired: broken.filter((b) => b.repair && b.repair.fixed).length,
    remaining: broken.filter((b) => !(b.repair && b.repair.fixed)).length,
    unreadable: walk.unreadable.map((u) => ({ path: rel(root, u.path), code: u.code })),
    git: git.finding ? { workTree: git.finding.workTree, coreSymlinks: git.finding.coreSymlinks, error: git.finding.error || null } : null,
    ms: Number(process.hrtime.bigint() - started) / 1e6
  }
}

module.exports = { scanTree }
