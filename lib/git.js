'use strict'
// The git finding: a work tree with core.symlinks=false (git sets it at clone
// time when its own trial symlink failed) has its tracked symlinks (mode
// 120000) checked out as plain files holding the target path. This module
// finds them and puts real links back, touching only those paths and never
// a file the user changed.

const fs = require('fs')
const path = require('path')
const { spawnSync } = require('child_process')

// The work tree holding dir, found without spawning git (doctor must stay
// cheap outside repositories). A .git file (worktrees, submodules) counts.
function findWorkTree (dir) {
  let d = path.resolve(dir)
  for (;;) {
    if (fs.existsSync(path.join(d, '.git'))) return d
    const up = path.dirname(d)
    if (up === d) return null
    d = up
  }
}

function git (cwd, args, input) {
  const r = spawnSync('git', args, {
    cwd,
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    // Paths come from git itself; no glob magic must apply to them.
    env: { ...process.env, GIT_LITERAL_PATHSPECS: '1', LC_ALL: 'C' }
  })
  if (r.error) throw r.error
  return r
}

// core.symlinks as git reads it: true, false, or null when unset (git then
// assumes true on POSIX).
function coreSymlinks (top) {
  const r = git(top, ['config', '--type=bool', '--get', 'core.symlinks'])
  if (r.status !== 0) return null
  return r.stdout.trim() === 'true'
}

// Tracked symlinks (mode 120000) with their state in the work tree and the
// object name of what the index holds for them (the link target).
function trackedSymlinks (top, under) {
  const r = git(top, ['ls-files', '-s', '-z', '--', under ? path.relative(top, under) || '.' : '.'])
  if (r.status !== 0) throw new Error(`git ls-files failed: ${r.stderr.trim()}`)
  const out = []
  for (const rec of r.stdout.split('\0')) {
    if (!rec.startsWith('120000 ')) continue
    const tab = rec.indexOf('\t')
    const file = rec.slice(tab + 1)
    const st = fs.lstatSync(path.join(top, file), { throwIfNoEntry: false })
    const state = !st ? 'missing' : st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'plain-file' : 'other'
    out.push({ path: file, state, oid: rec.split(' ')[1] })
  }
  return out
}

// The finding for doctor and scan, or null outside a work tree or without git.
// { workTree, coreSymlinks, trackedSymlinks, plainFiles: [paths] }
function gitFinding (dir, options) {
  return look(dir, options).finding
}

// The finding, and for each plain file the object name the index holds.
function look (dir, { under } = {}) {
  const top = findWorkTree(dir)
  if (!top) return { finding: null }
  let links
  let core
  try {
    core = coreSymlinks(top)
    links = trackedSymlinks(top, under)
  } catch (err) {
    return { finding: { workTree: top, error: err.code === 'ENOENT' ? 'git is not installed' : err.message } }
  }
  const plain = links.filter((l) => l.state === 'plain-file')
  return {
    finding: {
      workTree: top,
      coreSymlinks: core,
      trackedSymlinks: links.length,
      plainFiles: plain.map((l) => l.path)
    },
    oids: new Map(plain.map((l) => [l.path, l.oid]))
  }
}

// Of these plain files, the ones whose bytes are not the link target the
// index holds: each file's blob name, computed as git does, against the
// index's. Not `git diff`: it trusts the index's stat data and flags, so a
// file marked assume-unchanged would look clean and be overwritten.
function modifiedPaths (top, oids) {
  const crypto = require('crypto')
  const modified = new Set()
  for (const [p, oid] of oids) {
    let bytes
    try {
      bytes = fs.readFileSync(path.join(top, p))
    } catch {
      modified.add(p) // cannot tell: leave it alone
      continue
    }
    const hash = crypto.createHash(oid.length === 64 ? 'sha256' : 'sha1')
    hash.update(`blob ${bytes.length}\0`).update(bytes)
    if (hash.digest('hex') !== oid) modified.add(p)
  }
  return modified
}

// Paths go on the command line (GIT_LITERAL_PATHSPECS keeps them literal),
// in batches that stay far below every OS's command-line limit.
function batches (paths, size = 200) {
  const out = []
  for (let i = 0; i < paths.length; i += size) out.push(paths.slice(i, i + size))
  return out
}

// Plans the repair: which plain files are safe to replace, which are not.
function planGitFix (dir) {
  const { finding, oids } = look(dir)
  if (!finding || finding.error) return { finding, repair: [], skipped: [] }
  const modified = modifiedPaths(finding.workTree, oids)
  return {
    finding,
    repair: finding.plainFiles.filter((p) => !modified.has(p)),
    skipped: finding.plainFiles.filter((p) => modified.has(p)).map((p) => ({ path: p, why: 'modified in the work tree (its bytes are not the link target git holds); left as it is' }))
  }
}

// Sets core.symlinks=true and re-checks-out exactly the planned paths.
// Returns { fixed: [paths], failed: [{path, why}] }.
function applyGitFix (plan, log) {
  const top = plan.finding.workTree
  log(`git config core.symlinks true   (in ${top})`)
  const c = git(top, ['config', 'core.symlinks', 'true'])
  if (c.status !== 0) throw new Error(`git config failed: ${c.stderr.trim()}`)
  if (plan.repair.length === 0) return { fixed: [], failed: [] }
  log(`git checkout -- <${plan.repair.length} path${plan.repair.length === 1 ? '' : 's'}>`)
  let r = { status: 0, stderr: '' }
  for (const batch of batches(plan.repair)) {
    const b = git(top, ['checkout', '--', ...batch])
    if (b.status !== 0) r = b
  }
  const fixed = []
  const failed = []
  for (const p of plan.repair) {
    const st = fs.lstatSync(path.join(top, p), { throwIfNoEntry: false })
    if (st && st.isSymbolicLink()) fixed.push(p)
    else failed.push({ path: p, why: r.status !== 0 ? r.stderr.trim().split('\n')[0] : 'still not a symlink after checkout' })
  }
  return { fixed, failed }
}

module.exports = { findWorkTree, gitFinding, planGitFix, applyGitFix }
