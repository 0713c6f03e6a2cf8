'use strict'
// npm run bench: every number is a ratio against a baseline measured in the
// same run, on the same machine, in the same way.
//
//  1. createLinkSync vs fs.symlinkSync where symlinks work (the cost of the
//     wrapper on the success path).
//  2. createLinkSync vs fs.linkSync where the kernel refuses symlinks (the
//     cost of the fallback: one refused symlink, then the hard link).
//  3. scan of a 100,000-entry tree vs a bare walk of it (one readdir per
//     directory, nothing else: the floor for any tool that looks).
//  4. start-up of `symlink-doctor check` and `symlink-doctor preinstall` vs
//     `node -e 0` (the budget: +15 ms and +20 ms).

const { spawnSync } = require('child_process')
const fs = require('fs')
const os = require('os')
const path = require('path')

const ROOT = path.join(__dirname, '..')
const BIN = path.join(ROOT, 'bin', 'symlink-doctor.js')
const REFUSE = path.join(ROOT, 'test', 'helpers', 'build', 'refuse-links')

function median (xs) {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

// Median time of one call, over rounds of n calls each.
function timeCalls (fn, n, rounds = 7) {
  const per = []
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < n; i++) fn(i, r)
    per.push(Number(process.hrtime.bigint() - t0) / n / 1e3)
  }
  return median(per)
}

// Median wall time of a command, alternating with the baseline so both see
// the same machine load.
function timeCommands (a, b, runs = 21) {
  const ta = []
  const tb = []
  const once = (cmd) => {
    const t0 = process.hrtime.bigint()
    spawnSync(cmd[0], cmd.slice(1), { stdio: 'ignore', cwd: os.tmpdir() })
    return Number(process.hrtime.bigint() - t0) / 1e6
  }
  once(a)
  once(b)
  for (let i = 0; i < runs; i++) {
    ta.push(once(a))
    tb.push(once(b))
  }
  return [median(ta), median(tb)]
}

function linkBench (label, makeBaseline, makeOurs, n) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-bench-'))
  try {
    fs.writeFileSync(path.join(dir, 'a.txt'), 'A')
    const base = timeCalls((i, r) => makeBaseline(path.join(dir, `b${r}-${i}`)), n)
    const ours = timeCalls((i, r) => makeOurs(path.join(dir, `o${r}-${i}`)), n)
    console.log(`${label}: ${ours.toFixed(1)} us vs ${base.toFixed(1)} us = ${(ours / base).toFixed(2)}x`)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

function inProcess () {
  const sd = require(ROOT)
  const mode = process.argv[3]
  if (mode === 'success') {
    linkBench('createLinkSync vs fs.symlinkSync (symlinks allowed)',
      (p) => fs.symlinkSync('a.txt', p), (p) => sd.createLinkSync('a.txt', p), 2000)
  } else {
    linkBench('createLinkSync vs fs.linkSync (symlinks refused: falls back to a hard link)',
      (p) => fs.linkSync(path.join(path.dirname(p), 'a.txt'), p), (p) => sd.createLinkSync('a.txt', p), 2000)
  }
}

// 1,000 directories of 99 files and one symlink each, half the links dangling.
function makeTree (root) {
  for (let d = 0; d < 1000; d++) {
    const dir = path.join(root, `d${d}`)
    fs.mkdirSync(dir)
    for (let f = 0; f < 99; f++) fs.writeFileSync(path.join(dir, `f${f}`), '')
    fs.symlinkSync(d % 2 ? 'f0' : 'gone', path.join(dir, 'link'))
  }
}

function bareWalk (root) {
  let n = 0
  const stack = [root]
  while (stack.length) {
    for (const e of fs.readdirSync(stack.pop(), { withFileTypes: true })) {
      n++
      if (e.isDirectory()) stack.push(path.join(e.path || e.parentPath, e.name))
    }
  }
  return n
}

function scanBench () {
  const { scanTree } = require(path.join(ROOT, 'lib', 'cli', 'scan-tree'))
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-scan-'))
  try {
    makeTree(root)
    let found = 0
    const base = timeCalls(() => bareWalk(root), 1, 5)
    const ours = timeCalls(() => { found = scanTree(root, { repair: false }).broken.length }, 1, 5)
    console.log(`scan of 101,000 entries (${found} broken links found) vs a bare readdir walk: ${(ours / 1e3).toFixed(0)} ms vs ${(base / 1e3).toFixed(0)} ms = ${(ours / base).toFixed(2)}x`)
  } finally {
    fs.rmSync(root, { recursive: true, force: true })
  }
}

function main () {
  console.log(`symlink-doctor bench (node ${process.version}, ${os.cpus().length} cpus, native: ${require(ROOT).native})`)
  spawnSync(process.execPath, [__filename, '--child', 'success'], { stdio: 'inherit' })
  if (fs.existsSync(REFUSE)) {
    spawnSync(REFUSE, ['--', process.execPath, __filename, '--child', 'refused'], { stdio: 'inherit' })
  } else {
    console.log('refused-symlink bench skipped: run npm run build:test-helpers first')
  }
  scanBench()
  const baseline = [process.execPath, '-e', '0']
  for (const [name, args, budget] of [['check', ['check', os.tmpdir()], 15], ['preinstall', ['preinstall'], 20]]) {
    if (!fs.existsSync(path.join(ROOT, 'lib', 'commands', `${name}.js`))) {
      console.log(`${name} start-up: not measured (no lib/commands/${name}.js)`)
      continue
    }
    const [ours, base] = timeCommands([process.execPath, BIN, ...args], baseline)
    console.log(`symlink-doctor ${name} start-up: ${ours.toFixed(1)} ms vs node -e 0 ${base.toFixed(1)} ms = +${(ours - base).toFixed(1)} ms (${(ours / base).toFixed(2)}x; budget +${budget} ms)`)
  }
}

if (process.argv[2] === '--child') inProcess()
else main()
