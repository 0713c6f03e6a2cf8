'use strict'
// The sandbox facts of this process on Linux: whether a seccomp filter is
// installed, which is the usual reason for EPERM on a filesystem that
// supports links. Read from /proc/self/status (one small read, no spawn).

const fs = require('fs')

function processFacts (platform = process.platform) {
  if (platform !== 'linux') return {}
  let text
  try {
    text = fs.readFileSync('/proc/self/status', 'utf8')
  } catch {
    return {}
  }
  const field = (name) => {
    const m = new RegExp(`^${name}:\\s*(\\d+)`, 'm').exec(text)
    return m ? Number(m[1]) : null
  }
  return { seccomp: field('Seccomp'), noNewPrivs: field('NoNewPrivs') === 1 }
}

module.exports = { processFacts }
