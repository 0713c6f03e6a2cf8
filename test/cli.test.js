'use strict'
// The CLI, spawned for real: bin/symlink-doctor.js in a child process, in the
// real environments (a seccomp filter refusing links, a FUSE FAT mount, a
// real git repository, the Windows registry under Wine). No mocks: every
// assertion is on what the process printed, its exit code, or the disk.

const assert = require('assert')
const { spawnSync, execFileSync } = require('child_process')
const fs = require('fs')
const os = require('os')
const path = require('path')
const { ROOT, REFUSE, requireEnv, seccompReason, fatReason, mountFat, tmpDir, rmTree, which } = require('./support')

const BIN = path.join(ROOT, 'bin', 'symlink-doctor.js')
const { json, assertValid, checkById } = require('./report-check')
const PKG = require('../package.json')
const isWin = process.platform === 'win32'
const underWine = isWin && process.env.SYMLINK_DOCTOR_WINE === '1'

// An environment without CI variables or color settings, so the tests see
// what a user's shell sees (CI detection changes the remedy on purpose).
function cleanEnv (extra = {}) {
  const env = { ...process.env }
  for (const k of ['CI', 'GITHUB_ACTIONS', 'TF_BUILD', 'JENKINS_URL', 'GITLAB_CI', 'BUILDKITE', 'CIRCLECI',
    'APPVEYOR', 'TEAMCITY_VERSION', 'TRAVIS', 'BITBUCKET_BUILD_NUMBER', 'CODEBUILD_BUILD_ID', 'NO_COLOR', 'FORCE_COLOR']) {
    delete env[k]
  }
  return { ...env, ...extra }
}

// Runs the CLI; refuse: null | 'symlinks' | 'all' (the seccomp helper).
// node.exe under Wine fails writing to a pipe, so on win32 the output goes
// through files.
function cli (args, { cwd = ROOT, env = {}, refuse = null } = {}) {
  let cmd = [process.execPath, BIN, ...args]
  if (refuse === 'symlinks') cmd = [REFUSE, '--', ...cmd]
  else if (refuse === 'all') cmd = [REFUSE, '--hardlinks', '--', ...cmd]
  const opts = { cwd, env: cleanEnv(env) }
  if (!isWin) {
    const r = spawnSync(cmd[0], cmd.slice(1), { ...opts, encoding: 'utf8' })
    if (r.error) throw r.error
    return { status: r.status, stdout: r.stdout, stderr: r.stderr }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-cli-out-'))
  const outFile = path.join(dir, 'out')
  const errFile = path.join(dir, 'err')
  const out = fs.openSync(outFile, 'w')
  const err = fs.openSync(errFile, 'w')
  try {
    const r = spawnSync(cmd[0], cmd.slice(1), { ...opts, stdio: ['ignore', out, err], windowsHide: true })
    if (r.error) throw r.error
    return { status: r.status, stdout: fs.readFileSync(outFile, 'utf8'), stderr: fs.readFileSync(errFile, 'utf8') }
  } finally {
    fs.closeSync(out)
    fs.closeSync(err)
    rmTree(dir)
  }
}

function remedyIds (report) {
  return report.remedies.map((r) => r.id)
}

function git (cwd, ...args) {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } })
}

// A repository whose tracked symlinks (mode 120000) are checked out as plain
// files, as git does with core.symlinks=false: l1 -> d/f, l2 -> d, l3 -> d/f.
function gitRepoWithPlainSymlinks () {
  const base = tmpDir('sd-git-')
  const repo = path.join(base, 'repo')
  fs.mkdirSync(path.join(repo, 'd'), { recursive: true })
  git(repo, 'init', '-q')
  git(repo, 'config', 'user.email', 'test@example.com')
  git(repo, 'config', 'user.name', 'test')
  fs.writeFileSync(path.join(repo, 'd', 'f'), 'content\n')
  fs.symlinkSync('d/f', path.join(repo, 'l1'))
  fs.symlinkSync('d', path.join(repo, 'l2'))
  fs.symlinkSync('d/f', path.join(repo, 'l3'))
  git(repo, 'add', '.')
  git(repo, 'commit', '-q', '-m', 'links')
  git(repo, 'config', 'core.symlinks', 'false')
  for (const l of ['l1', 'l2', 'l3']) fs.unlinkSync(path.join(repo, l))
  git(repo, 'checkout', '--', '.')
  for (const l of ['l1', 'l2', 'l3']) assert.ok(fs.lstatSync(path.join(repo, l)).isFile(), `${l} should be a plain file now`)
  return { base, repo }
}

describe('CLI: symlink-doctor', function () {
  describe('dispatcher', function () {
    it('--version prints the package version', function () {
      const r = cli(['--version'])
      assert.strictEqual(r.status, 0)
      assert.strictEqual(r.stdout.trim(), PKG.version)
    })

    it('--help lists the commands; each command has its own --help', function () {
      const r = cli(['--help'])
      assert.strictEqual(r.status, 0)
      for (const c of ['doctor', 'check', 'link', 'scan', 'fix']) assert.match(r.stdout, new RegExp(`^  ${c} `, 'm'))
      for (const c of ['doctor', 'check', 'link', 'scan', 'fix']) {
        const h = cli([c, '--help'])
        assert.strictEqual(h.status, 0, h.stderr)
        assert.match(h.stdout, new RegExp(`^Usage: symlink-doctor ${c === 'doctor' ? '\\[doctor\\]' : c}`))
        const h2 = cli(['help', c])
        assert.strictEqual(h2.stdout, h.stdout)
      }
      assert.match(cli(['check', '-h']).stdout, /0 {3}symlinks \(file and directory\) can be made/)
    })

    it('unknown command and unknown options: usage line on stderr, exit 64', function () {
      const cases = [
        ['frobnicate'],
        ['--frobnicate'],
        ['doctor', '--frobnicate'],
        ['check', '--frobnicate'],
        ['check', '-x'],
        ['link', '--frobnicate', 'a', 'b'],
        ['link', 'only-one'],
        ['link', '--type', 'banana', 'a', 'b'],
        ['scan', '--frobnicate'],
        ['fix', '--frobnicate'],
        ['fix'],
        ['fix', '--account', 'x', '--git'],
        ['check', 'a', 'b']
      ]
      for (const args of cases) {
        const r = cli(args)
        assert.strictEqual(r.status, 64, `${args.join(' ')}: exit ${r.status}\n${r.stdout}${r.stderr}`)
        assert.match(r.stderr, /^symlink-doctor: .+\n(Usage: symlink-doctor)/, args.join(' '))
        assert.strictEqual(r.stdout, '', args.join(' '))
      }
    })

    it('an existing directory as first argument means doctor on it', function () {
      const dir = tmpDir()
      try {
        const r = cli([dir, '--json', '--no-git'])
        assert.strictEqual(json(r).dir, dir)
      } finally { rmTree(dir) }
    })
  })

  describe('colors', function () {
    const ESC = '\u001b['
    it('none on a pipe; FORCE_COLOR forces them; NO_COLOR wins over a TTY only', function () {
      const dir = tmpDir()
      try {
        assert.ok(!cli([dir, '--no-git']).stdout.includes(ESC), 'colors on a pipe')
        assert.ok(cli([dir, '--no-git'], { env: { FORCE_COLOR: '1' } }).stdout.includes(ESC), 'FORCE_COLOR=1 ignored')
        assert.ok(!cli([dir, '--no-git'], { env: { FORCE_COLOR: '0' } }).stdout.includes(ESC), 'FORCE_COLOR=0 ignored')
        assert.ok(!cli([dir, '--no-git'], { env: { NO_COLOR: '1' } }).stdout.includes(ESC), 'NO_COLOR=1 ignored')
      } finally { rmTree(dir) }
    })

    it('on a TTY: colors by default, none with NO_COLOR', function () {
      const script = which('script')
      if (isWin || !script) {
        console.log(`      skipped: needs util-linux script(1) for a pty (${isWin ? 'win32' : 'not installed'})`)
        return this.skip()
      }
      const dir = tmpDir()
      try {
        const run = (env) => spawnSync(script, ['-qec', `"${process.execPath}" "${BIN}" "${dir}" --no-git`, '/dev/null'],
          { encoding: 'utf8', env: cleanEnv(env) }).stdout
        const tty = run({})
        assert.match(tty, /Native core/)
        assert.ok(tty.includes(ESC), `no colors on a TTY:\n${tty}`)
        assert.ok(tty.includes('✓'), 'no unicode marks on a TTY')
        const noColor = run({ NO_COLOR: '1' })
        assert.match(noColor, /Native core/)
        assert.ok(!noColor.includes(ESC), 'NO_COLOR ignored on a TTY')
      } finally { rmTree(dir) }
    })
  })

  describe('on a filesystem that takes links (no refusal)', function () {
    let dir
    before(function () { dir = tmpDir() })
    after(function () { rmTree(dir) })

    it('check: exit 0, silent; --verbose says what can be made', function () {
      if (isWin) return this.skip()
      const r = cli(['check', dir])
      assert.strictEqual(r.status, 0)
      assert.strictEqual(r.stdout + r.stderr, '')
      const v = cli(['check', dir, '--verbose'])
      assert.strictEqual(v.status, 0)
      assert.match(v.stdout, /can make: symlink, hardlink/)
    })

    it('doctor: every check passes, nothing to fix, exit 0; --json is valid and has no remedies', function () {
      if (isWin) return this.skip()
      const r = cli([dir, '--no-git'])
      assert.strictEqual(r.status, 0, r.stdout)
      assert.match(r.stdout, /Nothing to fix: links work here\./)
      assert.doesNotMatch(r.stdout, /\[FAIL\]/)
      const report = json(cli(['doctor', dir, '--json', '--no-git']))
      assertValid(report)
      assert.deepStrictEqual(report.remedies, [])
      assert.strictEqual(report.tool.version, PKG.version)
      assert.strictEqual(checkById(report, 'file-symlink').status, 'pass')
    })
  })

  describe('under a seccomp filter that refuses symlinks (EPERM)', function () {
    before(function () { requireEnv(this, !seccompReason(), seccompReason()) })
    let dir
    beforeEach(function () { dir = tmpDir() })
    afterEach(function () { rmTree(dir) })

    it('doctor names the sandbox as the cause, with the evidence, and offers the fallback', function () {
      const r = cli([dir, '--no-git'], { refuse: 'symlinks' })
      assert.strictEqual(r.status, 1, r.stdout + r.stderr)
      assert.match(r.stdout, /\[FAIL\] Sandbox +seccomp: filter, no_new_privs: 1/)
      assert.match(r.stdout, /\[FAIL\] File symlink +refused: EPERM/)
      assert.match(r.stdout, /\[ok\] +Hard link/)
      assert.match(r.stdout, /1\. The filesystem supports links, but the kernel refused them for this process/)
      assert.match(r.stdout, /2\. Until then: hard links \(files\) still work here/)
      const report = json(cli([dir, '--json', '--no-git'], { refuse: 'symlinks' }))
      assertValid(report)
      assert.deepStrictEqual(remedyIds(report), ['sandbox-refusal', 'use-fallbacks'])
      assert.strictEqual(report.process.seccomp, 2)
    })

    it('check: exit 1 when only hard links work, 2 when every link is refused', function () {
      const one = cli(['check', dir], { refuse: 'symlinks' })
      assert.strictEqual(one.status, 1, one.stderr)
      assert.strictEqual(one.stdout, '')
      const two = cli(['check', dir, '-v'], { refuse: 'all' })
      assert.strictEqual(two.status, 2, two.stderr)
      assert.match(two.stdout, /no link kind can be made — EPERM: .*seccomp/)
      const j = json(cli(['check', dir, '--json'], { refuse: 'all' }))
      assert.strictEqual(j.exitCode, 2)
      assert.strictEqual(j.can.hardlink, false)
    })

    it('link falls back to a hard link and says why; a directory needs --allow-copy when all links are refused', function () {
      fs.writeFileSync(path.join(dir, 'f'), 'x')
      fs.mkdirSync(path.join(dir, 'd'))
      const r = cli(['link', 'f', 'l'], { cwd: dir, refuse: 'symlinks' })
      assert.strictEqual(r.status, 0, r.stderr)
      assert.match(r.stdout, /^made a hard link: l -> f\nwhy: symlink refused: EPERM/)
      assert.strictEqual(fs.statSync(path.join(dir, 'l')).ino, fs.statSync(path.join(dir, 'f')).ino)

      const refused = cli(['link', 'd', 'ld'], { cwd: dir, refuse: 'all' })
      assert.strictEqual(refused.status, 1)
      assert.match(refused.stderr, /EPERM.*--allow-copy/s)
      assert.strictEqual(fs.existsSync(path.join(dir, 'ld')), false)

      const copy = cli(['link', 'd', 'ld', '--allow-copy', '--json'], { cwd: dir, refuse: 'all' })
      assert.strictEqual(copy.status, 0, copy.stderr)
      assert.strictEqual(json(copy).kind, 'copy')
      assert.ok(fs.lstatSync(path.join(dir, 'ld')).isDirectory())
    })
  })

  describe('on a FUSE FAT mount (no links at all)', function () {
    let fat
    before(function () {
      requireEnv(this, !fatReason(), fatReason())
      fat = mountFat()
    })
    after(function () { if (fat) fat.unmount() })

    it('doctor: the filesystem is the cause, no setting helps; move the project or use copies', function () {
      const r = cli([fat.dir, '--no-git'])
      assert.strictEqual(r.status, 1)
      assert.match(r.stdout, /\[FAIL\] Filesystem +fuse\.fusefat, from fusefat at /)
      assert.match(r.stdout, /\[FAIL\] File symlink +refused: ENOSYS/)
      assert.match(r.stdout, /This volume \(fuse\.fusefat\) cannot hold links: no setting changes that/)
      assert.match(r.stdout, /None of these package managers can work on this volume \(fuse\.fusefat\)/)
      assert.doesNotMatch(r.stdout, /install-links/)
      assert.doesNotMatch(r.stdout, /Sandbox.*FAIL|sandbox or security policy/)
      const report = json(cli([fat.dir, '--json', '--no-git']))
      assertValid(report)
      assert.deepStrictEqual(remedyIds(report), ['move-to-link-volume'])
    })

    it('check: exit 2', function () {
      const r = cli(['check', fat.dir])
      assert.strictEqual(r.status, 2)
      assert.strictEqual(r.stdout, '')
    })

    it('link --allow-copy makes a copy there; without it, exit 1 and nothing made', function () {
      fs.writeFileSync(path.join(fat.dir, 'a.txt'), 'hello')
      const no = cli(['link', 'a.txt', 'b.txt'], { cwd: fat.dir })
      assert.strictEqual(no.status, 1)
      assert.strictEqual(fs.existsSync(path.join(fat.dir, 'b.txt')), false)
      const yes = cli(['link', 'a.txt', 'b.txt', '--allow-copy'], { cwd: fat.dir })
      assert.strictEqual(yes.status, 0, yes.stderr)
      assert.match(yes.stdout, /made a copy: b\.txt -> a\.txt/)
      assert.strictEqual(fs.readFileSync(path.join(fat.dir, 'b.txt'), 'utf8'), 'hello')
    })
  })

  describe('a git repository with core.symlinks=false and symlinks checked out as plain files', function () {
    let base, repo
    before(function () {
      if (isWin) return this.skip()
      requireEnv(this, Boolean(which('git')), 'git is not installed')
    })
    beforeEach(function () { ({ base, repo } = gitRepoWithPlainSymlinks()) })
    afterEach(function () { if (base) rmTree(base) })

    it('doctor shows the git finding with the count and the fix', function () {
      const r = cli([repo])
      assert.strictEqual(r.status, 1)
      assert.match(r.stdout, /\[FAIL\] Git symlinks +3 of 3 tracked symlinks checked out as plain files \(core\.symlinks=false\)/)
      assert.match(r.stdout, /3 tracked symlinks are checked out as plain files/)
      assert.match(r.stdout, /symlink-doctor fix --git/)
      const report = json(cli([repo, '--json']))
      assertValid(report)
      assert.deepStrictEqual(report.git.plainFiles.sort(), ['l1', 'l2', 'l3'])
      assert.deepStrictEqual(remedyIds(report), ['git-symlinks'])
      // --no-git starts no git and reports no finding.
      assert.strictEqual(json(cli([repo, '--json', '--no-git'])).git, undefined)
    })

    it('fix --git puts the links back and never touches a modified file', function () {
      fs.writeFileSync(path.join(repo, 'l3'), 'my own edit\n')
      const dry = cli(['fix', '--git', '--dry-run'], { cwd: repo })
      assert.strictEqual(dry.status, 0, dry.stderr)
      assert.match(dry.stdout, /would check out again: l1/)
      assert.ok(fs.lstatSync(path.join(repo, 'l1')).isFile(), '--dry-run changed the work tree')
      assert.strictEqual(git(repo, 'config', 'core.symlinks').trim(), 'false')

      const r = cli(['fix', '--git'], { cwd: repo })
      assert.strictEqual(r.status, 1, 'a skipped file leaves work undone: exit 1')
      assert.match(r.stdout, /fixed: l1 is a symlink again/)
      assert.match(r.stderr, /skip l3: modified/)
      assert.strictEqual(fs.readlinkSync(path.join(repo, 'l1')), 'd/f')
      assert.strictEqual(fs.readlinkSync(path.join(repo, 'l2')), 'd')
      assert.strictEqual(fs.readFileSync(path.join(repo, 'l3'), 'utf8'), 'my own edit\n')
      // l3 is left: core.symlinks=true would turn its ' M' into ' T'.
      assert.strictEqual(git(repo, 'config', 'core.symlinks').trim(), 'false')
      assert.strictEqual(git(repo, 'status', '--porcelain'), ' M l3\n')

      fs.writeFileSync(path.join(repo, 'l3'), 'd/f') // back to what git has
      const again = cli(['fix', '--git'], { cwd: repo })
      assert.strictEqual(again.status, 0, again.stderr)
      assert.strictEqual(fs.readlinkSync(path.join(repo, 'l3')), 'd/f')
      assert.strictEqual(git(repo, 'config', 'core.symlinks').trim(), 'true')
      assert.strictEqual(git(repo, 'status', '--porcelain'), '')
      assert.strictEqual(checkById(json(cli([repo, '--json'])), 'git').status, 'pass')
    })

    it('fix --git and scan --repair never overwrite an edit git diff does not see (assume-unchanged)', function () {
      fs.writeFileSync(path.join(repo, 'l3'), 'my own edit\n')
      git(repo, 'update-index', '--assume-unchanged', 'l3')
      assert.strictEqual(git(repo, '-c', 'core.symlinks=false', 'diff', '--name-only'), '', 'git diff does not see the edit')
      const scan = json(cli(['scan', repo, '--repair', '--json']))
      assert.match(scan.broken.find((b) => b.path === 'l3').repair.why, /modified/)
      assert.strictEqual(fs.readFileSync(path.join(repo, 'l3'), 'utf8'), 'my own edit\n')
      const r = cli(['fix', '--git'], { cwd: repo })
      assert.strictEqual(r.status, 1)
      assert.match(r.stderr, /skip l3: modified/)
      assert.strictEqual(fs.readFileSync(path.join(repo, 'l3'), 'utf8'), 'my own edit\n')
    })

    it('fix --git refuses where symlinks are refused, and changes nothing', function () {
      requireEnv(this, !seccompReason(), seccompReason())
      const r = cli(['fix', '--git'], { cwd: repo, refuse: 'symlinks' })
      assert.strictEqual(r.status, 1)
      assert.match(r.stderr, /Symlinks cannot be made in .*EPERM/)
      assert.ok(fs.lstatSync(path.join(repo, 'l1')).isFile())
      assert.strictEqual(git(repo, 'config', 'core.symlinks').trim(), 'false')
    })

    it('scan lists the plain files; scan --repair under seccomp leaves them alone (only git\'s own symlink replaces a placeholder) and says why', function () {
      requireEnv(this, !seccompReason(), seccompReason())
      const list = json(cli(['scan', repo, '--json']))
      assert.deepStrictEqual(list.broken.map((b) => `${b.kind}:${b.path}`).sort(), ['git-plain-file:l1', 'git-plain-file:l2', 'git-plain-file:l3'])
      const r = json(cli(['scan', repo, '--repair', '--json'], { refuse: 'symlinks' }))
      // A hard link in l1's place would show as modified in git status and
      // not follow d/f: every placeholder stays, each refusal says why.
      assert.deepStrictEqual(r.refused.map((x) => `${x.path}:${x.code}`).sort(), ['l1:git-needs-symlink', 'l2:git-needs-symlink', 'l3:git-needs-symlink'])
      assert.match(r.refused[0].reason, /symlinks are refused here/)
      assert.strictEqual(fs.readFileSync(path.join(repo, 'l1'), 'utf8'), 'd/f')
      assert.strictEqual(fs.statSync(path.join(repo, 'd', 'f')).nlink, 1)
      assert.strictEqual(r.remaining, 3)
      assert.strictEqual(git(repo, 'status', '--porcelain'), '')
    })
  })

  describe('scan', function () {
    let dir
    beforeEach(function () { dir = tmpDir() })
    afterEach(function () { rmTree(dir) })

    it('finds dangling links without following links; --repair relinks a moved project and reports the rest', function () {
      if (isWin) return this.skip()
      const old = path.join(dir, 'old', 'proj')
      fs.mkdirSync(path.join(old, 'packages', 'a'), { recursive: true })
      fs.mkdirSync(path.join(old, 'node_modules', '.pnpm'), { recursive: true })
      fs.symlinkSync(path.join(old, 'packages', 'a'), path.join(old, 'node_modules', 'a')) // absolute, like a junction
      fs.symlinkSync('nowhere', path.join(old, 'node_modules', 'b'))
      fs.symlinkSync('../packages', path.join(old, 'node_modules', 'ok'))
      // A link to a directory outside: scan must not walk through it.
      fs.mkdirSync(path.join(dir, 'outside'))
      fs.symlinkSync('gone', path.join(dir, 'outside', 'dangling-outside'))
      fs.symlinkSync(path.join(dir, 'outside'), path.join(old, 'node_modules', '.pnpm', 'out'))
      const moved = path.join(dir, 'new')
      fs.renameSync(old, moved)

      const r = cli(['scan', moved])
      assert.strictEqual(r.status, 1)
      assert.match(r.stdout, /dangling symlink +node_modules\/a -> .*old\/proj\/packages\/a {2}\(target missing\)/)
      assert.match(r.stdout, /dangling symlink +node_modules\/b -> nowhere/)
      assert.doesNotMatch(r.stdout, /dangling-outside|node_modules\/ok/)

      const fixed = json(cli(['scan', moved, '--repair', '--json']))
      const by = Object.fromEntries(fixed.broken.map((b) => [b.path, b.repair]))
      assert.deepStrictEqual(by['node_modules/a'], { fixed: true, kind: 'symlink', newTarget: '../packages/a', reason: null })
      assert.strictEqual(fs.readlinkSync(path.join(moved, 'node_modules', 'a')), '../packages/a')
      assert.strictEqual(by['node_modules/b'].fixed, false)
      assert.strictEqual(fixed.remaining, 1)
      assert.strictEqual(cli(['scan', moved]).stdout.includes('node_modules/a'), false)
    })

    it('exit 0 with nothing broken', function () {
      fs.mkdirSync(path.join(dir, 'x'))
      const r = cli(['scan', dir])
      assert.strictEqual(r.status, 0, r.stdout)
      assert.match(r.stdout, /No broken links\./)
    })
  })

  describe('fix on a platform where the step does not apply', function () {
    it('--developer-mode / --grant / --open-settings on Linux: says why, exit 1', function () {
      if (process.platform !== 'linux') return this.skip()
      for (const action of ['--developer-mode', '--grant', '--open-settings']) {
        const r = cli(['fix', action])
        assert.strictEqual(r.status, 1, action)
        assert.match(r.stderr, /is a Windows setting; this is linux/, action)
      }
    })
  })

  // ── Windows (node.exe under Wine via npm run test:win32, or real Windows) ──
  describe('win32: the report follows the Developer Mode registry value', function () {
    const DEV_KEY = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\AppModelUnlock'
    const DEV_VALUE = 'AllowDevelopmentWithoutDevLicense'
    let original, dir

    function reg (args) {
      const r = spawnSync('reg.exe', args, { encoding: 'utf8', windowsHide: true })
      return { status: r.status, out: (r.stdout || '') + (r.stderr || ''), error: r.error }
    }
    function readDev () {
      const r = reg(['query', DEV_KEY, '/v', DEV_VALUE])
      const m = r.status === 0 && /REG_DWORD\s+0x([0-9a-f]+)/i.exec(r.out)
      return m ? parseInt(m[1], 16) : null
    }
    function writeDev (value) {
      return value === null
        ? reg(['delete', DEV_KEY, '/f', '/v', DEV_VALUE])
        : reg(['add', DEV_KEY, '/t', 'REG_DWORD', '/f', '/v', DEV_VALUE, '/d', String(value)])
    }

    before(function () {
      if (!isWin) {
        console.log(`      skipped: needs Windows or Wine (this is ${process.platform}); npm run test:win32 runs it under Wine`)
        return this.skip()
      }
      const q = reg(['query', 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion'])
      if (q.error) {
        // Under Wine a reg.exe that cannot be spawned is an environment
        // limit; on real Windows it is a failure (under CI).
        if (underWine) {
          console.log(`      skipped: reg.exe cannot be spawned under Wine here: ${q.error.message}`)
          return this.skip()
        }
        requireEnv(this, false, `reg.exe cannot be spawned: ${q.error.message}`)
      }
      original = readDev()
      const probe = writeDev(original === null ? 0 : original)
      if (probe.status !== 0) {
        // Writing HKLM needs elevation on real Windows; under Wine it always works.
        if (underWine) throw new Error(`reg.exe could not write ${DEV_KEY}: ${probe.out}`)
        requireEnv(this, false, `reg.exe cannot write HKLM here (not elevated): ${probe.out.trim()}`)
      }
      if (original === null) writeDev(null)
      dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sd-cli-win-')))
    })
    after(function () {
      if (dir) rmTree(dir)
      if (original === undefined) return
      writeDev(original)
      assert.strictEqual(readDev(), original, 'the Developer Mode value was not restored')
    })

    function doctor () {
      const r = cli([dir, '--json', '--no-git'])
      const report = json(r)
      assertValid(report)
      requireEnv(this, report.native && report.system.developerMode !== undefined,
        `the native win32 facts (system.developerMode) are not in this build: native=${report.native} ${report.nativeError || ''}`)
      return report
    }

    it('value deleted: Developer Mode check fails (absent) and the developer-mode remedy is offered', function () {
      assert.strictEqual(writeDev(null).status === 0 || readDev() === null, true)
      const report = doctor.call(this)
      const c = checkById(report, 'developer-mode')
      assert.strictEqual(c.status, report.can.symlink ? 'warn' : 'fail')
      assert.match(c.evidence, /^off \(AppModelUnlock AllowDevelopmentWithoutDevLicense absent\)$/)
      if (!report.can.symlink || report.system.elevated) assert.ok(remedyIds(report).includes('developer-mode'), remedyIds(report).join(','))
      const text = cli([dir, '--no-git'])
      assert.match(text.stdout, /Developer Mode +off/)
    })

    it('value 1: Developer Mode check passes and the developer-mode remedy is gone', function () {
      assert.strictEqual(writeDev(1).status, 0)
      const report = doctor.call(this)
      const c = checkById(report, 'developer-mode')
      assert.strictEqual(c.status, 'pass')
      assert.match(c.evidence, /^on \(AppModelUnlock AllowDevelopmentWithoutDevLicense = 1\)$/)
      assert.ok(!remedyIds(report).includes('developer-mode'))
      if (underWine) assert.ok(remedyIds(report).includes('stub-symlink-api'), remedyIds(report).join(','))
    })

    it('value 0: fix --developer-mode --dry-run prints the reg command and changes nothing; fix sets it (elevated)', function () {
      assert.strictEqual(writeDev(0).status, 0)
      const dry = cli(['fix', '--developer-mode', '--dry-run'])
      assert.strictEqual(dry.status, 0, dry.stderr)
      assert.match(dry.stdout, /reg add "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\AppModelUnlock" \/v AllowDevelopmentWithoutDevLicense \/t REG_DWORD \/d 1 \/f/)
      assert.strictEqual(readDev(), 0)
      const report = doctor.call(this)
      if (!report.system.elevated) {
        const r = cli(['fix', '--developer-mode'])
        assert.strictEqual(r.status, 3)
        assert.match(r.stderr, /Run as administrator/)
        return
      }
      const r = cli(['fix', '--developer-mode'])
      assert.strictEqual(r.status, 0, r.stdout + r.stderr)
      assert.match(r.stdout, /Developer Mode is on/)
      assert.strictEqual(readDev(), 1)
    })

    it('fix --grant: --dry-run changes nothing; an unknown account is named; under Wine the LSA grant runs', function () {
      const dry = cli(['fix', '--grant', '--account', 'builder', '--dry-run'])
      assert.strictEqual(dry.status, 0, dry.stderr)
      assert.match(dry.stdout, /Grant SeCreateSymbolicLinkPrivilege .* to builder/)
      assert.match(dry.stdout, /dry run: nothing changed/)
      if (process.env.SYMLINK_DOCTOR_WINE !== '1') {
        console.log('      (the real grant runs only under Wine, whose registry is the test\'s own)')
        return
      }
      const unknown = cli(['fix', '--grant', '--account', 'no-such-user-sd'])
      assert.strictEqual(unknown.status, 1)
      assert.match(unknown.stderr, /LookupAccountName 'no-such-user-sd'/)
      assert.match(unknown.stderr, /WinError 1332|no account/)
      const granted = cli(['fix', '--grant'])
      assert.strictEqual(granted.status, 0, granted.stderr)
      assert.match(granted.stdout, /Granted\. .* must sign out and in again/)
    })
  })
})
