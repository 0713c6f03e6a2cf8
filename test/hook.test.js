'use strict'
// symlink-doctor/register against real refusals: each case runs a Node
// process with the hook preloaded (NODE_OPTIONS, as `run --` does) under
// the seccomp helper, which makes the kernel refuse symlink(2) with EPERM
// for that process and its children.

const assert = require('assert')
const { spawnSync } = require('child_process')
const fs = require('fs')
const path = require('path')
const { ROOT, REFUSE, requireEnv, seccompReason, tmpDir, rmTree, which } = require('./support')
const { quote } = require('../lib/node-options')

const REGISTER = path.join(ROOT, 'register.js')
const HOOKED = `--require ${quote(REGISTER)}`

// Runs node with args; refuse: 'symlinks' | 'all' | null; hook: preload it.
function node (args, { refuse = 'symlinks', hook = true, env = {}, cwd, uid, errno } = {}) {
  const base = { ...process.env }
  for (const k of Object.keys(base)) if (k.startsWith('SYMLINK_DOCTOR_')) delete base[k]
  delete base.NODE_OPTIONS
  const fullEnv = { ...base, ...(hook ? { NODE_OPTIONS: HOOKED } : {}), ...env }
  let cmd = [process.execPath, ...args]
  if (refuse === 'symlinks') cmd = [REFUSE, ...(errno ? ['--errno', String(errno)] : []), '--', ...cmd]
  else if (refuse === 'all') cmd = [REFUSE, '--hardlinks', '--', ...cmd]
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd, env: fullEnv, encoding: 'utf8', uid, gid: uid })
  if (r.error) throw r.error
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

const js = (script, opts) => node(['-e', script], opts)

// The JSON a script printed on its last stdout line.
function out (r) {
  assert.strictEqual(r.status, 0, `exit ${r.status}\n${r.stderr}`)
  const lines = r.stdout.trim().split('\n')
  return JSON.parse(lines[lines.length - 1])
}

function notes (stderr) {
  return stderr.split('\n').filter((l) => l.startsWith('symlink-doctor:'))
}

// A note block: its first line and the indented lines that follow it.
function noteBlock (stderr) {
  const lines = stderr.split('\n')
  const at = lines.findIndex((l) => l.startsWith('symlink-doctor:'))
  if (at === -1) return []
  const block = [lines[at]]
  for (let i = at + 1; i < lines.length && lines[i].startsWith('  '); i++) block.push(lines[i])
  return block
}

// What a made link is, seen from outside the refused process.
function kindAt (p) {
  const st = fs.lstatSync(p)
  if (st.isSymbolicLink()) return 'symlink'
  if (st.isDirectory()) return 'dir-copy'
  return st.nlink > 1 ? 'hardlink' : 'file-copy'
}

// Each API form, as a script that links target → link and prints the
// outcome; FORMS[name](target, link).
const report = '(e) => console.log(JSON.stringify(e ? { code: e.code, syscall: e.syscall, message: e.message, sd: e.symlinkDoctor || null } : { ok: true }))'
// Link names made from form names ('fs/promises' has a slash).
const slug = (name) => name.replace(/[^\w.-]/g, '_')

const FORMS = {
  symlinkSync: (t, l) => `const r = ${report}; try { require('fs').symlinkSync(${JSON.stringify(t)}, ${JSON.stringify(l)}); r() } catch (e) { r(e) }`,
  callback: (t, l) => `require('fs').symlink(${JSON.stringify(t)}, ${JSON.stringify(l)}, (e) => (${report})(e))`,
  callbackWithType: (t, l) => `require('fs').symlink(${JSON.stringify(t)}, ${JSON.stringify(l)}, null, (e) => (${report})(e))`,
  'fs.promises': (t, l) => `require('fs').promises.symlink(${JSON.stringify(t)}, ${JSON.stringify(l)}).then(() => (${report})(), ${report})`,
  'fs/promises': (t, l) => `require('fs/promises').symlink(${JSON.stringify(t)}, ${JSON.stringify(l)}).then(() => (${report})(), ${report})`
}

// An ESM module that imports symlink from fs/promises; with `first` it
// imports the hook itself first (no preload).
function esm (dir, name, t, l, first) {
  const file = path.join(dir, name)
  fs.writeFileSync(file, [
    first ? `import ${JSON.stringify(first)}` : '',
    "import { symlink } from 'fs/promises'",
    "import { symlinkSync } from 'fs'",
    'const r = ' + report,
    `try { await symlink(${JSON.stringify(t)}, ${JSON.stringify(l)}); r() } catch (e) { r(e) }`,
    `try { symlinkSync(${JSON.stringify(t)}, ${JSON.stringify(l + '-sync')}) } catch (e) { console.error('sync', e.code) }`
  ].join('\n'))
  return file
}

// Windows, under Wine (npm run test:win32): CreateSymbolicLinkW reports
// success and makes nothing, junctions are refused (WinError 50), hard
// links work. The hook must notice the silent no-op with one lstat and fall
// back. node.exe under Wine cannot write to a pipe, so output goes to files.
describe('symlink-doctor/register on Windows (Wine: the silent no-op)', function () {
  this.timeout(120000)
  let dir
  before(function () {
    if (process.platform !== 'win32' || process.env.SYMLINK_DOCTOR_WINE !== '1') {
      console.log('      skipped: needs node.exe under Wine (npm run test:win32)')
      this.skip()
    }
  })
  beforeEach(() => {
    dir = tmpDir('sd-hook-win-')
    fs.writeFileSync(path.join(dir, 'file.txt'), 'payload\n')
    fs.mkdirSync(path.join(dir, 'pkg'))
    fs.writeFileSync(path.join(dir, 'pkg', 'index.js'), 'module.exports = 42\n')
  })
  afterEach(() => rmTree(dir))

  function winNode (script, env = {}) {
    const outFile = path.join(dir, `.out-${Date.now()}`)
    const errFile = `${outFile}.err`
    const o = fs.openSync(outFile, 'w')
    const e = fs.openSync(errFile, 'w')
    try {
      const base = { ...process.env }
      for (const k of Object.keys(base)) if (k.startsWith('SYMLINK_DOCTOR_') && k !== 'SYMLINK_DOCTOR_WINE') delete base[k]
      const r = spawnSync(process.execPath, ['-e', script], { cwd: dir, env: { ...base, NODE_OPTIONS: HOOKED, ...env }, stdio: ['ignore', o, e], windowsHide: true })
      return { status: r.status, stdout: fs.readFileSync(outFile, 'utf8'), stderr: fs.readFileSync(errFile, 'utf8') }
    } finally {
      fs.closeSync(o)
      fs.closeSync(e)
      fs.rmSync(outFile, { force: true })
      fs.rmSync(errFile, { force: true })
    }
  }

  it('a file symlink that "succeeds" and makes nothing becomes a hard link, sync and promise; one note', function () {
    const r = winNode(`${FORMS.symlinkSync('file.txt', 'a')}; ${FORMS['fs/promises']('file.txt', 'b')}`)
    assert.strictEqual(r.status, 0, r.stderr)
    assert.deepStrictEqual(r.stdout.trim().split(/\r?\n/).map((l) => JSON.parse(l)), [{ ok: true }, { ok: true }])
    for (const l of ['a', 'b']) assert.strictEqual(fs.readFileSync(path.join(dir, l), 'utf8'), 'payload\n', l)
    assert.strictEqual(notes(r.stderr).length, 1, r.stderr)
    assert.match(r.stderr, /reported success but created nothing/)
  })

  it('a directory becomes a copy when configured (junctions are refused under Wine), else the call fails', function () {
    const r = winNode(FORMS.symlinkSync('pkg', 'd'), { SYMLINK_DOCTOR_FALLBACK: 'junction,hardlink,copy' })
    assert.deepStrictEqual(out(r), { ok: true })
    assert.strictEqual(fs.readFileSync(path.join(dir, 'd', 'index.js'), 'utf8'), 'module.exports = 42\n')
    const none = out(winNode(FORMS.symlinkSync('pkg', 'e')))
    assert.strictEqual(none.code, 'ENOTSUP')
    assert.strictEqual(fs.existsSync(path.join(dir, 'e')), false)
  })
})

describe('symlink-doctor/register (fs hook)', function () {
  this.timeout(60000)
  let dir

  before(function () {
    requireEnv(this, !seccompReason(), seccompReason())
  })
  beforeEach(function () {
    dir = tmpDir('sd-hook-')
    fs.writeFileSync(path.join(dir, 'file.txt'), 'payload\n')
    fs.mkdirSync(path.join(dir, 'pkg'))
    fs.writeFileSync(path.join(dir, 'pkg', 'index.js'), 'module.exports = 42\n')
  })
  afterEach(() => rmTree(dir))

  describe('success path', function () {
    it('makes the same real symlinks with every API form, silently', function () {
      for (const [name, form] of Object.entries(FORMS)) {
        const plain = js(FORMS[name]('file.txt', `plain-${slug(name)}`), { refuse: null, hook: false, cwd: dir })
        const hooked = js(form('file.txt', `hooked-${slug(name)}`), { refuse: null, cwd: dir })
        assert.deepStrictEqual(out(hooked), out(plain), name)
        assert.strictEqual(hooked.stderr, '', name)
        assert.strictEqual(fs.readlinkSync(path.join(dir, `hooked-${slug(name)}`)), 'file.txt', name)
      }
    })

    it('adds no syscall to a symlink that works (strace)', function () {
      const strace = which('strace')
      requireEnv(this, strace, 'strace is not installed (Debian: apt-get install strace)')
      const script = "const fs = require('fs'); for (let i = 0; i < 20; i++) fs.symlinkSync('file.txt', 'l' + i + process.argv[1]); fs.symlink('file.txt', 'cb' + process.argv[1], () => fs.promises.symlink('file.txt', 'p' + process.argv[1]))"
      const count = (tag, hook) => {
        const log = path.join(dir, `${tag}.strace`)
        const env = { ...process.env, NODE_OPTIONS: hook ? HOOKED : '' }
        const r = spawnSync(strace, ['-f', '-qq', '-o', log, '-e', 'trace=symlink,symlinkat,lstat,newfstatat,statx,link,linkat,unlink,unlinkat', process.execPath, '-e', script, tag], { cwd: dir, env, encoding: 'utf8' })
        assert.strictEqual(r.status, 0, r.stderr)
        // Only calls on the link names (module loading stats its own files).
        return fs.readFileSync(log, 'utf8').split('\n').filter((l) => new RegExp(`"(l\\d+|cb|p)${tag}"`).test(l)).map((l) => l.replace(/^\d+\s+/, '').replace(tag, '').replace(/\d+/g, 'N')).sort()
      }
      const plain = count('A', false)
      const hooked = count('B', true)
      assert.strictEqual(plain.length, 22)
      assert.deepStrictEqual(hooked, plain)
    })

    it('registering twice wraps once (two preloads, a require, an install)', function () {
      const hook = JSON.stringify(path.join(ROOT, 'lib', 'hook.js'))
      const r = js(`require(${JSON.stringify(REGISTER)}); const again = require(${hook}).install(); const fs = require('fs'); const orig = fs.symlinkSync[Symbol.for('symlink-doctor.hook')]; console.log(JSON.stringify({ wrapped: Boolean(orig), inner: Boolean(orig[Symbol.for('symlink-doctor.hook')]), again }))`, {
        refuse: null, cwd: dir, env: { NODE_OPTIONS: `${HOOKED} ${HOOKED}` }
      })
      assert.deepStrictEqual(out(r), { wrapped: true, inner: false, again: false })
    })
  })

  describe('a refused symlink', function () {
    it('is refused without the hook (the environment is real)', function () {
      const r = out(js(FORMS.symlinkSync('file.txt', 'link'), { hook: false, cwd: dir }))
      assert.strictEqual(r.code, 'EPERM')
    })

    it('ENOSYS, ENOTSUP, EOPNOTSUPP (FAT, some network filesystems) and EPROTO (vboxsf) are refusals too', function () {
      // errno numbers of Linux x86-64 and arm64
      for (const [errno, code] of [[38, 'ENOSYS'], [95, 'ENOTSUP'], [71, 'EPROTO']]) {
        const plain = out(js(FORMS.symlinkSync('file.txt', `plain-${errno}`), { cwd: dir, hook: false, errno }))
        assert.strictEqual(plain.code, code)
        const r = js(FORMS['fs/promises']('file.txt', `e${errno}`), { cwd: dir, errno })
        assert.deepStrictEqual(out(r), { ok: true }, code)
        assert.strictEqual(kindAt(path.join(dir, `e${errno}`)), 'hardlink', code)
        assert.match(r.stderr, new RegExp(`refused \\(${code}`))
      }
    })

    it('EISDIR and EACCES from the kernel pass through on POSIX (EISDIR is a refusal only on Windows)', function () {
      for (const [errno, code] of [[21, 'EISDIR'], [13, 'EACCES']]) {
        const plain = out(js(FORMS.symlinkSync('file.txt', 'k'), { cwd: dir, hook: false, errno }))
        const hooked = js(FORMS.symlinkSync('file.txt', 'k'), { cwd: dir, errno })
        assert.strictEqual(plain.code, code)
        assert.deepStrictEqual(out(hooked), plain)
        assert.strictEqual(hooked.stderr, '')
        assert.strictEqual(fs.existsSync(path.join(dir, 'k')), false)
      }
    })

    it('becomes a hard link for a file, with every API form', function () {
      for (const name of Object.keys(FORMS)) {
        const r = js(FORMS[name]('file.txt', `link-${slug(name)}`), { cwd: dir })
        assert.deepStrictEqual(out(r), { ok: true }, name)
        assert.strictEqual(kindAt(path.join(dir, `link-${slug(name)}`)), 'hardlink', name)
        assert.strictEqual(fs.statSync(path.join(dir, `link-${slug(name)}`)).ino, fs.statSync(path.join(dir, 'file.txt')).ino)
      }
    })

    it('becomes a copy for a directory when SYMLINK_DOCTOR_FALLBACK includes copy', function () {
      for (const name of Object.keys(FORMS)) {
        const r = js(FORMS[name]('pkg', `dir-${slug(name)}`), { cwd: dir, env: { SYMLINK_DOCTOR_FALLBACK: 'junction,hardlink,copy' } })
        assert.deepStrictEqual(out(r), { ok: true }, name)
        assert.strictEqual(kindAt(path.join(dir, `dir-${slug(name)}`)), 'dir-copy', name)
        assert.strictEqual(fs.readFileSync(path.join(dir, `dir-${slug(name)}`, 'index.js'), 'utf8'), 'module.exports = 42\n')
      }
    })

    it('resolves a relative target against the link directory, not the cwd', function () {
      fs.mkdirSync(path.join(dir, 'sub'))
      const r = js(FORMS.symlinkSync('../file.txt', path.join(dir, 'sub', 'link')), { cwd: path.join(dir, 'pkg') })
      assert.deepStrictEqual(out(r), { ok: true })
      assert.strictEqual(fs.readFileSync(path.join(dir, 'sub', 'link'), 'utf8'), 'payload\n')
    })

    it('reaches ESM importers of fs/promises and fs, preloaded or imported first', function () {
      fs.mkdirSync(path.join(dir, 'node_modules'))
      fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'symlink-doctor'))
      const pre = esm(dir, 'pre.mjs', 'file.txt', 'esm-pre')
      const first = esm(dir, 'first.mjs', 'file.txt', 'esm-first', 'symlink-doctor/register')
      const r1 = node([pre], { cwd: dir })
      assert.deepStrictEqual(out(r1), { ok: true })
      const r2 = node([first], { cwd: dir, hook: false })
      assert.deepStrictEqual(out(r2), { ok: true })
      assert.doesNotMatch(r1.stderr + r2.stderr, /^sync /m)
      for (const l of ['esm-pre', 'esm-pre-sync', 'esm-first', 'esm-first-sync']) assert.strictEqual(kindAt(path.join(dir, l)), 'hardlink', l)
    })

    it('is handled in worker threads too', function () {
      const r = js(`const { Worker } = require('worker_threads'); new Worker(${JSON.stringify(FORMS.symlinkSync('file.txt', 'from-worker'))}, { eval: true })`, { cwd: dir })
      assert.deepStrictEqual(out(r), { ok: true })
      assert.strictEqual(kindAt(path.join(dir, 'from-worker')), 'hardlink')
    })

    it('works with the pure-JS binding (no recursion into the hook)', function () {
      const env = { SYMLINK_DOCTOR_FORCE_JS: '1', SYMLINK_DOCTOR_FALLBACK: 'hardlink,copy' }
      assert.deepStrictEqual(out(js(FORMS.symlinkSync('file.txt', 'js-file'), { cwd: dir, env })), { ok: true })
      assert.deepStrictEqual(out(js(FORMS['fs.promises']('pkg', 'js-dir'), { cwd: dir, env })), { ok: true })
      assert.strictEqual(kindAt(path.join(dir, 'js-file')), 'hardlink')
      assert.strictEqual(kindAt(path.join(dir, 'js-dir')), 'dir-copy')
    })

    it('throws the original EPERM when no fallback applies (a directory, no copy)', function () {
      const plain = out(js(FORMS.symlinkSync('pkg', 'nodir'), { cwd: dir, hook: false }))
      for (const name of ['symlinkSync', 'callback', 'fs/promises']) {
        const r = out(js(FORMS[name]('pkg', `nodir-${slug(name)}`), { cwd: dir }))
        assert.strictEqual(r.code, 'EPERM', name)
        assert.strictEqual(r.syscall, 'symlink', name)
        assert.strictEqual(r.message, plain.message.replace('nodir', `nodir-${slug(name)}`), name)
        assert.match(r.sd.reason, /copy/, name)
        assert.strictEqual(fs.existsSync(path.join(dir, `nodir-${slug(name)}`)), false, name)
      }
    })

    it('throws the original EPERM when every kind is refused (hard links too)', function () {
      const r = out(js(FORMS.symlinkSync('file.txt', 'none'), { cwd: dir, refuse: 'all' }))
      assert.strictEqual(r.code, 'EPERM')
      assert.strictEqual(r.syscall, 'symlink')
      assert.match(r.sd.reason, /hardlink refused/)
    })

    it('reports what hides behind the refusal: EEXIST, ENOENT of the link path', function () {
      fs.writeFileSync(path.join(dir, 'taken'), 'mine\n')
      const exists = out(js(FORMS.symlinkSync('file.txt', 'taken'), { cwd: dir }))
      assert.strictEqual(exists.code, 'EEXIST')
      assert.strictEqual(fs.readFileSync(path.join(dir, 'taken'), 'utf8'), 'mine\n')
      const missing = out(js(FORMS['fs/promises'](path.join(dir, 'file.txt'), path.join(dir, 'no', 'such', 'link')), { cwd: dir }))
      assert.strictEqual(missing.code, 'ENOENT')
    })
  })

  describe('errors that are not refusals', function () {
    // Same code, errno, syscall, message and own keys as without the hook.
    function sameError (name, target, link, opts = {}) {
      const keys = '(e) => console.log(JSON.stringify({ keys: Object.keys(e).sort(), code: e.code, errno: e.errno, syscall: e.syscall, path: e.path, dest: e.dest, message: e.message, proto: Object.getPrototypeOf(e) === Error.prototype }))'
      const script = name === 'symlinkSync'
        ? `try { require('fs').symlinkSync(${JSON.stringify(target)}, ${JSON.stringify(link)}) } catch (e) { (${keys})(e) }`
        : name === 'callback'
          ? `require('fs').symlink(${JSON.stringify(target)}, ${JSON.stringify(link)}, ${keys})`
          : `require('fs/promises').symlink(${JSON.stringify(target)}, ${JSON.stringify(link)}).catch(${keys})`
      const plain = out(js(script, { ...opts, refuse: null, hook: false }))
      const hooked = js(script, { ...opts, refuse: null })
      assert.deepStrictEqual(out(hooked), plain, name)
      assert.strictEqual(hooked.stderr, '', name)
      return plain
    }

    it('EEXIST and ENOENT pass through untouched, with every API form', function () {
      fs.writeFileSync(path.join(dir, 'taken'), 'mine\n')
      for (const name of ['symlinkSync', 'callback', 'promises']) {
        assert.strictEqual(sameError(name, 'file.txt', path.join(dir, 'taken'), { cwd: dir }).code, 'EEXIST')
        assert.strictEqual(sameError(name, 'file.txt', path.join(dir, 'missing', 'link'), { cwd: dir }).code, 'ENOENT')
      }
      assert.strictEqual(fs.readFileSync(path.join(dir, 'taken'), 'utf8'), 'mine\n')
    })

    it('EACCES (a directory this user cannot write) passes through untouched', function () {
      requireEnv(this, process.getuid && process.getuid() === 0, 'needs root, to run the case as an unprivileged user')
      fs.chmodSync(dir, 0o755)
      const locked = path.join(dir, 'locked')
      fs.mkdirSync(locked, { mode: 0o755 })
      for (const name of ['symlinkSync', 'callback', 'promises']) {
        assert.strictEqual(sameError(name, '/etc/hostname', path.join(locked, 'link'), { cwd: '/', uid: 65534 }).code, 'EACCES')
      }
    })

    it('the error object is the one fs threw (its stack starts inside node:fs)', function () {
      // A copy made by the hook would carry a stack that starts in the hook.
      fs.writeFileSync(path.join(dir, 'taken'), '')
      const r = out(js("try { require('fs').symlinkSync('file.txt', 'taken') } catch (e) { console.log(JSON.stringify({ first: e.stack.split('\\n').find((l) => /^\\s+at /.test(l)).trim() })) }", { refuse: null, cwd: dir }))
      assert.match(r.first, /\(node:fs:/)
    })
  })

  describe('the note', function () {
    it('is printed once per process tree, in at most 4 lines, on stderr', function () {
      // The parent refuses, then starts two children at once that refuse
      // too, and a grandchild: one note in all.
      const child = 'require(\'fs\').symlinkSync(\'file.txt\', \'c\' + process.pid); require(\'child_process\').spawnSync(process.execPath, [\'-e\', "require(\'fs\').symlinkSync(\'file.txt\', \'g\' + process.pid)"], { stdio: \'inherit\' })'
      const script = `const { spawn } = require('child_process')
        const kids = [1, 2].map(() => spawn(process.execPath, ['-e', ${JSON.stringify(child)}], { stdio: 'inherit' }))
        require('fs').symlinkSync('file.txt', 'parent')
        Promise.all(kids.map((k) => new Promise((r) => k.on('exit', r)))).then((codes) => console.log(JSON.stringify(codes)))`
      const r = js(script, { cwd: dir })
      assert.deepStrictEqual(out(r), [0, 0])
      assert.strictEqual(notes(r.stderr).length, 1, r.stderr)
      const block = noteBlock(r.stderr)
      assert.ok(block.length >= 2 && block.length <= 4, r.stderr)
      assert.match(block[0], /refused \(EPERM/)
      assert.match(block[0], /made a hardlink instead/)
      assert.match(block.join('\n'), /SYMLINK_DOCTOR_QUIET=1/)
      assert.strictEqual(r.stderr.trim().split('\n').length, block.length, r.stderr)
      const links = fs.readdirSync(dir).filter((n) => /^(parent|c\d+|g\d+)$/.test(n))
      assert.strictEqual(links.length, 5)
    })

    it('says why in terms of this machine (the sandbox, from the probe)', function () {
      const r = js(FORMS.symlinkSync('file.txt', 'why'), { cwd: dir })
      assert.match(noteBlock(r.stderr).join('\n'), /sandbox|seccomp/)
    })

    it('is not printed with SYMLINK_DOCTOR_QUIET=1, and the link is still made', function () {
      const r = js(FORMS.symlinkSync('file.txt', 'quiet'), { cwd: dir, env: { SYMLINK_DOCTOR_QUIET: '1' } })
      assert.deepStrictEqual(out(r), { ok: true })
      assert.strictEqual(r.stderr, '')
      assert.strictEqual(kindAt(path.join(dir, 'quiet')), 'hardlink')
    })
  })

  describe('SYMLINK_DOCTOR_FALLBACK', function () {
    it('picks the kinds and their order', function () {
      const cases = [
        [undefined, 'file.txt', 'hardlink'],
        ['copy', 'file.txt', 'file-copy'],
        ['copy,hardlink', 'file.txt', 'file-copy'],
        ['hardlink,copy', 'file.txt', 'hardlink'],
        ['junction,hardlink,copy', 'pkg', 'dir-copy']
      ]
      for (const [value, target, want] of cases) {
        const link = `fb-${want}-${(value || 'default').replace(/,/g, '_')}`
        const env = value === undefined ? {} : { SYMLINK_DOCTOR_FALLBACK: value }
        assert.deepStrictEqual(out(js(FORMS.symlinkSync(target, link), { cwd: dir, env })), { ok: true }, value)
        assert.strictEqual(kindAt(path.join(dir, link)), want, value)
      }
    })

    it('with only unknown names, makes nothing and throws the original EPERM', function () {
      const r = out(js(FORMS.symlinkSync('file.txt', 'nothing'), { cwd: dir, env: { SYMLINK_DOCTOR_FALLBACK: 'symlink,teleport' } }))
      assert.strictEqual(r.code, 'EPERM')
      assert.strictEqual(fs.existsSync(path.join(dir, 'nothing')), false)
    })
  })
})
