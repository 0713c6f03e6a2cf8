'use strict'
// scan --repair and fix --git stay inside the tree (issue 8 item 4) and leave
// git placeholders alone unless git can make the real symlink (issue 9 item 3).
// The CLI runs as a user runs it: node bin/symlink-doctor.js in a child
// process, under the seccomp helper that refuses symlink(2), on real git
// repositories made with git init. Every file outside the tree is a sentinel
// in a temporary directory made here (plus /etc/passwd, only read).

const assert = require('assert')
const { spawnSync, execFileSync } = require('child_process')
const fs = require('fs')
const path = require('path')
const { ROOT, REFUSE, requireEnv, seccompReason, tmpDir, rmTree, which } = require('./support')

const BIN = path.join(ROOT, 'bin', 'symlink-doctor.js')

function cleanEnv () {
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1' }
  for (const k of ['CI', 'GITHUB_ACTIONS', 'TF_BUILD', 'JENKINS_URL', 'GITLAB_CI', 'BUILDKITE', 'CIRCLECI',
    'APPVEYOR', 'TEAMCITY_VERSION', 'TRAVIS', 'BITBUCKET_BUILD_NUMBER', 'CODEBUILD_BUILD_ID', 'NO_COLOR', 'FORCE_COLOR']) {
    delete env[k]
  }
  return env
}

// The CLI as a user runs it; refuse: 'symlinks' (the seccomp helper) or null.
function cli (args, { cwd = ROOT, refuse = 'symlinks' } = {}) {
  let cmd = [process.execPath, BIN, ...args]
  if (refuse === 'symlinks') cmd = [REFUSE, '--', ...cmd]
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd, env: cleanEnv(), encoding: 'utf8' })
  if (r.error) throw r.error
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

function json (r) {
  try {
    return JSON.parse(r.stdout)
  } catch {
    throw new Error(`not JSON (exit ${r.status}): ${r.stdout}\n${r.stderr}`)
  }
}

function git (cwd, ...args) {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: cleanEnv() })
}

// What must not change about a file: its inode, link count and bytes.
function fingerprint (file) {
  const st = fs.lstatSync(file)
  return { ino: st.ino, nlink: st.nlink, type: st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'file' : 'other', bytes: fs.readFileSync(file, 'latin1') }
}

function assertUntouched (file, before) {
  assert.deepStrictEqual(fingerprint(file), before, `${file} changed`)
}

// A repository with one tracked symlink (mode 120000) per entry of links
// ({ 'lib/rc': '../../home/.bashrc' }), then checked out again with
// core.symlinks=false so each is a plain file holding its target.
function repoWithPlaceholders (repo, links, files = {}) {
  fs.mkdirSync(repo, { recursive: true })
  git(repo, 'init', '-q')
  git(repo, 'config', 'user.email', 'test@example.com')
  git(repo, 'config', 'user.name', 'test')
  for (const [p, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(repo, p)), { recursive: true })
    fs.writeFileSync(path.join(repo, p), content)
  }
  for (const [p, target] of Object.entries(links)) {
    fs.mkdirSync(path.dirname(path.join(repo, p)), { recursive: true })
    fs.symlinkSync(target, path.join(repo, p))
  }
  git(repo, 'add', '.')
  git(repo, 'commit', '-q', '-m', 'links')
  git(repo, 'config', 'core.symlinks', 'false')
  for (const p of Object.keys(links)) fs.unlinkSync(path.join(repo, p))
  git(repo, 'checkout', '--', '.')
  for (const p of Object.keys(links)) assert.ok(fs.lstatSync(path.join(repo, p)).isFile(), `${p} should be a plain file now`)
}

function byPath (result) {
  return Object.fromEntries(result.broken.map((b) => [b.path, b]))
}

describe('repairs stay inside the tree (scan --repair, fix --git)', function () {
  before(function () { requireEnv(this, !seccompReason(), seccompReason()) })

  let base
  beforeEach(function () { base = tmpDir('sd-confine-') })
  afterEach(function () { if (base) rmTree(base) })

  describe('a dangling link to a moved absolute target', function () {
    it('lib/cfg -> /old-host/home/ci/etc/passwd is not relinked to this machine\'s /etc/passwd: the search stays inside the scanned root', function () {
      const proj = path.join(base, 'proj')
      fs.mkdirSync(path.join(proj, 'lib'), { recursive: true })
      fs.symlinkSync('/old-host/home/ci/etc/passwd', path.join(proj, 'lib', 'cfg'))
      const passwd = fingerprint('/etc/passwd')

      const r = cli(['scan', '--repair', proj])
      assert.notStrictEqual(r.status, 0, r.stdout)
      assert.strictEqual(r.status, 1)
      assertUntouched('/etc/passwd', passwd)
      assert.strictEqual(fs.readlinkSync(path.join(proj, 'lib', 'cfg')), '/old-host/home/ci/etc/passwd')
      assert.match(r.stdout, /lib\/cfg -> \/old-host\/home\/ci\/etc\/passwd/)
      assert.match(r.stdout, /not fixed: .*only inside the scanned tree/)
      assert.match(r.stdout, /0 repaired, 1 left/)

      const j = json(cli(['scan', '--repair', '--json', proj]))
      assert.strictEqual(j.repaired, 0)
      assert.strictEqual(byPath(j)['lib/cfg'].repair.fixed, false)
      assertUntouched('/etc/passwd', passwd)
    })

    it('a file at the same relative place above the scanned root (a sentinel) is not linked', function () {
      const proj = path.join(base, 'proj')
      fs.mkdirSync(path.join(proj, 'lib'), { recursive: true })
      fs.mkdirSync(path.join(base, 'etc'))
      const sentinel = path.join(base, 'etc', 'passwd')
      fs.writeFileSync(sentinel, 'root:x:0:0:sentinel\n')
      const before = fingerprint(sentinel)
      fs.symlinkSync('/old-host/home/ci/etc/passwd', path.join(proj, 'lib', 'cfg'))

      const r = cli(['scan', '--repair', proj])
      assert.strictEqual(r.status, 1, r.stdout)
      assertUntouched(sentinel, before)
      assert.ok(fs.lstatSync(path.join(proj, 'lib', 'cfg')).isSymbolicLink())
      assert.match(r.stdout, /0 repaired, 1 left/)
    })

    it('a match reached through a symlinked directory inside the tree that resolves outside is refused and listed', function () {
      const proj = path.join(base, 'proj')
      fs.mkdirSync(path.join(proj, 'lib'), { recursive: true })
      fs.mkdirSync(path.join(base, 'outside'))
      const sentinel = path.join(base, 'outside', 'passwd')
      fs.writeFileSync(sentinel, 'root:x:0:0:sentinel\n')
      const before = fingerprint(sentinel)
      fs.symlinkSync(path.join(base, 'outside'), path.join(proj, 'etc')) // proj/etc -> outside
      fs.symlinkSync('/old-host/home/ci/etc/passwd', path.join(proj, 'lib', 'cfg'))

      const r = cli(['scan', '--repair', proj])
      assert.strictEqual(r.status, 1, r.stdout)
      assertUntouched(sentinel, before)
      assert.strictEqual(fs.readlinkSync(path.join(proj, 'lib', 'cfg')), '/old-host/home/ci/etc/passwd')
      assert.match(r.stdout, /refused: .*outside the scanned tree/)
      assert.match(r.stdout, /1 refused/)

      const j = json(cli(['scan', '--repair', '--json', proj]))
      assert.strictEqual(j.repaired, 0)
      assert.deepStrictEqual(j.refused.map((x) => [x.path, x.code]), [['lib/cfg', 'outside-tree']])
      assert.strictEqual(j.refused[0].target, '/old-host/home/ci/etc/passwd')
      assert.match(j.refused[0].reason, new RegExp(`resolves to ${sentinel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
      assertUntouched(sentinel, before)
    })
    it('inside the tree the repair still works: an outside match is passed over for one inside, through a symlinked directory that stays inside', function () {
      const proj = path.join(base, 'proj')
      fs.mkdirSync(path.join(proj, 'lib'), { recursive: true })
      fs.mkdirSync(path.join(proj, 'real', 'etc'), { recursive: true })
      fs.writeFileSync(path.join(proj, 'real', 'etc', 'passwd'), 'inside\n')
      fs.mkdirSync(path.join(base, 'outside', 'etc'), { recursive: true })
      const sentinel = path.join(base, 'outside', 'etc', 'passwd')
      fs.writeFileSync(sentinel, 'root:x:0:0:sentinel\n')
      const before = fingerprint(sentinel)
      fs.symlinkSync(path.join(base, 'outside'), path.join(proj, 'lib', 'ci')) // lib/ci -> outside: nearer, refused
      fs.symlinkSync('real', path.join(proj, 'ci')) // ci -> real: inside
      fs.symlinkSync('/old-host/home/ci/etc/passwd', path.join(proj, 'lib', 'cfg'))

      const j = json(cli(['scan', '--repair', '--json', proj]))
      const cfg = byPath(j)['lib/cfg'].repair
      assert.deepStrictEqual(cfg, { fixed: true, kind: 'hardlink', newTarget: '../ci/etc/passwd', reason: cfg.reason })
      assert.strictEqual(fs.statSync(path.join(proj, 'lib', 'cfg')).ino, fs.statSync(path.join(proj, 'real', 'etc', 'passwd')).ino)
      assert.deepStrictEqual(j.refused, [])
      assertUntouched(sentinel, before)
    })
  })

  describe('git placeholders (core.symlinks=false)', function () {
    before(function () { requireEnv(this, Boolean(which('git')), 'git is not installed') })

    // repo/lib/rc holds ../../home/.bashrc: base/home/.bashrc, outside the
    // work tree (the issue's ../../../../../root/.bashrc, with a sentinel).
    function outsidePlaceholder () {
      const repo = path.join(base, 'repo')
      fs.mkdirSync(path.join(base, 'home'))
      const sentinel = path.join(base, 'home', '.bashrc')
      fs.writeFileSync(sentinel, 'echo sentinel\n')
      repoWithPlaceholders(repo, { 'lib/rc': '../../home/.bashrc' }, { README: 'r\n' })
      return { repo, sentinel, before: fingerprint(sentinel), placeholder: fingerprint(path.join(repo, 'lib', 'rc')), status: git(repo, 'status', '--porcelain') }
    }

    // repo/vendor/x is tracked (-> ../d/f), but vendor is now a symlink to a
    // directory outside, which holds a file x with the same bytes.
    function symlinkedDirectory () {
      const repo = path.join(base, 'repo')
      repoWithPlaceholders(repo, { 'vendor/x': '../d/f' }, { 'd/f': 'content\n' })
      fs.rmSync(path.join(repo, 'vendor'), { recursive: true })
      fs.mkdirSync(path.join(base, 'outside'))
      const sentinel = path.join(base, 'outside', 'x')
      fs.writeFileSync(sentinel, '../d/f')
      fs.symlinkSync(path.join(base, 'outside'), path.join(repo, 'vendor'))
      const status = git(repo, 'status', '--porcelain')
      assert.strictEqual(status, ' D vendor/x\n?? vendor\n')
      return { repo, sentinel, before: fingerprint(sentinel), status }
    }

    it('scan --repair: a placeholder holding ../../home/.bashrc is not hard-linked to the file outside; refused and listed, git status unchanged', function () {
      const { repo, sentinel, before, placeholder, status } = outsidePlaceholder()
      const r = cli(['scan', '--repair', repo])
      assert.strictEqual(r.status, 1, r.stdout)
      assertUntouched(sentinel, before)
      assertUntouched(path.join(repo, 'lib', 'rc'), placeholder)
      assert.strictEqual(git(repo, 'status', '--porcelain'), status)
      assert.match(r.stdout, /git plain file +lib\/rc -> \.\.\/\.\.\/home\/\.bashrc/)
      assert.match(r.stdout, /refused: .*outside the scanned tree/)
      assert.match(r.stdout, /0 repaired, 1 left, 1 refused/)

      const j = json(cli(['scan', '--repair', '--json', repo]))
      assert.deepStrictEqual(j.refused.map((x) => [x.path, x.target, x.code]), [['lib/rc', '../../home/.bashrc', 'outside-tree']])
      assertUntouched(sentinel, before)
      assert.strictEqual(git(repo, 'status', '--porcelain'), status)
    })

    it('scan --repair where symlinks work: the outside placeholder is refused too (no checkout of it), git status unchanged', function () {
      const { repo, sentinel, before, placeholder, status } = outsidePlaceholder()
      const r = json(cli(['scan', '--repair', '--json', repo], { refuse: null }))
      assert.deepStrictEqual(r.refused.map((x) => [x.path, x.code]), [['lib/rc', 'outside-tree']])
      assertUntouched(sentinel, before)
      assertUntouched(path.join(repo, 'lib', 'rc'), placeholder)
      assert.strictEqual(git(repo, 'status', '--porcelain'), status)
    })

    it('scan --repair: a file reached through a symlinked directory (vendor -> outside) is neither deleted nor replaced; refused and listed, git status unchanged', function () {
      const { repo, sentinel, before, status } = symlinkedDirectory()
      const r = cli(['scan', '--repair', repo])
      assert.strictEqual(r.status, 1, r.stdout)
      assertUntouched(sentinel, before)
      assert.ok(fs.lstatSync(path.join(repo, 'vendor')).isSymbolicLink())
      assert.strictEqual(git(repo, 'status', '--porcelain'), status)
      assert.match(r.stdout, /refused: .*symlinked directory vendor/)

      const j = json(cli(['scan', '--repair', '--json', repo]))
      assert.deepStrictEqual(j.refused.map((x) => [x.path, x.code]), [['vendor/x', 'through-symlinked-directory']])
      assertUntouched(sentinel, before)

      // Where symlinks work, git would replace the user's vendor symlink by
      // a directory: that is not done either.
      const free = json(cli(['scan', '--repair', '--json', repo], { refuse: null }))
      assert.deepStrictEqual(free.refused.map((x) => [x.path, x.code]), [['vendor/x', 'through-symlinked-directory']])
      assertUntouched(sentinel, before)
      assert.ok(fs.lstatSync(path.join(repo, 'vendor')).isSymbolicLink())
      assert.strictEqual(git(repo, 'status', '--porcelain'), status)
    })

    it('scan --repair where only fallbacks work: a placeholder inside the tree is left alone (never a hard link), said why, git status unchanged', function () {
      const repo = path.join(base, 'repo')
      repoWithPlaceholders(repo, { l1: 'd/f', l2: 'd' }, { 'd/f': 'content\n' })
      const status = git(repo, 'status', '--porcelain')
      const l1 = fingerprint(path.join(repo, 'l1'))
      const f = fingerprint(path.join(repo, 'd', 'f'))
      const r = cli(['scan', '--repair', repo])
      assert.strictEqual(r.status, 1, r.stdout)
      assert.match(r.stdout, /refused: .*symlinks are refused here/)
      assertUntouched(path.join(repo, 'l1'), l1)
      assertUntouched(path.join(repo, 'd', 'f'), f)
      assert.strictEqual(git(repo, 'status', '--porcelain'), status)
      assert.strictEqual(git(repo, 'config', 'core.symlinks').trim(), 'false')
      const j = json(cli(['scan', '--repair', '--json', repo]))
      assert.deepStrictEqual(j.refused.map((x) => [x.path, x.code]).sort(), [['l1', 'git-needs-symlink'], ['l2', 'git-needs-symlink']])
      assert.strictEqual(j.remaining, 2)
      assert.strictEqual(git(repo, 'status', '--porcelain'), status)
    })

    it('scan --repair where symlinks work: git checks the placeholders out; an edited one stays, core.symlinks stays false, git status unchanged', function () {
      const repo = path.join(base, 'repo')
      repoWithPlaceholders(repo, { l1: 'd/f', l2: 'd', l3: 'd/f' }, { 'd/f': 'content\n' })
      fs.writeFileSync(path.join(repo, 'l3'), 'my own edit\n')
      const status = git(repo, 'status', '--porcelain')
      const r = json(cli(['scan', '--repair', '--json', repo], { refuse: null }))
      assert.deepStrictEqual(r.refused, [])
      assert.strictEqual(fs.readlinkSync(path.join(repo, 'l1')), 'd/f')
      assert.strictEqual(fs.readlinkSync(path.join(repo, 'l2')), 'd')
      assert.strictEqual(fs.readFileSync(path.join(repo, 'l3'), 'utf8'), 'my own edit\n')
      assert.strictEqual(git(repo, 'config', 'core.symlinks').trim(), 'false')
      assert.strictEqual(git(repo, 'status', '--porcelain'), status)
      // With nothing left behind, core.symlinks=true is set, and all is clean.
      fs.writeFileSync(path.join(repo, 'l3'), 'd/f')
      const again = cli(['scan', '--repair', repo], { refuse: null })
      assert.strictEqual(again.status, 0, again.stdout)
      assert.strictEqual(fs.readlinkSync(path.join(repo, 'l3')), 'd/f')
      assert.strictEqual(git(repo, 'config', 'core.symlinks').trim(), 'true')
      assert.strictEqual(git(repo, 'status', '--porcelain'), '')
    })

    it('fix --git where symlinks work: an edited placeholder is skipped and git status stays as it was (core.symlinks is set once none is left)', function () {
      const repo = path.join(base, 'repo')
      repoWithPlaceholders(repo, { l1: 'd/f', l3: 'd/f' }, { 'd/f': 'content\n' })
      fs.writeFileSync(path.join(repo, 'l3'), 'my own edit\n')
      const status = git(repo, 'status', '--porcelain')
      assert.strictEqual(status, ' M l3\n')
      const r = cli(['fix', '--git', repo], { refuse: null })
      assert.strictEqual(r.status, 1)
      assert.match(r.stderr, /skip l3: modified/)
      assert.match(r.stdout, /core\.symlinks left false: 1 plain file is left/)
      assert.strictEqual(fs.readlinkSync(path.join(repo, 'l1')), 'd/f')
      assert.strictEqual(git(repo, 'status', '--porcelain'), status)
      fs.writeFileSync(path.join(repo, 'l3'), 'd/f')
      const again = cli(['fix', '--git', repo], { refuse: null })
      assert.strictEqual(again.status, 0, again.stderr)
      assert.strictEqual(git(repo, 'config', 'core.symlinks').trim(), 'true')
      assert.strictEqual(git(repo, 'status', '--porcelain'), '')
    })

    it('scan --repair: a dangling symlink git tracks is not relinked (git status would change); it says where the target is', function () {
      const repo = path.join(base, 'repo')
      fs.mkdirSync(path.join(repo, 'packages', 'a'), { recursive: true })
      fs.writeFileSync(path.join(repo, 'packages', 'a', 'index.js'), '1\n')
      git(repo, 'init', '-q')
      fs.symlinkSync('/old-host/repo/packages/a/index.js', path.join(repo, 'entry.js'))
      git(repo, 'add', '.')
      git(repo, '-c', 'user.email=t@e', '-c', 'user.name=t', 'commit', '-q', '-m', 'abs link')
      const index = fingerprint(path.join(repo, 'packages', 'a', 'index.js'))
      for (const refuse of ['symlinks', null]) {
        const j = json(cli(['scan', '--repair', '--json', repo], { refuse }))
        assert.deepStrictEqual(j.refused.map((x) => [x.path, x.code]), [['entry.js', 'git-tracked']])
        assert.match(j.refused[0].reason, /Found at packages\/a\/index\.js/)
        assert.strictEqual(fs.readlinkSync(path.join(repo, 'entry.js')), '/old-host/repo/packages/a/index.js')
        assertUntouched(path.join(repo, 'packages', 'a', 'index.js'), index)
        assert.strictEqual(git(repo, 'status', '--porcelain'), '')
      }
    })

    it('fix --git stays inside in the same set-ups: nothing outside changes, git status unchanged', function () {
      const a = outsidePlaceholder()
      const r = cli(['fix', '--git', a.repo])
      assert.strictEqual(r.status, 1)
      assert.match(r.stderr, /Symlinks cannot be made/)
      assertUntouched(a.sentinel, a.before)
      assertUntouched(path.join(a.repo, 'lib', 'rc'), a.placeholder)
      assert.strictEqual(git(a.repo, 'status', '--porcelain'), a.status)
      rmTree(base)
      base = tmpDir('sd-confine-')

      const b = symlinkedDirectory()
      for (const refuse of ['symlinks', null]) {
        const f = cli(['fix', '--git', b.repo], { refuse })
        assert.strictEqual(f.status, 1, f.stdout + f.stderr)
        assertUntouched(b.sentinel, b.before)
        assert.ok(fs.lstatSync(path.join(b.repo, 'vendor')).isSymbolicLink(), `fix --git (refuse: ${refuse}) replaced the symlinked directory`)
        assert.strictEqual(git(b.repo, 'status', '--porcelain'), b.status)
      }
      assert.match(cli(['fix', '--git', b.repo], { refuse: null }).stderr, /skip vendor\/x: .*symlinked directory vendor/)
    })
  })
})
