'use strict'
// symlink-doctor knows the links it made: a hard link, copy or shim made in
// place of a refused symlink is a link to replace, removeLink and inspect,
// in a later process too, also on FAT (no extended attributes), while a
// real file or directory of the user's at the same path is still never
// touched. The deploy-tool case: re-point `current` after a fallback.

const assert = require('assert')
const { spawn, spawnSync } = require('child_process')
const fs = require('fs')
const path = require('path')
const { ROOT, REFUSE, requireEnv, seccompReason, tmpDir, rmTree } = require('./support')

const BIN = path.join(ROOT, 'bin', 'symlink-doctor.js')

function env (state) {
  const e = { ...process.env, SYMLINK_DOCTOR_STATE_DIR: state }
  delete e.SYMLINK_DOCTOR_FORCE_JS
  return e
}

// The CLI under a kernel that refuses symlinks, as a deploy script runs it.
function cli (args, cwd, state) {
  const r = spawnSync(REFUSE, ['--', process.execPath, BIN, ...args], { cwd, env: env(state), encoding: 'utf8' })
  return { status: r.status, out: r.stdout + r.stderr }
}

function api (code, cwd, state) {
  const script = `const sd = require(${JSON.stringify(ROOT)}); Promise.resolve().then(async () => (${code})(sd))
    .then((v) => console.log(JSON.stringify({ v })), (e) => console.log(JSON.stringify({ e: { code: e.code, message: e.message } })))`
  const r = spawnSync(REFUSE, ['--', process.execPath, '-e', script], { cwd, env: env(state), encoding: 'utf8' })
  assert.strictEqual(r.status, 0, r.stderr)
  return JSON.parse(r.stdout)
}

describe('the links symlink-doctor made are links to it', function () {
  this.timeout(120000)
  let dir, state
  before(function () { requireEnv(this, !seccompReason(), seccompReason()) })
  beforeEach(function () {
    dir = tmpDir('sd-own-')
    state = tmpDir('sd-state-')
    fs.writeFileSync(path.join(dir, 'v1'), 'release 1')
    fs.writeFileSync(path.join(dir, 'v2'), 'release 2')
    for (const d of ['d1', 'd2']) {
      fs.mkdirSync(path.join(dir, d))
      fs.writeFileSync(path.join(dir, d, 'index.js'), `module.exports = '${d}'`)
    }
  })
  afterEach(function () { rmTree(dir); rmTree(state) })

  it('link v1 current, then link --replace v2 current: re-pointed (hard links), v1 intact', function () {
    assert.strictEqual(cli(['link', 'v1', 'current'], dir, state).status, 0)
    const r = cli(['link', '--replace', 'v2', 'current'], dir, state)
    assert.strictEqual(r.status, 0, r.out)
    assert.strictEqual(fs.readFileSync(path.join(dir, 'current'), 'utf8'), 'release 2')
    assert.strictEqual(fs.readFileSync(path.join(dir, 'v1'), 'utf8'), 'release 1')
    assert.strictEqual(fs.statSync(path.join(dir, 'current')).ino, fs.statSync(path.join(dir, 'v2')).ino)
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['current', 'd1', 'd2', 'v1', 'v2'])
  })

  it('a directory copy: replace re-points it, inspect says what it stands for, removeLink removes it; the targets stay', function () {
    assert.strictEqual(cli(['link', '--allow-copy', 'd1', 'current'], dir, state).status, 0)
    const r = api(`async (sd) => {
      const before = sd.inspectSync('current')
      const made = await sd.createLink('d2', 'current', { replace: true, allowCopy: true })
      const after = await sd.inspect('current')
      const shown = require('fs').readFileSync('current/index.js', 'utf8')
      await sd.removeLink('current')
      return { before: before.fallback, made: made.kind, after: after.fallback, shown, gone: !require('fs').existsSync('current') }
    }`, dir, state)
    assert.ok(r.v, JSON.stringify(r.e))
    assert.deepStrictEqual(r.v.before && [r.v.before.kind, r.v.before.target], ['copy', 'd1'])
    assert.strictEqual(r.v.made, 'copy')
    assert.deepStrictEqual(r.v.after && [r.v.after.kind, r.v.after.target], ['copy', 'd2'])
    assert.strictEqual(r.v.shown, "module.exports = 'd2'")
    assert.strictEqual(r.v.gone, true)
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['d1', 'd2', 'v1', 'v2'])
    assert.deepStrictEqual(fs.readdirSync(path.join(dir, 'd1')), ['index.js'])
  })

  it('a real file or directory the user put at that path later is still never replaced or removed', function () {
    assert.strictEqual(cli(['link', '--allow-copy', 'd1', 'current'], dir, state).status, 0)
    assert.strictEqual(cli(['link', 'v1', 'one'], dir, state).status, 0)
    // The user replaces both with their own.
    fs.rmSync(path.join(dir, 'current'), { recursive: true })
    fs.mkdirSync(path.join(dir, 'current'))
    fs.writeFileSync(path.join(dir, 'current', 'mine'), 'mine')
    fs.unlinkSync(path.join(dir, 'one'))
    fs.writeFileSync(path.join(dir, 'one'), 'my own file')
    assert.notStrictEqual(cli(['link', '--allow-copy', '--replace', 'd2', 'current'], dir, state).status, 0)
    assert.notStrictEqual(cli(['link', '--replace', 'v2', 'one'], dir, state).status, 0)
    const r = api('async (sd) => { try { sd.removeLinkSync(\'current\') } catch (e) { return [e.code, sd.inspectSync(\'current\').fallback] } }', dir, state)
    assert.deepStrictEqual(r.v, ['EISDIR', null])
    assert.strictEqual(fs.readFileSync(path.join(dir, 'current', 'mine'), 'utf8'), 'mine')
    assert.strictEqual(fs.readFileSync(path.join(dir, 'one'), 'utf8'), 'my own file')
  })

  it('a hard link whose target was deleted holds the only copy of the data: never replaced', function () {
    assert.strictEqual(cli(['link', 'v1', 'current'], dir, state).status, 0)
    fs.unlinkSync(path.join(dir, 'v1'))
    const r = cli(['link', '--replace', 'v2', 'current'], dir, state)
    assert.notStrictEqual(r.status, 0, r.out)
    assert.strictEqual(fs.readFileSync(path.join(dir, 'current'), 'utf8'), 'release 1')
  })

  it('8 processes replace one `current` with copies at once: every one succeeds, one copy is in place, nothing left behind', async function () {
    assert.strictEqual(cli(['link', '--allow-copy', 'd1', 'current'], dir, state).status, 0)
    const runs = []
    for (let i = 0; i < 8; i++) {
      runs.push(new Promise((resolve) => {
        const c = spawn(REFUSE, ['--', process.execPath, BIN, 'link', '--allow-copy', '--replace', i % 2 ? 'd1' : 'd2', 'current'], { cwd: dir, env: env(state) })
        let out = ''
        c.stdout.on('data', (d) => { out += d })
        c.stderr.on('data', (d) => { out += d })
        c.on('exit', (code) => resolve({ code, out }))
      }))
    }
    const results = await Promise.all(runs)
    const failed = results.filter((r) => r.code !== 0)
    console.log(`      8 concurrent replaces: ${results.length - failed.length} ok, ${failed.length} failed`)
    assert.deepStrictEqual(failed, [])
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['current', 'd1', 'd2', 'v1', 'v2'], 'no temporary copies left')
    assert.match(fs.readFileSync(path.join(dir, 'current', 'index.js'), 'utf8'), /^module.exports = 'd[12]'$/)
    assert.deepStrictEqual(fs.readdirSync(path.join(dir, 'current')), ['index.js'])
  })
})

// exFAT, not fusefat: fusefat loses a directory's contents when it is
// renamed (seen here: `mv b b2` leaves b2 empty, after a remount too), a
// fault of that FUSE driver that kernel FAT and Windows do not have.
describe('on exFAT (no links, no extended attributes): copies are links of ours too', function () {
  this.timeout(120000)
  let fat, state
  before(function () {
    const { exfatReason, mountExfat } = require('./support')
    requireEnv(this, !exfatReason(), exfatReason())
    fat = mountExfat()
    state = tmpDir('sd-state-')
  })
  after(function () { if (fat) fat.unmount(); if (state) rmTree(state) })

  it('link --allow-copy d1 current, then --replace d2, then removeLink: works in three processes', function () {
    const dir = fat.dir
    for (const d of ['d1', 'd2']) {
      fs.mkdirSync(path.join(dir, d))
      fs.writeFileSync(path.join(dir, d, 'index.js'), `module.exports = '${d}'`)
    }
    const run = (args) => spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env: env(state), encoding: 'utf8' })
    let r = run(['link', '--allow-copy', 'd1', 'current'])
    assert.strictEqual(r.status, 0, r.stdout + r.stderr)
    r = run(['link', '--allow-copy', '--replace', 'd2', 'current'])
    assert.strictEqual(r.status, 0, r.stdout + r.stderr)
    assert.strictEqual(fs.readFileSync(path.join(dir, 'current', 'index.js'), 'utf8'), "module.exports = 'd2'")
    r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(ROOT)}).removeLinkSync('current')`], { cwd: dir, env: env(state), encoding: 'utf8' })
    assert.strictEqual(r.status, 0, r.stderr)
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['d1', 'd2'])
  })
})

describe('scan: copies whose target changed are stale; --repair makes them again', function () {
  this.timeout(120000)
  let dir, state
  before(function () { requireEnv(this, !seccompReason(), seccompReason()) })
  beforeEach(function () {
    dir = tmpDir('sd-stale-')
    state = tmpDir('sd-state-')
    fs.mkdirSync(path.join(dir, 'lib'))
    fs.writeFileSync(path.join(dir, 'lib', 'index.js'), 'v1')
  })
  afterEach(function () { rmTree(dir); rmTree(state) })

  it('a file added to the target: scan lists the copy (exit 1), --repair refreshes it (exit 0), then nothing is stale', function () {
    assert.strictEqual(cli(['link', '--allow-copy', 'lib', 'vendor'], dir, state).status, 0)
    let r = cli(['scan', '--json'], dir, state)
    assert.strictEqual(r.status, 0, r.out)
    assert.deepStrictEqual(JSON.parse(r.out).staleCopies, [])
    fs.writeFileSync(path.join(dir, 'lib', 'new.js'), 'new')
    r = cli(['scan'], dir, state)
    assert.strictEqual(r.status, 1, r.out)
    assert.match(r.out, /stale copy\s+vendor -> lib\s+\((the target changed|new\.js is new)/)
    r = cli(['scan', '--repair'], dir, state)
    assert.strictEqual(r.status, 0, r.out)
    assert.match(r.out, /refreshed: made a copy again/)
    assert.deepStrictEqual(fs.readdirSync(path.join(dir, 'vendor')).sort(), ['index.js', 'new.js'])
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['lib', 'vendor'], 'nothing left behind')
    r = cli(['scan', '--json'], dir, state)
    assert.strictEqual(r.status, 0, r.out)
    assert.deepStrictEqual(JSON.parse(r.out).staleCopies, [])
  })
})
