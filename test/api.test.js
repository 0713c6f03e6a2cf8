'use strict'
// The public API on a filesystem that allows links: argument checks in
// Node's style, path forms, replace, and the user's data left alone.

const assert = require('assert')
const fs = require('fs')
const path = require('path')
const { pathToFileURL } = require('url')
const sd = require('..')
const { tmpDir, rmTree, requireSymlinks } = require('./support')

describe('API', function () {
  let dir
  beforeEach(function () {
    dir = tmpDir()
    fs.writeFileSync(path.join(dir, 'a.txt'), 'A')
    fs.mkdirSync(path.join(dir, 'real'))
    fs.writeFileSync(path.join(dir, 'real', 'keep'), 'K')
  })
  afterEach(function () { rmTree(dir) })

  const realSurvives = () => assert.strictEqual(fs.readFileSync(path.join(dir, 'real', 'keep'), 'utf8'), 'K')

  describe('bad input, each with its exact error code', function () {
    const wrongPaths = [undefined, null, 42, {}, [], () => {}, Symbol('s')]
    for (const fn of ['createLinkSync', 'createLink']) {
      const call = async (...args) => sd[fn](...args)
      for (const bad of wrongPaths) {
        it(`${fn} rejects ${typeof bad === 'symbol' ? 'a symbol' : JSON.stringify(bad) ?? String(bad)} as a path with ERR_INVALID_ARG_TYPE`, async function () {
          await assert.rejects(call(bad, path.join(dir, 'x')), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: /The "target" argument must be of type string or an instance of Buffer or URL/ })
          await assert.rejects(call('a.txt', bad), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: /The "path" argument/ })
        })
      }
      it(`${fn} rejects NUL bytes with ERR_INVALID_ARG_VALUE before anything is made`, async function () {
        await assert.rejects(call('a\0.txt', path.join(dir, 'x')), { code: 'ERR_INVALID_ARG_VALUE' })
        await assert.rejects(call('a.txt', path.join(dir, 'x\0y')), { code: 'ERR_INVALID_ARG_VALUE' })
        await assert.rejects(call(Buffer.from('a\0'), path.join(dir, 'x')), { code: 'ERR_INVALID_ARG_VALUE' })
        assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['a.txt', 'real'])
      })
      it(`${fn} checks options`, async function () {
        const link = path.join(dir, 'x')
        await assert.rejects(call('a.txt', link, 'dir'), { code: 'ERR_INVALID_ARG_TYPE', message: /"options" argument/ })
        await assert.rejects(call('a.txt', link, { type: 'folder' }), { code: 'ERR_INVALID_ARG_VALUE', message: /options.type/ })
        await assert.rejects(call('a.txt', link, { allowCopy: 'yes' }), { code: 'ERR_INVALID_ARG_TYPE', message: /options.allowCopy/ })
        await assert.rejects(call('a.txt', link, { replace: 1 }), { code: 'ERR_INVALID_ARG_TYPE' })
        await assert.rejects(call('a.txt', link, { fallback: ['symlink', 'teleport'] }), { code: 'ERR_INVALID_ARG_VALUE' })
        await assert.rejects(call('a.txt', link, { fallback: 7 }), { code: 'ERR_INVALID_ARG_TYPE' })
        assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['a.txt', 'real'])
      })
    }
    for (const fn of ['removeLinkSync', 'inspectSync', 'diagnoseSync', 'canSymlinkSync']) {
      it(`${fn} checks its path`, function () {
        assert.throws(() => sd[fn](42), { code: 'ERR_INVALID_ARG_TYPE' })
        assert.throws(() => sd[fn]('a\0'), { code: 'ERR_INVALID_ARG_VALUE' })
      })
    }
    it('a missing parent directory is an fs-style ENOENT', function () {
      const link = path.join(dir, 'no', 'such', 'x')
      assert.throws(() => sd.createLinkSync('a.txt', link), (err) =>
        err.code === 'ENOENT' && err.syscall === 'symlink' && err.dest === link && err.path === 'a.txt')
    })
    it('an over-long name is an fs-style ENAMETOOLONG', function () {
      requireSymlinks(this)
      assert.throws(() => sd.createLinkSync('a.txt', path.join(dir, 'n'.repeat(400))), { code: 'ENAMETOOLONG', syscall: 'symlink' })
    })
  })

  describe('path forms, as in fs', function () {
    before(function () { requireSymlinks(this) })
    it('takes Buffer and file: URL paths', async function () {
      const r1 = sd.createLinkSync(Buffer.from('a.txt'), Buffer.from(path.join(dir, 'b1')))
      assert.strictEqual(r1.kind, 'symlink')
      const r2 = await sd.createLink('a.txt', pathToFileURL(path.join(dir, 'b2')))
      assert.strictEqual(r2.path, path.join(dir, 'b2'))
      assert.strictEqual(fs.readFileSync(path.join(dir, 'b1'), 'utf8'), 'A')
      assert.strictEqual(sd.inspectSync(pathToFileURL(path.join(dir, 'b2'))).target, 'a.txt')
    })
  })

  describe('links', function () {
    before(function () { requireSymlinks(this) })
    it('a symlink where the OS allows one, with nothing to explain', function () {
      const r = sd.createLinkSync('real', path.join(dir, 'dl'))
      assert.deepStrictEqual({ kind: r.kind, fallbackFrom: r.fallbackFrom, reason: r.reason }, { kind: 'symlink', fallbackFrom: null, reason: null })
      assert.strictEqual(fs.readFileSync(path.join(dir, 'dl', 'keep'), 'utf8'), 'K')
    })

    it('options.fallback restricts the chain (hard link only)', function () {
      const r = sd.createLinkSync('a.txt', path.join(dir, 'h'), { fallback: 'hardlink' })
      assert.strictEqual(r.kind, 'hardlink')
      assert.strictEqual(fs.statSync(path.join(dir, 'h')).ino, fs.statSync(path.join(dir, 'a.txt')).ino)
    })

    it('a target that does not exist still gets a symlink (as fs.symlink does)', function () {
      assert.strictEqual(sd.createLinkSync('later.txt', path.join(dir, 'dangling')).kind, 'symlink')
      assert.strictEqual(sd.inspectSync(path.join(dir, 'dangling')).targetExists, false)
    })

    it('an existing path is EEXIST without replace', function () {
      fs.symlinkSync('a.txt', path.join(dir, 'l'))
      assert.throws(() => sd.createLinkSync('real', path.join(dir, 'l')), { code: 'EEXIST', message: /pass replace: true/ })
      assert.strictEqual(fs.readlinkSync(path.join(dir, 'l')), 'a.txt')
    })

    it('a hard link of another file at the link path is the user\'s file: EEXIST says so, with and without replace', async function () {
      fs.writeFileSync(path.join(dir, 'b.txt'), 'B')
      fs.linkSync(path.join(dir, 'b.txt'), path.join(dir, 'h'))
      for (const options of [{}, { replace: true }]) {
        assert.throws(() => sd.createLinkSync('a.txt', path.join(dir, 'h'), options), { code: 'EEXIST', message: /a real file is at the link path/ })
        await assert.rejects(sd.createLink('a.txt', path.join(dir, 'h'), options), { code: 'EEXIST', message: /a real file is at the link path/ })
      }
      assert.strictEqual(fs.readFileSync(path.join(dir, 'h'), 'utf8'), 'B')
      // A hard link of the target itself is a link to it: replace may swap it.
      fs.linkSync(path.join(dir, 'a.txt'), path.join(dir, 'ha'))
      assert.throws(() => sd.createLinkSync('a.txt', path.join(dir, 'ha')), { code: 'EEXIST', message: /pass replace: true/ })
    })

    it('replace swaps a link for a new one and leaves no temporary name', async function () {
      fs.symlinkSync('a.txt', path.join(dir, 'l'))
      const r = await sd.createLink('real', path.join(dir, 'l'), { replace: true })
      assert.strictEqual(r.kind, 'symlink')
      assert.strictEqual(fs.readlinkSync(path.join(dir, 'l')), 'real')
      assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['a.txt', 'l', 'real'])
    })

    it('replace never deletes a real file or directory', async function () {
      fs.writeFileSync(path.join(dir, 'data.txt'), 'precious')
      for (const options of [{}, { replace: true }, { replace: true, allowCopy: true }]) {
        assert.throws(() => sd.createLinkSync('a.txt', path.join(dir, 'real'), options), { code: 'EEXIST' })
        await assert.rejects(sd.createLink('a.txt', path.join(dir, 'data.txt'), options), { code: 'EEXIST' })
      }
      assert.throws(() => sd.createLinkSync('a.txt', path.join(dir, 'real'), { replace: true }), { message: /a real directory is at the link path/ })
      realSurvives()
      assert.strictEqual(fs.readFileSync(path.join(dir, 'data.txt'), 'utf8'), 'precious')
      assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['a.txt', 'data.txt', 'real'])
    })

    for (const fn of ['createLinkSync', 'createLink']) {
      it(`${fn}: a copy of a tree whose links lead back up (to an ancestor, or to where the copy goes) ends, without those loops`, async function () {
        requireSymlinks(this)
        fs.symlinkSync('..', path.join(dir, 'real', 'up'))
        fs.mkdirSync(path.join(dir, 'real', 'sub'))
        fs.symlinkSync('..', path.join(dir, 'real', 'sub', 'parent'))
        const r = await sd[fn]('real', path.join(dir, 'copy'), { fallback: 'copy' })
        assert.strictEqual(r.kind, 'copy')
        const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? [`${e.name}/`, ...walk(path.join(d, e.name)).map((x) => `${e.name}/${x}`)] : [e.name])
        // up shows dir, outside the copied tree: left out and listed (a copy
        // never reads outside its source); sub/parent shows real itself, a
        // loop: left out and listed.
        assert.deepStrictEqual(walk(path.join(dir, 'copy')).sort(), ['keep', 'sub/'])
        assert.deepStrictEqual(r.skipped.map((s) => [s.path, s.reason]).sort(), [['sub/parent', 'loop'], ['up', 'points outside the copied tree']])
        realSurvives()
      })
    }

    it('removeLink refuses a real directory with a message saying so, and it survives', async function () {
      assert.throws(() => sd.removeLinkSync(path.join(dir, 'real')), { code: 'EISDIR', message: /not a link: a real directory/ })
      await assert.rejects(sd.removeLink(path.join(dir, 'a.txt')), { code: 'EINVAL', message: /not a link: a real file/ })
      realSurvives()
    })

    it('removeLink on a hard link leaves the other name and its data', function () {
      sd.createLinkSync('a.txt', path.join(dir, 'h'), { fallback: ['hardlink'] })
      sd.removeLinkSync(path.join(dir, 'h'))
      assert.strictEqual(fs.readFileSync(path.join(dir, 'a.txt'), 'utf8'), 'A')
      assert.throws(() => sd.removeLinkSync(path.join(dir, 'a.txt')), { code: 'EINVAL' })
    })
  })

  describe('diagnose and canSymlink', function () {
    before(function () { requireSymlinks(this) })
    it('diagnose reports what this process can make here', async function () {
      const r = await sd.diagnose(dir)
      assert.strictEqual(r.schemaVersion, 1)
      assert.strictEqual(r.dir, dir)
      assert.strictEqual(r.can.symlink, true)
      assert.strictEqual(r.can.hardlink, true)
      assert.deepStrictEqual(r.refusals, [])
      assert.strictEqual(typeof r.native, 'boolean')
      assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['a.txt', 'real'])
    })

    it('canSymlink answers, sync and promise alike', async function () {
      assert.strictEqual(sd.canSymlinkSync(dir), true)
      assert.strictEqual(await sd.canSymlink(dir), true)
    })

    it('canSymlinkSync answers a boolean after canSymlink filled the cache (and while it is still probing)', async function () {
      // A fresh copy of the module, so its per-device cache starts empty.
      const file = require.resolve('../lib/diagnose')
      delete require.cache[file]
      const fresh = require('../lib/diagnose')
      delete require.cache[file]
      const pending = fresh.canSymlink(dir)
      await new Promise((resolve) => setImmediate(resolve))
      assert.strictEqual(fresh.canSymlinkSync(dir), true)
      assert.strictEqual(await pending, true)
      assert.strictEqual(fresh.canSymlinkSync(dir), true)
      assert.strictEqual(await fresh.canSymlink(dir), true)
    })
  })
})
