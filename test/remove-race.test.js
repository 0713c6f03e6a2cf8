'use strict'
// removeLink against a real second process that keeps putting its own
// symlinks and real files (each with a unique content id) at the same
// name. removeLink moves the name aside before it checks it; whatever it
// cannot put back must be named in its error, and no real file may be
// lost or left under one of our hidden .sd-probe-* names unsaid.

const assert = require('assert')
const fs = require('fs')
const path = require('path')
const { spawn } = require('child_process')
const binding = require('../lib/binding')
const sd = require('..')
const { ROOT, tmpDir, rmTree, requireSymlinks } = require('./support')

const SECONDS = 3

// tmpfs when there is one: the racer makes a new symlink each time
// removeLink removes one, and on a busy disk a create can take
// milliseconds, which leaves it fewer chances to race (renames take
// microseconds either way; on ext4 the old code failed here too).
function raceDir () {
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK)
    return fs.realpathSync(fs.mkdtempSync('/dev/shm/sd-race-'))
  } catch {
    return tmpDir('sd-race-')
  }
}

// The racer: L alternates between its real files and its symlinks, each
// put over L by one atomic rename. It uses RENAME_EXCHANGE with one slot
// name of its own (RENAME_NOREPLACE when L is missing), so what it puts in
// never destroys what was at L: that comes out at the slot and is the next
// thing to put in. Nothing is made anew unless the kind it needs next is
// missing (a new symlink when removeLink removed one; a new real file, with
// a new content id, when none is in its cycle any more), so the renames
// come as fast as they can. A real file that comes out when a symlink is
// needed is set aside at a name of the racer's own. It reports every real
// file it made (planted) and, should it ever overwrite one, which
// (displaced); with exchanges it never does.
const RACER = `
  const fs = require('fs')
  const path = require('path')
  const binding = require(path.join(process.argv[1], 'lib', 'binding'))
  const [, , dir, seconds] = process.argv
  const L = path.join(dir, 'L')
  const slot = path.join(dir, 'racer-slot')
  const { RENAME_NOREPLACE, RENAME_EXCHANGE } = binding
  // Failed renames are part of the race: no stack traces to slow them.
  Error.stackTraceLimit = 0
  const planted = []
  const displaced = []
  let ops = 0
  let made = 0
  const kindAt = (p) => {
    const st = fs.lstatSync(p, { throwIfNoEntry: false })
    return !st ? null : st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'real' : 'other'
  }
  // Puts a thing of this kind at the slot (which holds what came out of L).
  const fill = (want) => {
    const have = kindAt(slot)
    if (have === want) return
    if (have === 'real') fs.renameSync(slot, path.join(dir, 'racer-kept-' + made++))
    else if (have !== null) fs.rmSync(slot, { recursive: true, force: true })
    const n = made++
    if (want === 'real') {
      fs.writeFileSync(slot, 'real-' + n)
      planted.push('real-' + n)
    } else {
      fs.symlinkSync('sym-' + n, slot)
    }
  }
  process.stdout.write('ready\\n')
  const end = Date.now() + Number(seconds) * 1000
  let next = 'real'
  fill(next)
  while (Date.now() < end) {
    // NOREPLACE first: it lands whenever L is missing, however briefly
    // (removeLink has it aside); else the exchange.
    ops++
    try {
      binding.renameSync(slot, L, RENAME_NOREPLACE)
    } catch (err) {
      if (err.code !== 'EEXIST') throw err
      ops++
      try {
        binding.renameSync(slot, L, RENAME_EXCHANGE)
      } catch (err2) {
        if (err2.code !== 'ENOENT') throw err2
        continue
      }
    }
    next = next === 'real' ? 'symlink' : 'real'
    fill(next)
  }
  process.stdout.write(JSON.stringify({ ops, planted, displaced }))
`

describe('removeLink against a racing writer (a second process)', function () {
  let dir
  beforeEach(function () {
    // The racer needs renameat2; the pure-JS core has no aside step.
    if (process.platform !== 'linux' || !binding.native) this.skip()
    requireSymlinks(this)
    dir = raceDir()
  })
  afterEach(function () { if (dir) rmTree(dir); dir = null })

  it(`for ${SECONDS} s: no real file lost, nothing left under our names unnamed`, async function () {
    this.timeout(SECONDS * 1000 + 30000)
    const L = path.join(dir, 'L')
    const racer = spawn(process.execPath, ['-e', RACER, ROOT, dir, String(SECONDS)], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let errText = ''
    racer.stdout.on('data', (b) => { out += b })
    racer.stderr.on('data', (b) => { errText += b })
    const closed = new Promise((resolve) => racer.on('close', resolve))
    await new Promise((resolve, reject) => {
      racer.stdout.once('data', resolve)
      racer.once('close', () => reject(new Error(`racer ended before it started: ${errText}`)))
    })

    // This process: removeLink on L, over and over, for the same time.
    const named = new Set()
    const codes = {}
    let calls = 0
    let removed = 0
    let keptNamed = 0
    const end = Date.now() + SECONDS * 1000
    while (Date.now() < end) {
      calls++
      try {
        sd.removeLinkSync(L)
        removed++
      } catch (err) {
        codes[err.code] = (codes[err.code] || 0) + 1
        if (err.dest) {
          keptNamed++
          named.add(err.dest)
        }
        for (const m of err.message.matchAll(/'([^']*)'/g)) named.add(m[1])
      }
    }
    const status = await closed
    assert.strictEqual(status, 0, `racer failed: ${errText}`)
    const report = JSON.parse(out.slice(out.indexOf('{')))

    // Where every real file is now.
    const found = new Map() // id -> path
    let hiddenUnnamed = 0
    for (const name of fs.readdirSync(dir)) {
      const p = path.join(dir, name)
      const st = fs.lstatSync(p)
      if (name.startsWith('.sd-probe-') && !named.has(p)) hiddenUnnamed++
      if (st.isFile()) found.set(fs.readFileSync(p, 'utf8'), p)
    }
    const displaced = new Set(report.displaced)
    let atL = 0
    let atNamed = 0
    let atRacer = 0
    let losses = 0
    for (const id of report.planted) {
      const where = found.get(id)
      if (where === L) atL++
      else if (where !== undefined && named.has(where)) atNamed++
      else if (where !== undefined && path.basename(where).startsWith('racer-')) atRacer++
      else if (!displaced.has(id)) losses++
    }
    console.log(`      removeLink: ${calls} operations (${removed} removed, refused: ${JSON.stringify(codes)}, ${keptNamed} named a kept file)`)
    console.log(`      racer: ${report.ops} operations, planted ${report.planted.length} real files, ${displaced.size} overwritten by its own later renames`)
    console.log(`      now: ${atL} at L, ${atRacer} back with the racer, ${atNamed} at a path an error named, ${hiddenUnnamed} under .sd-probe-* unnamed; losses ${losses}`)
    assert.ok(report.planted.length > 0, 'the racer planted nothing')
    assert.ok(calls > 0)
    assert.strictEqual(hiddenUnnamed, 0, 'files left under .sd-probe-* names that no error named')
    assert.strictEqual(losses, 0, 'real files lost')
  })
})
