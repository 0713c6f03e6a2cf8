'use strict'
// The CLI on directories it cannot use the ordinary way, spawned for real
// (bin/symlink-doctor.js in a child process), as a user would meet them
// (issue 9 items 5 and 7):
//   - a read-only mount (a read-only bind mount as root, else a FAT image
//     mounted read-only with fusefat) and a directory the user cannot write
//     (the CLI run as the unprivileged user `nobody` with setpriv): a report
//     with the finding and its remedy, never an internal error;
//   - a directory that does not exist, a file, '-': a clear message and a
//     documented exit code (66, 64), never 70;
//   - help texts that name files: the files exist; doc/cli.md documents
//     every exit code and option;
//   - running without the native core: the report says so, what it costs
//     here, and the command that brings it back;
//   - createLinkSync with a chain where nothing applies on this platform.
// No mocks: every assertion is on what the process printed, its exit code,
// or the disk. A missing environment skips with the reason, and fails
// under CI=true.

const assert = require('assert')
const { spawnSync, execFileSync } = require('child_process')
const fs = require('fs')
const path = require('path')
const { ROOT, requireEnv, wrongPlatform, fatReason, tmpDir, rmTree, which } = require('./support')

const BIN = path.join(ROOT, 'bin', 'symlink-doctor.js')
const { json, assertValid, checkById } = require('./report-check')
const EXIT = require('../lib/cli/exit-codes')
const isLinux = process.platform === 'linux'

function cleanEnv (extra = {}) {
  const env = { ...process.env }
  for (const k of ['CI', 'GITHUB_ACTIONS', 'TF_BUILD', 'JENKINS_URL', 'GITLAB_CI', 'BUILDKITE', 'CIRCLECI',
    'APPVEYOR', 'TEAMCITY_VERSION', 'TRAVIS', 'BITBUCKET_BUILD_NUMBER', 'CODEBUILD_BUILD_ID', 'NO_COLOR', 'FORCE_COLOR',
    'SYMLINK_DOCTOR_FORCE_JS', 'PREBUILDS_ONLY', 'SYMLINK_DOCTOR_ADDON', 'SYMLINK_DOCTOR_DEBUG']) {
    delete env[k]
  }
  return { ...env, ...extra }
}

// Runs the CLI (bin: another copy's bin); as: { uid, gid } runs it as that
// user through setpriv, with no supplementary groups.
function cli (args, { cwd = ROOT, env = {}, as = null, bin = BIN } = {}) {
  let cmd = [process.execPath, bin, ...args]
  if (as) cmd = [which('setpriv'), `--reuid=${as.uid}`, `--regid=${as.gid}`, '--clear-groups', ...cmd]
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd, env: cleanEnv(env), encoding: 'utf8' })
  if (r.error) throw r.error
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

// A node script in a child process (as a user, optionally); its stdout.
function node (script, { as = null, env = {} } = {}) {
  let cmd = [process.execPath, '-e', script]
  if (as) cmd = [which('setpriv'), `--reuid=${as.uid}`, `--regid=${as.gid}`, '--clear-groups', ...cmd]
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd: ROOT, env: cleanEnv(env), encoding: 'utf8' })
  if (r.error) throw r.error
  assert.strictEqual(r.status, 0, `node -e failed:\n${r.stdout}${r.stderr}`)
  return r.stdout
}

// Never "internal error", never a stack trace: what a user's mistake or a
// condition of the machine must not look like.
function assertNoInternalError (r, what) {
  assert.notStrictEqual(r.status, EXIT.SOFTWARE, `${what}: exit 70\n${r.stdout}${r.stderr}`)
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at /, `${what}: ${r.stderr}`)
}

// ── Environments ─────────────────────────────────────────────────────────

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0

function bindReason () {
  if (!isLinux) return wrongPlatform(`a read-only bind mount needs Linux (this is ${process.platform})`)
  if (!isRoot) return 'a read-only bind mount needs root'
  if (!which('mount') || !which('umount')) return 'mount/umount are not installed'
  return null
}

// A read-only mount of a fresh directory: a read-only bind mount where
// this process may mount (root), else a FAT image mounted read-only with
// fusefat. Returns { dir, src (the writable original, or null), kind, unmount }.
function mountReadOnly () {
  const base = tmpDir('sd-ro-')
  fs.chmodSync(base, 0o755)
  const src = path.join(base, 'src')
  const dir = path.join(base, 'ro')
  fs.mkdirSync(src)
  fs.mkdirSync(dir)
  if (!bindReason()) {
    execFileSync(which('mount'), ['--bind', src, dir], { stdio: 'ignore' })
    try {
      execFileSync(which('mount'), ['-o', 'remount,bind,ro', dir], { stdio: 'ignore' })
    } catch (err) {
      spawnSync(which('umount'), [dir], { stdio: 'ignore' })
      throw err
    }
    return {
      dir,
      src,
      kind: 'bind',
      unmount () {
        spawnSync(which('umount'), [dir], { stdio: 'ignore' })
        rmTree(base)
      }
    }
  }
  const img = path.join(base, 'fat.img')
  fs.writeFileSync(img, '')
  fs.truncateSync(img, 16 * 1024 * 1024)
  execFileSync(which('mkfs.vfat'), [img], { stdio: 'ignore' })
  execFileSync(which('fusefat'), ['-o', 'ro', img, dir], { stdio: 'ignore' })
  return {
    dir,
    src: null,
    kind: 'fat',
    unmount () {
      spawnSync(which('fusermount'), ['-u', dir], { stdio: 'ignore' })
      rmTree(base)
    }
  }
}

function readOnlyReason () {
  if (!isLinux) return wrongPlatform(`a read-only mount needs Linux (this is ${process.platform})`)
  if (!bindReason()) return null
  return fatReason() ? `neither a read-only bind mount (${bindReason()}) nor a read-only FAT mount (${fatReason()})` : null
}

// The unprivileged user `nobody`, to run the CLI as someone who cannot
// write where root can (root ignores permissions).
function nobody () {
  try {
    const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('nobody:'))
    if (!line) return null
    const [, , uid, gid] = line.split(':')
    return { uid: Number(uid), gid: Number(gid) }
  } catch {
    return null
  }
}

function otherUserReason () {
  if (!isLinux) return wrongPlatform(`running as another user with setpriv needs Linux (this is ${process.platform})`)
  if (!isRoot) return 'running the CLI as another user needs root (setpriv --reuid)'
  if (!which('setpriv')) return 'setpriv is not installed (Debian: util-linux)'
  if (!nobody()) return 'there is no user nobody in /etc/passwd'
  // nobody must be able to run this node and read this checkout.
  const r = spawnSync(which('setpriv'), [`--reuid=${nobody().uid}`, `--regid=${nobody().gid}`, '--clear-groups',
    process.execPath, '-e', `require(${JSON.stringify(ROOT)})`], { encoding: 'utf8' })
  if (r.status !== 0) return `user nobody cannot run node on this checkout: ${(r.stderr || '').split('\n')[0]}`
  return null
}

// ── Tests ────────────────────────────────────────────────────────────────

describe('CLI: directories it cannot use, and paths that are not directories', function () {
  describe('a read-only mount', function () {
    let ro
    before(function () {
      requireEnv(this, !readOnlyReason(), readOnlyReason())
      ro = mountReadOnly()
    })
    after(function () { if (ro) ro.unmount() })

    it('doctor: the report, with the read-only finding and its remedy; exit 1; --json too', function () {
      const r = cli([ro.dir, '--no-git'])
      assertNoInternalError(r, 'doctor on a read-only mount')
      assert.strictEqual(r.status, 1, r.stdout + r.stderr)
      assert.strictEqual(r.stderr, '')
      assert.match(r.stdout, /\[FAIL\] File symlink +not possible here: nothing can be created in this directory \(EROFS: read-only file system, open\)/)
      assert.match(r.stdout, /\[FAIL\] Hard link +not possible here: .*EROFS/)
      assert.match(r.stdout, new RegExp(`\\[FAIL\\] Filesystem +.* at ${ro.dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}, mounted read-only`))
      assert.match(r.stdout, /\. The filesystem is mounted read-only\n {3}Remount it read-write, or work in a writable directory\./)
      assert.match(r.stdout, new RegExp(`sudo mount -o remount,rw ${ro.dir}`))

      const j = cli(['doctor', ro.dir, '--json', '--no-git'])
      assert.strictEqual(j.status, 1, j.stderr)
      const report = json(j)
      assertValid(report)
      assert.deepStrictEqual(report.can, { symlink: false, fileSymlink: false, dirSymlink: false, junction: false, hardlink: false })
      assert.deepStrictEqual(report.refusals.map((x) => `${x.kind}:${x.code}`), ['fileSymlink:EROFS', 'dirSymlink:EROFS', 'hardlink:EROFS'])
      assert.strictEqual(checkById(report, 'filesystem').status, 'fail')
      assert.strictEqual(report.volume.mountPoint, ro.dir)
      assert.ok(report.remedies.some((x) => x.id === 'read-only'), report.remedies.map((x) => x.id).join(','))
      if (ro.kind === 'fat') assert.strictEqual(report.remedies[0].id, 'move-to-link-volume')
    })

    it('check: exit 2, silent; --verbose says why; --json has the refusals', function () {
      const r = cli(['check', ro.dir])
      assertNoInternalError(r, 'check on a read-only mount')
      assert.strictEqual(r.status, 2, r.stderr)
      assert.strictEqual(r.stdout + r.stderr, '')
      const v = cli(['check', ro.dir, '-v'])
      assert.strictEqual(v.status, 2)
      assert.match(v.stdout, /no link kind can be made — EROFS: .*read-only/)
      const j = json(cli(['check', ro.dir, '--json']))
      assert.strictEqual(j.exitCode, 2)
      assert.ok(j.refusals.length > 0 && j.refusals.every((x) => x.code === 'EROFS'))
    })

    it('canSymlink / canSymlinkSync: false, also right after a true for the writable original on the same device', function () {
      const before = ro.src ? `console.log(sd.canSymlinkSync(${JSON.stringify(ro.src)}));` : 'console.log(true);'
      const out = node(`const sd = require(${JSON.stringify(ROOT)});
        ${before}
        console.log(sd.canSymlinkSync(${JSON.stringify(ro.dir)}));
        sd.canSymlink(${JSON.stringify(ro.dir)}).then((ok) => console.log(ok), (e) => console.log('threw', e.code))`)
      assert.deepStrictEqual(out.trim().split('\n'), ['true', 'false', 'false'])
    })

    it('a command that writes there (setup) exits 74 with the cause in words, never 70', function () {
      if (ro.kind !== 'bind') return this.skip() // needs a package.json inside the read-only mount
      fs.writeFileSync(path.join(ro.src, 'package.json'), '{"name":"ro-project"}\n')
      const r = cli(['setup'], { cwd: ro.dir })
      assertNoInternalError(r, 'setup on a read-only mount')
      assert.strictEqual(r.status, EXIT.IOERR, r.stdout + r.stderr)
      assert.match(r.stderr, /^symlink-doctor setup: read-only filesystem .*\(EROFS, [a-z]+\)\n$/)
      assert.strictEqual(fs.existsSync(path.join(ro.src, '.npmrc')), false)
    })
  })

  describe('a directory this user cannot write (run as nobody)', function () {
    let base, dir, user
    before(function () {
      requireEnv(this, !otherUserReason(), otherUserReason())
      user = nobody()
      base = tmpDir('sd-nowrite-')
      fs.chmodSync(base, 0o755)
      dir = path.join(base, 'theirs')
      fs.mkdirSync(dir)
      fs.chmodSync(dir, 0o555)
    })
    after(function () { if (base) rmTree(base) })

    it('doctor: the report, with no-write-access and its remedy; exit 1; --json too', function () {
      const r = cli([dir, '--no-git'], { as: user })
      assertNoInternalError(r, 'doctor as nobody')
      assert.strictEqual(r.status, 1, r.stdout + r.stderr)
      assert.match(r.stdout, /\[FAIL\] File symlink +not possible here: nothing can be created in this directory \(EACCES: permission denied, open\)/)
      assert.match(r.stdout, /\. This process cannot write to the directory\n {3}Check its owner and (mode|permissions)/)
      assert.match(r.stdout, new RegExp(`ls -ld ${dir}`))
      const report = json(cli([dir, '--json', '--no-git'], { as: user }))
      assertValid(report)
      assert.strictEqual(report.can.hardlink, false)
      assert.deepStrictEqual(report.remedies.map((x) => x.id), ['no-write-access'])
      assert.ok(report.refusals.every((x) => x.code === 'EACCES' && /No write access/.test(x.meaning)))
    })

    it('check: exit 2; canSymlinkSync / canSymlink: false', function () {
      const r = cli(['check', dir], { as: user })
      assertNoInternalError(r, 'check as nobody')
      assert.strictEqual(r.status, 2, r.stderr)
      const out = node(`const sd = require(${JSON.stringify(ROOT)});
        console.log(sd.canSymlinkSync(${JSON.stringify(dir)}));
        sd.canSymlink(${JSON.stringify(dir)}).then((ok) => console.log(ok), (e) => console.log('threw', e.code))`, { as: user })
      assert.deepStrictEqual(out.trim().split('\n'), ['false', 'false'])
    })

    it('a directory this user cannot even reach: exit 74, permission denied, with the path', function () {
      const hidden = path.join(base, 'private')
      fs.mkdirSync(path.join(hidden, 'inside'), { recursive: true })
      fs.chmodSync(hidden, 0o700)
      for (const cmd of ['doctor', 'check']) {
        const r = cli([cmd, path.join(hidden, 'inside')], { as: user })
        assertNoInternalError(r, `${cmd} as nobody`)
        assert.strictEqual(r.status, EXIT.IOERR, r.stdout + r.stderr)
        assert.strictEqual(r.stdout, '')
        assert.match(r.stderr, new RegExp(`^symlink-doctor ${cmd}: permission denied .*'${path.join(hidden, 'inside')}' \\(EACCES, stat\\)\\n$`))
      }
    })
  })

  describe('paths that are not directories', function () {
    let dir
    before(function () { dir = tmpDir() })
    after(function () { rmTree(dir) })

    it('doctor / check on a missing directory: exit 66 and the path, stdout empty (also with --json)', function () {
      for (const args of [['doctor', 'nosuchdir'], ['check', 'nosuchdir'], ['doctor', 'nosuchdir', '--json'], ['check', 'nosuchdir', '--json']]) {
        const r = cli(args, { cwd: dir })
        assertNoInternalError(r, args.join(' '))
        assert.strictEqual(r.status, EXIT.NOINPUT, `${args.join(' ')}: ${r.stdout}${r.stderr}`)
        assert.strictEqual(r.stdout, '')
        assert.strictEqual(r.stderr, `symlink-doctor ${args[0]}: no such directory: '${path.join(dir, 'nosuchdir')}' (ENOENT)\n`)
      }
    })

    it('doctor / check on a file: exit 66, not a directory', function () {
      fs.writeFileSync(path.join(dir, 'afile'), 'x')
      for (const cmd of ['doctor', 'check']) {
        const r = cli([cmd, 'afile'], { cwd: dir })
        assertNoInternalError(r, `${cmd} afile`)
        assert.strictEqual(r.status, EXIT.NOINPUT, r.stdout + r.stderr)
        assert.strictEqual(r.stderr, `symlink-doctor ${cmd}: not a directory: '${path.join(dir, 'afile')}' (ENOTDIR)\n`)
      }
    })

    it("'-' is a usage error (64): symlink-doctor reads nothing from stdin", function () {
      for (const args of [['-'], ['doctor', '-'], ['check', '-']]) {
        const r = cli(args, { cwd: dir })
        assertNoInternalError(r, args.join(' '))
        assert.strictEqual(r.status, EXIT.USAGE, r.stdout + r.stderr)
        assert.strictEqual(r.stdout, '')
        assert.match(r.stderr, /^symlink-doctor: '-' is not a directory: symlink-doctor reads nothing from stdin; name a directory \(default: \.\)\nUsage: symlink-doctor /)
      }
    })

    it('canSymlinkSync / diagnoseSync on a missing directory or a file throw the Node error, not a probe error', function () {
      const out = node(`const sd = require(${JSON.stringify(ROOT)});
        for (const p of [${JSON.stringify(path.join(dir, 'nosuchdir'))}, ${JSON.stringify(path.join(dir, 'afile'))}]) {
          for (const f of ['canSymlinkSync', 'diagnoseSync']) {
            try { sd[f](p); console.log(f, 'no error') } catch (e) { console.log(f, e.code) }
          }
        }`)
      assert.deepStrictEqual(out.trim().split('\n'), ['canSymlinkSync ENOENT', 'diagnoseSync ENOENT', 'canSymlinkSync ENOTDIR', 'diagnoseSync ENOTDIR'])
    })

    // Needs lib/commands/scan.js to check its root (see the report of issue 9).
    it('scan on a missing directory: exit 66, not "No broken links"', function () {
      const r = cli(['scan', 'nosuchdir'], { cwd: dir })
      assertNoInternalError(r, 'scan nosuchdir')
      assert.strictEqual(r.status, EXIT.NOINPUT, r.stdout + r.stderr)
      assert.doesNotMatch(r.stdout, /No broken links/)
      assert.strictEqual(r.stderr, `symlink-doctor scan: no such directory: '${path.join(dir, 'nosuchdir')}' (ENOENT)\n`)
    })
  })

  describe('help texts and doc/cli.md', function () {
    const { KNOWN } = require('../lib/cli/main')
    const helps = () => [cli(['--help']).stdout, ...KNOWN.map((c) => cli([c, '--help']).stdout)]

    it('every file of this package a help text names exists', function () {
      const named = new Set()
      for (const h of helps()) {
        for (const m of h.matchAll(/\b((?:doc|lib|bin|scripts)\/[\w./-]*\w|register\.js)\b/g)) named.add(m[1])
      }
      assert.ok(named.has('doc/cli.md'), [...named].join(', '))
      for (const f of named) assert.ok(fs.existsSync(path.join(ROOT, f)), `a help text names ${f}, which does not exist`)
    })

    it('doc/cli.md documents every exit code, every command and every option', function () {
      const doc = fs.readFileSync(path.join(ROOT, 'doc', 'cli.md'), 'utf8')
      for (const [name, code] of Object.entries(EXIT)) {
        assert.match(doc, new RegExp(`^\\| ${code} \\| .+`, 'm'), `exit code ${code} (${name}) is not in doc/cli.md's table`)
      }
      for (const c of KNOWN) assert.match(doc, new RegExp(`^### ${c}$`, 'm'), `command ${c}`)
      for (const h of helps()) {
        for (const m of h.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)) assert.ok(doc.includes(m[0]), `option ${m[0]} is not in doc/cli.md`)
      }
      assert.ok(doc.includes('lib/cli/report-schema.json'))
    })
  })

  describe('without the native core', function () {
    it('SYMLINK_DOCTOR_FORCE_JS=1: the report says so, what it costs here, and how to get it back', function () {
      const dir = tmpDir()
      try {
        const env = { SYMLINK_DOCTOR_FORCE_JS: '1' }
        const r = cli([dir, '--no-git'], { env })
        // 1 where symlinks are refused anyway (Windows without Developer
        // Mode, Wine): a finding, never an internal error.
        assert.strictEqual(r.status, require('..').canSymlinkSync(dir) ? 0 : 1, r.stdout + r.stderr)
        assert.match(r.stdout, /\[warn\] Native core +not loaded, the pure-JS fallback runs \(SYMLINK_DOCTOR_FORCE_JS=1 is set/)
        assert.match(r.stdout, /Running without the native core, so on this platform:\n {3}- /)
        assert.match(r.stdout, /^ {5}unset SYMLINK_DOCTOR_FORCE_JS$/m)
        const report = json(cli([dir, '--json', '--no-git'], { env }))
        assertValid(report)
        assert.strictEqual(report.native, false)
        assert.strictEqual(report.nativeCore.loaded, false)
        assert.strictEqual(report.nativeCore.forced, true)
        assert.ok(report.nativeCore.costs.length > 0)
        for (const c of report.nativeCore.costs) assert.ok(r.stdout.includes(c), `cost not in the human report: ${c}`)
        if (isLinux) {
          assert.ok(report.nativeCore.costs.some((c) => /renameat2/.test(c)))
          // The filesystem is still named (from /proc/self/mountinfo), not "unknown".
          assert.doesNotMatch(checkById(report, 'filesystem').evidence, /^unknown/)
        }
        // With the native core: nothing about it.
        const native = json(cli([dir, '--json', '--no-git']))
        if (native.native) {
          assert.deepStrictEqual(native.nativeCore, { loaded: true, reason: null, forced: false, costs: [], restore: [], commands: [] })
          assert.doesNotMatch(cli([dir, '--no-git']).stdout, /Running without the native core/)
        }
      } finally { rmTree(dir) }
    })

    it('a copy of the package without any binary for this platform: the reason and `npm rebuild symlink-doctor`', function () {
      // The copy below never carries prebuilds/, so this holds on every
      // platform, with a prebuild for it or not.
      const base = tmpDir('sd-nobuild-')
      const dir = tmpDir()
      try {
        // What an install without a compiler leaves: the JS, no build/.
        const pkg = path.join(base, 'node_modules', 'symlink-doctor')
        fs.mkdirSync(pkg, { recursive: true })
        for (const f of ['package.json', 'index.js', 'register.js', 'bin', 'lib']) {
          fs.cpSync(path.join(ROOT, f), path.join(pkg, f), { recursive: true })
        }
        const r = cli([dir, '--no-git'], { bin: path.join(pkg, 'bin', 'symlink-doctor.js') })
        // 1 where symlinks are refused anyway (Wine): a finding, not an error.
        assert.strictEqual(r.status, require('..').canSymlinkSync(dir) ? 0 : 1, r.stdout + r.stderr)
        assert.match(r.stdout, new RegExp(`\\[warn\\] Native core +not loaded, the pure-JS fallback runs \\(no native binary for ${process.platform}-${process.arch}`))
        assert.match(r.stdout, /Running without the native core, so on this platform:/)
        assert.match(r.stdout, /^ {5}npm rebuild symlink-doctor$/m)
        const report = json(cli([dir, '--json', '--no-git'], { bin: path.join(pkg, 'bin', 'symlink-doctor.js') }))
        assertValid(report)
        assert.strictEqual(report.nativeCore.forced, false)
        assert.match(report.nativeCore.reason, /no native binary/)
        assert.deepStrictEqual(report.nativeCore.commands, ['npm rebuild symlink-doctor'])
      } finally {
        rmTree(base)
        rmTree(dir)
      }
    })

    it('PREBUILDS_ONLY=1 with no prebuilt binary for this platform: says so and to unset it', function () {
      if (fs.existsSync(path.join(ROOT, 'prebuilds', `${process.platform}-${process.arch}`))) {
        requireEnv(this, false, wrongPlatform(`prebuilds/ holds a binary for ${process.platform}-${process.arch} (npm run prebuild ran), so PREBUILDS_ONLY=1 loads it`))
      }
      const dir = tmpDir()
      try {
        const report = json(cli([dir, '--json', '--no-git'], { env: { PREBUILDS_ONLY: '1' } }))
        assertValid(report)
        assert.strictEqual(report.native, false)
        assert.match(report.nativeCore.reason, /no native binary/)
        assert.strictEqual(report.nativeCore.commands[0], 'unset PREBUILDS_ONLY')
        assert.match(checkById(report, 'native').evidence, /restore: unset PREBUILDS_ONLY/)
      } finally { rmTree(dir) }
    })
  })

  // scripts/install.js where no binary can be had: a copy of the package
  // without build/ and a PATH without node-gyp, python or a compiler, so
  // the build fails at once (never node-gyp in this checkout).
  describe('install without a compiler (scripts/install.js)', function () {
    let base, pkg
    before(function () {
      // The copy below never carries prebuilds/, so this holds on every
      // platform, with a prebuild for it or not.
      requireEnv(this, process.platform !== 'win32', wrongPlatform('the failed-build install is tested on POSIX'))
      requireEnv(this, fs.existsSync(path.join(ROOT, 'node_modules', 'node-gyp-build')), 'node-gyp-build is not installed (npm install)')
      base = tmpDir('sd-install-')
      pkg = path.join(base, 'symlink-doctor')
      fs.mkdirSync(pkg)
      for (const f of ['package.json', 'index.js', 'register.js', 'bin', 'lib', 'scripts', 'src', 'binding.gyp']) {
        fs.cpSync(path.join(ROOT, f), path.join(pkg, f), { recursive: true })
      }
      fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(pkg, 'node_modules'))
    })
    after(function () { if (base) rmTree(base) })

    const LINE = /^symlink-doctor: no native core for \S+ \(no prebuilt binary, and the build failed\); links still work through the JS fallback, but: .+\. To restore it, .*run: npm rebuild symlink-doctor$/m

    it('the install succeeds and says, in one line, what is lost and the command that restores it', function () {
      // detached: no controlling terminal, as in CI.
      const r = spawnSync(process.execPath, [path.join(pkg, 'scripts', 'install.js')],
        { cwd: pkg, env: { PATH: path.join(base, 'empty'), HOME: base }, encoding: 'utf8', detached: true })
      assert.strictEqual(r.status, 0, r.stdout + r.stderr)
      assert.match(r.stderr, LINE)
      assert.strictEqual(r.stderr.match(new RegExp(LINE.source, 'gm')).length, 1)
    })

    it('with stderr hidden (as npm hides a script that succeeds), the line reaches the terminal', function () {
      const script = which('script')
      requireEnv(this, Boolean(script), 'util-linux script(1) is not installed (a pty is needed)')
      const err = path.join(base, 'stderr')
      const cmd = `PATH=${path.join(base, 'empty')} "${process.execPath}" "${path.join(pkg, 'scripts', 'install.js')}" 2>"${err}" >/dev/null`
      const r = spawnSync(script, ['-qec', cmd, '/dev/null'], { cwd: pkg, encoding: 'utf8', env: { HOME: base, PATH: process.env.PATH } })
      assert.strictEqual(r.status, 0, r.stdout + r.stderr)
      assert.match(r.stdout.replace(/\r/g, ''), LINE)
      assert.match(fs.readFileSync(err, 'utf8'), LINE)
    })
  })

  // Needs lib/link.js to say so (see the report of issue 9, item 5).
  describe('createLinkSync with a chain of which nothing applies here', function () {
    it("fallback 'junction' on POSIX: the reason says nothing in the chain applies, and no syscall is blamed", async function () {
      if (process.platform === 'win32') requireEnv(this, false, wrongPlatform('junctions apply on Windows'))
      const sd = require('..')
      const dir = tmpDir()
      try {
        fs.mkdirSync(path.join(dir, 'sub'))
        const errors = []
        try { sd.createLinkSync('sub', path.join(dir, 'j'), { fallback: 'junction' }) } catch (err) { errors.push(err) }
        await sd.createLink('sub', path.join(dir, 'j'), { fallback: 'junction' }).catch((err) => errors.push(err))
        assert.strictEqual(errors.length, 2, 'both forms must throw')
        for (const err of errors) {
          assert.strictEqual(typeof err.reason, 'string')
          assert.ok(err.reason.length > 0, 'empty reason')
          assert.doesNotMatch(err.message, /symlink-doctor: ;|symlink-doctor: \)/)
          assert.match(err.reason, /junction/)
          assert.match(err.reason, /applies/)
          assert.match(err.reason, /Windows only/)
          assert.ok(err.message.includes(`symlink-doctor: ${err.reason}`), err.message)
          assert.notStrictEqual(err.syscall, 'symlink', `nothing was tried, yet syscall is 'symlink': ${err.message}`)
        }
        assert.deepStrictEqual(fs.readdirSync(dir), ['sub'])
      } finally { rmTree(dir) }
    })
  })
})
