'use strict'
// scan's work, separate from its printing: find the broken links under a
// root, then (when asked) repair what can be repaired.
//
// Repairs stay inside the tree (issue 8): a link is made only when its
// target, resolved as the kernel resolves it (realpath), lies inside the
// scanned root or the git work tree that holds it; nothing is written below
// a directory that is a symlink (each component is checked with lstat, and
// again right before the write); and a git placeholder (a plain file checked
// out for a symlink) is only ever replaced by the symlink git makes, never
// by a hard link or a copy (issue 9). What is refused is listed with why.

const fs = require('fs')
const path = require('path')
const { findBrokenLinks } = require('./walk')
const { findMovedTarget, isAbsoluteTarget, isInside } = require('./relocate')

function rel (root, p) {
  return path.relative(root, p) || '.'
}

function realpathOr (p) {
  try { return fs.realpathSync.native(p) } catch { return path.resolve(p) }
}

// Where a path leads, as the kernel would resolve it: realpath(3), which
// follows each symlink before applying a later '..' (path.resolve would
// apply it first). For a path that does not exist (yet), its deepest
// existing ancestor resolved, with the rest appended.
function resolveLikeKernel (p) {
  try {
    return fs.realpathSync.native(p)
  } catch (err) {
    if (err.code !== 'ENOENT' && err.code !== 'ENOTDIR') throw err
    const up = path.dirname(p)
    if (up === p) return p
    return path.join(resolveLikeKernel(up), path.basename(p))
  }
}

// The confinement every repair goes through. roots: the real paths writes
// and link targets must stay inside.
function confinement (root, workTree) {
  const roots = [realpathOr(root)]
  if (workTree) {
    const w = realpathOr(workTree)
    if (!roots.some((r) => isInside(w, r))) roots.push(w)
  }
  const { symlinkedComponent } = require('../git')
  return {
    roots,
    // A refusal ({ code, why }) for writing the entry absPath, whose real
    // directories start below base (the root, or the work tree for git
    // paths); null when it may be written.
    writable (base, absPath) {
      const via = symlinkedComponent(base, absPath)
      if (!via) return null
      if (via.outside) return { code: 'outside-tree', why: `${absPath} is outside ${base}` }
      return {
        code: 'through-symlinked-directory',
        why: via.target !== null
          ? `its directory is reached through the symlinked directory ${via.at} -> ${via.target}; nothing is written through a symlink`
          : `${via.at} is not a directory`
      }
    },
    // A refusal for a link at absPath holding target, or null when the
    // target resolves inside one of the roots. absPath's own directories
    // are real (checked by writable), so its directory's realpath is where
    // the kernel starts a relative target.
    targetInside (absPath, target) {
      let resolved
      try {
        const start = isAbsoluteTarget(target) ? target : realpathOr(path.dirname(absPath)) + path.sep + target
        resolved = resolveLikeKernel(start)
      } catch (err) {
        return { code: 'outside-tree', why: `its target ${target} cannot be resolved (${err.code || err.message}); only targets inside the tree are linked` }
      }
      if (roots.some((r) => isInside(resolved, r))) return null
      return { code: 'outside-tree', why: `its target resolves to ${resolved}, outside the scanned tree (${roots.join(', ')}); links are only made to targets inside it` }
    }
  }
}

function refusal (no) {
  return { fixed: false, refused: true, code: no.code, why: no.why }
}

// tracked: the work tree and the symlinks git tracks there, or null.
function repairMoved (item, root, guard, tracked) {
  const { createLinkSync } = require('../link')
  if (item.target === null || !isAbsoluteTarget(item.target)) {
    return { fixed: false, why: 'relative target missing: it did not move, so there is nothing to find' }
  }
  const here = guard.writable(root, item.absPath)
  if (here) return refusal(here)
  const accept = (candidate) => guard.targetInside(item.absPath, path.relative(path.dirname(item.absPath), candidate))
  const { found, rejected } = findMovedTarget(item.absPath, item.target, { root, accept })
  if (!found) {
    if (rejected.length > 0) {
      const first = rejected[0]
      return refusal({ code: first.code, why: `a match at ${path.relative(root, first.candidate)}: ${first.why}` })
    }
    return { fixed: false, why: `the target is not found at the same relative location (searched only inside the scanned tree, ${root})` }
  }
  const newTarget = path.relative(path.dirname(item.absPath), found)
  if (tracked && tracked.paths.has(path.relative(tracked.workTree, item.absPath).split(path.sep).join('/'))) {
    // A new target, or a hard link in its place, would show in git status.
    return refusal({ code: 'git-tracked', why: `git tracks this symlink: relinking it would change git status. Found at ${path.relative(root, found)}; to relink it in the repository: ln -sfn ${newTarget} ${path.relative(root, item.absPath)} and commit` })
  }
  // Checked again right before the write: a directory swapped for a symlink
  // since the walk, or a target that moved out, stops it here.
  const again = guard.writable(root, item.absPath) || guard.targetInside(item.absPath, newTarget)
  if (again) return refusal(again)
  try {
    const made = createLinkSync(newTarget, item.absPath, { replace: true })
    return { fixed: true, kind: made.kind, newTarget, reason: made.reason }
  } catch (err) {
    return { fixed: false, why: err.message }
  }
}

const MODIFIED = 'modified in the work tree (its bytes are not the link target git holds); left as it is'

function gitItems (root) {
  const { gitLook } = require('../git')
  const { finding, beyond = [], tracked = new Set() } = gitLook(root, { under: root })
  if (!finding || finding.error) return { finding, items: [], tracked }
  const why = `git symlink checked out as a plain file (core.symlinks=${finding.coreSymlinks === false ? 'false' : 'unset'})`
  const items = finding.plainFiles.map((p) => {
    const absPath = path.join(finding.workTree, p)
    let target = null
    try { target = fs.readFileSync(absPath, 'utf8') } catch {}
    return { absPath, gitPath: p, target, kind: 'git-plain-file', why }
  })
  // Tracked symlinks whose directory is a symlink: git sees them as
  // deleted; what lstat shows there belongs to wherever the link points.
  for (const b of beyond) {
    const under = b.via.outside ? 'outside the work tree' : `under ${b.via.at}, which is ${b.via.target !== null ? `a symlink (-> ${b.via.target})` : 'not a directory'}`
    items.push({ absPath: path.join(finding.workTree, b.path), gitPath: b.path, target: null, kind: 'git-plain-file', why: `git symlink ${under}: git sees it as deleted`, beyond: b })
  }
  return { finding, items, tracked }
}

function repairGit (items, finding, guard) {
  const { planGitFix, applyGitFix } = require('../git')
  const results = new Map()
  if (items.length === 0) return results
  const plan = planGitFix(finding.workTree)
  const skipped = new Map(plan.skipped.map((s) => [s.path, s]))
  const top = finding.workTree
  const candidates = []
  for (const item of items) {
    const skip = skipped.get(item.gitPath)
    if (item.beyond || (skip && skip.code === 'through-symlinked-directory')) {
      results.set(item.gitPath, refusal({ code: 'through-symlinked-directory', why: (skip || item.beyond).why }))
      continue
    }
    const here = guard.writable(top, item.absPath)
    if (here) { results.set(item.gitPath, refusal(here)); continue }
    if (skip) { results.set(item.gitPath, { fixed: false, why: MODIFIED }); continue }
    const outside = item.target === null
      ? { code: 'outside-tree', why: 'its contents cannot be read' }
      : guard.targetInside(item.absPath, item.target)
    if (outside) { results.set(item.gitPath, refusal(outside)); continue }
    candidates.push(item)
  }
  if (candidates.length === 0) return results
  const { canSymlinkSync } = require('../diagnose')
  if (!canSymlinkSync(top)) {
    // A hard link or a copy in its place would read as a modification to
    // git and not follow the target: only git's own symlink will do.
    const why = 'symlinks are refused here; a git placeholder is only replaced by the symlink git makes (a hard link or copy in its place shows as modified in git status and does not follow the target), so it is left alone. Fix the cause (run symlink-doctor), then: symlink-doctor fix --git'
    for (const item of candidates) results.set(item.gitPath, refusal({ code: 'git-needs-symlink', why }))
    return results
  }
  // Real symlinks are possible: let git put them back (core.symlinks=true
  // goes into the config only when no plain file is left: lib/git.js).
  const wanted = new Set(candidates.map((i) => i.gitPath))
  const done = applyGitFix({ ...plan, repair: plan.repair.filter((p) => wanted.has(p)) }, () => {})
  for (const p of done.fixed) results.set(p, { fixed: true, kind: 'symlink', newTarget: null, reason: 'git checkout with core.symlinks=true' })
  for (const f of done.failed) results.set(f.path, f.code ? refusal(f) : { fixed: false, why: f.why })
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
    const guard = confinement(root, git.finding && !git.finding.error ? git.finding.workTree : null)
    const gitResults = repairGit(git.items, git.finding, guard)
    const tracked = git.finding && !git.finding.error ? { workTree: git.finding.workTree, paths: git.tracked } : null
    for (const item of items) {
      item.repair = item.kind === 'git-plain-file' ? gitResults.get(item.gitPath) : repairMoved(item, root, guard, tracked)
    }
  }
  // Copies made in place of refused symlinks whose target changed since.
  const { findStaleCopies, refreshCopies } = require('./stale-copies')
  const stale = findStaleCopies(root)
  if (repair) refreshCopies(stale)
  const staleCopies = stale.map((c) => ({ path: c.path, target: c.target, madeAt: c.madeAt, why: c.why, ...(c.refresh ? { refresh: c.refresh } : {}) }))
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
    remaining: broken.filter((b) => !(b.repair && b.repair.fixed)).length +
      staleCopies.filter((c) => !(c.refresh && c.refresh.fixed)).length,
    staleCopies,
    refused: broken.filter((b) => b.repair && b.repair.refused).map((b) => ({ path: b.path, target: b.target, code: b.repair.code, reason: b.repair.why })),
    unreadable: walk.unreadable.map((u) => ({ path: rel(root, u.path), code: u.code })),
    git: git.finding ? { workTree: git.finding.workTree, coreSymlinks: git.finding.coreSymlinks, error: git.finding.error || null } : null,
    ms: Number(process.hrtime.bigint() - started) / 1e6
  }
}

module.exports = { scanTree }
