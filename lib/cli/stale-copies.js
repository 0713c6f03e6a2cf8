'use strict'
// Copies go stale: a copy made in place of a refused symlink shows the
// target as it was. scan lists the copies under its root (from the records
// in lib/link-records.js, not by walking) whose target changed since they
// were made, and scan --repair makes each one again with replace, which
// swaps the fresh copy in atomically where the OS can (lib/link.js).

const fs = require('fs')
const path = require('path')
const records = require('../link-records')

const HOUR = 3600 * 1000

// Every record of a copy whose path lies under realRoot and that is still
// the copy that was made.
function copiesUnder (realRoot) {
  let names
  try { names = fs.readdirSync(records.stateDir()) } catch { return [] }
  const out = []
  for (const name of names) {
    if (!name.endsWith('.json')) continue
    let rec
    try { rec = JSON.parse(fs.readFileSync(path.join(records.stateDir(), name), 'utf8')) } catch { continue }
    if (!rec || typeof rec.path !== 'string') continue
    if (rec.path !== realRoot && !rec.path.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep)) continue
    const found = records.findSync(rec.path)
    const current = found && found.rec.ino === rec.ino && found.rec.dev === rec.dev
    if (current && rec.kind === 'copy') out.push(found.rec)
    else if (!current && Date.now() - Date.parse(rec.madeAt) > HOUR) {
      // What it describes is gone (removed by hand, replaced, edited): the
      // record goes too, whatever its kind. Only old ones: a fresh record
      // may belong to a copy another process is about to move into place.
      try { fs.unlinkSync(path.join(records.stateDir(), name)) } catch {}
    }
  }
  return out
}

// Why the target of a copy differs from it now, or null. Compares names
// and sizes, and anything in the target changed after the copy was made
// (mtime or ctime); stops at the first difference. Never follows links.
function whyStale (rec) {
  const madeAt = Date.parse(rec.madeAt)
  const stack = [['', '']]
  while (stack.length) {
    const [rel] = stack.pop()
    const from = path.join(rec.absTarget, rel)
    const to = path.join(rec.path, rel)
    let a
    try { a = fs.lstatSync(from) } catch { return rel ? `${rel} is gone from the target` : 'the target is gone' }
    if (a.mtimeMs > madeAt || a.ctimeMs > madeAt) return `${rel || 'the target'} changed after the copy was made`
    if (!a.isDirectory()) {
      let b
      try { b = fs.lstatSync(to) } catch { return `${rel} is missing from the copy` }
      if (a.isFile() && b.isFile() && a.size !== b.size) return `${rel || 'the target'} differs in size`
      continue
    }
    let names, copied
    try { names = fs.readdirSync(from).sort() } catch (err) { return `${rel || 'the target'} cannot be read (${err.code})` }
    try { copied = new Set(fs.readdirSync(to)) } catch { return `${rel} is missing from the copy` }
    for (const n of names) {
      const st = fs.lstatSync(path.join(from, n), { throwIfNoEntry: false })
      if (st && st.isSymbolicLink()) continue // left out or shown as its target: not compared
      if (!copied.has(n)) return `${path.join(rel, n)} is new in the target`
      stack.push([path.join(rel, n)])
    }
  }
  return null
}

// The stale copies under root: [{ path, target, madeAt, why }].
function findStaleCopies (root) {
  let realRoot
  try { realRoot = fs.realpathSync.native(root) } catch { return [] }
  const stale = []
  for (const rec of copiesUnder(realRoot)) {
    const why = whyStale(rec)
    if (why) stale.push({ path: path.relative(realRoot, rec.path) || '.', absPath: rec.path, target: rec.target, absTarget: rec.absTarget, madeAt: rec.madeAt, why })
  }
  return stale
}

// Makes each stale copy again from its target. Adds item.refresh =
// { fixed, kind, why }.
function refreshCopies (stale) {
  const { createLinkSync } = require('../link')
  for (const item of stale) {
    if (!fs.existsSync(item.absTarget)) {
      item.refresh = { fixed: false, why: 'the target is gone; the copy is left as it is' }
      continue
    }
    try {
      const r = createLinkSync(item.target, item.absPath, { replace: true, allowCopy: true })
      item.refresh = { fixed: true, kind: r.kind }
    } catch (err) {
      item.refresh = { fixed: false, why: err.message }
    }
  }
  return stale
}

module.exports = { findStaleCopies, refreshCopies }
