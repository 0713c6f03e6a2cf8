'use strict'
// The copy fallback against what issue 8 (items 2 and 3) found:
//  A. links that lead out of the copied tree (a home directory, `/`) were
//     followed and copied: they are left out and listed;
//  B. a second user swapping the fresh copy directory for a symlink made
//     the copy write into the victim's private directory: nothing may be
//     created through a name another user can swap;
//  C. a copy killed midway left a half copy at the final name;
//  D. a 10,000-deep tree overflowed the stack in the clean-up and left a
//     half copy behind.
// Each runs the real thing: real links, real users (useradd), a real
// SIGKILL, a real 10,000-deep tree.

const assert = require('assert')
const fs = require('fs')
const os = require('os')
const path = require('path')
const { spawn, spawnSync } = require('child_process')
const sd = require('..')
const { ROOT, REFUSE, tmpDir, rmTree, requireEnv, requireSymlinks, seccompReason } = require('./support')
const { usersReason, addUser, removeUser, runNodeAs, spawnNodeAs } = require('./users')
const { parseTempName } = require('../lib/temp-name')
const { removeStaleSync } = require('../lib/stale')

const OUTSIDE = 'points outside the copied tree'
const temps = (dir) => fs.readdirSync(dir).filter((n) => parseTempName(n) !== null)
const sortSkipped = (list) => [...list].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))

// Every path under dir (relative, directories with a trailing /), without
// following links and without recursion (trees here can be deep).
function listTree (dir) {
  const out = []
  const stack = ['']
  while (stack.length > 0) {
    const rel = stack.pop()
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name
      if (e.isDirectory()) {
        out.push(`${p}/`)
        stack.push(p)
      } else {
        out.push(p)
      }
    }
  }
  return out.sort()
}

// rmTree, and rm -rf where fs.rm overflows the stack (a deep tree left by
// a copy that went wrong, as the old one did).
function cleanUp (dir) {
  try {
    rmTree(dir)
  } catch {
    spawnSync('rm', ['-rf', '--one-file-system', dir], { stdio: 'ignore' })
  }
}

// A directory on tmpfs when there is one (a 10,000-deep tree is removed in
// under a second there, in ~30 s on ext4 here, by rm -rf as by us).
function fastTmpDir (prefix) {
  const base = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir()
  return fs.realpathSync(fs.mkdtempSync(path.join(base, prefix)))
}

describe('copy fallback safety (issue 8)', function () {
  this.timeout(120000)

  describe('A: links inside the copied tree', function () {
    let dir
    beforeEach(function () {
      requireSymlinks(this)
      dir = tmpDir('sd-copy-a-')
      // A home-like directory next to the project, with a secret in it.
      fs.mkdirSync(path.join(dir, 'home', '.ssh'), { recursive: true })
      fs.writeFileSync(path.join(dir, 'home', '.ssh', 'id_ed25519'), 'SECRET')
      fs.mkdirSync(path.join(dir, 'proj', 'pkg', 'sub'), { recursive: true })
      fs.writeFileSync(path.join(dir, 'proj', 'pkg', 'index.js'), 'module.exports = 1')
      fs.writeFileSync(path.join(dir, 'proj', 'pkg', 'sub', 'b.txt'), 'B')
    })
    afterEach(function () { if (dir) cleanUp(dir) })

    for (const fn of ['createLinkSync', 'createLink']) {
      it(`${fn}: a link to a directory above the project (a home with secrets) is left out and listed`, async function () {
        fs.symlinkSync('../../home', path.join(dir, 'proj', 'pkg', 'h'))
        // A link to a file outside too, and one through an inside link.
        fs.symlinkSync('../../home/.ssh/id_ed25519', path.join(dir, 'proj', 'pkg', 'key'))
        const r = await sd[fn]('pkg', path.join(dir, 'proj', 'dest'), { fallback: 'copy' })
        assert.strictEqual(r.kind, 'copy')
        const copied = listTree(path.join(dir, 'proj', 'dest'))
        console.log(`      copied ${copied.length} entries, left out ${r.skipped && r.skipped.length}`)
        assert.deepStrictEqual(copied, ['index.js', 'sub/', 'sub/b.txt'])
        assert.deepStrictEqual(sortSkipped(r.skipped), [
          { path: 'h', target: '../../home', reason: OUTSIDE },
          { path: 'key', target: '../../home/.ssh/id_ed25519', reason: OUTSIDE }
        ])
        assert.deepStrictEqual(temps(path.join(dir, 'proj')), [])
      })
    }

    it('a link to / is left out at once (the old copy walked the whole filesystem)', function () {
      fs.symlinkSync('/', path.join(dir, 'proj', 'pkg', 'slash'))
      // In a child with a deadline: the old code never ends here.
      const script = `const sd = require(${JSON.stringify(ROOT)})
        const r = sd.createLinkSync('pkg', 'dest', { fallback: 'copy' })
        console.log(JSON.stringify(r))`
      const started = Date.now()
      const child = spawnSync(process.execPath, ['-e', script], { cwd: path.join(dir, 'proj'), encoding: 'utf8', timeout: 20000, killSignal: 'SIGKILL' })
      const ms = Date.now() - started
      console.log(`      ${ms} ms, exit ${child.status}${child.signal ? `, killed (${child.signal}) at the 20 s deadline` : ''}`)
      assert.strictEqual(child.signal, null, 'the copy did not end within 20 s')
      assert.strictEqual(child.status, 0, child.stderr)
      const r = JSON.parse(child.stdout)
      assert.deepStrictEqual(r.skipped, [{ path: 'slash', target: '/', reason: OUTSIDE }])
      assert.deepStrictEqual(listTree(path.join(dir, 'proj', 'dest')), ['index.js', 'sub/', 'sub/b.txt'])
      assert.ok(ms < 10000, `took ${ms} ms`)
    })

    it('links inside the tree are copied as what they show; dangling links and loops are listed', function () {
      const pkg = path.join(dir, 'proj', 'pkg')
      fs.symlinkSync('sub', path.join(pkg, 'sublink'))
      fs.symlinkSync('index.js', path.join(pkg, 'main.js'))
      fs.symlinkSync('nowhere', path.join(pkg, 'dangling'))
      fs.symlinkSync('.', path.join(pkg, 'self'))
      fs.symlinkSync('..', path.join(pkg, 'sub', 'up'))
      fs.symlinkSync('b.txt', path.join(pkg, 'sub', 'b-link'))
      const r = sd.createLinkSync('pkg', path.join(dir, 'proj', 'dest'), { fallback: 'copy' })
      const dest = path.join(dir, 'proj', 'dest')
      assert.deepStrictEqual(listTree(dest), [
        'index.js', 'main.js', 'sub/', 'sub/b-link', 'sub/b.txt', 'sublink/', 'sublink/b-link', 'sublink/b.txt'
      ])
      assert.strictEqual(fs.readFileSync(path.join(dest, 'main.js'), 'utf8'), 'module.exports = 1')
      assert.strictEqual(fs.readFileSync(path.join(dest, 'sublink', 'b-link'), 'utf8'), 'B')
      assert.deepStrictEqual(sortSkipped(r.skipped), [
        { path: 'dangling', target: 'nowhere', reason: 'dangling' },
        { path: 'self', target: '.', reason: 'loop' },
        { path: path.join('sub', 'up'), target: '..', reason: 'loop' },
        { path: path.join('sublink', 'up'), target: '..', reason: 'loop' }
      ])
    })

    it('nothing left out: skipped is an empty array; a file copy says the same', function () {
      const r = sd.createLinkSync('pkg', path.join(dir, 'proj', 'dest'), { fallback: 'copy' })
      assert.deepStrictEqual(r.skipped, [])
      const f = sd.createLinkSync(path.join('pkg', 'index.js'), path.join(dir, 'proj', 'one.js'), { fallback: 'copy' })
      assert.strictEqual(f.kind, 'copy')
      assert.deepStrictEqual(f.skipped, [])
      assert.strictEqual(fs.readFileSync(path.join(dir, 'proj', 'one.js'), 'utf8'), 'module.exports = 1')
      assert.deepStrictEqual(temps(path.join(dir, 'proj')), [])
    })

    it('something already at the destination is left as it is (EEXIST), and no temporary stays', async function () {
      const proj = path.join(dir, 'proj')
      fs.mkdirSync(path.join(proj, 'taken'))
      fs.writeFileSync(path.join(proj, 'taken', 'mine'), 'M')
      fs.symlinkSync(path.join(dir, 'home'), path.join(proj, 'link'))
      for (const dest of ['taken', 'link']) {
        assert.throws(() => sd.createLinkSync('pkg', path.join(proj, dest), { fallback: 'copy' }), { code: 'EEXIST' })
        await assert.rejects(sd.createLink('pkg', path.join(proj, dest), { fallback: 'copy' }), { code: 'EEXIST' })
        await assert.rejects(sd.createLink(path.join('pkg', 'index.js'), path.join(proj, dest), { fallback: 'copy' }), { code: 'EEXIST' })
      }
      assert.deepStrictEqual(fs.readdirSync(path.join(proj, 'taken')), ['mine'])
      assert.strictEqual(fs.readlinkSync(path.join(proj, 'link')), path.join(dir, 'home'))
      assert.deepStrictEqual(listTree(path.join(dir, 'home')), ['.ssh/', '.ssh/id_ed25519'])
      assert.deepStrictEqual(temps(proj), [])
    })

    it('a source directory swapped for a symlink while the copy runs is never followed', function () {
      // The swapper (another process) keeps replacing pkg/sub with a link
      // to the home directory and back, holding each state for a random
      // fraction of a millisecond, while copies run one after another in
      // another process. Whatever the timing, the secret never shows in a
      // copy: a link seen by lstat is left out, a directory that became a
      // link before it was opened fails the copy, which leaves nothing.
      const pkg = path.join(dir, 'proj', 'pkg')
      for (let i = 0; i < 20; i++) fs.mkdirSync(path.join(pkg, 'sub', `d${i}`))
      const swapper = spawn(process.execPath, ['-e', `
        const fs = require('fs'); const p = ${JSON.stringify(path.join(pkg, 'sub'))}
        const hold = () => { const until = process.hrtime.bigint() + BigInt(Math.floor(Math.random() * 500000)); while (process.hrtime.bigint() < until); }
        const end = Date.now() + 2500; let swaps = 0
        while (Date.now() < end) {
          try { fs.renameSync(p, p + '.real'); fs.symlinkSync(${JSON.stringify(path.join(dir, 'home'))}, p); swaps++ } catch {}
          hold()
          try { fs.unlinkSync(p); fs.renameSync(p + '.real', p) } catch {}
          hold()
        }
        console.log(swaps)`], { stdio: ['ignore', 'pipe', 'inherit'] })
      const copier = spawnSync(process.execPath, ['-e', `
        const sd = require(${JSON.stringify(ROOT)}); const fs = require('fs'); const path = require('path')
        const proj = ${JSON.stringify(path.join(dir, 'proj'))}
        const has = (d) => { const stack = [d]; while (stack.length) { const p = stack.pop(); for (const e of fs.readdirSync(p, { withFileTypes: true })) { if (e.name === 'id_ed25519') return true; if (e.isDirectory()) stack.push(path.join(p, e.name)) } } return false }
        let copies = 0; let failures = 0; let leaks = 0; const end = Date.now() + 2000
        while (Date.now() < end) {
          const dest = path.join(proj, 'dest' + copies++)
          try { sd.createLinkSync('pkg', dest, { fallback: 'copy' }); if (has(dest)) leaks++ } catch { failures++ }
        }
        console.log(JSON.stringify({ copies, failures, leaks }))`], { encoding: 'utf8', timeout: 60000 })
      let swaps = ''
      swapper.stdout.on('data', (d) => { swaps += d })
      return new Promise((resolve) => swapper.on('exit', resolve)).then(() => {
        assert.strictEqual(copier.status, 0, copier.stderr)
        const { copies, failures, leaks } = JSON.parse(copier.stdout)
        console.log(`      ${copies} copies (${failures} failed cleanly), ${swaps.trim()} swaps, ${leaks} copies with the secret`)
        assert.ok(Number(swaps) > 0)
        assert.strictEqual(leaks, 0)
        assert.deepStrictEqual(temps(path.join(dir, 'proj')), [])
      })
    })
  })

  describe('E: what was left out is said (CLI, hook), under a kernel that refuses symlinks', function () {
    let dir
    beforeEach(function () {
      requireEnv(this, !seccompReason(), seccompReason())
      dir = tmpDir('sd-copy-e-')
      fs.mkdirSync(path.join(dir, 'home'))
      fs.writeFileSync(path.join(dir, 'home', 'secret'), 'S')
      fs.mkdirSync(path.join(dir, 'proj', 'pkg'), { recursive: true })
      fs.writeFileSync(path.join(dir, 'proj', 'pkg', 'index.js'), '1')
      fs.symlinkSync('../../home', path.join(dir, 'proj', 'pkg', 'h'))
      fs.symlinkSync('/', path.join(dir, 'proj', 'pkg', 'slash'))
    })
    afterEach(function () { if (dir) cleanUp(dir) })
    const refused = (args, env) => spawnSync(REFUSE, ['--', process.execPath, ...args], {
      cwd: path.join(dir, 'proj'), encoding: 'utf8', timeout: 20000, killSignal: 'SIGKILL', env: { ...process.env, ...env }
    })

    it('symlink-doctor link --allow-copy prints each link it left out; --json has them as skipped', function () {
      const cli = path.join(ROOT, 'bin', 'symlink-doctor.js')
      const r = refused([cli, 'link', 'pkg', 'dest', '--allow-copy'])
      assert.strictEqual(r.status, 0, r.stderr)
      assert.match(r.stdout, /made a copy: dest -> pkg/)
      assert.match(r.stdout, /left out of the copy \(2 links, not followed\):\n {2}dest\/h -> \.\.\/\.\.\/home \(points outside the copied tree\)\n {2}dest\/slash -> \/ \(points outside the copied tree\)\n/)
      const j = refused([cli, 'link', 'pkg', 'dest2', '--allow-copy', '--json'])
      assert.strictEqual(j.status, 0, j.stderr)
      assert.deepStrictEqual(sortSkipped(JSON.parse(j.stdout).skipped), [
        { path: 'h', target: '../../home', reason: OUTSIDE },
        { path: 'slash', target: '/', reason: OUTSIDE }
      ])
      assert.deepStrictEqual(listTree(path.join(dir, 'proj', 'dest')), ['index.js'])
    })

    it('the hook\'s note names what a copy left out, and a later copy says so too', function () {
      const r = refused(['-r', path.join(ROOT, 'register.js'), '-e', "require('fs').symlinkSync('pkg', 'd1'); require('fs').symlinkSync('pkg', 'd2')"],
        { SYMLINK_DOCTOR_FALLBACK: 'copy', SYMLINK_DOCTOR_QUIET: '', SYMLINK_DOCTOR_SESSION: '', SYMLINK_DOCTOR_REMEDY_SHOWN: '' })
      assert.strictEqual(r.status, 0, r.stderr)
      const lines = r.stderr.split('\n')
      assert.match(lines[0], /at d1; made a copy instead\. Left out of the copy: (h -> \.\.\/\.\.\/home|slash -> \/) \(points outside the copied tree\), (h|slash) -> /)
      assert.ok(lines.some((l) => /^symlink-doctor: made a copy at d2\. Left out of the copy: .*h -> \.\.\/\.\.\/home \(points outside the copied tree\)/.test(l)), r.stderr)
      assert.deepStrictEqual(listTree(path.join(dir, 'proj', 'd2')), ['index.js'])
    })
  })

  describe('B, C, D: other users, a kill, a deep tree', function () {
    let attacker
    let victim
    let base
    const children = new Set()
    before(function () {
      requireEnv(this, !usersReason(), usersReason())
      attacker = addUser('att')
      victim = addUser('vic')
    })
    after(function () {
      removeUser(attacker)
      removeUser(victim)
    })
    beforeEach(function () {
      base = tmpDir('sd-copy-users-')
      fs.chmodSync(base, 0o755)
    })
    afterEach(function () {
      for (const child of children) {
        try { process.kill(child.pid, 'SIGKILL') } catch {}
      }
      children.clear()
      if (base) cleanUp(base)
    })

    it('B: another user swapping names in a shared directory (0777, no sticky bit) gets nothing written into the victim\'s private directory', async function () {
      // The victim's private directory, and a source tree it can read.
      const priv = path.join(victim.home, 'private')
      fs.mkdirSync(priv, { mode: 0o700 })
      fs.chownSync(priv, victim.uid, victim.gid)
      fs.chmodSync(priv, 0o700)
      const src = path.join(base, 'src')
      for (let i = 0; i < 10; i++) {
        fs.mkdirSync(path.join(src, `d${i}`, 'inner'), { recursive: true })
        fs.writeFileSync(path.join(src, `d${i}`, 'f.txt'), 'x')
      }
      const shared = path.join(base, 'shared')
      fs.mkdirSync(shared)
      fs.chmodSync(shared, 0o777)
      const ms = 4000
      // The attacker: every new directory in the shared one is moved aside
      // and its name becomes a symlink to the victim's private directory.
      const attack = spawnNodeAs(attacker, `
        const fs = require('fs'); const path = require('path')
        const [shared, priv, ms] = [${JSON.stringify(shared)}, ${JSON.stringify(priv)}, ${ms + 500}]
        let swaps = 0; let n = 0; const end = Date.now() + ms
        while (Date.now() < end) {
          let names; try { names = fs.readdirSync(shared) } catch { continue }
          for (const name of names) {
            if (name.startsWith('moved-')) continue
            const p = path.join(shared, name)
            let st; try { st = fs.lstatSync(p) } catch { continue }
            if (!st.isDirectory()) continue
            try { fs.renameSync(p, path.join(shared, 'moved-' + n++)); fs.symlinkSync(priv, p); swaps++ } catch {}
          }
        }
        console.log(JSON.stringify({ swaps }))`)
      children.add(attack)
      // The victim: copy after copy into the shared directory.
      const copy = spawnNodeAs(victim, `
        const sd = require(${JSON.stringify(ROOT)}); const path = require('path')
        const [src, shared, ms] = [${JSON.stringify(src)}, ${JSON.stringify(shared)}, ${ms}]
        let ops = 0; let made = 0; const codes = {}; const end = Date.now() + ms
        while (Date.now() < end) {
          try { sd.createLinkSync(src, path.join(shared, 'dest' + ops++), { fallback: 'copy' }); made++ } catch (err) { codes[err.code] = (codes[err.code] || 0) + 1 }
        }
        console.log(JSON.stringify({ ops, made, codes }))`)
      children.add(copy)
      const output = (child) => new Promise((resolve) => {
        let out = ''
        let err = ''
        child.stdout.on('data', (d) => { out += d })
        child.stderr.on('data', (d) => { err += d })
        child.on('exit', (status) => resolve({ status, out, err }))
      })
      const [a, v] = await Promise.all([output(attack), output(copy)])
      assert.strictEqual(a.status, 0, a.err)
      assert.strictEqual(v.status, 0, v.err)
      const { swaps } = JSON.parse(a.out)
      const { ops, made, codes } = JSON.parse(v.out)
      const losses = listTree(priv)
      console.log(`      ${ops} copies (${made} made, failures ${JSON.stringify(codes)}), ${swaps} swaps, ${losses.length} entries written into the private directory`)
      assert.ok(swaps > 0, 'the attacker swapped nothing: the race was not run')
      assert.deepStrictEqual(losses, [])
    })

    it('stale temporaries: only ours, and only a dead process\'s, are removed', function () {
      const dead = Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim())
      const mk = (name, owner) => {
        fs.mkdirSync(path.join(base, name, 'inner'), { recursive: true })
        fs.writeFileSync(path.join(base, name, 'inner', 'f'), 'x')
        if (owner) {
          for (const p of [name, `${name}/inner`, `${name}/inner/f`]) fs.chownSync(path.join(base, p), owner.uid, owner.gid)
        }
      }
      mk(`.a.sd-${dead}-0123456789ab`)
      mk(`.b.sd-${process.pid}-0123456789ab`)
      mk(`.c.sd-${process.ppid}-0123456789ab`)
      mk(`.d.sd-${dead}-0123456789ab`, attacker)
      mk(`.e.sd-${dead}-0123456789`)
      fs.symlinkSync(base, path.join(base, `.f.sd-${dead}-0123456789ab`))
      const removed = removeStaleSync(base).sort()
      console.log(`      removed ${JSON.stringify(removed)}`)
      assert.deepStrictEqual(removed, [`.a.sd-${dead}-0123456789ab`, `.f.sd-${dead}-0123456789ab`])
      assert.deepStrictEqual(fs.readdirSync(base).sort(), [
        `.b.sd-${process.pid}-0123456789ab`, `.c.sd-${process.ppid}-0123456789ab`, `.d.sd-${dead}-0123456789ab`, `.e.sd-${dead}-0123456789`
      ])
    })

    it('C: a copy killed with SIGKILL midway leaves nothing at the final name; a rerun makes it whole and removes the stale temporary', async function () {
      const src = path.join(base, 'src')
      fs.mkdirSync(src)
      const chunk = Buffer.alloc(5 * 1024 * 1024, 7)
      for (let i = 0; i < 40; i++) fs.writeFileSync(path.join(src, `f${String(i).padStart(2, '0')}.bin`), chunk)
      const dest = path.join(base, 'dest')
      const child = spawn(process.execPath, ['-e', `require(${JSON.stringify(ROOT)}).createLinkSync(${JSON.stringify(src)}, ${JSON.stringify(dest)}, { fallback: 'copy' })`], { stdio: 'ignore' })
      children.add(child)
      const exited = new Promise((resolve) => child.on('exit', (status, signal) => resolve({ status, signal })))
      // Kill once a few files are copied (wherever the copy is being built),
      // or at 100 ms after the first file at the latest.
      const filesSoFar = () => {
        let n = 0
        for (const name of fs.readdirSync(base)) {
          const p = path.join(base, name)
          if (name === 'src' || !fs.lstatSync(p).isDirectory()) continue
          const inner = parseTempName(name) ? path.join(p, 'copy') : p
          try { n += fs.readdirSync(inner).length } catch {}
        }
        return n
      }
      let seen = 0
      let firstAt = 0
      const deadline = Date.now() + 20000
      while (Date.now() < deadline) {
        seen = filesSoFar()
        if (seen > 0 && !firstAt) firstAt = Date.now()
        if (seen >= 3 || (firstAt && Date.now() - firstAt >= 100)) break
        await new Promise((resolve) => setImmediate(resolve))
      }
      process.kill(child.pid, 'SIGKILL')
      const { signal } = await exited
      children.delete(child)
      const left = fs.readdirSync(base).filter((n) => n !== 'src')
      console.log(`      killed with ${seen} of 40 files copied; left: ${JSON.stringify(left)}; final name ${fs.existsSync(dest) ? `holds ${fs.readdirSync(dest).length} files` : 'absent'}`)
      assert.strictEqual(signal, 'SIGKILL', 'the copy ended before it could be killed')
      assert.strictEqual(fs.existsSync(dest), false, 'a half copy is at the final name')
      // The rerun (a live process) removes the dead one's temporary.
      const r = sd.createLinkSync(src, dest, { fallback: 'copy' })
      assert.strictEqual(r.kind, 'copy')
      assert.strictEqual(fs.readdirSync(dest).length, 40)
      for (const name of fs.readdirSync(dest)) assert.strictEqual(fs.statSync(path.join(dest, name)).size, chunk.length)
      assert.deepStrictEqual(fs.readdirSync(base).sort(), ['dest', 'src'])
    })

    it('D: a 10,000-deep tree that cannot be copied fails cleanly, leaving nothing; a 10,000-deep stale temporary is removed', function () {
      const deep = fastTmpDir('sd-copy-deep-')
      try {
        fs.chmodSync(deep, 0o755)
        fs.chownSync(deep, victim.uid, victim.gid)
        // Built and copied by the victim (not root, which reads anything):
        // the file at the bottom is unreadable, so the copy fails there.
        const r = runNodeAs(victim, `
          const fs = require('fs'); const sd = require(${JSON.stringify(ROOT)})
          const deep = ${JSON.stringify(deep)}
          fs.mkdirSync(deep + '/src')
          let fd = fs.openSync(deep + '/src', 'r')
          for (let i = 0; i < 10000; i++) {
            fs.mkdirSync('/proc/self/fd/' + fd + '/d')
            const next = fs.openSync('/proc/self/fd/' + fd + '/d', 'r'); fs.closeSync(fd); fd = next
          }
          fs.writeFileSync('/proc/self/fd/' + fd + '/secret', 'x', { mode: 0o000 }); fs.closeSync(fd)
          const started = Date.now()
          let result
          try { sd.createLinkSync('src', deep + '/dst', { fallback: 'copy' }); result = { made: true } } catch (err) { result = { code: err.code, name: err.name, message: err.message.slice(0, 200) } }
          result.ms = Date.now() - started
          result.left = fs.readdirSync(deep)
          console.log(JSON.stringify(result))`, { cwd: deep })
        assert.strictEqual(r.status, 0, r.stderr)
        const result = JSON.parse(r.stdout)
        console.log(`      ${JSON.stringify(result)}`)
        assert.notStrictEqual(result.name, 'RangeError')
        assert.strictEqual(result.code, 'EACCES')
        assert.deepStrictEqual(result.left, ['src'])

        // A temporary left by a dead process, 10,000 deep.
        const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' })
        const name = `.dst.sd-${dead.stdout.trim()}-0123456789ab`
        fs.renameSync(path.join(deep, 'src'), path.join(deep, name))
        fs.chownSync(path.join(deep, name), process.getuid(), process.getgid())
        const removed = removeStaleSync(deep)
        assert.deepStrictEqual(removed, [name])
        assert.deepStrictEqual(fs.readdirSync(deep), [])
      } finally {
        cleanUp(deep)
      }
    })
  })
})
