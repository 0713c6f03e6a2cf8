'use strict'
// npm run bench: one table. Every figure is a ratio against a baseline
// measured in the same run, in the same process where it can be, in
// batches that alternate with the baseline's (round 1: baseline, ours,
// peers; round 2: the same again; ...), so a machine that slows down or
// speeds up midway slows every row alike. Medians of the rounds.
//
// Two clocks: the CPU time the process spent (user + system, every thread,
// so the thread pool's work counts for the promise forms), which the
// targets are judged on, and wall-clock time, shown beside it. On a shared
// 2-core machine under load, wall time of identical runs swung by 25%
// while CPU time stayed within 2%.
//
// Links are made on tmpfs (/dev/shm) where the platform has it: on ext4
// the same loop swung 10x between runs. The records symlink-doctor keeps of
// the hard links it makes go to a state directory on the same tmpfs, made
// for this run and removed after it (SYMLINK_DOCTOR_STATE_DIR).
//
// Rows under "symlinks refused" run under the project's seccomp helper
// (test/helpers/build/refuse-links: symlink(2) fails with EPERM, as on
// Windows without the privilege); `npm run build:test-helpers` builds it.
// The floor rows are bench/floor.c: the system calls alone in C, compiled
// here with cc -O2.

const { spawnSync, execFileSync } = require('child_process')
const fs = require('fs')
const os = require('os')
const path = require('path')

const ROOT = path.join(__dirname, '..')
const BIN = path.join(ROOT, 'bin', 'symlink-doctor.js')
const REGISTER = path.join(ROOT, 'register.js')
const REFUSE = path.join(ROOT, 'test', 'helpers', 'build', 'refuse-links')
const FLOOR = path.join(ROOT, 'build', 'bench', 'floor')

const ROUNDS = Number(process.env.BENCH_ROUNDS) || 9

function median (xs) {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

function scratchBase () {
  if (process.platform === 'linux' && fs.existsSync('/dev/shm')) {
    try {
      fs.accessSync('/dev/shm', fs.constants.W_OK)
      return '/dev/shm'
    } catch {}
  }
  return os.tmpdir()
}

// ---------------------------------------------------------------- children

// One batch of n calls of fn in a new directory: { wall, cpu } microseconds
// per call. The directory is removed after (not timed).
function batchSync (root, tag, n, fn) {
  const dir = path.join(root, tag)
  fs.mkdirSync(dir)
  const c0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < n; i++) fn(path.join(dir, `l${i}`), i)
  const wall = Number(process.hrtime.bigint() - t0) / n / 1e3
  const c = process.cpuUsage(c0)
  fs.rmSync(dir, { recursive: true, force: true })
  return { wall, cpu: (c.user + c.system) / n }
}

async function batchAsync (root, tag, n, fn) {
  const dir = path.join(root, tag)
  fs.mkdirSync(dir)
  const paths = []
  for (let i = 0; i < n; i++) paths.push(path.join(dir, `l${i}`))
  const c0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  await Promise.all(paths.map(fn))
  const wall = Number(process.hrtime.bigint() - t0) / n / 1e3
  const c = process.cpuUsage(c0)
  fs.rmSync(dir, { recursive: true, force: true })
  return { wall, cpu: (c.user + c.system) / n }
}

function floorBatch (root, tag, mode, n) {
  if (!fs.existsSync(FLOOR)) return null
  const dir = path.join(root, tag)
  fs.mkdirSync(dir)
  try {
    const [wall, cpu] = execFileSync(FLOOR, [mode, dir, String(n)], { encoding: 'utf8' }).trim().split(' ').map(Number)
    return { wall: wall / 1e3, cpu: cpu / 1e3 }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
    fs.rmSync(path.join(root, 'state'), { recursive: true, force: true })
  }
}

// Runs the variants in alternating rounds; { name: { wall, cpu } } medians.
// Each round starts one variant later (a rotation), so none always runs
// right after the same other one (and pays for its garbage).
async function interleave (variants, rounds = ROUNDS) {
  const times = {}
  const names = Object.keys(variants)
  for (const name of names) times[name] = []
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(r + k) % names.length]
      const t = await variants[name](`${name.replace(/\W+/g, '_')}-${r}`)
      if (t !== null) times[name].push(t)
    }
  }
  const out = {}
  for (const [name, ts] of Object.entries(times)) {
    out[name] = ts.length ? { wall: median(ts.map((t) => t.wall)), cpu: median(ts.map((t) => t.cpu)) } : null
  }
  return out
}

function newRoot () {
  const root = fs.mkdtempSync(path.join(scratchBase(), 'sd-bench-'))
  fs.mkdirSync(path.join(root, 't'))
  fs.writeFileSync(path.join(root, 'a.txt'), 'A')
  return root
}

// The fallback's system calls made with Node's fs and nothing else (no
// checks, no generator, no result): what Node itself costs for them.
// (fs.symlinkSync as Node has it: the refused child loads the hook later.)
const plainSymlinkSync = fs.symlinkSync
const HEAD = Buffer.alloc(512)
let madeStateJs = false
const RECORD = JSON.stringify({ v: 1, kind: 'hardlink', pad: 'x'.repeat(200) })
function fallbackCallsInNode (root, p, id) {
  try { plainSymlinkSync('../a.txt', p) } catch {}
  const dir = fs.realpathSync.native(path.dirname(p))
  const target = fs.realpathSync.native(`${dir}/../a.txt`)
  fs.statSync(target)
  const fd = fs.openSync(target, 'r')
  fs.readSync(fd, HEAD, 0, 512, 0)
  fs.closeSync(fd)
  fs.linkSync(target, p)
  const rec = path.join(root, 'state-js', `${id}.json`)
  if (!madeStateJs) madeStateJs = fs.mkdirSync(path.dirname(rec), { recursive: true }) || true
  fs.writeFileSync(`${rec}.t`, RECORD, { flag: 'wx', mode: 0o600 })
  fs.renameSync(`${rec}.t`, rec)
}

const children = {
  // Where symlinks work: 5,000 directory links per batch.
  async success () {
    const sd = require(ROOT)
    const symlinkDirModule = require('symlink-dir')
    const symlinkDir = symlinkDirModule.default || symlinkDirModule
    const fse = require('fs-extra')
    const root = newRoot()
    const t = path.join(root, 't')
    const N = 5000
    try {
      const sync = await interleave({
        'fs.symlinkSync': (tag) => batchSync(root, tag, N, (p) => fs.symlinkSync('../t', p, 'dir')),
        createLinkSync: (tag) => batchSync(root, tag, N, (p) => sd.createLinkSync('../t', p)),
        'symlink-dir .sync': (tag) => batchSync(root, tag, N, (p) => symlinkDirModule.sync(t, p)),
        'fs-extra ensureSymlinkSync': (tag) => batchSync(root, tag, N, (p) => fse.ensureSymlinkSync(t, p, 'dir')),
        'C symlink(2) loop': (tag) => floorBatch(root, tag, 'symlink', N)
      }, ROUNDS + 6)
      const batch = await interleave({
        'fs.promises.symlink': (tag) => batchAsync(root, tag, N, (p) => fs.promises.symlink('../t', p, 'dir')),
        createLink: (tag) => batchAsync(root, tag, N, (p) => sd.createLink('../t', p)),
        'symlink-dir async': (tag) => batchAsync(root, tag, N, (p) => symlinkDir(t, p)),
        'fs-extra ensureSymlink': (tag) => batchAsync(root, tag, N, (p) => fse.ensureSymlink(t, p, 'dir'))
      })
      return { sync, batch }
    } finally {
      fs.rmSync(root, { recursive: true, force: true })
    }
  },

  // The hook where symlinks work: the wrapper against the fs.symlinkSync it
  // wraps, in one process.
  async hook () {
    const plain = fs.symlinkSync
    require(REGISTER)
    if (fs.symlinkSync === plain) throw new Error('the hook did not install')
    const hooked = fs.symlinkSync
    const root = newRoot()
    try {
      return await interleave({
        'fs.symlinkSync': (tag) => batchSync(root, tag, 5000, (p) => plain('../t', p, 'dir')),
        'hooked fs.symlinkSync': (tag) => batchSync(root, tag, 5000, (p) => hooked('../t', p, 'dir'))
      }, ROUNDS + 4)
    } finally {
      fs.rmSync(root, { recursive: true, force: true })
    }
  },

  // Under refuse-links: 3,000 file links per batch, all in one directory.
  async refused () {
    const plain = fs.symlinkSync
    const sd = require(ROOT)
    require(REGISTER)
    const hooked = fs.symlinkSync
    const root = newRoot()
    const a = path.join(root, 'a.txt')
    const N = 3000
    try {
      try {
        plain('a.txt', path.join(root, 'probe'))
        throw new Error('symlinks are not refused here')
      } catch (err) {
        if (err.code !== 'EPERM') throw err
      }
      return await interleave({
        'fs.linkSync': (tag) => batchSync(root, tag, N, (p) => fs.linkSync(a, p)),
        'createLinkSync -> hard link': (tag) => batchSync(root, tag, N, (p) => sd.createLinkSync('../a.txt', p)),
        'naive try/catch': (tag) => batchSync(root, tag, N, (p) => {
          try { plain('../a.txt', p) } catch { fs.linkSync(a, p) }
        }),
        'hooked fs.symlinkSync -> hard link': (tag) => batchSync(root, tag, N, (p) => hooked('../a.txt', p)),
        'C link(2) loop': (tag) => floorBatch(root, tag, 'link', N),
        'the same calls through fs': (tag) => batchSync(root, tag, N, (p, i) => fallbackCallsInNode(root, p, `${tag}-${i}`)),
        'C the fallback\'s syscalls': (tag) => floorBatch(root, tag, 'fallback', N),
        'C the record alone': (tag) => floorBatch(root, tag, 'record', N)
      })
    } finally {
      fs.rmSync(root, { recursive: true, force: true })
    }
  },

  // RSS after 1,000 and after 100,000 make + remove cycles (after a GC).
  async memory () {
    const which = process.argv[4]
    const sd = require(ROOT)
    let make = (target, p) => sd.createLinkSync(target, p)
    if (which === 'hook') {
      require(REGISTER)
      make = (target, p) => fs.symlinkSync(target, p)
    }
    const root = newRoot()
    const state = process.env.SYMLINK_DOCTOR_STATE_DIR
    const p = path.join(root, 'l')
    const v8 = require('v8')
    const look = () => {
      global.gc()
      global.gc()
      const m = process.memoryUsage()
      const young = v8.getHeapSpaceStatistics().find((sp) => sp.space_name === 'new_space')
      return { rss: m.rss, heapUsed: m.heapUsed, young: young ? young.space_size : null }
    }
    try {
      let at1k = null
      for (let i = 1; i <= 100000; i++) {
        make('a.txt', p)
        sd.removeLinkSync(p)
        if (i === 1000) at1k = look()
        // The records of hard links stay after removeLink (one file each);
        // cleared now and then so tmpfs holds few (not in the process).
        if (i % 10000 === 0 && state) {
          for (const name of fs.readdirSync(state)) fs.rmSync(path.join(state, name), { force: true })
        }
      }
      return { at1k, at100k: look() }
    } finally {
      fs.rmSync(root, { recursive: true, force: true })
    }
  }
}

// ---------------------------------------------------------------- parent

function child (name, extra = [], { refuse = false, flags = [] } = {}) {
  const argv = [...flags, __filename, '--child', name, ...extra]
  const [cmd, args] = refuse ? [REFUSE, ['--', process.execPath, ...argv]] : [process.execPath, argv]
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24 })
  if (r.status !== 0) throw new Error(`bench child ${name} failed (${r.status}): ${r.stderr}`)
  return JSON.parse(r.stdout.trim().split('\n').pop())
}

// One run of a command: { wall, cpu } in ms (the CPU time from wait4's
// rusage through the floor helper; without it, wall time only).
function runCommand (cmd, cwd) {
  if (fs.existsSync(FLOOR)) {
    const out = execFileSync(FLOOR, ['exec', ...cmd], { encoding: 'utf8', cwd }).trim().split(' ').map(Number)
    if (out[2] !== 0 && !cmd.anyStatus) throw new Error(`${cmd.join(' ')} exited ${out[2]}`)
    return { wall: out[0] / 1e6, cpu: out[1] / 1e6 }
  }
  const t0 = process.hrtime.bigint()
  const r = spawnSync(cmd[0], cmd.slice(1), { stdio: 'ignore', cwd })
  if (r.status !== 0 && !cmd.anyStatus) throw new Error(`${cmd.join(' ')} exited ${r.status}`)
  return { wall: Number(process.hrtime.bigint() - t0) / 1e6, cpu: null }
}

// Median { wall, cpu } of each command, the commands run in turn (one
// warm-up each). cmd may be a function of the run number.
function timeCommands (cmds, runs, cwd) {
  const times = cmds.map(() => [])
  for (let i = -1; i < runs; i++) {
    cmds.forEach((cmd, k) => {
      const t = runCommand(typeof cmd === 'function' ? cmd(i) : cmd, cwd)
      if (i >= 0) times[k].push(t)
    })
  }
  return times.map((ts) => ({ wall: median(ts.map((t) => t.wall)), cpu: ts[0].cpu === null ? null : median(ts.map((t) => t.cpu)) }))
}

const rows = []
let missed = 0
// value: { wall, cpu } of this row; base: the baseline's; ratio judged on CPU.
function row (what, value, base, unit, target, check, note = '') {
  const r = { what, value, base, unit, target, note }
  if (check !== null) {
    r.met = check(value, base)
    if (!r.met) missed++
  }
  rows.push(r)
  return r
}
function section (name) { rows.push({ section: name }) }

// unit: 'us' (ratios), 'ms' (differences), 'ms x' (ms, ratios).
const num = (v, unit) => v === null || v === undefined ? '-' : unit === 'us' ? `${v.toFixed(2)} us` : `${v.toFixed(1)} ms`
function versus (r, key) {
  if (!r.base || r.value[key] === null || r.base[key] === null) return '-'
  if (r.unit === 'ms') {
    const d = r.value[key] - r.base[key]
    return r.value === r.base ? 'baseline' : `${d >= 0 ? '+' : ''}${d.toFixed(1)} ms`
  }
  return r.value === r.base ? 'baseline' : `${(r.value[key] / r.base[key]).toFixed(2)}x`
}

function print (header) {
  const lines = [header, '',
    '| what | CPU per op | vs baseline (CPU) | wall per op | vs baseline (wall) | target | |',
    '|---|---|---|---|---|---|---|']
  for (const r of rows) {
    if (r.section) {
      lines.push(`| **${r.section}** | | | | | | |`)
      continue
    }
    if (r.unit === 'MB') {
      lines.push(`| ${r.what} | | ${r.value} | | | ${r.target} | ${r.met === undefined ? '' : r.met ? 'met' : '**not met**'}${r.note ? `: ${r.note}` : ''} |`)
      continue
    }
    const met = r.met === undefined ? '' : r.met ? 'met' : '**not met**'
    lines.push(`| ${r.what} | ${num(r.value.cpu, r.unit)} | ${versus(r, 'cpu')} | ${num(r.value.wall, r.unit)} | ${versus(r, 'wall')} | ${r.target} | ${met}${r.note ? `${met ? ': ' : ''}${r.note}` : ''} |`)
  }
  console.log(lines.join('\n'))
}

function buildFloor () {
  if (process.platform !== 'linux') return 'the C floor is Linux only'
  try {
    fs.mkdirSync(path.dirname(FLOOR), { recursive: true })
    execFileSync('cc', ['-O2', '-o', FLOOR, path.join(__dirname, 'floor.c')], { stdio: 'pipe' })
    return null
  } catch (err) {
    try { fs.rmSync(FLOOR, { force: true }) } catch {}
    return `no C floor (cc failed: ${err.message.split('\n')[0]}); start-up rows in wall time only`
  }
}

const atMost = (max) => (v, b) => v.cpu / b.cpu <= max
const fasterThan = (max, ...peers) => (v, b) => v.cpu / b.cpu <= max && peers.every((p) => v.cpu < p.cpu)
const addsAtMost = (ms) => (v, b) => (v.cpu !== null ? v.cpu - b.cpu : v.wall - b.wall) <= ms

function main () {
  const base = scratchBase()
  const state = fs.mkdtempSync(path.join(base, 'sd-bench-state-'))
  process.env.SYMLINK_DOCTOR_STATE_DIR = state
  process.env.SYMLINK_DOCTOR_QUIET = '1'
  const floorMissing = buildFloor()
  const started = Date.now()
  const cpu = os.cpus()
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' ')
  let native = '?'
  try { native = String(require(path.join(ROOT, 'lib', 'binding')).native) } catch {}
  const header = [
    `symlink-doctor bench: node ${process.version}, ${os.type()} ${os.release()}, ${cpu.length} x ${cpu[0] ? cpu[0].model.trim() : '?'}, ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, load average at start ${load}; native core: ${native}`,
    `links made in ${base} (${base === '/dev/shm' ? 'tmpfs' : 'not tmpfs: none here'}); medians of ${ROUNDS} interleaved rounds (${ROUNDS + 6} for symlinks one call at a time, ${ROUNDS + 4} for the hook); ` +
      'targets judged on CPU time' + (floorMissing ? `; ${floorMissing}` : '')
  ].join('\n')

  try {
    // Where symlinks work.
    const s = child('success')
    const sync = s.sync
    section('symlinks allowed, one call at a time: 5,000 directory links per round')
    row('`fs.symlinkSync`', sync['fs.symlinkSync'], sync['fs.symlinkSync'], 'us', 'baseline', null)
    row('`createLinkSync`', sync.createLinkSync, sync['fs.symlinkSync'], 'us', '<= 1.10x, below every peer',
      fasterThan(1.10, sync['symlink-dir .sync'], sync['fs-extra ensureSymlinkSync']))
    row('pnpm `symlink-dir` 9 `.sync`', sync['symlink-dir .sync'], sync['fs.symlinkSync'], 'us', 'peer', null)
    row('fs-extra 11 `ensureSymlinkSync`', sync['fs-extra ensureSymlinkSync'], sync['fs.symlinkSync'], 'us', 'peer', null)
    if (sync['C symlink(2) loop']) row('floor: `symlink(2)` in a C loop', sync['C symlink(2) loop'], sync['fs.symlinkSync'], 'us', 'the physical limit', null)

    const b = s.batch
    section('symlinks allowed, 5,000 at once (Promise.all)')
    row('`fs.promises.symlink`', b['fs.promises.symlink'], b['fs.promises.symlink'], 'us', 'baseline', null)
    row('`createLink`', b.createLink, b['fs.promises.symlink'], 'us', '<= 1.10x, below every peer',
      fasterThan(1.10, b['symlink-dir async'], b['fs-extra ensureSymlink']))
    row('pnpm `symlink-dir` 9', b['symlink-dir async'], b['fs.promises.symlink'], 'us', 'peer', null)
    row('fs-extra 11 `ensureSymlink`', b['fs-extra ensureSymlink'], b['fs.promises.symlink'], 'us', 'peer', null)

    const h = child('hook')
    section('the hook (`symlink-doctor/register` loaded), symlinks allowed: 5,000 per round')
    row('`fs.symlinkSync` as Node has it', h['fs.symlinkSync'], h['fs.symlinkSync'], 'us', 'baseline', null)
    row('`fs.symlinkSync` through the hook', h['hooked fs.symlinkSync'], h['fs.symlinkSync'], 'us', '<= 1.03x', atMost(1.03))

    if (fs.existsSync(REFUSE)) {
      const r = child('refused', [], { refuse: true })
      const lb = r['fs.linkSync']
      const ours = r['createLinkSync -> hard link']
      const floorFb = r["C the fallback's syscalls"]
      section('symlinks refused (seccomp makes symlink(2) EPERM): 3,000 file links per round, one directory')
      row('`fs.linkSync`', lb, lb, 'us', 'baseline', null)
      const fb = row('`createLinkSync` falling back to a hard link', ours, lb, 'us', '<= 1.5x', atMost(1.5))
      if (!fb.met && floorFb) {
        const rec = r['C the record alone']
        fb.note = 'bound by the system calls a correct fallback makes (the refused symlink, realpath(3) of the link\'s directory and of the target, stat, the target\'s first bytes to tell a command, link, and the record that lets replace, removeLink and inspect know the hard link is ours): ' +
          `the same calls in C cost ${(floorFb.cpu / lb.cpu).toFixed(2)}x` + (rec ? `, the record alone ${(rec.cpu / lb.cpu).toFixed(2)}x` : '') +
          `; createLinkSync is ${(ours.cpu / floorFb.cpu).toFixed(2)}x those calls in C`
      }
      row('a naive `try { symlinkSync } catch { linkSync }`', r['naive try/catch'], lb, 'us', 'reference', null)
      row('the hook\'s fallback (a hooked `fs.symlinkSync`)', r['hooked fs.symlinkSync -> hard link'], ours, 'us', '<= 1.2x createLinkSync (ratio against the row above it)', atMost(1.2))
      if (r['C link(2) loop']) row('floor: `link(2)` in a C loop', r['C link(2) loop'], lb, 'us', 'the physical limit', null)
      row('the fallback\'s calls made through Node\'s fs, nothing else', r['the same calls through fs'], lb, 'us', 'what Node costs for them', null)
      if (floorFb) row('floor: the fallback\'s 18 system calls in C (a refused symlink, 2 realpath(3), stat, open/pread/close, link; record: open/write/close/rename)', floorFb, lb, 'us', 'the limit for this fallback', null)
      if (r['C the record alone']) row('floor: of those, the record alone in C (open/write/close/rename)', r['C the record alone'], lb, 'us', 'part of the limit', null)

      // One call in a fresh process, against the same naive code.
      const dir = fs.mkdtempSync(path.join(base, 'sd-bench-one-'))
      fs.writeFileSync(path.join(dir, 'a.txt'), 'A')
      const naive = "const fs=require('fs');const p='n'+process.argv[1];try{fs.symlinkSync('a.txt',p)}catch{fs.linkSync('a.txt',p)}"
      const one = `const p='o'+process.argv[1];require(${JSON.stringify(ROOT)}).createLinkSync('a.txt',p)`
      const [tn, to] = timeCommands([
        (i) => [REFUSE, '--', process.execPath, '-e', naive, String(i + 1)],
        (i) => [REFUSE, '--', process.execPath, '-e', one, String(i + 1)]
      ], 21, dir)
      fs.rmSync(dir, { recursive: true, force: true })
      section('symlinks refused, one call in a fresh process (node started for it; 21 runs each, in turn)')
      row('naive `try { symlinkSync } catch { linkSync }`', tn, tn, 'ms', 'baseline', null)
      const ro = row('`createLinkSync` (its require included)', to, tn, 'ms', '<= 1.5x', atMost(1.5))
      ro.note = `${(to.cpu / tn.cpu).toFixed(2)}x CPU, ${(to.wall / tn.wall).toFixed(2)}x wall`
    } else {
      section('symlinks refused: not measured (npm run build:test-helpers builds the refusal helper)')
    }

    // Start-up.
    const probeDir = fs.mkdtempSync(path.join(base, 'sd-bench-check-'))
    const anyStatus = (cmd) => Object.assign(cmd, { anyStatus: true })
    // What any preloaded hook of three modules pays: three empty files.
    const three = path.join(probeDir, 'three')
    fs.mkdirSync(three)
    fs.writeFileSync(path.join(three, 'a.js'), "require('./b.js'); require('./c.js')\n")
    fs.writeFileSync(path.join(three, 'b.js'), '\n')
    fs.writeFileSync(path.join(three, 'c.js'), '\n')
    const [t0, treq, tcheck, tpre, treg, tthree, tfsp] = timeCommands([
      [process.execPath, '-e', '0'],
      [process.execPath, '-e', `require(${JSON.stringify(ROOT)})`],
      anyStatus([process.execPath, BIN, 'check', probeDir]),
      anyStatus([process.execPath, BIN, 'preinstall']),
      [process.execPath, '-r', REGISTER, '-e', '0'],
      [process.execPath, '-r', path.join(three, 'a.js'), '-e', '0'],
      [process.execPath, '-e', "require('fs').promises; require('module').syncBuiltinESMExports()"]
    ], 31, probeDir)
    fs.rmSync(probeDir, { recursive: true, force: true })
    section('start-up: one process, 31 runs of each, in turn')
    row('`node -e 0`', t0, t0, 'ms', 'baseline', null)
    row('`node -e "require(\'symlink-doctor\')"`', treq, t0, 'ms', '<= +5 ms', addsAtMost(5))
    row('`symlink-doctor check <dir on tmpfs>`', tcheck, t0, 'ms', '<= +15 ms', addsAtMost(15))
    row('`symlink-doctor preinstall`', tpre, t0, 'ms', '<= +15 ms', addsAtMost(15))
    const rr = row('`node -r symlink-doctor/register -e 0`', treg, t0, 'ms', '<= +3 ms', addsAtMost(3))
    row('for reference: `node -r` of three empty modules (register.js, lib/hook-note.js, lib/hook.js are three)', tthree, t0, 'ms', 'part of the bound', null)
    row('for reference: loading `fs/promises` and syncing the ESM exports (the hook must, at load)', tfsp, t0, 'ms', 'part of the bound', null)
    if (!rr.met && tthree.cpu !== null) {
      const signed = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(1)} ms`
      rr.note = `bound: three modules cost ${signed(tthree.cpu - t0.cpu)} empty, fs/promises ${signed(tfsp.cpu - t0.cpu)} (the rows below); the hook's own code is the rest`
    }

    // scan: with an empty state directory (scan also reads the records).
    for (const name of fs.readdirSync(state)) fs.rmSync(path.join(state, name), { recursive: true, force: true })
    scanRows(base)

    // Memory.
    section('memory: after 1,000 and after 100,000 make + removeLinkSync cycles, after a full GC')
    const mb = (x) => (x / 2 ** 20).toFixed(1)
    const memRow = (what, m) => {
      const d = (m.at100k.rss - m.at1k.rss) / 2 ** 20
      const r = row(what, `RSS ${mb(m.at1k.rss)} -> ${mb(m.at100k.rss)} MB (${d >= 0 ? '+' : ''}${d.toFixed(1)} MB)`, null, 'MB', '<= +5 MB', () => d <= 5)
      const young = m.at1k.young !== null ? `; V8's young generation ${mb(m.at1k.young)} -> ${mb(m.at100k.young)} MB` : ''
      r.note = `JS heap in use ${mb(m.at1k.heapUsed)} -> ${mb(m.at100k.heapUsed)} MB${young}`
      const dy = m.at1k.young !== null ? (m.at100k.young - m.at1k.young) / 2 ** 20 : 0
      if (!r.met && dy > 0) {
        r.note += `: nothing is kept (the heap in use stays flat); ${dy.toFixed(1)} MB of the ${d.toFixed(1)} MB is V8 growing its young generation to its maximum (16 MB semi-spaces), because objects of the step runner (lib/run.js, a generator per call) outlive scavenges at this rate: the same fs calls without it stay at 2 to 4 MB`
      }
    }
    memRow('`createLinkSync` (symlinks allowed) + `removeLinkSync`', child('memory', ['createLink'], { flags: ['--expose-gc'] }))
    if (fs.existsSync(REFUSE)) {
      memRow('`createLinkSync` falling back to a hard link + `removeLinkSync`', child('memory', ['createLink'], { refuse: true, flags: ['--expose-gc'] }))
      memRow('the hook (a hooked `fs.symlinkSync`) falling back to a hard link + `removeLinkSync`', child('memory', ['hook'], { refuse: true, flags: ['--expose-gc'] }))
    }
  } finally {
    fs.rmSync(state, { recursive: true, force: true })
  }
  print(header)
  console.log(`\n${missed === 0 ? 'every target met' : `${missed} target(s) not met`}; the run took ${((Date.now() - started) / 1000).toFixed(0)} s`)
}

// 1,000 directories of 99 files and one symlink each, half the links
// dangling: 100,000 entries, 1,000 directories.
function makeTree (root) {
  for (let d = 0; d < 1000; d++) {
    const dir = path.join(root, `d${d}`)
    fs.mkdirSync(dir)
    for (let f = 0; f < 99; f++) fs.writeFileSync(path.join(dir, `f${f}`), '')
    fs.symlinkSync(d % 2 ? 'f0' : 'gone', path.join(dir, 'link'))
  }
}

// The floor for any tool that looks: one readdir per directory, nothing else.
function bareWalk (root) {
  let n = 0
  const stack = [root]
  while (stack.length) {
    const dir = stack.pop()
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      n++
      if (e.isDirectory()) stack.push(path.join(dir, e.name))
    }
  }
  return n
}

function scanRows (base) {
  const { scanTree } = require(path.join(ROOT, 'lib', 'cli', 'scan-tree'))
  const root = fs.mkdtempSync(path.join(base, 'sd-scan-'))
  try {
    makeTree(root)
    let found = 0
    let entries = 0
    const time = (fn) => {
      const c0 = process.cpuUsage()
      const t0 = process.hrtime.bigint()
      fn()
      const c = process.cpuUsage(c0)
      return { wall: Number(process.hrtime.bigint() - t0) / 1e6, cpu: (c.user + c.system) / 1e3 }
    }
    time(() => bareWalk(root))
    time(() => scanTree(root))
    const tb = []
    const ts = []
    for (let r = 0; r < ROUNDS; r++) {
      tb.push(time(() => { entries = bareWalk(root) }))
      ts.push(time(() => { found = scanTree(root, { repair: false }).broken.length }))
    }
    const med = (xs) => ({ wall: median(xs.map((t) => t.wall)), cpu: median(xs.map((t) => t.cpu)) })
    const b = med(tb)
    const s = med(ts)
    section(`scan of a tree of ${entries.toLocaleString('en')} entries (1,000 directories, 1,000 links, ${found} of them broken)`)
    row('a bare `readdir` walk (withFileTypes, nothing else)', b, b, 'ms x', 'baseline', null)
    row('`scanTree` (what `symlink-doctor scan` runs)', s, b, 'ms x', '<= 1.3x', atMost(1.3))
  } finally {
    fs.rmSync(root, { recursive: true, force: true })
  }
}

if (process.argv[2] === '--child') {
  children[process.argv[3]]().then((out) => console.log(JSON.stringify(out)), (err) => {
    console.error(err && err.stack ? err.stack : err)
    process.exit(1)
  })
} else {
  main()
}
