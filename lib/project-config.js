'use strict'
// The edits `symlink-doctor setup` makes to a project's config files, as
// pure functions of the file text, so "add, then undo" can be shown to give
// back the user's file byte for byte. Every line we add is preceded by a
// marker comment; undo removes exactly our marker, our --require and any
// line left empty by that, nothing else.

const { quote, parse } = require('./node-options')

const MARKER = '# symlink-doctor setup: lifecycle scripts run with the symlink hook (undo: symlink-doctor setup --undo)'
// The same, in a file setup created: undo may then delete the file.
const MARKER_NEW_FILE = MARKER.replace('setup:', 'setup created this file:')
// Before a node-options line of the user's that setup appended to: undo
// keeps the line, even when it is left empty.
const MARKER_APPENDED = MARKER.replace('setup:', 'setup appended to the next line:')
const isMarker = (line) => line === MARKER || line === MARKER_NEW_FILE || line === MARKER_APPENDED

function eolOf (text) {
  return /\r\n/.test(text) ? '\r\n' : '\n'
}

function splitLines (text) {
  if (text === '') return []
  const lines = text.split(/\r?\n/)
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}

function joinLines (lines, eol, hadFinalEol) {
  if (lines.length === 0) return ''
  return lines.join(eol) + (hadFinalEol ? eol : '')
}

function requireArg (spec) {
  return `--require ${/[\s"\\]/.test(spec) ? quote(spec) : spec}`
}

// Removes `--require spec` (either form) from a NODE_OPTIONS string,
// leaving the rest as written. Returns null when it was not there.
function withoutRequire (value, spec) {
  const ours = requireArg(spec)
  for (const form of [` ${ours}`, ours, ` --require=${spec}`, `--require=${spec}`]) {
    const i = value.lastIndexOf(form)
    if (i !== -1) return value.slice(0, i) + value.slice(i + form.length)
  }
  return null
}

function preloadsSpec (value, spec) {
  const args = parse(value)
  return args.some((a, i) => ((a === '--require' || a === '-r') && args[i + 1] === spec) || a === `--require=${spec}`)
}

// .npmrc (npm; pnpm up to 10): the node-options key.
const NPMRC_KEY = /^(\s*node-options\s*=\s*)(.*?)\s*$/
const NPMRC_EMPTY = /^\s*node-options\s*=\s*$/

// fileIsNew: there was no .npmrc (not even an empty one) before.
function npmrcAdd (text, spec, fileIsNew = false) {
  const eol = eolOf(text)
  const lines = splitLines(text)
  const final = text === '' || /\n$/.test(text)
  // npm takes the last of repeated keys: that is the line that counts.
  const at = lines.findLastIndex((l) => NPMRC_KEY.test(l))
  if (at !== -1) {
    const value = NPMRC_KEY.exec(lines[at])[2]
    if (preloadsSpec(value, spec)) return text
    lines[at] = `${lines[at]}${value ? ' ' : ''}${requireArg(spec)}`
    lines.splice(at, 0, MARKER_APPENDED)
  } else {
    lines.push(fileIsNew ? MARKER_NEW_FILE : MARKER, `node-options=${requireArg(spec)}`)
  }
  return joinLines(lines, eol, final)
}

function npmrcUndo (text, spec) {
  const eol = eolOf(text)
  const lines = splitLines(text)
  const final = /\n$/.test(text)
  const out = []
  for (let i = 0; i < lines.length; i++) {
    if (isMarker(lines[i])) continue
    const m = NPMRC_KEY.exec(lines[i])
    if (m && isMarker(lines[i - 1])) {
      const rest = withoutRequire(lines[i], spec)
      if (rest === null) out.push(lines[i])
      else if (lines[i - 1] === MARKER_APPENDED || !NPMRC_EMPTY.test(rest)) out.push(rest)
      continue
    }
    out.push(lines[i])
  }
  return joinLines(out, eol, final)
}

// Did setup create this file (so undo may delete it once it is empty)?
function npmrcCreatedBySetup (text) {
  return splitLines(text).includes(MARKER_NEW_FILE)
}

// pnpm-workspace.yaml (pnpm 11+ read settings only there): a top-level
// nodeOptions key. We add it only when absent, so undo removes the line.
const YAML_KEY = /^nodeOptions\s*:/

function yamlAdd (text, spec) {
  const lines = splitLines(text)
  if (lines.some((l) => YAML_KEY.test(l))) return { text, skipped: lines.some((l, i) => YAML_KEY.test(l) && lines[i - 1] === MARKER) ? null : 'nodeOptions is already set; add the --require there yourself' }
  const eol = eolOf(text)
  // A file without a final newline keeps going without one, so undo can
  // give it back byte for byte.
  const final = text === '' || /\n$/.test(text)
  lines.push(MARKER, `nodeOptions: ${JSON.stringify(requireArg(spec))}`)
  return { text: joinLines(lines, eol, final), skipped: null }
}

function yamlUndo (text) {
  const lines = splitLines(text)
  const out = []
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === MARKER && i + 1 < lines.length && YAML_KEY.test(lines[i + 1])) { i++; continue }
    out.push(lines[i])
  }
  return joinLines(out, eolOf(text), /\n$/.test(text))
}

// A line diff for showing: [' ', '-', '+'] prefixed lines (LCS; config
// files are small).
function diff (before, after) {
  const a = splitLines(before)
  const b = splitLines(after)
  const dp = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0))
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      dp[i][j] = a[i] === b[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1])
    }
  }
  const out = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) { out.push(`  ${a[i]}`); i++; j++ } else if (j < b.length && (i === a.length || dp[i][j + 1] >= dp[i + 1][j])) { out.push(`+ ${b[j]}`); j++ } else { out.push(`- ${a[i]}`); i++ }
  }
  return out
}

module.exports = { MARKER, MARKER_NEW_FILE, npmrcCreatedBySetup, npmrcAdd, npmrcUndo, yamlAdd, yamlUndo, diff, requireArg }
