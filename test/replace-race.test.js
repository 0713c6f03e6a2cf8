'use strict'
// createLink({ replace: true }) against a real second process that keeps
// putting its own links, real files and real directories at the link path:
// nothing real may be overwritten, moved away for good or hidden under a
// name of ours, and readers of a link that is only ever replaced by links
// never find it missing. Bounded in time; the counts are printed so a CI
// log shows what was tried.

const assert = require('assert')
const { spawn } = require('child_process')
const fs = require('fs')
const path = require('path')
const sd = require('..')
const { tmpDir, rmTree, requireEnv, wrongPlatform } = require('./support')

const SECONDS = Number(process.env.SD_RACE_SECONDS || 3)
const linux = process.platform === 'linux'

// The racer: a second process that never destroys anything itself. It
// puts a symlink, a real file or a real directory at L (exclusive creates
// only), and takes whatever is at L away again by renaming it into keep/
// under a fresh name. Every real thing it made carries an id in its content,
// so the test can find each one afterwards, wherever it is.
const RACER = `
const fs = require('fs'), path = require('path')
const [dir, ms] = [process.argv[1], Number(process.argv[2])]
const L = path.join(dir, 'L'), keep = path.join(dir, 'keep')
let i = 0, planted = 0, moved = 0
const end = Date.now() + ms
while (Date.now() < end) {
  i++
  const st = fs.lstatSync(L, { throwIfNoEntry: false })
  try {
    if (st === undefined) {
      const id = 'id-' + i
      switch (i % 3) {
        case 0: fs.symlinkSync('t1', L); break
        case 1: fs.writeFileSync(L, id, { flag: 'wx' }); planted++; break
        case 2: fs.mkdirSync(L); fs.writeFileSync(path.join(L, 'f'), id, { flag: 'wx' }); planted++; break
      }
    } else {
      fs.renameSync(L, path.join(keep, 'k' + i)); moved++
    }
  } catch (err) {
    // ENOENT/EEXIST: the other process moved first; try again.
    if (!['ENOENT', 'EEXIST', 'ENOTEMPTY', 'EISDIR', 'ENOTDIR'].includes(err.code)) throw err
  }
}
process.stdout.write(JSON.stringify({ iterations: i, planted, moved }))
`

function startRacer (dir, ms) {
  const child = spawn(process.execPath, ['-e', RACER, dir, String(ms)], { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.on('data', (d) => { out += d })
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (code) => code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`racer exited ${code}`)))
  })
}

// Every id found in a real file under dir, with where it is.
function idsIn (dir) {
  const found = new Map()
  const stack = [dir]
  while (stack.length) {
    const d = stack.pop()
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name)
      if (e.isDirectory()) stack.push(p)
      else if (e.isFile()) {
        const text = fs.readFileSync(p, 'utf8')
        if (/^id-\d+$/.test(text)) {
          if (!found.has(text)) found.set(text, [])
          found.get(text).push(p)
        }
      }
    }
  }
  return found
}

describe('replace under a racing second process', function () {
  this.timeout(60000 + SECONDS * 4000)
  let dir
  beforeEach(function () {
    requireEnv(this, linux, wrongPlatform('the atomic replace (renameat2 RENAME_EXCHANGE) is the Linux guarantee; elsewhere the README documents the non-atomic fallback'))
    dir = tmpDir('sd-race-')
    fs.writeFileSync(path.join(dir, 't1'), 'target one')
    fs.writeFileSync(path.join(dir, 't2'), 'target two')
    fs.mkdirSync(path.join(dir, 'keep'))
    fs.symlinkSync('t1', path.join(dir, 'L'))
  })
  afterEach(function () { if (dir) rmTree(dir) })

  for (const form of ['createLinkSync', 'createLink']) {
    it(`${form}: a real file or directory put at the link path meanwhile is never overwritten, moved away or hidden`, async function () {
      const racer = startRacer(dir, SECONDS * 1000)
      const L = path.join(dir, 'L')
      const counts = { replaces: 0, ok: 0, eexist: 0, busy: 0, other: 0 }
      const keptAt = new Set()
      const others = []
      const end = Date.now() + SECONDS * 1000
      while (Date.now() < end) {
        counts.replaces++
        try {
          await sd[form](counts.replaces % 2 ? 't1' : 't2', L, { replace: true })
          counts.ok++
        } catch (err) {
          // EEXIST: a real thing is there. EBUSY: the path changed on every
          // look of one call (this racer never stops); nothing was replaced.
          if (err.code === 'EEXIST') counts.eexist++
          else if (err.code === 'EBUSY' && /nothing was replaced/.test(err.message)) counts.busy++
          else { counts.other++; if (others.length < 5) others.push(`${err.code}: ${err.message}`) }
          if (err.keptAt) keptAt.add(err.keptAt)
        }
        // Let the racer run between calls now and then.
        if (counts.replaces % 64 === 0) await new Promise((resolve) => setImmediate(resolve))
      }
      const r = await racer
      const found = idsIn(dir)
      let lost = 0
      let hidden = 0
      const plantedIds = []
      for (let i = 1; i <= r.iterations; i++) if (i % 3 !== 0) plantedIds.push(`id-${i}`)
      for (const id of plantedIds) {
        const where = found.get(id)
        if (!where) continue // not every iteration planted (the path was taken)
        const visible = where.some((p) => !path.basename(p).includes('.sd-') && !path.dirname(p).includes('.sd-'))
        const named = where.some((p) => [...keptAt].some((k) => p === k || p.startsWith(k + path.sep)))
        if (!visible && !named) hidden++
      }
      // Anything planted and not found anywhere was destroyed.
      lost = r.planted - [...found.keys()].length
      // Left under a name of ours with no error naming it.
      const leftovers = fs.readdirSync(dir).filter((n) => n.includes('.sd-') && !keptAt.has(path.join(dir, n)))
      console.log(`      raced ${SECONDS}s: ${counts.replaces} replaces (${counts.ok} ok, ${counts.eexist} EEXIST, ${counts.busy} EBUSY, ${counts.other} other), racer ${r.iterations} iterations, ${r.planted} real files/dirs planted, ${r.moved} taken back; lost ${lost}, hidden ${hidden}, leftovers ${leftovers.length}, kept-and-named ${keptAt.size}`)
      assert.deepStrictEqual(others, [], 'only EEXIST (or EBUSY: nothing replaced) may fail a replace here')
      assert.strictEqual(lost, 0, 'real files or directories were destroyed')
      assert.strictEqual(hidden, 0, 'real files were left under names of ours that no error named')
      assert.deepStrictEqual(leftovers, [])
      assert.ok(counts.ok > 0 && r.planted > 0, 'the race did not happen')
    })
  }

  it('readers never find the link path missing while links replace links', async function () {
    const L = path.join(dir, 'L')
    const READER = `
const fs = require('fs'); const [L, ms] = [process.argv[1], Number(process.argv[2])]
let reads = 0, missing = 0; const end = Date.now() + ms
while (Date.now() < end) { reads++; try { fs.readFileSync(L) } catch (e) { if (e.code === 'ENOENT') missing++; else throw e } }
process.stdout.write(JSON.stringify({ reads, missing }))`
    const child = spawn(process.execPath, ['-e', READER, L, String(SECONDS * 1000)], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (d) => { out += d })
    const done = new Promise((resolve) => child.on('exit', resolve))
    let replaces = 0
    const end = Date.now() + SECONDS * 1000
    while (Date.now() < end) {
      sd.createLinkSync(replaces % 2 ? 't1' : 't2', L, { replace: true })
      replaces++
      if (replaces % 64 === 0) await new Promise((resolve) => setImmediate(resolve))
    }
    assert.strictEqual(await done, 0)
    const r = JSON.parse(out)
    console.log(`      ${r.reads} reads during ${replaces} replaces: ${r.missing} found the link missing`)
    assert.strictEqual(r.missing, 0)
    assert.ok(r.reads > 100 && replaces > 100)
  })
})
