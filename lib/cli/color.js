'use strict'
// Colors only where a person reads them: on a TTY, unless NO_COLOR says
// otherwise; FORCE_COLOR wins over both (as in Node and chalk), because it is
// the explicit request of someone piping into a pager that understands ANSI.

function colorEnabled (stream, env) {
  const force = env.FORCE_COLOR
  if (force !== undefined && force !== '') return !(force === '0' || force === 'false')
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (env.TERM === 'dumb') return false
  return Boolean(stream && stream.isTTY)
}

const CODES = { red: 31, green: 32, yellow: 33, cyan: 36, bold: 1, dim: 2 }

// paint(on) → { red(s), green(s), ... }: identity functions when off.
function painter (on) {
  const p = {}
  for (const [name, code] of Object.entries(CODES)) {
    p[name] = on ? (s) => `\u001b[${code}m${s}\u001b[0m` : (s) => s
  }
  return p
}

module.exports = { colorEnabled, painter }
