'use strict'
// On a real FAT filesystem (FUSE): symlink() is ENOSYS and link() EPERM,
// like a USB stick. Nothing but a copy can work there.

const assert = require('assert')
const fs = require('fs')
const path = require('path')
const sd = require('..')
const { requireEnv, fatReason, mountFat } = require('./support')

describe('on a FAT filesystem (fusefat)', function () {
  let mount
  before(function () {
    requireEnv(this, !fatReason(), fatReason())
    mount = mountFat()
  })
  after(function () { if (mount) mount.unmount() })

  let dir
  let n = 0
  beforeEach(function () {
    dir = path.join(mount.dir, `case${n++}`)
    fs.mkdirSync(dir)
    fs.writeFileSync(path.join(dir, 'a.txt'), 'A')
    fs.mkdirSync(path.join(dir, 'pkg'))
    fs.writeFileSync(path.join(dir, 'pkg', 'index.js'), 'module.exports = 1')
  })

  it('diagnose names the filesystem and both refusals', async function () {
    const r = await sd.diagnose(dir)
    assert.strictEqual(r.volume.mountType, 'fuse.fusefat')
    assert.strictEqual(r.probe.fileSymlink.code, 'ENOSYS')
    assert.strictEqual(r.probe.dirSymlink.code, 'ENOSYS')
    assert.strictEqual(r.probe.hardlink.code, 'EPERM')
    assert.deepStrictEqual(Object.values(r.can), [false, false, false, false, false])
    assert.match(r.refusals[0].meaning, /fuse\.fusefat\) cannot hold symlinks/)
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['a.txt', 'pkg'])
  })

  it('canSymlink says no', function () {
    assert.strictEqual(sd.canSymlinkSync(dir), false)
  })

  it('without allowCopy, a file link fails with the symlink refusal and leaves nothing', function () {
    assert.throws(() => sd.createLinkSync('a.txt', path.join(dir, 'b.txt')), (err) =>
      err.code === 'ENOSYS' && err.syscall === 'symlink' &&
      /hardlink refused: EPERM/.test(err.message) && /copy was not allowed/.test(err.message))
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['a.txt', 'pkg'])
  })

  it('with allowCopy, files and directories are copied (fs.copyFile itself fails here)', async function () {
    assert.throws(() => fs.copyFileSync(path.join(dir, 'a.txt'), path.join(dir, 'probe.txt')), { code: 'ENOSYS' })
    const file = sd.createLinkSync('a.txt', path.join(dir, 'b.txt'), { allowCopy: true })
    assert.strictEqual(file.kind, 'copy')
    assert.match(file.reason, /symlink refused: ENOSYS.*hardlink refused: EPERM/)
    assert.strictEqual(fs.readFileSync(path.join(dir, 'b.txt'), 'utf8'), 'A')
    const tree = await sd.createLink('pkg', path.join(dir, 'pkg-link'), { allowCopy: true })
    assert.strictEqual(tree.kind, 'copy')
    assert.strictEqual(fs.readFileSync(path.join(dir, 'pkg-link', 'index.js'), 'utf8'), 'module.exports = 1')
  })

  it('a real directory at the link path survives, with and without replace', function () {
    fs.mkdirSync(path.join(dir, 'taken'))
    fs.writeFileSync(path.join(dir, 'taken', 'keep'), 'K')
    for (const options of [{}, { replace: true }, { replace: true, allowCopy: true }]) {
      assert.throws(() => sd.createLinkSync('pkg', path.join(dir, 'taken'), options), { code: 'EEXIST' })
    }
    assert.strictEqual(fs.readFileSync(path.join(dir, 'taken', 'keep'), 'utf8'), 'K')
  })
})
