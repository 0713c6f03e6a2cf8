'use strict'
// The native rename with flags (binding.renameSync / rename: renameat2's
// RENAME_NOREPLACE and RENAME_EXCHANGE on Linux), inspect's target as
// bytes, and the pure-JS fallback's answer to both.

const assert = require('assert')
const fs = require('fs')
const path = require('path')
const { spawn } = require('child_process')
const binding = require('../lib/binding')
const fallback = require('../lib/fallback')
const sd = require('..')
const { tmpDir, rmTree, requireEnv, requireSymlinks, fatReason, mountFat } = require('./support')

const { RENAME_NOREPLACE, RENAME_EXCHANGE } = binding

// Flags work where renameat2 does: Linux. Elsewhere they are ENOSYS
// (Windows has NOREPLACE but no exchange).
const linux = process.platform === 'linux'

describe('native rename with flags', function () {
  let dir
  beforeEach(function () {
    if (!binding.native) this.skip()
    dir = tmpDir()
  })
  afterEach(function () { if (dir) rmTree(dir); dir = null })

  it('exports the flags', function () {
    assert.strictEqual(RENAME_NOREPLACE, 1)
    assert.strictEqual(RENAME_EXCHANGE, 2)
    assert.strictEqual(typeof binding.renameSync, 'function')
    assert.strictEqual(typeof binding.rename, 'function')
  })

  for (const form of ['sync', 'promise']) {
    const call = (...args) => form === 'sync' ? binding.renameSync(...args) : binding.rename(...args)
    const settle = async (fn) => {
      try { return { value: await fn() } } catch (error) { return { error } }
    }

    describe(`${form} form`, function () {
      it('NOREPLACE refuses over an existing file with an fs-shaped EEXIST; both files intact', async function () {
        if (!linux && process.platform !== 'win32') this.skip()
        const a = path.join(dir, 'a')
        const b = path.join(dir, 'b')
        fs.writeFileSync(a, 'A')
        fs.writeFileSync(b, 'B')
        const { error } = await settle(() => call(a, b, RENAME_NOREPLACE))
        assert.ok(error instanceof Error)
        assert.strictEqual(error.code, 'EEXIST')
        assert.strictEqual(error.errno, require('../lib/errors').errnoOf('EEXIST'))
        assert.strictEqual(error.syscall, 'rename')
        assert.strictEqual(error.path, a)
        assert.strictEqual(error.dest, b)
        assert.strictEqual(error.message, `EEXIST: file already exists, rename '${a}' -> '${b}'`)
        assert.strictEqual(fs.readFileSync(a, 'utf8'), 'A')
        assert.strictEqual(fs.readFileSync(b, 'utf8'), 'B')
        // To a free name it moves.
        await call(a, path.join(dir, 'c'), RENAME_NOREPLACE)
        assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['b', 'c'])
      })

      it('errors match the ones fs.rename throws for the same call', async function () {
        const missing = path.join(dir, 'missing')
        const to = path.join(dir, 'to')
        let expected
        try { fs.renameSync(missing, to) } catch (e) { expected = e }
        for (const flags of linux ? [0, RENAME_NOREPLACE] : [0]) {
          const { error } = await settle(() => call(missing, to, flags))
          for (const key of ['message', 'code', 'errno', 'syscall', 'path', 'dest']) {
            assert.strictEqual(error[key], expected[key], `${key} (flags ${flags})`)
          }
        }
      })

      it('flags 0 is a plain rename, which replaces', async function () {
        fs.writeFileSync(path.join(dir, 'a'), 'A')
        fs.writeFileSync(path.join(dir, 'b'), 'B')
        await call(path.join(dir, 'a'), path.join(dir, 'b'), 0)
        assert.deepStrictEqual(fs.readdirSync(dir), ['b'])
        assert.strictEqual(fs.readFileSync(path.join(dir, 'b'), 'utf8'), 'A')
      })

      it('EXCHANGE swaps a symlink and a directory', async function () {
        requireSymlinks(this)
        const l = path.join(dir, 'l')
        const d = path.join(dir, 'd')
        fs.symlinkSync('somewhere', l)
        fs.mkdirSync(d)
        fs.writeFileSync(path.join(d, 'f'), 'F')
        if (!linux) {
          const { error } = await settle(() => call(l, d, RENAME_EXCHANGE))
          assert.strictEqual(error.code, 'ENOSYS')
          assert.strictEqual(error.syscall, 'rename')
          return
        }
        await call(l, d, RENAME_EXCHANGE)
        assert.strictEqual(fs.lstatSync(l).isDirectory(), true)
        assert.strictEqual(fs.readFileSync(path.join(l, 'f'), 'utf8'), 'F')
        assert.strictEqual(fs.lstatSync(d).isSymbolicLink(), true)
        assert.strictEqual(fs.readlinkSync(d), 'somewhere')
        // Both names are needed.
        const { error } = await settle(() => call(l, path.join(dir, 'none'), RENAME_EXCHANGE))
        assert.strictEqual(error.code, 'ENOENT')
        assert.strictEqual(error.syscall, 'rename')
      })

      it('Buffer names that are not UTF-8 stay bytes', async function () {
        if (process.platform === 'win32') this.skip() // Windows names are UTF-16
        const base = Buffer.from(dir + path.sep)
        const from = Buffer.concat([base, Buffer.from([0x4c, 0xff])])
        const to = Buffer.concat([base, Buffer.from([0x4d, 0xfe])])
        fs.writeFileSync(from, 'bytes')
        await call(from, to, linux ? RENAME_NOREPLACE : 0)
        const names = fs.readdirSync(dir, { encoding: 'buffer' })
        assert.deepStrictEqual(names, [Buffer.from([0x4d, 0xfe])])
        assert.strictEqual(fs.readFileSync(to, 'utf8'), 'bytes')
        // An error about such a name says it as fs does (lossy text).
        const { error } = await settle(() => call(from, to, 0))
        let expected
        try { fs.renameSync(from, to) } catch (e) { expected = e }
        assert.strictEqual(error.code, 'ENOENT')
        assert.strictEqual(error.message, expected.message)
        assert.strictEqual(error.path, expected.path)
      })

      it('argument checks throw like Node, never reach the OS, never crash', async function () {
        const a = path.join(dir, 'a')
        fs.writeFileSync(a, 'A')
        const b = path.join(dir, 'b')
        for (const flags of ['1', null, undefined, {}, 1n]) {
          assert.throws(() => binding.renameSync(a, b, flags), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' })
          assert.throws(() => binding.rename(a, b, flags), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' })
        }
        for (const flags of [3, 4, -1, 1.5, NaN]) {
          assert.throws(() => call(a, b, flags), { code: 'ERR_INVALID_ARG_VALUE' })
        }
        assert.throws(() => call(1, b, 0), { code: 'ERR_INVALID_ARG_TYPE' })
        assert.throws(() => call(a, 'x\0y', 0), { code: 'ERR_INVALID_ARG_VALUE' })
        assert.throws(() => call(a, b), { code: 'ERR_MISSING_ARGS' })
        assert.deepStrictEqual(fs.readdirSync(dir), ['a'])
      })
    })
  }

  it('EXCHANGE is atomic: a watcher never sees either name missing', async function () {
    if (!linux) this.skip()
    requireSymlinks(this)
    const l = path.join(dir, 'l')
    const d = path.join(dir, 'd')
    fs.symlinkSync('somewhere', l)
    fs.mkdirSync(d)
    const watcher = spawn(process.execPath, ['-e', `
      const fs = require('fs')
      const [l, d] = process.argv.slice(1)
      let looks = 0, missing = 0
      const end = Date.now() + 400
      process.stdout.write('ready\\n')
      while (Date.now() < end) {
        for (const p of [l, d]) {
          looks++
          if (!fs.lstatSync(p, { throwIfNoEntry: false })) missing++
        }
      }
      process.stdout.write(JSON.stringify({ looks, missing }))
    `, l, d])
    let out = ''
    watcher.stdout.on('data', (b) => { out += b })
    await new Promise((resolve) => watcher.stdout.once('data', resolve))
    let swaps = 0
    const end = Date.now() + 300
    while (Date.now() < end) {
      binding.renameSync(l, d, RENAME_EXCHANGE)
      swaps++
    }
    await new Promise((resolve) => watcher.on('close', resolve))
    const seen = JSON.parse(out.slice(out.indexOf('{')))
    console.log(`      exchange: ${swaps} swaps, ${seen.looks} looks, ${seen.missing} missing`)
    assert.strictEqual(seen.missing, 0)
    assert.ok(swaps > 0 && seen.looks > 0)
  })

  describe('on a FAT filesystem (fusefat): no exchange there', function () {
    let mount
    before(function () {
      if (!binding.native) this.skip()
      requireEnv(this, !fatReason(), fatReason())
      mount = mountFat()
    })
    after(function () { if (mount) mount.unmount() })

    it('EXCHANGE is EINVAL or ENOSYS, nothing moves; a plain rename works', async function () {
      const a = path.join(mount.dir, 'a.txt')
      const b = path.join(mount.dir, 'b.txt')
      fs.writeFileSync(a, 'A')
      fs.writeFileSync(b, 'B')
      for (const fn of [() => binding.renameSync(a, b, RENAME_EXCHANGE), () => binding.rename(a, b, RENAME_EXCHANGE)]) {
        let error
        try { await fn() } catch (e) { error = e }
        assert.ok(error && ['EINVAL', 'ENOSYS'].includes(error.code), `got ${error && error.code}`)
        assert.strictEqual(error.syscall, 'rename')
        assert.strictEqual(error.path, a)
        assert.strictEqual(error.dest, b)
      }
      assert.strictEqual(fs.readFileSync(a, 'utf8'), 'A')
      assert.strictEqual(fs.readFileSync(b, 'utf8'), 'B')
      binding.renameSync(a, path.join(mount.dir, 'c.txt'), 0)
      assert.deepStrictEqual(fs.readdirSync(mount.dir).sort(), ['b.txt', 'c.txt'])
    })
  })
})

describe('inspect: the target as bytes', function () {
  let dir
  beforeEach(function () { dir = tmpDir() })
  afterEach(function () { rmTree(dir) })

  for (const form of ['inspectSync', 'inspect']) {
    it(`${form}: encoding 'buffer' gives the exact bytes stored; a Buffer path alone still gives a string`, async function () {
      if (process.platform === 'win32') this.skip() // targets are UTF-16 there
      requireSymlinks(this)
      const stored = Buffer.from([0x61, 0x2f, 0xff, 0xfe, 0x4c])
      const link = path.join(dir, 'l')
      fs.symlinkSync(stored, link)
      for (const options of [{ encoding: 'buffer' }, 'buffer']) {
        const info = await sd[form](link, options)
        assert.ok(Buffer.isBuffer(info.target))
        assert.deepStrictEqual(info.target, stored)
        assert.strictEqual(info.relative, true)
      }
      const text = await sd[form](Buffer.from(link))
      assert.strictEqual(typeof text.target, 'string')
      assert.strictEqual(text.target, fs.readlinkSync(Buffer.from(link)).toString())
      assert.strictEqual(text.target, fs.readlinkSync(link))
      for (const options of [undefined, null, {}, 'utf8', { encoding: 'utf8' }, { encoding: null }]) {
        assert.strictEqual(typeof (await sd[form](link, options)).target, 'string')
      }
      // Not a link: target null either way.
      fs.writeFileSync(path.join(dir, 'f'), 'F')
      assert.strictEqual((await sd[form](path.join(dir, 'f'), { encoding: 'buffer' })).target, null)
    })

    it(`${form}: options are checked before anything is read, like fs`, async function () {
      const check = form === 'inspectSync'
        ? (fn, expected) => assert.throws(fn, expected)
        : (fn, expected) => assert.rejects(fn, expected)
      const missing = path.join(dir, 'missing')
      await check(() => sd[form](missing, 'latin1'), { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' })
      await check(() => sd[form](missing, { encoding: 'hex' }), { code: 'ERR_INVALID_ARG_VALUE' })
      await check(() => sd[form](missing, { encoding: 5 }), { code: 'ERR_INVALID_ARG_VALUE' })
      await check(() => sd[form](missing, 5), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' })
      await check(() => sd[form](missing, true), { code: 'ERR_INVALID_ARG_TYPE' })
      await check(() => sd[form](missing, { encoding: 'buffer' }), { code: 'ENOENT' })
    })
  }

  it('the binding itself checks asBuffer (a boolean)', function () {
    if (!binding.native) this.skip()
    assert.throws(() => binding.inspectSync(dir, 'yes'), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' })
    assert.throws(() => binding.inspect(dir, 1), { code: 'ERR_INVALID_ARG_TYPE' })
    assert.strictEqual(binding.inspectSync(dir, false).kind, 'directory')
  })
})

describe('the pure-JS fallback', function () {
  let dir
  beforeEach(function () { dir = tmpDir() })
  afterEach(function () { rmTree(dir) })

  it('rename with a flag is an fs-shaped ENOSYS (the caller takes its own way); 0 renames', async function () {
    const a = path.join(dir, 'a')
    const b = path.join(dir, 'b')
    fs.writeFileSync(a, 'A')
    assert.strictEqual(fallback.RENAME_NOREPLACE, 1)
    assert.strictEqual(fallback.RENAME_EXCHANGE, 2)
    for (const flags of [1, 2]) {
      assert.throws(() => fallback.renameSync(a, b, flags), (err) =>
        err.code === 'ENOSYS' && err.syscall === 'rename' && err.path === a && err.dest === b &&
        err.errno === require('../lib/errors').errnoOf('ENOSYS') &&
        err.message === `ENOSYS: function not implemented, rename '${a}' -> '${b}'`)
      await assert.rejects(fallback.rename(a, b, flags), { code: 'ENOSYS', syscall: 'rename' })
    }
    assert.throws(() => fallback.renameSync(a, b, '1'), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' })
    assert.throws(() => fallback.renameSync(a, b, 3), { code: 'ERR_INVALID_ARG_VALUE' })
    await fallback.rename(a, b, 0)
    assert.deepStrictEqual(fs.readdirSync(dir), ['b'])
  })

  it('inspect with asBuffer gives the bytes', function () {
    if (process.platform === 'win32') this.skip()
    requireSymlinks(this)
    const stored = Buffer.from([0x4c, 0xff])
    fs.symlinkSync(stored, path.join(dir, 'l'))
    assert.deepStrictEqual(fallback.inspectSync(path.join(dir, 'l'), true).target, stored)
    assert.strictEqual(typeof fallback.inspectSync(path.join(dir, 'l')).target, 'string')
  })
})
