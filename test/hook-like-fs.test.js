'use strict'
// The hook behaves like fs in every way a caller can see: each case runs
// the same script twice, once where symlinks work without the hook (what
// Node does) and once under a kernel refusal with the hook, and compares.

const assert = require('assert')
const { spawnSync } = require('child_process')
const fs = require('fs')
const path = require('path')
const { ROOT, requireEnv, seccompReason, runNode, tmpDir, rmTree, which, wrongPlatform } = require('./support')

const REGISTER = JSON.stringify(path.join(ROOT, 'register.js'))
const BIN = path.join(ROOT, 'bin', 'symlink-doctor.js')

describe('the hook, seen from the caller, is fs', function () {
  before(function () { requireEnv(this, !seccompReason(), seccompReason()) })
  let dir
  beforeEach(function () {
    dir = tmpDir('sd-hooklike-')
    fs.writeFileSync(path.join(dir, 'a.txt'), 'A')
    fs.writeFileSync(path.join(dir, 'exists'), 'mine')
  })
  afterEach(function () { rmTree(dir) })

  // The error fields of one call, as JSON, with and without the hook.
  function both (call) {
    const script = `require(${REGISTER}); const fs = require('fs')
      const pick = (e) => ({ code: e.code, errno: e.errno, syscall: e.syscall, path: e.path, dest: e.dest, message: e.message })
      Promise.resolve().then(async () => { ${call} }).then(() => console.log('null'), (e) => console.log(JSON.stringify(pick(e))))`
    const plain = runNode(script, { refuse: null, cwd: dir, env: { SYMLINK_DOCTOR_QUIET: '1' } })
    const hooked = runNode(script, { cwd: dir, env: { SYMLINK_DOCTOR_QUIET: '1' } })
    assert.strictEqual(plain.status, 0, plain.stderr)
    assert.strictEqual(hooked.status, 0, hooked.stderr)
    return { plain: JSON.parse(plain.stdout), hooked: JSON.parse(hooked.stdout) }
  }

  const FORMS = {
    symlinkSync: (a, b) => `fs.symlinkSync(${a}, ${b})`,
    'fs.promises.symlink': (a, b) => `await fs.promises.symlink(${a}, ${b})`,
    'fs.symlink callback': (a, b) => `await new Promise((resolve, reject) => fs.symlink(${a}, ${b}, (e) => e ? reject(e) : resolve()))`
  }

  for (const [form, call] of Object.entries(FORMS)) {
    it(`${form}: the link path exists: EEXIST with syscall 'symlink' and the caller's paths, as Node says`, function () {
      const { plain, hooked } = both(call("'a.txt'", "'exists'"))
      assert.strictEqual(plain.code, 'EEXIST')
      assert.deepStrictEqual(hooked, plain)
    })

    it(`${form}: a relative link in a missing directory: ENOENT, as Node says`, function () {
      const { plain, hooked } = both(call("'../a.txt'", "'nodir/b'"))
      assert.strictEqual(plain.code, 'ENOENT')
      assert.deepStrictEqual(hooked, plain)
    })
  }

  it('an exception thrown in the fs.symlink callback after a fallback is an uncaught exception, not a rejection', function () {
    const script = `require(${REGISTER}); require('fs').symlink('a.txt', 'b', (err) => { if (err) throw err; throw new Error('thrown by the callback') })`
    const r = spawnSync(require('./support').REFUSE, ['--', process.execPath, '--unhandled-rejections=warn', '-e', script], { cwd: dir, encoding: 'utf8', env: { ...process.env, SYMLINK_DOCTOR_QUIET: '1' } })
    assert.strictEqual(r.status, 1, `the process must die of it: ${r.stderr}`)
    assert.match(r.stderr, /Error: thrown by the callback/)
    assert.doesNotMatch(r.stderr, /UnhandledPromiseRejection|unhandled/i)
    assert.ok(fs.existsSync(path.join(dir, 'b')), 'the fallback was made first')
  })
})

describe('symlink-doctor run --: Ctrl+C in a terminal reaches the command once', function () {
  it('one ^C typed in a pty: the child counts one SIGINT', function () {
    requireEnv(this, process.platform === 'linux', wrongPlatform('a POSIX pty through script(1)'))
    requireEnv(this, Boolean(which('script')), 'script(1) is not installed (Debian: util-linux)')
    const dir = tmpDir('sd-sigint-')
    try {
      const child = path.join(dir, 'count.js')
      fs.writeFileSync(child, "let n = 0; process.on('SIGINT', () => { n++ }); console.log('READY'); setTimeout(() => { console.log('SIGINTS=' + n); process.exit(0) }, 2500)\n")
      const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} run -- ${JSON.stringify(process.execPath)} ${JSON.stringify(child)}`
      // script(1) gives the command a terminal; ^C typed there goes to the
      // terminal's foreground process group: run and its child.
      const r = spawnSync('bash', ['-c', `(sleep 1.2; printf '\\003'; sleep 3) | script -qfec ${JSON.stringify(cmd)} /dev/null`], { encoding: 'utf8', timeout: 20000 })
      assert.match(r.stdout, /READY/, r.stdout + r.stderr)
      assert.match(r.stdout, /SIGINTS=1\b/, r.stdout)
    } finally {
      rmTree(dir)
    }
  })
})

describe('the hook through NODE_OPTIONS leaves nothing behind', function () {
  it('the only refusal in a child: no marker file is left in the temporary directory', function () {
    requireEnv(this, !seccompReason(), seccompReason())
    const dir = tmpDir('sd-marker-')
    const tmp = tmpDir('sd-marker-tmp-')
    try {
      fs.writeFileSync(path.join(dir, 'a.txt'), 'A')
      // The root makes no link; its child meets the refusal and prints the note.
      const child = "require('fs').symlinkSync('a.txt', 'b')"
      const root = `const r = require('child_process').spawnSync(process.execPath, ['-e', ${JSON.stringify(child)}], { encoding: 'utf8' }); process.stderr.write(r.stderr); process.exit(r.status)`
      const r = spawnSync(require('./support').REFUSE, ['--', process.execPath, '-e', root], {
        cwd: dir, encoding: 'utf8', env: { ...process.env, TMPDIR: tmp, NODE_OPTIONS: `--require ${JSON.stringify(path.join(ROOT, 'register.js'))}` }
      })
      assert.strictEqual(r.status, 0, r.stderr)
      assert.match(r.stderr, /symlink-doctor: a symlink was refused/)
      assert.deepStrictEqual(fs.readdirSync(tmp), [])
    } finally {
      rmTree(dir)
      rmTree(tmp)
    }
  })
})
