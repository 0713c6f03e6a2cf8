'use strict'
// Where a fallback lands and what it shows, as the kernel would resolve the
// symlink it stands in for (a path through a symlinked directory, `..`
// after a symlink), and paths that are bytes, not UTF-8. Each case runs in
// a child whose kernel refuses symlinks (the hard-link fallback) and is
// compared with what a real symlink shows in the same layout.

const assert = require('assert')
const fs = require('fs')
const path = require('path')
const { ROOT, requireEnv, seccompReason, runNode, tmpDir, rmTree, wrongPlatform } = require('./support')

const MODES = { native: {}, 'JS fallback': { SYMLINK_DOCTOR_FORCE_JS: '1' } }

function inChild (body, { cwd, env, refuse = 'symlinks' }) {
  const script = `
    const sd = require(${JSON.stringify(ROOT)})
    Promise.resolve().then(() => (${body})(sd, require('fs'), require('path')))
      .then((value) => process.stdout.write(JSON.stringify({ value })))
      .catch((e) => process.stdout.write(JSON.stringify({ error: { message: e.message, code: e.code, syscall: e.syscall, path: e.path, dest: e.dest } })))`
  const r = runNode(script, { refuse, cwd, env })
  assert.strictEqual(r.status, 0, r.stderr)
  return JSON.parse(r.stdout)
}

describe('fallbacks land where the kernel would put the symlink', function () {
  before(function () {
    requireEnv(this, process.platform !== 'win32', wrongPlatform('POSIX path resolution (Windows resolves `..` by text, as the code does there)'))
    requireEnv(this, !seccompReason(), seccompReason())
  })
  let dir
  beforeEach(function () {
    // node_modules/pkg -> ../real/pkg, as npm link and pnpm make it.
    dir = tmpDir('sd-paths-')
    fs.mkdirSync(path.join(dir, 'real', 'pkg'), { recursive: true })
    fs.mkdirSync(path.join(dir, 'node_modules'))
    fs.symlinkSync('../real/pkg', path.join(dir, 'node_modules', 'pkg'))
    fs.writeFileSync(path.join(dir, 'real', 't'), 'real/t: what the symlink shows')
    fs.writeFileSync(path.join(dir, 'node_modules', 't'), 'node_modules/t: a different file')
    fs.writeFileSync(path.join(dir, 'real', 'pkg', 'x'), 'x')
  })
  afterEach(function () { rmTree(dir) })

  for (const [mode, env] of Object.entries(MODES)) {
    for (const form of ['createLinkSync', 'createLink']) {
      it(`${mode}, ${form}: a relative target from inside a symlinked directory shows what the symlink would`, function () {
        // The real symlink, where symlinks work: what the user expects.
        fs.symlinkSync('../t', path.join(dir, 'node_modules', 'pkg', 'S'))
        const expected = fs.readFileSync(path.join(dir, 'node_modules', 'pkg', 'S'), 'utf8')
        assert.strictEqual(expected, 'real/t: what the symlink shows')
        const r = inChild(`(sd) => sd.${form}('../t', 'node_modules/pkg/L')`, { cwd: dir, env })
        assert.ok(r.value, JSON.stringify(r.error))
        assert.strictEqual(r.value.kind, 'hardlink')
        assert.strictEqual(fs.readFileSync(path.join(dir, 'node_modules', 'pkg', 'L'), 'utf8'), expected)
        assert.strictEqual(fs.statSync(path.join(dir, 'real', 'pkg', 'L')).ino, fs.statSync(path.join(dir, 'real', 't')).ino)
      })

      it(`${mode}, ${form}: a link path with .. after a symlinked directory lands where the kernel puts it`, function () {
        // Text, not path.join: join would normalize the .. away.
        fs.symlinkSync('pkg/x', `${dir}/node_modules/pkg/../S4`)
        assert.ok(fs.lstatSync(path.join(dir, 'real', 'S4')).isSymbolicLink(), 'the kernel puts it in real/')
        const r = inChild(`(sd) => sd.${form}('pkg/x', 'node_modules/pkg/../L4')`, { cwd: dir, env })
        assert.ok(r.value, JSON.stringify(r.error))
        assert.strictEqual(r.value.kind, 'hardlink')
        assert.ok(fs.existsSync(path.join(dir, 'real', 'L4')), 'made at real/L4')
        assert.ok(!fs.existsSync(path.join(dir, 'L4')), 'not at the text-normalized path')
        assert.strictEqual(fs.readFileSync(path.join(dir, 'real', 'L4'), 'utf8'), 'x')
      })
    }
  }

  it('the hook: fs.symlinkSync through a symlinked directory falls back to what the symlink would show', function () {
    const r = runNode(`require(${JSON.stringify(path.join(ROOT, 'register.js'))}); require('fs').symlinkSync('../t', 'node_modules/pkg/H')`,
      { cwd: dir, env: { SYMLINK_DOCTOR_QUIET: '1' } })
    assert.strictEqual(r.status, 0, r.stderr)
    assert.strictEqual(fs.readFileSync(path.join(dir, 'node_modules', 'pkg', 'H'), 'utf8'), 'real/t: what the symlink shows')
  })
})

describe('paths that are bytes stay those bytes', function () {
  before(function () {
    requireEnv(this, process.platform === 'linux', wrongPlatform('names that are not UTF-8 exist on Linux filesystems; Windows names are UTF-16'))
    requireEnv(this, !seccompReason(), seccompReason())
  })
  let dir
  beforeEach(function () {
    dir = tmpDir('sd-bytes-')
    // A target whose name is not UTF-8 (T\xfe), a directory too.
    fs.writeFileSync(Buffer.concat([Buffer.from(dir + '/'), Buffer.from([0x54, 0xfe])]), 'bytes target')
    fs.mkdirSync(Buffer.concat([Buffer.from(dir + '/'), Buffer.from([0x44, 0xfe])]))
  })
  afterEach(function () { rmTree(dir) })

  const names = () => fs.readdirSync(dir, { encoding: 'buffer' }).map((b) => b.toString('hex')).sort()

  for (const [mode, env] of Object.entries(MODES)) {
    for (const form of ['createLinkSync', 'createLink']) {
      it(`${mode}, ${form}: hard link fallback to T\\xfe at L\\xff; replace sees it; results give the Buffers back`, function () {
        const r = inChild(`async (sd, fs) => {
          const T = Buffer.from([0x54, 0xfe]), L = Buffer.from([0x4c, 0xff])
          const first = await sd.${form}(T, L)
          const again = await sd.${form}(T, L, { replace: true })
          return { kind: first.kind, again: again.kind, pathIsBuffer: Buffer.isBuffer(first.path), path: first.path.toString('hex'), target: first.target.toString('hex') }
        }`, { cwd: dir, env })
        assert.ok(r.value, JSON.stringify(r.error))
        assert.strictEqual(r.value.kind, 'hardlink')
        assert.strictEqual(r.value.again, 'hardlink')
        assert.strictEqual(r.value.pathIsBuffer, true)
        assert.strictEqual(r.value.path, '4cff')
        assert.strictEqual(r.value.target, '54fe')
        assert.deepStrictEqual(names(), ['44fe', '4cff', '54fe'], 'no U+FFFD name, no leftover')
        const L = Buffer.concat([Buffer.from(dir + '/'), Buffer.from([0x4c, 0xff])])
        assert.strictEqual(fs.readFileSync(L, 'utf8'), 'bytes target')
      })
    }
  }

  it('a copy of a directory named D\\xfe is made at L\\xff', function () {
    const r = inChild('(sd) => sd.createLinkSync(Buffer.from([0x44, 0xfe]), Buffer.from([0x4c, 0xff]), { allowCopy: true }).kind', { cwd: dir, env: {} })
    assert.strictEqual(r.value, 'copy', JSON.stringify(r.error))
    assert.deepStrictEqual(names(), ['44fe', '4cff', '54fe'])
  })
})
