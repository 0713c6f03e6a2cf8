'use strict'
// The names symlink-doctor gives what it builds before moving it into place:
// `.<name>.sd-<pid>-<12 hex>` next to the final name. The pid says which
// process owns it, so a later run can tell a live build from one left by a
// process that was killed (see lib/stale.js).

const path = require('path')
const crypto = require('crypto')

const PATTERN = /^\.(.*)\.sd-(\d+)-([0-9a-f]{12})$/s

// absPath: an absolute path string. Returns a sibling path that names no
// existing file with overwhelming probability (48 random bits).
function tempName (absPath) {
  const suffix = crypto.randomBytes(6).toString('hex')
  return path.join(path.dirname(absPath), `.${path.basename(absPath)}.sd-${process.pid}-${suffix}`)
}

// absPath: the link path. Returns a sibling path for something of the
// user's that could not go back to absPath (another process took the name):
// `.<name>.sd-kept-<8 hex>`, a name parseTempName does not match, so no
// sweep of stale temporaries ever removes it.
function keptName (absPath) {
  const suffix = crypto.randomBytes(4).toString('hex')
  return path.join(path.dirname(absPath), `.${path.basename(absPath)}.sd-kept-${suffix}`)
}

// name: a bare file name. Returns { name, pid } for a name tempName made,
// else null.
function parseTempName (name) {
  const m = PATTERN.exec(name)
  return m ? { name: m[1], pid: Number(m[2]) } : null
}

module.exports = { tempName, keptName, parseTempName }
