'use strict'
// The Windows API, for real, through the native binding and the public API.
//
// Runs only where process.platform === 'win32': under Wine through
// `npm run test:win32` (which sets SYMLINK_DOCTOR_WINE=1), and on real Windows
// (the windows-latest CI jobs). Elsewhere every test skips and says why.
//
// Under Wine 8 the outcome of each link call is known (shared/test-environments.md
// section 4): CreateSymbolicLinkW is a stub that returns TRUE and makes nothing,
// junctions fail with ERROR_NOT_SUPPORTED (50), hard links work, the token is
// elevated without SeCreateSymbolicLinkPrivilege, and the registry is real. On
// real Windows the tests expect what this machine can do, as the probe finds it.
// No mocks: every call reaches the Windows API, every check is on the disk.

const assert = require('assert')
const { spawnSync } = require('child_process')
const fs = require('fs')
const os = require('os')
const path = require('path')

const isWin = process.platform === 'win32'
const underWine = isWin && process.env.SYMLINK_DOCTOR_WINE === '1'

const DEV_KEY = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\AppModelUnlock'
const DEV_VALUE = 'AllowDevelopmentWithoutDevLicense'
const ERROR_NOT_SUPPORTED = 50
const IO_REPARSE_TAG_MOUNT_POINT = 0xA0000003

// Loaded only on Windows: on Linux this file must not touch the binding.
let binding, sd

function tmpDir () {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sd-win-')))
}

// lstat without following, or null when nothing is at p.
function lstatOrNull (p) {
  try {
    return fs.lstatSync(p)
  } catch (err) {
    if (err.code === 'ENOENT') return null
    throw err
  }
}

function assertNothingAt (p, what) {
  const st = lstatOrNull(p)
  assert.strictEqual(st, null, `${what}: expected nothing at ${p}, found a ${st && (st.isDirectory() ? 'directory' : st.isSymbolicLink() ? 'symlink' : 'file')}`)
  // No temporary name either (createLink works on ".<name>.sd-<random>").
  assert.deepStrictEqual(fs.readdirSync(path.dirname(p)).filter((n) => n.includes(path.basename(p))), [],
    `${what}: a leftover next to ${p}`)
}

// reg.exe, spawned by this node.exe (works under Wine too: its reg.exe writes
// the same registry that RegGetValueW reads).
function reg (args) {
  const r = spawnSync('reg.exe', args, { encoding: 'utf8', windowsHide: true })
  return { status: r.status, out: (r.stdout || '') + (r.stderr || ''), error: r.error }
}

// The DWORD now in the registry, or null when the value is absent.
function readDevValue () {
  const r = reg(['query', DEV_KEY, '/v', DEV_VALUE])
  if (r.status !== 0) return null
  const m = /REG_DWORD\s+0x([0-9a-f]+)/i.exec(r.out)
  assert.ok(m, `reg query printed no REG_DWORD: ${r.out}`)
  return parseInt(m[1], 16)
}

function writeDevValue (value) {
  const r = value === null
    ? reg(['delete', DEV_KEY, '/f', '/v', DEV_VALUE])
    : reg(['add', DEV_KEY, '/t', 'REG_DWORD', '/f', '/v', DEV_VALUE, '/d', String(value)])
  return r
}

describe('win32: the Windows API through the native binding', function () {
  before(function () {
    if (!isWin) {
      console.log(`      skipped: these tests need Windows or Wine (this is ${process.platform}); npm run test:win32 runs them under Wine`)
      this.skip()
    }
    binding = require('../lib/binding')
    sd = require('..')
    // The pure-JS fallback would make every test below pass or fail for the
    // wrong reason: these tests are about the native binary.
    assert.strictEqual(binding.native, true,
      `the native binding did not load: ${binding.loadError && binding.loadError.message}`)
    assert.strictEqual(sd.native, true)
  })

  let dir
  beforeEach(function () {
    dir = tmpDir()
  })
  afterEach(function () {
    if (dir) fs.rmSync(dir, { recursive: true, force: true })
    dir = undefined
  })

  describe('system facts', function () {
    it('reports the OS build that Windows itself reports', function () {
      const facts = binding.systemFacts()
      const build = Number(os.release().split('.')[2])
      assert.ok(build > 0, os.release())
      assert.strictEqual(facts.osBuild, build)
    })

    it('names this account and its SID', function () {
      const facts = binding.systemFacts()
      const user = os.userInfo().username.toLowerCase()
      assert.strictEqual(typeof facts.accountName, 'string')
      assert.ok(facts.accountName.toLowerCase() === user || facts.accountName.toLowerCase().endsWith('\\' + user),
        `accountName ${facts.accountName} is not ${user}`)
      assert.match(facts.accountSid, /^S-1-5-\d+(-\d+)*$/)
    })

    it('under Wine: an elevated token without SeCreateSymbolicLinkPrivilege', function () {
      if (!underWine) this.skip()
      const facts = binding.systemFacts()
      assert.strictEqual(facts.elevated, true)
      assert.strictEqual(facts.symlinkPrivilegePresent, false)
      assert.strictEqual(facts.symlinkPrivilegeEnabled, false)
    })

    describe('Developer Mode follows the registry (set and deleted with reg.exe)', function () {
      let original
      before(function () {
        original = readDevValue()
        // Writing HKLM needs an elevated process on real Windows (CI runners
        // are; a developer's shell may not be). Under Wine it always works.
        const probe = writeDevValue(original === null ? 0 : original)
        if (probe.status !== 0) {
          if (underWine || process.env.CI === 'true') {
            throw new Error(`reg.exe could not write ${DEV_KEY}: ${probe.out || probe.error}`)
          }
          console.log(`      skipped: reg.exe cannot write HKLM here (not elevated): ${probe.out.trim()}`)
          this.skip()
        }
        if (original === null) writeDevValue(null)
      })
      after(function () {
        if (original === undefined) return
        const r = writeDevValue(original)
        if (original !== null) assert.strictEqual(r.status, 0, r.out)
        assert.strictEqual(readDevValue(), original, 'the Developer Mode value was not restored')
      })

      it('value 1: developerMode true', function () {
        assert.strictEqual(writeDevValue(1).status, 0)
        const facts = binding.systemFacts()
        assert.strictEqual(facts.developerModeValue, 1)
        assert.strictEqual(facts.developerMode, true)
      })

      it('value 0: developerMode false', function () {
        assert.strictEqual(writeDevValue(0).status, 0)
        const facts = binding.systemFacts()
        assert.strictEqual(facts.developerModeValue, 0)
        assert.strictEqual(facts.developerMode, false)
      })

      it('value deleted: developerMode false, no value', function () {
        writeDevValue(1)
        assert.strictEqual(binding.systemFacts().developerMode, true)
        const r = writeDevValue(null)
        assert.strictEqual(r.status, 0, r.out)
        assert.strictEqual(readDevValue(), null)
        const facts = binding.systemFacts()
        assert.strictEqual(facts.developerMode, false)
        assert.notStrictEqual(facts.developerModeValue, 1)
        assert.notStrictEqual(facts.developerModeValue, 0)
      })

      it('diagnose() reports the registry value it finds', async function () {
        writeDevValue(1)
        const on = await sd.diagnose(dir)
        writeDevValue(0)
        const off = await sd.diagnose(dir)
        assert.strictEqual(on.system.developerMode, true)
        assert.strictEqual(off.system.developerMode, false)
      })
    })
  })

  describe('refusals, as the native binding reports them', function () {
    it('under Wine: a file symlink that "succeeds" and makes nothing is a refusal', function () {
      if (!underWine) this.skip()
      const target = path.join(dir, 'target.txt')
      fs.writeFileSync(target, 'payload')
      const link = path.join(dir, 'link.txt')
      assert.throws(() => binding.symlinkSync(target, link, 0), (err) => {
        assert.strictEqual(err.code, 'ENOTSUP', err.message)
        assert.strictEqual(err.syscall, 'symlink-verify', err.message)
        assert.strictEqual(err.winerror, ERROR_NOT_SUPPORTED)
        return true
      })
      assertNothingAt(link, 'after a refused file symlink')
      assert.strictEqual(fs.readFileSync(target, 'utf8'), 'payload')
    })

    it('under Wine: a directory symlink too, and the promise form rejects the same way', async function () {
      if (!underWine) this.skip()
      const target = path.join(dir, 'target')
      fs.mkdirSync(target)
      const link = path.join(dir, 'link')
      assert.throws(() => binding.symlinkSync(target, link, 1), { code: 'ENOTSUP', syscall: 'symlink-verify' })
      assertNothingAt(link, 'after a refused dir symlink')
      await assert.rejects(binding.symlink(target, link, 1), { code: 'ENOTSUP', syscall: 'symlink-verify' })
      assertNothingAt(link, 'after a refused dir symlink (promise)')
    })

    it('under Wine: a junction is refused with WinError 50 and leaves nothing', function () {
      if (!underWine) this.skip()
      const target = path.join(dir, 'target')
      fs.mkdirSync(target)
      fs.writeFileSync(path.join(target, 'inside.txt'), 'x')
      const link = path.join(dir, 'junction')
      assert.throws(() => binding.symlinkSync(target, link, 2), (err) => {
        assert.strictEqual(err.winerror, ERROR_NOT_SUPPORTED, err.message)
        assert.ok(require('../lib/refusals').isRefusal('junction', err),
          `${err.code} would not fall through to the next kind`)
        return true
      })
      assertNothingAt(link, 'after a refused junction')
      assert.deepStrictEqual(fs.readdirSync(target), ['inside.txt'])
    })

    it('under Wine: probe() finds the same: no symlinks, no junctions, hard links, NTFS', function () {
      if (!underWine) this.skip()
      const p = binding.probeSync(dir)
      assert.strictEqual(p.fileSymlink.tried, true)
      assert.strictEqual(p.fileSymlink.ok, false)
      assert.strictEqual(p.fileSymlink.syscall, 'symlink-verify')
      assert.strictEqual(p.dirSymlink.ok, false)
      assert.strictEqual(p.junction.tried, true)
      assert.strictEqual(p.junction.ok, false)
      assert.strictEqual(p.junction.winerror, ERROR_NOT_SUPPORTED)
      assert.strictEqual(p.hardlink.ok, true)
      assert.strictEqual(p.volume.fsName, 'NTFS')
      // The probe cleans up after itself.
      assert.deepStrictEqual(fs.readdirSync(dir), [])
    })

    it('under Wine: diagnose() says links must fall back, and why', async function () {
      if (!underWine) this.skip()
      const report = await sd.diagnose(dir)
      assert.strictEqual(report.native, true)
      assert.strictEqual(report.platform, 'win32')
      assert.deepStrictEqual(report.can, { symlink: false, fileSymlink: false, dirSymlink: false, junction: false, hardlink: true })
      const kinds = report.refusals.map((r) => r.kind).sort()
      assert.deepStrictEqual(kinds, ['dirSymlink', 'fileSymlink', 'junction'])
      const fileRefusal = report.refusals.find((r) => r.kind === 'fileSymlink')
      assert.match(fileRefusal.meaning, /stub/i)
      assert.deepStrictEqual(fs.readdirSync(dir), [])
    })
  })

  describe('createLinkSync: what a user gets', function () {
    // What this machine can make, as the probe finds it (under Wine: no
    // symlink, no junction; on Windows it depends on Developer Mode/privilege).
    let can
    beforeEach(function () {
      const p = binding.probeSync(dir)
      can = { symlink: p.fileSymlink.ok && p.dirSymlink.ok, junction: p.junction.ok }
      if (underWine) assert.deepStrictEqual(can, { symlink: false, junction: false })
    })

    it('a file: a relative target resolves against the link\'s directory, not process.cwd()', function () {
      const linkDir = path.join(dir, 'pkg')
      fs.mkdirSync(linkDir)
      fs.writeFileSync(path.join(dir, 'data.txt'), 'the real data')
      // A decoy with the same relative name where process.cwd() is.
      const elsewhere = path.join(dir, 'elsewhere')
      fs.mkdirSync(path.join(elsewhere, 'pkg'), { recursive: true })
      fs.writeFileSync(path.join(elsewhere, 'data.txt'), 'the decoy')
      const link = path.join(linkDir, 'data-link.txt')
      const cwd = process.cwd()
      process.chdir(path.join(elsewhere, 'pkg'))
      let res
      try {
        res = sd.createLinkSync('../data.txt', link)
      } finally {
        process.chdir(cwd)
      }
      assert.strictEqual(res.kind, can.symlink ? 'symlink' : 'hardlink')
      assert.strictEqual(res.path, link)
      assert.strictEqual(res.target, '../data.txt')
      assert.strictEqual(fs.readFileSync(link, 'utf8'), 'the real data')
      if (res.kind === 'hardlink') {
        assert.strictEqual(res.fallbackFrom, 'symlink')
        // The reason names what was refused.
        assert.match(res.reason, /symlink/)
        if (underWine) assert.match(res.reason, /created nothing/)
        assert.match(res.reason, /made a hardlink instead/)
        // A hard link is the same file: a write through it is seen at the target.
        fs.appendFileSync(link, ' + more')
        assert.strictEqual(fs.readFileSync(path.join(dir, 'data.txt'), 'utf8'), 'the real data + more')
        assert.strictEqual(fs.readFileSync(path.join(elsewhere, 'data.txt'), 'utf8'), 'the decoy')
        const info = sd.inspectSync(link)
        assert.strictEqual(info.kind, 'file')
        assert.strictEqual(info.nlink, 2)
      } else {
        assert.strictEqual(res.fallbackFrom, null)
        assert.strictEqual(res.reason, null)
        assert.strictEqual(fs.readlinkSync(link).replace(/\\/g, '/'), '../data.txt')
      }
    })

    it('a directory with allowCopy: a copy when symlink and junction are refused, saying why', function () {
      const target = path.join(dir, 'src')
      fs.mkdirSync(path.join(target, 'sub'), { recursive: true })
      fs.writeFileSync(path.join(target, 'a.txt'), 'A')
      fs.writeFileSync(path.join(target, 'sub', 'b.txt'), 'B')
      const link = path.join(dir, 'linked')
      const res = sd.createLinkSync(target, link, { allowCopy: true })
      const expected = can.symlink ? 'symlink' : can.junction ? 'junction' : 'copy'
      assert.strictEqual(res.kind, expected, res.reason)
      assert.strictEqual(fs.readFileSync(path.join(link, 'a.txt'), 'utf8'), 'A')
      assert.strictEqual(fs.readFileSync(path.join(link, 'sub', 'b.txt'), 'utf8'), 'B')
      if (res.kind === 'copy') {
        assert.strictEqual(res.fallbackFrom, 'symlink')
        assert.match(res.reason, /symlink/)
        assert.match(res.reason, /junction refused/)
        if (underWine) assert.match(res.reason, /WinError 50/)
        assert.match(res.reason, /made a copy instead/)
        assert.ok(fs.lstatSync(link).isDirectory())
        assert.strictEqual(sd.inspectSync(link).kind, 'directory')
        // A copy, not a link: the source is not changed through it.
        fs.writeFileSync(path.join(link, 'a.txt'), 'changed in the copy')
        assert.strictEqual(fs.readFileSync(path.join(target, 'a.txt'), 'utf8'), 'A')
      } else {
        assert.strictEqual(sd.inspectSync(link).kind, res.kind)
        sd.removeLinkSync(link)
      }
      assert.strictEqual(fs.readFileSync(path.join(target, 'sub', 'b.txt'), 'utf8'), 'B')
    })

    it('a directory without allowCopy where nothing works: throws the reason, leaves nothing', function () {
      if (can.symlink || can.junction) this.skip()
      const target = path.join(dir, 'src')
      fs.mkdirSync(target)
      const link = path.join(dir, 'linked')
      assert.throws(() => sd.createLinkSync(target, link), (err) => {
        assert.match(err.reason, /symlink/)
        assert.match(err.reason, /junction refused/)
        assert.match(err.reason, /allowCopy/)
        assert.ok(Array.isArray(err.attempts) && err.attempts.length >= 2)
        return true
      })
      assertNothingAt(link, 'after a refused createLinkSync')
    })

    it('a junction on real Windows: inspect sees a mount point, removeLink keeps the target', function () {
      if (underWine) {
        console.log('      skipped: Wine 8 cannot make junctions (FSCTL_SET_REPARSE_POINT fails with WinError 50)')
        this.skip()
      }
      if (!can.junction) this.skip()
      const target = path.join(dir, 'target')
      fs.mkdirSync(target)
      fs.writeFileSync(path.join(target, 'inside.txt'), 'x')
      const link = path.join(dir, 'junction')
      binding.symlinkSync(target, link, 2)
      const info = binding.inspectSync(link)
      assert.strictEqual(info.kind, 'junction')
      assert.strictEqual(info.reparseTag, IO_REPARSE_TAG_MOUNT_POINT)
      assert.strictEqual(info.relative, false)
      assert.strictEqual(info.targetExists, true)
      assert.strictEqual(path.resolve(info.target).toLowerCase(), target.toLowerCase())
      assert.strictEqual(fs.readFileSync(path.join(link, 'inside.txt'), 'utf8'), 'x')
      binding.removeLinkSync(link)
      assertNothingAt(link, 'after removeLink of a junction')
      assert.deepStrictEqual(fs.readdirSync(target), ['inside.txt'])
    })
  })

  describe('inspect and removeLink', function () {
    it('a hard link: inspect counts two names; removeLink removes one, the data stays', async function () {
      const original = path.join(dir, 'original.txt')
      fs.writeFileSync(original, 'kept')
      const link = path.join(dir, 'hard.txt')
      binding.hardlinkSync(original, link)
      const info = binding.inspectSync(link)
      assert.strictEqual(info.kind, 'file')
      assert.strictEqual(info.nlink, 2)
      assert.strictEqual(info.reparseTag, 0)
      assert.strictEqual(info.target, null)
      assert.deepStrictEqual(await binding.inspect(original), info)
      sd.removeLinkSync(link)
      assertNothingAt(link, 'after removeLink of a hard link')
      assert.strictEqual(fs.readFileSync(original, 'utf8'), 'kept')
      assert.strictEqual(binding.inspectSync(original).nlink, 1)
    })

    it('a file with a single name is not a link: refused, and it survives', function () {
      const file = path.join(dir, 'only.txt')
      fs.writeFileSync(file, 'mine')
      assert.throws(() => sd.removeLinkSync(file), { code: 'EINVAL' })
      assert.strictEqual(fs.readFileSync(file, 'utf8'), 'mine')
    })

    it('a real directory: refused with EISDIR, and it survives with its contents', async function () {
      const real = path.join(dir, 'real')
      fs.mkdirSync(path.join(real, 'deep'), { recursive: true })
      fs.writeFileSync(path.join(real, 'deep', 'f.txt'), 'data')
      assert.strictEqual(binding.inspectSync(real).kind, 'directory')
      assert.throws(() => sd.removeLinkSync(real), (err) => {
        assert.strictEqual(err.code, 'EISDIR')
        assert.match(err.message, /never deletes/)
        return true
      })
      await assert.rejects(sd.removeLink(real), { code: 'EISDIR' })
      assert.strictEqual(fs.readFileSync(path.join(real, 'deep', 'f.txt'), 'utf8'), 'data')
    })

    it('a hard link made by the native binding refuses to replace an existing path', function () {
      const a = path.join(dir, 'a.txt')
      const b = path.join(dir, 'b.txt')
      fs.writeFileSync(a, 'a')
      fs.writeFileSync(b, 'b')
      assert.throws(() => binding.hardlinkSync(a, b), { code: 'EEXIST' })
      assert.strictEqual(fs.readFileSync(b, 'utf8'), 'b')
    })
  })
})
