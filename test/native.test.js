'use strict'
// The native core on a real filesystem: what it makes, what it reports,
// and that its errors read exactly like Node's own.

const assert = require('assert')
const fs = require('fs')
const path = require('path')
const binding = require('../lib/binding')
const { tmpDir, rmTree, requireSymlinks, requireEnv, seccompReason, runNode } = require('./support')

describe('native core', function () {
  let dir
  beforeEach(function () { dir = tmpDir() })
  afterEach(function () { rmTree(dir) })

  it('loads the native binary (or says why not)', function () {
    if (process.env.CI === 'true' || process.env.SYMLINK_DOCTOR_REQUIRE_NATIVE === '1') {
      assert.strictEqual(binding.native, true, `native binding did not load: ${binding.loadError}`)
    }
    if (!binding.native) this.skip()
  })

  for (const form of ['sync', 'promise']) {
    const call = (name, ...args) => form === 'sync'
      ? binding[`${name}Sync`](...args)
      : binding[name](...args)
    const settle = async (fn) => {
      try { return { value: await fn() } } catch (error) { return { error } }
    }

    describe(`${form} form`, function () {
      it('probe finds every link kind on this filesystem and leaves nothing behind', async function () {
        requireSymlinks(this)
        fs.writeFileSync(path.join(dir, 'keep.txt'), 'mine')
        const r = await call('probe', dir)
        assert.strictEqual(r.fileSymlink.ok, true)
        assert.strictEqual(r.dirSymlink.ok, true)
        assert.strictEqual(r.hardlink.ok, true)
        if (process.platform !== 'win32') assert.strictEqual(r.junction.tried, false)
        assert.deepStrictEqual(fs.readdirSync(dir), ['keep.txt'])
        assert.strictEqual(fs.readFileSync(path.join(dir, 'keep.txt'), 'utf8'), 'mine')
        if (process.platform === 'linux' && binding.native) {
          assert.strictEqual(typeof r.volume.fsName, 'string')
          assert.strictEqual(r.volume.mountPoint.length > 0, true)
        }
      })

      it('probe of a missing directory is an ENOENT like fs gives', async function () {
        const missing = path.join(dir, 'nope')
        const { error } = await settle(() => call('probe', missing))
        assert.strictEqual(error.code, 'ENOENT')
        assert.strictEqual(error.path, missing)
      })

      it('symlink and inspect: target as stored, relative flag, target existence', async function () {
        requireSymlinks(this)
        fs.writeFileSync(path.join(dir, 'a.txt'), 'A')
        const link = path.join(dir, 'l')
        await call('symlink', 'a.txt', link, 0)
        const info = await call('inspect', link)
        assert.strictEqual(info.kind, 'symlink')
        assert.strictEqual(info.target, 'a.txt')
        assert.strictEqual(info.relative, true)
        assert.strictEqual(info.targetExists, true)
        assert.strictEqual(fs.readFileSync(link, 'utf8'), 'A')
        fs.unlinkSync(path.join(dir, 'a.txt'))
        assert.strictEqual((await call('inspect', link)).targetExists, false)
      })

      it('hardlink shows in the link count', async function () {
        const a = path.join(dir, 'a.txt')
        fs.writeFileSync(a, 'A')
        await call('hardlink', a, path.join(dir, 'h'))
        const info = await call('inspect', path.join(dir, 'h'))
        assert.strictEqual(info.kind, 'file')
        assert.strictEqual(info.nlink, 2)
      })

      it('errors match the ones fs throws for the same call', async function () {
        requireSymlinks(this)
        fs.writeFileSync(path.join(dir, 'a.txt'), 'A')
        const link = path.join(dir, 'taken')
        fs.writeFileSync(link, 'occupied')
        let expected
        try { fs.symlinkSync('a.txt', link) } catch (e) { expected = e }
        const { error } = await settle(() => call('symlink', 'a.txt', link, 0))
        assert.ok(error instanceof Error)
        for (const key of ['message', 'code', 'errno', 'syscall', 'path', 'dest']) {
          assert.strictEqual(error[key], expected[key], key)
        }
        assert.strictEqual(fs.readFileSync(link, 'utf8'), 'occupied')
      })

      it('removeLink removes the link and never what it points to', async function () {
        requireSymlinks(this)
        fs.mkdirSync(path.join(dir, 'd'))
        fs.writeFileSync(path.join(dir, 'd', 'f'), 'F')
        const link = path.join(dir, 'dl')
        fs.symlinkSync('d', link, 'dir')
        await call('removeLink', link)
        assert.strictEqual(fs.existsSync(link), false)
        assert.strictEqual(fs.readFileSync(path.join(dir, 'd', 'f'), 'utf8'), 'F')
      })

      it('removeLink refuses a real directory and a real file, which survive', async function () {
        fs.mkdirSync(path.join(dir, 'd'))
        fs.writeFileSync(path.join(dir, 'd', 'f'), 'F')
        const e1 = (await settle(() => call('removeLink', path.join(dir, 'd')))).error
        assert.strictEqual(e1.code, 'EISDIR')
        const e2 = (await settle(() => call('removeLink', path.join(dir, 'd', 'f')))).error
        assert.strictEqual(e2.code, 'EINVAL')
        assert.strictEqual(fs.readFileSync(path.join(dir, 'd', 'f'), 'utf8'), 'F')
      })
    })
  }

  it('the C layer itself rejects wrong types and NUL bytes (nothing malformed gets through)', function () {
    if (!binding.native) this.skip()
    assert.throws(() => binding.symlinkSync(1, 'x', 0), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' })
    assert.throws(() => binding.symlinkSync('a\0b', path.join(dir, 'x'), 0), { code: 'ERR_INVALID_ARG_VALUE' })
    assert.throws(() => binding.inspectSync(Buffer.from('a\0b')), { code: 'ERR_INVALID_ARG_VALUE' })
    assert.throws(() => binding.symlinkSync('a', path.join(dir, 'x'), 7), { code: 'ERR_INVALID_ARG_VALUE' })
    assert.throws(() => binding.hardlinkSync('a'), { code: 'ERR_MISSING_ARGS' })
    assert.deepStrictEqual(fs.readdirSync(dir), [])
  })

  it('a name over the filesystem limit is an fs-style ENAMETOOLONG', function () {
    requireSymlinks(this)
    const long = path.join(dir, 'x'.repeat(300))
    assert.throws(() => binding.symlinkSync('a', long, 0), (err) =>
      err.code === 'ENAMETOOLONG' && err.syscall === 'symlink' && err.dest === long && typeof err.errno === 'number')
  })

  it('refuse-links also refuses the links libuv makes through io_uring (UV_USE_IO_URING=1)', function () {
    requireEnv(this, !seccompReason(), seccompReason())
    // A ring's symlinkat never passes through seccomp: without the ring
    // refused too, fs.symlink quietly succeeds under the "refusing" kernel.
    const script = `
      const fs = require('fs')
      fs.symlink('x', 'l1', (e1) => fs.link(__filename, 'h1', (e2) =>
        process.stdout.write(JSON.stringify([e1 && e1.code, e2 && e2.code]))))`
    const r = runNode(script.replace('__filename', JSON.stringify(__filename)),
      { refuse: 'all', cwd: dir, env: { UV_USE_IO_URING: '1' } })
    assert.strictEqual(r.status, 0, r.stderr)
    assert.deepStrictEqual(JSON.parse(r.stdout), ['EPERM', 'EPERM'])
    assert.deepStrictEqual(fs.readdirSync(dir), [])
  })
})
