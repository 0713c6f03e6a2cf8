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

// The first directory on the way from base down to absPath's parent that is
// not a real directory (a symlink, a junction, a file), as { at, target }
// (at relative to base, target the link's contents or null), or null when
// every component is a real directory. lstat only: nothing is followed. A
// write below such a component would land wherever it points: git itself
// never writes "beyond a symbolic link", and neither do we.
function symlinkedComponent (base, absPath) {
  const rel = path.relative(base, path.dirname(absPath))
  if (rel === '') return null
  if (rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) return { at: rel, target: null, outside: true }
  let d = base
  for (const part of rel.split(path.sep)) {
    d = path.join(d, part)
    const st = fs.lstatSync(d, { throwIfNoEntry: false })
    if (!st) return null // missing: nothing there to write through
    if (st.isSymbolicLink()) {
      let target = null
      try { target = fs.readlinkSync(d) } catch {}
      return { at: path.relative(base, d), target }
    }
    if (!st.isDirectory()) return { at: path.relative(base, d), target: null }
  }
  return null
}

function beyondWhy (via) {
  if (via.outside) return `its path leaves the work tree (${via.at}); not touched`
  return via.target !== null
    ? `reached through the symlinked directory ${via.at} -> ${via.target}: what is there is outside the work tree (git sees this path as deleted); not touched`
    : `${via.at} is not a directory; not touched`
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
    const abs = path.join(top, file)
    const via = symlinkedComponent(top, abs)
    if (via) {
      // lstat would follow the symlinked directory and see a file elsewhere.
      out.push({ path: file, state: 'beyond-symlink', via, oid: rec.split(' ')[1] })
      continue
    }
    const st = fs.lstatSync(abs, { throwIfNoEntry: false })
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

// The finding, for each plain file the object name the index holds, and the
// tracked symlinks whose path goes through a symlinked directory
// (beyond: [{ path, via, why }]), and the tracked symlinks that are symlinks
// in the work tree (tracked: Set of paths).
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
    oids: new Map(plain.map((l) => [l.path, l.oid])),
    beyond: links.filter((l) => l.state === 'beyond-symlink').map((l) => ({ path: l.path, via: l.via, why: beyondWhy(l.via) })),
    tracked: new Set(links.filter((l) => l.state === 'symlink').map((l) => l.path))
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
// A tracked symlink whose path goes through a symlinked directory is skipped:
// git would replace that directory link by a real directory.
function planGitFix (dir) {
  const { finding, oids, beyond } = look(dir)
  if (!finding || finding.error) return { finding, repair: [], skipped: [] }
  const modified = modifiedPaths(finding.workTree, oids)
  return {
    finding,
    repair: finding.plainFiles.filter((p) => !modified.has(p)),
    skipped: [
      ...finding.plainFiles.filter((p) => modified.has(p)).map((p) => ({ path: p, code: 'modified', why: 'modified in the work tree (its bytes are not the link target git holds); left as it is' })),
      ...beyond.map((b) => ({ path: b.path, code: 'through-symlinked-directory', via: b.via, why: b.why }))
    ]
  }
}

// Re-checks-out exactly the planned paths with core.symlinks=true for that
// checkout (git -c), each checked again right before: one whose directory
// became a symlink since the plan is left out. Then sets core.symlinks=true
// in the config, but only when no plain file is left in the work tree: with
// it set, a placeholder left behind (one the user edited) would change in
// git status from modified to typechange, and our commands leave git status
// as it was apart from the symlinks git makes.
// Returns { fixed: [paths], failed: [{path, why, code}], config: 'set' | 'already' | 'left-false', left: n }.
function applyGitFix (plan, log) {
  const top = plan.finding.workTree
  const failed = []
  const paths = []
  for (const p of plan.repair) {
    const via = symlinkedComponent(top, path.join(top, p))
    if (via) failed.push({ path: p, code: 'through-symlinked-directory', why: beyondWhy(via) })
    else paths.push(p)
  }
  const fixed = []
  if (paths.length > 0) {
    log(`git -c core.symlinks=true checkout -- <${paths.length} path${paths.length === 1 ? '' : 's'}>   (in ${top})`)
    let r = { status: 0, stderr: '' }
    for (const batch of batches(paths)) {
      const b = git(top, ['-c', 'core.symlinks=true', 'checkout', '--', ...batch])
      if (b.status !== 0) r = b
    }
    for (const p of paths) {
      const st = fs.lstatSync(path.join(top, p), { throwIfNoEntry: false })
      if (st && st.isSymbolicLink()) fixed.push(p)
      else failed.push({ path: p, why: r.status !== 0 ? r.stderr.trim().split('\n')[0] : 'still not a symlink after checkout' })
    }
  }
  const after = look(top).finding
  const left = after && !after.error ? after.plainFiles.length : 0
  if (left > 0) {
    log(`core.symlinks left ${plan.finding.coreSymlinks === null ? 'unset' : plan.finding.coreSymlinks}: ${left} plain file${left === 1 ? ' is' : 's are'} left (with core.symlinks=true git status would show ${left === 1 ? 'it' : 'them'} as typechanges); run this again once ${left === 1 ? 'it is' : 'they are'} resolved`)
    return { fixed, failed, config: 'left-false', left }
  }
  if (plan.finding.coreSymlinks === true) return { fixed, failed, config: 'already', left }
  log(`git config core.symlinks true   (in ${top})`)
  setCoreSymlinks(top)
  return { fixed, failed, config: 'set', left }
}

// Sets core.symlinks=true.
function setCoreSymlinks (top) {
  const c = git(top, ['config', 'core.symlinks', 'true'])
  if (c.status !== 0) throw new Error(`git config failed: ${c.stderr.trim()}`)
}

module.exports = { findWorkTree, gitFinding, gitLook: look, planGitFix, applyGitFix, setCoreSymlinks, symlinkedComponent }
