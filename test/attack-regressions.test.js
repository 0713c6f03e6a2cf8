'use strict'
// What an outside tester broke, kept as tests (each failed before its fix):
// a racing process's directory recorded as our copy, edits inside a copy
// taken for ours, user data kept under a name a later sweep removed, a
// trailing slash, a replace over a link that loops.

const assert = require('assert')
const { spawnSync } = require('child_process')
const fs = require('fs')
const path = require('path')
const { ROOT, REFUSE, requireEnv, seccompReason, tmpDir, rmTree } = require('./support')

function inChild (dir, state, body) {
  const script = `const fs = require('fs'); const sd = require(${JSON.stringify(ROOT)});
    Promise.resolve().then(async () => (${body})(sd, fs)).then((v) => console.log(JSON.stringify({ v })), (e) => console.log(JSON.stringify({ e: { code: e.code, message: e.message } })))`
  const r = spawnSync(REFUSE, ['--', process.execPath, '-e', script], { cwd: dir, encoding: 'utf8', env: { ...process.env, SYMLINK_DOCTOR_STATE_DIR: state } })
  assert.strictEqual(r.status, 0, r.stderr)
  return JSON.parse(r.stdout)
}

describe('regressions from the attack review', function () {
  this.timeout(60000)
  let dir, state
  before(function () { requireEnv(this, !seccompReason(), seccompReason()) })
  beforeEach(function () {
    dir = tmpDir('sd-attack-')
    state = tmpDir('sd-state-')
    fs.mkdirSync(path.join(dir, 'src'))
    fs.writeFileSync(path.join(dir, 'src', 'a'), 'orig')
  })
  afterEach(function () { rmTree(dir); rmTree(state) })

  it('a directory another process puts at the link path right after the copy moved in is never recorded as ours', function () {
    // At the exact moment after the copy lands, another process moves it
    // away and puts its own directory there (the lstat wrapper plays it).
    const r = inChild(dir, state, `(sd, fs) => {
      const real = fs.lstatSync; let armed = true
      fs.lstatSync = function (p) {
        if (armed && String(p) === ${JSON.stringify(path.join(dir, 'L'))} && real(p, { throwIfNoEntry: false })) {
          armed = false
          fs.renameSync('L', 'moved-away'); fs.mkdirSync('L'); fs.writeFileSync('L/precious', 'USER DATA')
        }
        return real.apply(this, arguments)
      }
      sd.createLinkSync('src', 'L', { allowCopy: true })
      fs.lstatSync = real
      let removed = true
      try { sd.removeLinkSync('L') } catch (e) { removed = e.code }
      return { fallback: sd.inspectSync('L').fallback, removed }
    }`)
    assert.ok(r.v, JSON.stringify(r.e))
    assert.strictEqual(r.v.fallback, null)
    assert.strictEqual(r.v.removed, 'EISDIR')
    assert.strictEqual(fs.readFileSync(path.join(dir, 'L', 'precious'), 'utf8'), 'USER DATA')
  })

  for (const when of ['at once', 'a second later']) {
    it(`an edit inside a copy (${when}, same size) makes it the user's: replace, removeLink and scan --repair keep it`, async function () {
      assert.ok(inChild(dir, state, "(sd) => sd.createLinkSync('src', 'cp', { allowCopy: true }).kind").v === 'copy')
      if (when !== 'at once') await new Promise((resolve) => setTimeout(resolve, 1100))
      fs.writeFileSync(path.join(dir, 'cp', 'a'), 'MINE') // same size as 'orig'
      fs.writeFileSync(path.join(dir, 'src', 'a'), 'newer')
      const r = inChild(dir, state, `(sd) => {
        const out = {}
        try { sd.createLinkSync('src', 'cp', { allowCopy: true, replace: true }); out.replace = 'replaced' } catch (e) { out.replace = e.code }
        try { sd.removeLinkSync('cp'); out.remove = 'removed' } catch (e) { out.remove = e.code }
        out.fallback = sd.inspectSync('cp').fallback
        return out
      }`)
      assert.deepStrictEqual(r.v, { replace: 'EEXIST', remove: 'EISDIR', fallback: null })
      const scan = spawnSync(REFUSE, ['--', process.execPath, path.join(ROOT, 'bin', 'symlink-doctor.js'), 'scan', '--repair'], { cwd: dir, encoding: 'utf8', env: { ...process.env, SYMLINK_DOCTOR_STATE_DIR: state } })
      assert.doesNotMatch(scan.stdout, /refreshed/)
      assert.strictEqual(fs.readFileSync(path.join(dir, 'cp', 'a'), 'utf8'), 'MINE')
    })
  }

  it('removeLink of a copy: a file written into it between the first look and the move aside is the user\'s, and stays', function () {
    fs.mkdirSync(path.join(dir, 'src', 'sub'))
    const r = inChild(dir, state, `(sd, fs) => {
      sd.createLinkSync('src', 'dst', { allowCopy: true })
      // Another process writes into the copy right after removeLink looked.
      const records = require(${JSON.stringify(path.join(ROOT, 'lib', 'link-records.js'))})
      const find = records.findSync
      records.findSync = function () { const found = find.apply(this, arguments); fs.writeFileSync('dst/sub/USER-WORK.txt', 'mine'); return found }
      try { sd.removeLinkSync('dst'); return 'removed' } catch (e) { return e.code }
    }`)
    assert.strictEqual(r.v, 'EISDIR', JSON.stringify(r))
    assert.strictEqual(fs.readFileSync(path.join(dir, 'dst', 'sub', 'USER-WORK.txt'), 'utf8'), 'mine')
  })

  it('replace of a copy: what is written into the new copy while it stood at the path for a moment stays', function () {
    fs.mkdirSync(path.join(dir, 'src', 'sub'))
    const r = inChild(dir, state, `(sd, fs) => {
      sd.createLinkSync('src', 'dst', { allowCopy: true })
      const binding = require(${JSON.stringify(path.join(ROOT, 'lib', 'binding.js'))})
      const rename = binding.renameSync
      let swaps = 0
      binding.renameSync = function (a, b, flags) {
        // Before the first swap the user edits the old copy (so it goes
        // back); right after it, they write into the new one, now at dst.
        if (flags === binding.RENAME_EXCHANGE && swaps === 0) fs.writeFileSync('dst/sub/A.txt', 'edit of the old copy')
        const result = rename.apply(this, arguments)
        if (flags === binding.RENAME_EXCHANGE && swaps++ === 0) fs.writeFileSync('dst/sub/B.txt', 'written into the new copy')
        return result
      }
      try { sd.createLinkSync('src', 'dst', { allowCopy: true, replace: true }); return { made: true } } catch (e) { return { code: e.code, keptAt: e.keptAt } }
    }`)
    assert.ok(r.v && r.v.code === 'EEXIST', JSON.stringify(r))
    assert.strictEqual(fs.readFileSync(path.join(dir, 'dst', 'sub', 'A.txt'), 'utf8'), 'edit of the old copy')
    assert.ok(r.v.keptAt, 'the new copy with the user\'s file is kept and named')
    assert.strictEqual(fs.readFileSync(path.join(r.v.keptAt, 'sub', 'B.txt'), 'utf8'), 'written into the new copy')
  })

  it('setup keeps a config file\'s mode from the file it read, whatever is put at the name meanwhile', function () {
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"p"}')
    fs.writeFileSync(path.join(dir, '.npmrc'), '//registry.npmjs.org/:_authToken=SECRET\n', { mode: 0o600 })
    fs.chmodSync(path.join(dir, '.npmrc'), 0o600)
    // Another user swaps a 0666 decoy in after setup read the file.
    // The swap comes at setup's first look at the name after reading it
    // (an lstat, or the create of its temporary file), whichever is first.
    const script = `const fs = require('fs'); const open = fs.openSync; const lstat = fs.lstatSync; let swapped = false
      const swap = () => { swapped = true; fs.writeFileSync('decoy', 'x', { mode: 0o666 }); fs.chmodSync('decoy', 0o666); fs.renameSync('decoy', '.npmrc') }
      fs.openSync = function (p, flags) {
        if (!swapped && flags === 'wx' && String(p).includes('.npmrc.sd-')) swap()
        return open.apply(this, arguments)
      }
      fs.lstatSync = function (p) {
        if (!swapped && String(p).endsWith('/.npmrc')) swap()
        return lstat.apply(this, arguments)
      }
      require(${JSON.stringify(path.join(ROOT, 'lib', 'cli', 'main.js'))}).main(['setup'], { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then((c) => { process.exitCode = c })`
    const r = spawnSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' })
    assert.strictEqual(r.status, 0, r.stderr)
    assert.strictEqual(fs.statSync(path.join(dir, '.npmrc')).mode & 0o777, 0o600)
    assert.match(fs.readFileSync(path.join(dir, '.npmrc'), 'utf8'), /SECRET/)
  })

  it('what replace keeps for another process is under a name no sweep of stale temporaries removes', function () {
    const { parseTempName } = require('../lib/temp-name')
    assert.strictEqual(parseTempName('.L.sd-kept-0a1b2c3d'), null)
    assert.strictEqual(parseTempName('L.sd-kept-0a1b2c3d'), null)
    assert.ok(parseTempName('.L.sd-123-0a1b2c3d4e5f'))
  })

  it('a link path with a trailing slash: ENOENT as symlink(2) says, nothing made without the slash', function () {
    fs.writeFileSync(path.join(dir, 't2'), 'x')
    const r = inChild(dir, state, "(sd) => sd.createLinkSync('t2', 'ts/').kind")
    assert.strictEqual(r.e && r.e.code, 'ENOENT', JSON.stringify(r))
    assert.ok(!fs.existsSync(path.join(dir, 'ts')))
  })

  it('replace over a link that points at itself (ELOOP) replaces it', function () {
    fs.symlinkSync('self', path.join(dir, 'self'))
    fs.writeFileSync(path.join(dir, 't'), 'T')
    const r = inChild(dir, state, "(sd) => sd.createLinkSync('t', 'self', { replace: true }).kind")
    assert.strictEqual(r.v, 'hardlink', JSON.stringify(r))
    assert.strictEqual(fs.readFileSync(path.join(dir, 'self'), 'utf8'), 'T')
  })
})
