'use strict'
// Only what the user gave is used: options are read as the caller's own
// properties (a polluted Object.prototype, as a vulnerable dependency can
// cause, must not turn on replace or a copy), the CLI takes only declared
// flags, and setup never writes through a config file that is a link.

const assert = require('assert')
const { spawnSync } = require('child_process')
const fs = require('fs')
const path = require('path')
const { ROOT, tmpDir, rmTree, requireSymlinks } = require('./support')

const BIN = path.join(ROOT, 'bin', 'symlink-doctor.js')

// Runs code in a fresh node whose Object.prototype is polluted first.
function polluted (code, cwd) {
  const script = `Object.prototype.replace = true; Object.prototype.fallback = 'copy'; Object.prototype.allowCopy = true
    Object.prototype.SYMLINK_DOCTOR_FALLBACK = 'copy'
    const sd = require(${JSON.stringify(ROOT)})
    try { const r = (${code})(sd); console.log(JSON.stringify({ r })) } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })) }`
  const r = spawnSync(process.execPath, ['-e', script], { cwd, encoding: 'utf8' })
  assert.strictEqual(r.status, 0, r.stderr)
  return JSON.parse(r.stdout)
}

describe('a polluted Object.prototype changes nothing', function () {
  let dir
  beforeEach(function () {
    requireSymlinks(this)
    dir = tmpDir('sd-pollution-')
    fs.writeFileSync(path.join(dir, 't1'), '1')
    fs.writeFileSync(path.join(dir, 't2'), '2')
    fs.mkdirSync(path.join(dir, 'd'))
    fs.symlinkSync('t1', path.join(dir, 'L'))
  })
  afterEach(function () { if (dir) rmTree(dir) })

  it('replace is not turned on: an existing link stays, EEXIST', function () {
    const r = polluted('(sd) => sd.createLinkSync(\'t2\', \'L\')', dir)
    assert.strictEqual(r.code, 'EEXIST')
    assert.strictEqual(fs.readlinkSync(path.join(dir, 'L')), 't1')
  })

  it('fallback and allowCopy are not taken from the prototype: a directory link is a symlink, not a copy', function () {
    const r = polluted('(sd) => sd.createLinkSync(\'d\', \'D\')', dir)
    assert.strictEqual(r.r && r.r.kind, 'symlink', JSON.stringify(r))
  })

  it('the CLI: link without --replace does not replace', function () {
    const script = `Object.prototype.replace = true; process.argv = [process.argv[0], ${JSON.stringify(BIN)}, 'link', 't2', 'L']; require(${JSON.stringify(BIN)})`
    const r = spawnSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' })
    assert.notStrictEqual(r.status, 0, r.stdout)
    assert.strictEqual(fs.readlinkSync(path.join(dir, 'L')), 't1')
  })

  it('the CLI: --constructor is an unknown option (exit 64), not a value', function () {
    const r = spawnSync(process.execPath, [BIN, 'link', '--constructor', 'x', 't2', 'M'], { cwd: dir, encoding: 'utf8' })
    assert.strictEqual(r.status, 64, r.stderr)
    assert.match(r.stderr, /unknown option '--constructor'/)
  })

  it('the hook reads SYMLINK_DOCTOR_FALLBACK only from the environment', function () {
    const { fallbackChain } = require('../lib/hook')
    const saved = Object.prototype.SYMLINK_DOCTOR_FALLBACK
    try {
      // eslint-disable-next-line no-extend-native
      Object.prototype.SYMLINK_DOCTOR_FALLBACK = 'copy'
      assert.ok(!fallbackChain({}).every((k) => k === 'copy'))
      assert.deepStrictEqual(fallbackChain({}), fallbackChain(Object.create(null)))
    } finally {
      if (saved === undefined) delete Object.prototype.SYMLINK_DOCTOR_FALLBACK
    }
  })
})

describe('setup never writes through a link', function () {
  let dir, outside
  beforeEach(function () {
    requireSymlinks(this)
    dir = tmpDir('sd-setup-link-')
    outside = tmpDir('sd-setup-outside-')
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"app","version":"1.0.0"}')
    fs.writeFileSync(path.join(outside, '.profile'), 'export PATH=$HOME/bin:$PATH\n')
    fs.symlinkSync(path.join(outside, '.profile'), path.join(dir, '.npmrc'))
  })
  afterEach(function () { if (dir) rmTree(dir); if (outside) rmTree(outside) })

  for (const args of [['setup'], ['setup', '--undo']]) {
    it(`${args.join(' ')} with .npmrc a symlink to ~/.profile: refuses, says so, exit 1, nothing written anywhere`, function () {
      const before = fs.readFileSync(path.join(outside, '.profile'), 'utf8')
      const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8' })
      // Never read through either: the link's target (a token in
      // ~/.npmrc) must not end up in a file setup writes.
      assert.strictEqual(r.status, 1, r.stdout + r.stderr)
      assert.match(r.stderr, /\.npmrc is a symbolic link .*never reads or writes through a link/)
      assert.strictEqual(fs.readFileSync(path.join(outside, '.profile'), 'utf8'), before)
      assert.ok(fs.lstatSync(path.join(dir, '.npmrc')).isSymbolicLink())
      assert.deepStrictEqual(fs.readdirSync(outside), ['.profile'])
      assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['.npmrc', 'package.json'])
    })
  }
})
