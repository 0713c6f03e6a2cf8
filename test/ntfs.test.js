'use strict'
// The junctions src/reparse.c builds, checked against an independent NTFS
// implementation: ntfs-3g, on a real NTFS image mounted through FUSE
// (issue 10 item 10). Nothing here is compared with our own parser's idea
// of the format alone:
//   - every mount point buffer the builder makes (absolute, deep, Unicode,
//     long, at the 16 KiB limit, trailing separator, \\?\ and '/' inputs,
//     another drive letter) is set on an empty directory through ntfs-3g's
//     system.ntfs_reparse_data attribute, must be accepted, read back
//     byte-identical after a remount, and resolve (ntfs-3g's readlink) to
//     the directory it names, whose file is then read through it;
//   - an over-long target is refused by the builder, and a buffer one unit
//     longer, made by hand, is refused by ntfs-3g as well (16 KiB limit);
//   - the WSL symlinks ntfs-3g writes with -o special_files=wsl
//     (IO_REPARSE_TAG_LX_SYMLINK) parse as symlinks with their target
//     (issue 10 item 5; before, the parser called them "other").
// The builder and parser run in test/c/test-reparse.c's helper modes
// (--build TARGET OUT, --parse FILE), compiled here from src/reparse.c.
//
// Needs Linux, root, /dev/fuse, a C compiler and the Debian packages
// ntfs-3g (mkntfs, ntfs-3g) and attr (setfattr, getfattr). Under CI=true a
// missing one is a failure (test/support.js requireEnv).

const assert = require('assert')
const { execFileSync, spawnSync } = require('child_process')
const fs = require('fs')
const path = require('path')
const { ROOT, requireEnv, wrongPlatform, tmpDir, rmTree, which } = require('./support')

// The MS-FSCC mount point vector for C:\a, as written by hand in
// test/c/test-reparse.c (junction_c_a).
const JUNCTION_C_A = '030000a02400000000001000120008005c003f003f005c0043003a005c006100000043003a005c0061000000'
const LIBFSNTFS_USERS = '030000a034000000000018001a0010005c003f003f005c0043003a005c00550073006500720073000000' +
  '43003a005c00550073006500720073000000'
const MAX_UNITS = 4089 // 16 + 2 * (4 + n + 1) + 2 * (n + 1) <= 16384

function ntfsReason () {
  if (process.platform !== 'linux') return wrongPlatform(`the ntfs-3g mount needs Linux (this is ${process.platform})`)
  if (!fs.existsSync('/dev/fuse')) return '/dev/fuse is missing'
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'the ntfs-3g mount of an image needs root'
  for (const cmd of ['mkntfs', 'ntfs-3g', 'setfattr', 'getfattr', 'umount']) {
    if (!which(cmd)) return `${cmd} is not installed (Debian: apt-get install ntfs-3g attr)`
  }
  if (!which('cc') && !which('gcc')) return 'no C compiler (Debian: apt-get install gcc)'
  return null
}

function getReparse (p) {
  const r = spawnSync(which('getfattr'), ['-h', '-e', 'hex', '-n', 'system.ntfs_reparse_data', p], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`getfattr ${p}: ${r.stderr}`)
  const m = /system\.ntfs_reparse_data=0x([0-9a-f]+)/.exec(r.stdout)
  assert.ok(m, r.stdout)
  return m[1]
}

function setReparse (p, hex) {
  return spawnSync(which('setfattr'), ['-h', '-n', 'system.ntfs_reparse_data', '-v', '0x' + hex, p], { encoding: 'utf8' })
}

// Makes dir/rel (rel in '/' form, possibly longer than PATH_MAX in all)
// one component at a time, from a descriptor-free chdir walk.
function mkdirDeep (base, rel) {
  const cwd = process.cwd()
  try {
    process.chdir(base)
    for (const part of rel.split('/')) {
      if (!fs.existsSync(part)) fs.mkdirSync(part)
      process.chdir(part)
    }
    fs.writeFileSync('inside.txt', rel.slice(0, 64))
  } finally {
    process.chdir(cwd)
  }
}

describe('ntfs-3g: the junctions src/reparse.c builds, on a real NTFS volume', function () {
  this.timeout(120000)
  let base, img, mnt, tool, mounted

  function mount () {
    execFileSync(which('ntfs-3g'), ['-o', 'special_files=wsl', img, mnt], { stdio: 'ignore' })
    mounted = true
  }
  function unmount () {
    if (!mounted) return
    const r = spawnSync(which('umount'), [mnt], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`umount ${mnt}: ${r.stderr}`)
    mounted = false
  }
  function remount () {
    // ntfs-3g caches what a path is: after setting reparse data the new
    // kind shows reliably only on a fresh mount (and a remount proves the
    // data is on the volume).
    unmount()
    mount()
  }
  function build (target) {
    const out = path.join(base, 'buf.bin')
    fs.rmSync(out, { force: true })
    const r = spawnSync(tool, ['--build', target, out], { encoding: 'utf8' })
    if (r.status !== 0) return { error: r.stderr.trim(), status: r.status }
    return { hex: fs.readFileSync(out).toString('hex') }
  }
  function parse (hex) {
    const f = path.join(base, 'parse.bin')
    fs.writeFileSync(f, Buffer.from(hex, 'hex'))
    const r = spawnSync(tool, ['--parse', f], { encoding: 'utf8' })
    assert.strictEqual(r.status, 0, r.stderr)
    return JSON.parse(r.stdout)
  }

  before(function () {
    requireEnv(this, !ntfsReason(), ntfsReason())
    base = tmpDir('sd-ntfs-')
    img = path.join(base, 'ntfs.img')
    mnt = path.join(base, 'mnt')
    fs.mkdirSync(mnt)
    tool = path.join(base, 'test-reparse')
    execFileSync(which('cc') || which('gcc'), ['-std=c11', '-O1', '-I' + path.join(ROOT, 'src'), '-o', tool,
      path.join(ROOT, 'src', 'reparse.c'), path.join(ROOT, 'test', 'c', 'test-reparse.c')], { stdio: 'inherit' })
    fs.writeFileSync(img, '')
    fs.truncateSync(img, 64 * 1024 * 1024)
    execFileSync(which('mkntfs'), ['-F', '-f', '-q', img], { stdio: 'ignore' })
    mount()
  })

  after(function () {
    if (!base) return
    try { unmount() } finally { rmTree(base) }
  })

  it('the builder matches the published MS-FSCC vector (junction to C:\\a)', function () {
    assert.strictEqual(build('C:\\a').hex, JUNCTION_C_A)
  })

  it('every kind of target: accepted by ntfs-3g, read back identical, resolves to its directory', function () {
    const long = Array.from({ length: 8 }, (_, i) => `long${i}-` + 'x'.repeat(120)).join('/')
    // At the limit: "C:\" + path of MAX_UNITS - 3 units, in components of
    // at most 200 characters (NTFS allows 255 per name).
    const limitParts = []
    let left = MAX_UNITS - 3
    for (let i = 0; left > 0; i++) {
      const take = Math.min(200, left - (limitParts.length ? 1 : 0))
      const name = (`z${i}-` + 'y'.repeat(200)).slice(0, take)
      limitParts.push(name)
      left -= take + (limitParts.length > 1 ? 1 : 0)
    }
    const limit = limitParts.join('/')
    assert.strictEqual(3 + limit.length, MAX_UNITS)
    // target given to the builder -> directory on the volume (relative,
    // '/' form) it must resolve to; sameAs: a spelling that must give the
    // same bytes as another.
    const cases = [
      { name: 'absolute', target: 'C:\\a', dir: 'a' },
      { name: 'deep', target: 'C:\\d1\\d2\\d3\\d4\\d5\\d6\\d7\\d8\\d9\\d10\\d11\\d12', dir: 'd1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12' },
      { name: 'Unicode', target: 'C:\\ünï cödé\\日本語\\😀 ok', dir: 'ünï cödé/日本語/😀 ok' },
      { name: 'long', target: 'C:\\' + long.replace(/\//g, '\\'), dir: long },
      // Resolved, its Linux path (the mount's + 4086 bytes) is longer than
      // PATH_MAX, which FUSE's readlink cannot return (EIO): accepted, read
      // back identical and parsed, not followed.
      { name: 'at the size limit', target: 'C:\\' + limit.replace(/\//g, '\\'), dir: limit, bytes: 16384, tooLongToFollow: true },
      { name: 'trailing separator', target: 'C:\\trail\\', dir: 'trail' },
      { name: '\\\\?\\ input', target: '\\\\?\\C:\\a', dir: 'a', sameAs: 'C:\\a' },
      { name: "'/' input", target: 'C:/d1/d2', dir: 'd1/d2', sameAs: 'C:\\d1\\d2' },
      { name: 'another drive letter', target: 'D:\\other', dir: 'other' },
      // The junction to C:\Users published in libyal/libfsntfs's tests
      // (tests/fsntfs_test_reparse_point_values.c, data1 bytes 24-83).
      { name: "libfsntfs's published junction", target: 'C:\\Users', dir: 'Users', hex: LIBFSNTFS_USERS }
    ]
    const made = []
    for (const c of cases) {
      const b = build(c.target)
      assert.ok(b.hex, `${c.name}: the builder refused ${c.target}: ${b.error}`)
      if (c.bytes) assert.strictEqual(b.hex.length / 2, c.bytes, c.name)
      if (c.hex) assert.strictEqual(b.hex, c.hex, `${c.name}: the builder's bytes differ`)
      if (c.sameAs) assert.strictEqual(b.hex, build(c.sameAs).hex, `${c.name}: not the bytes of ${c.sameAs}`)
      // ntfs-3g's own rule: ReparseDataLength + 8 is the attribute size.
      assert.strictEqual(Buffer.from(b.hex, 'hex').readUInt16LE(4) + 8, b.hex.length / 2, c.name)
      mkdirDeep(mnt, c.dir)
      const link = path.join(mnt, 'j-' + made.length)
      fs.mkdirSync(link)
      const r = setReparse(link, b.hex)
      assert.strictEqual(r.status, 0, `${c.name}: ntfs-3g refused the buffer: ${r.stderr}`)
      made.push({ c, link, hex: b.hex })
    }
    remount()
    for (const { c, link, hex } of made) {
      assert.strictEqual(getReparse(link), hex, `${c.name}: not read back identical`)
      if (c.tooLongToFollow) {
        assert.throws(() => fs.readlinkSync(link), { code: 'EIO' })
      } else {
        const st = fs.lstatSync(link)
        assert.ok(st.isSymbolicLink(), `${c.name}: ntfs-3g does not see a junction`)
        // ntfs-3g maps a drive path that exists on this volume onto the
        // mount (a trailing separator kept: the same directory).
        const to = fs.readlinkSync(link).replace(/(.)\/$/, '$1')
        assert.strictEqual(to, path.join(mnt, c.dir), `${c.name}: resolves to ${to}`)
        assert.strictEqual(fs.readFileSync(path.join(link, 'inside.txt'), 'utf8'), c.dir.slice(0, 64), c.name)
      }
      // And our parser reads ntfs-3g's bytes back as the same junction.
      const p = parse(getReparse(link))
      assert.strictEqual(p.kind, 'mountPoint', c.name)
      const want = c.target.replace(/^\\\\\?\\/, '').replace(/\//g, '\\')
      assert.strictEqual(p.print, want, c.name)
      assert.strictEqual(p.subst, '\\??\\' + want, c.name)
    }
  })

  it('a drive path that is not on this volume resolves where ntfs-3g puts other drives', function () {
    const b = build('E:\\nowhere\\x')
    const link = path.join(mnt, 'j-elsewhere')
    fs.mkdirSync(link)
    assert.strictEqual(setReparse(link, b.hex).status, 0)
    remount()
    assert.strictEqual(getReparse(link), b.hex)
    assert.strictEqual(fs.readlinkSync(link), path.join(mnt, '.NTFS-3G', 'E:', 'nowhere', 'x'))
  })

  it('an over-long target: the builder refuses it, and ntfs-3g refuses such a buffer too', function () {
    const over = 'C:\\' + 'o'.repeat(MAX_UNITS - 3 + 1)
    const b = build(over)
    assert.strictEqual(b.status, 3)
    assert.strictEqual(b.error, 'ENAMETOOLONG')
    // The same layout one unit over, made by hand: 16 KiB + 4 bytes.
    const ok = Buffer.from(build('C:\\' + 'o'.repeat(MAX_UNITS - 3)).hex, 'hex')
    const n = MAX_UNITS + 1
    const bytes = Buffer.alloc(16 + 2 * (4 + n + 1) + 2 * (n + 1))
    ok.copy(bytes, 0, 0, 16)
    bytes.writeUInt16LE(bytes.length - 8, 4)
    bytes.writeUInt16LE(2 * (4 + n), 10)
    bytes.writeUInt16LE(2 * (4 + n + 1), 12)
    bytes.writeUInt16LE(2 * n, 14)
    const subst = Buffer.from('\\??\\' + over.slice(0), 'utf16le')
    subst.copy(bytes, 16)
    Buffer.from(over, 'utf16le').copy(bytes, 16 + subst.length + 2)
    assert.strictEqual(bytes.length, 16388)
    const link = path.join(mnt, 'j-over')
    fs.mkdirSync(link)
    const r = setReparse(link, bytes.toString('hex'))
    assert.notStrictEqual(r.status, 0, 'ntfs-3g accepted a reparse buffer over 16 KiB')
  })

  it('WSL symlinks written by ntfs-3g (special_files=wsl) parse as symlinks with their target', function () {
    fs.mkdirSync(path.join(mnt, 'wsl-target'))
    const targets = ['wsl-target', '/abs/x', '../up/ünï', 'a b/c']
    targets.forEach((t, i) => fs.symlinkSync(t, path.join(mnt, 'wsl-' + i)))
    remount()
    targets.forEach((t, i) => {
      const hex = getReparse(path.join(mnt, 'wsl-' + i))
      // IO_REPARSE_TAG_LX_SYMLINK, then version 2 and the UTF-8 target.
      assert.strictEqual(hex.slice(0, 8), '1d0000a0', t)
      const p = parse(hex)
      assert.strictEqual(p.tag, 0xA000001D, t)
      assert.strictEqual(p.kind, 'lxSymlink', t)
      assert.strictEqual(Buffer.from(p.targetHex, 'hex').toString('utf8'), t)
      assert.strictEqual(fs.readlinkSync(path.join(mnt, 'wsl-' + i)), t)
    })
    // The bytes of test/c/test-reparse.c's lx_relative vector, made again.
    fs.symlinkSync('target', path.join(mnt, 'wsl-vector'))
    remount()
    assert.strictEqual(getReparse(path.join(mnt, 'wsl-vector')), '1d0000a00a00000002000000746172676574')
  })
})
