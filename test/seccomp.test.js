'use strict'
// Against a kernel that refuses links (seccomp): the Linux stand-in for
// WinError 1314. Each scenario runs in a child process under the filter,
// once with the native core and once with the pure-JS fallback.

const assert = require('assert')
const fs = require('fs')
const path = require('path')
const { ROOT, requireEnv, seccompReason, runNode, tmpDir, rmTree } = require('./support')

const MODES = { native: {}, 'JS fallback': { SYMLINK_DOCTOR_FORCE_JS: '1' } }

// Runs body (a function source taking sd and returning JSON-able data) in a
// refused child; returns its result or its error's fields.
function inChild (body, { refuse = 'symlinks', cwd, env } = {}) {
  const script = `
    const sd = require(${JSON.stringify(ROOT)})
    Promise.resolve().then(() => (${body})(sd, require('fs'), require('path')))
      .then((value) => process.stdout.write(JSON.stringify({ value, native: sd.native })))
      .catch((e) => process.stdout.write(JSON.stringify({ error: { message: e.message, code: e.code, errno: e.errno, syscall: e.syscall, path: e.path, dest: e.dest, attempts: e.attempts } })))`
  const r = runNode(script, { refuse, cwd, env })
  assert.strictEqual(r.status, 0, r.stderr)
  return JSON.parse(r.stdout)
}

describe('under a kernel that refuses symlinks (seccomp)', function () {
  before(function () { requireEnv(this, !seccompReason(), seccompReason()) })

  let dir
  beforeEach(function () {
    dir = tmpDir()
    fs.writeFileSync(path.join(dir, 'a.txt'), 'A')
    fs.mkdirSync(path.join(dir, 'lib'))
    fs.writeFileSync(path.join(dir, 'lib', 'index.js'), 'module.exports = 42')
  })
  afterEach(function () { rmTree(dir) })

  it('the refusal is real: fs.symlinkSync fails with EPERM there', function () {
    const r = runNode('require(\'fs\').symlinkSync(\'a.txt\', \'b\')', { cwd: dir })
    assert.notStrictEqual(r.status, 0)
    assert.match(r.stderr, /EPERM: operation not permitted, symlink 'a.txt' -> 'b'/)
  })

  it('the command from the issue prints kind: \'hardlink\'', function () {
    const r = runNode(`console.log(require(${JSON.stringify(ROOT)}).createLinkSync('a.txt','b.txt'))`, { cwd: dir })
    assert.strictEqual(r.status, 0, r.stderr)
    assert.match(r.stdout, /kind: 'hardlink'/)
  })

  for (const [mode, env] of Object.entries(MODES)) {
    describe(mode, function () {
      it('probe reports both symlink refusals with their errno, hard links still work', function () {
        const { value, native } = inChild('(sd) => sd.diagnoseSync(".")', { cwd: dir, env })
        assert.strictEqual(native, mode === 'native')
        for (const kind of ['fileSymlink', 'dirSymlink']) {
          assert.strictEqual(value.probe[kind].ok, false)
          assert.strictEqual(value.probe[kind].code, 'EPERM')
          assert.strictEqual(value.probe[kind].errno, -1)
        }
        assert.strictEqual(value.probe.hardlink.ok, true)
        assert.strictEqual(value.can.symlink, false)
        assert.match(value.refusals[0].meaning, /kernel or a sandbox/)
        assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['a.txt', 'lib'])
      })

      it('with hard links refused too, probe reports that', function () {
        const { value } = inChild('(sd) => sd.diagnose(".")', { cwd: dir, env, refuse: 'all' })
        assert.strictEqual(value.probe.hardlink.ok, false)
        assert.strictEqual(value.probe.hardlink.code, 'EPERM')
        assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['a.txt', 'lib'])
      })

      for (const form of ['createLinkSync', 'createLink']) {
        it(`${form}: a file falls back to a hard link that reads through`, function () {
          const { value } = inChild(`(sd) => sd.${form}('a.txt', 'b.txt')`, { cwd: dir, env })
          assert.strictEqual(value.kind, 'hardlink')
          assert.strictEqual(value.fallbackFrom, 'symlink')
          assert.match(value.reason, /symlink refused: EPERM/)
          fs.writeFileSync(path.join(dir, 'a.txt'), 'changed')
          assert.strictEqual(fs.readFileSync(path.join(dir, 'b.txt'), 'utf8'), 'changed')
        })

        it(`${form}: a relative target lands where the symlink would point, whatever the cwd`, function () {
          fs.mkdirSync(path.join(dir, 'app', 'node_modules'), { recursive: true })
          const elsewhere = tmpDir()
          try {
            const link = path.join(dir, 'app', 'node_modules', 'lib-index.js')
            const { value } = inChild(`(sd) => sd.${form}('../../lib/index.js', ${JSON.stringify(link)})`, { cwd: elsewhere, env })
            assert.strictEqual(value.kind, 'hardlink')
            assert.strictEqual(fs.statSync(link).ino, fs.statSync(path.join(dir, 'lib', 'index.js')).ino)
            assert.deepStrictEqual(fs.readdirSync(elsewhere), [])
          } finally {
            rmTree(elsewhere)
          }
        })

        it(`${form}: a directory is copied when copies are allowed`, function () {
          const { value } = inChild(`(sd) => sd.${form}('lib', 'app-lib', { allowCopy: true })`, { cwd: dir, env })
          assert.strictEqual(value.kind, 'copy')
          assert.strictEqual(fs.readFileSync(path.join(dir, 'app-lib', 'index.js'), 'utf8'), 'module.exports = 42')
        })

        it(`${form}: a directory fails with a clear EPERM when copies are not allowed, leaving nothing`, function () {
          const { error } = inChild(`(sd) => sd.${form}('lib', 'app-lib')`, { cwd: dir, env })
          assert.strictEqual(error.code, 'EPERM')
          assert.strictEqual(error.syscall, 'symlink')
          assert.strictEqual(error.path, 'lib')
          assert.strictEqual(error.dest, 'app-lib')
          assert.match(error.message, /^EPERM: operation not permitted, symlink 'lib' -> 'app-lib' \(symlink-doctor: .*copy was not allowed/)
          assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['a.txt', 'lib'])
        })

        it(`${form}: with every link refused, a file needs allowCopy, then is copied`, function () {
          const failed = inChild(`(sd) => sd.${form}('a.txt', 'b.txt')`, { cwd: dir, env, refuse: 'all' })
          assert.strictEqual(failed.error.code, 'EPERM')
          assert.deepStrictEqual(failed.error.attempts.map((a) => [a.kind, a.code]), [['symlink', 'EPERM'], ['hardlink', 'EPERM']])
          assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['a.txt', 'lib'])
          const { value } = inChild(`(sd) => sd.${form}('a.txt', 'b.txt', { allowCopy: true })`, { cwd: dir, env, refuse: 'all' })
          assert.strictEqual(value.kind, 'copy')
          assert.strictEqual(fs.readFileSync(path.join(dir, 'b.txt'), 'utf8'), 'A')
        })

        it(`${form}: replace puts a directory copy where a link was (rename cannot), leaving no temporary name`, function () {
          fs.symlinkSync('a.txt', path.join(dir, 'current'))
          const { value } = inChild(`(sd) => sd.${form}('lib', 'current', { replace: true, allowCopy: true })`, { cwd: dir, env })
          assert.strictEqual(value.kind, 'copy')
          assert.strictEqual(fs.lstatSync(path.join(dir, 'current')).isDirectory(), true)
          assert.strictEqual(fs.readFileSync(path.join(dir, 'current', 'index.js'), 'utf8'), 'module.exports = 42')
          assert.strictEqual(fs.readFileSync(path.join(dir, 'a.txt'), 'utf8'), 'A')
          assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['a.txt', 'current', 'lib'])
        })

        it(`${form}: replace swaps an existing link for the fallback and leaves no temporary name`, function () {
          fs.writeFileSync(path.join(dir, 'new.txt'), 'NEW')
          fs.symlinkSync('a.txt', path.join(dir, 'current'))
          const { value } = inChild(`(sd) => sd.${form}('new.txt', 'current', { replace: true })`, { cwd: dir, env })
          assert.strictEqual(value.kind, 'hardlink')
          assert.strictEqual(fs.readFileSync(path.join(dir, 'current'), 'utf8'), 'NEW')
          assert.strictEqual(fs.readFileSync(path.join(dir, 'a.txt'), 'utf8'), 'A')
          assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['a.txt', 'current', 'lib', 'new.txt'])
        })

        it(`${form}: replace of a hard link by a hard link to the same file leaves no temporary name (rename between two names of one file does nothing)`, function () {
          fs.linkSync(path.join(dir, 'a.txt'), path.join(dir, 'same'))
          const { value } = inChild(`(sd) => sd.${form}('a.txt', 'same', { replace: true })`, { cwd: dir, env })
          assert.strictEqual(value.kind, 'hardlink')
          assert.strictEqual(fs.statSync(path.join(dir, 'same')).ino, fs.statSync(path.join(dir, 'a.txt')).ino)
          assert.strictEqual(fs.statSync(path.join(dir, 'a.txt')).nlink, 2)
          assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['a.txt', 'lib', 'same'])
        })
      }
    })
  }
})
