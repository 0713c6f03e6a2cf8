'use strict'
// NODE_OPTIONS as Node reads it (src/node_options.cc, ParseNodeOptionsEnvVar):
// arguments split on spaces; a double quote opens or closes a quoted part;
// inside quotes a backslash makes the next character literal; outside quotes
// a backslash is an ordinary character. The same rules on every platform,
// so one quoting serves Windows paths (C:\Users\A B\...) and POSIX ones.

function quote (value) {
  return `"${String(value).replace(/[\\"]/g, '\\$&')}"`
}

// The inverse, to see what is already there.
function parse (text) {
  const args = []
  let cur = ''
  let started = false
  let inQuotes = false
  for (let i = 0; i < text.length; i++) {
    let c = text[i]
    if (c === '\\' && inQuotes && i + 1 < text.length) {
      c = text[++i]
    } else if (c === ' ' && !inQuotes) {
      if (started) args.push(cur)
      cur = ''
      started = false
      continue
    } else if (c === '"') {
      inQuotes = !inQuotes
      started = true
      continue
    }
    cur += c
    started = true
  }
  if (started) args.push(cur)
  return args
}

// Does NODE_OPTIONS already preload this file?
function preloads (text, file) {
  const args = parse(text || '')
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if ((a === '--require' || a === '-r') && args[i + 1] === file) return true
    if (a === `--require=${file}` || a === `-r=${file}`) return true
  }
  return false
}

// NODE_OPTIONS with `--require <file>` added, keeping what was there.
function withRequire (text, file) {
  const before = text || ''
  if (preloads(before, file)) return before
  const add = `--require ${quote(file)}`
  return before.trim() === '' ? add : `${before} ${add}`
}

module.exports = { quote, parse, preloads, withRequire }
