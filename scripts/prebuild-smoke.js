#!/usr/bin/env node
'use strict'
// node scripts/prebuild-smoke.js <symlink-doctor-x.y.z.tgz>
//
// On a real machine of a platform with a prebuild (the jobs of
// .github/workflows/prebuilds.yml; also here, on linux-x64): installs the
// packed tarball into a fresh project with no compiler on PATH, then checks
// that the prebuild for this platform is what loaded (libc included), that
// nothing was compiled, runs the doctor, and runs the API tests
// (test/api.test.js, test/native.test.js) against the installed package.
//
// PATH during the install and the tests: on Windows node's own directory
// and the system directories (cmd.exe), elsewhere a directory holding only
// node and sh. No cc, gcc, clang, make, python3 or cl.exe: a native: true can
// only come from the prebuild (and build/ must not exist afterwards).
//
// Exit 0 when every check passed; 1 otherwise, with what failed.

const cp = require('child_process')
const fs = require('fs')
const os = require('os')
const path = require('path')

const ROOT = path.join(__dirname, '..')
const MOCHA_VERSION = '11.7.5'
const TEST_FILES = ['api.test.js', 'native.test.js', 'support.js', 'users.js']
const isWin = process.platform === 'win32'

let failed = 0
function check (ok, what, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ': ' + detail : ''}`)
  if (!ok) failed++
  return ok
}

function libc () {
  if (process.platform !== 'linux') return null
  return process.report.getReport().header.glibcVersionRuntime ? 'glibc' : 'musl'
}

function npmCli () {
  const dir = path.dirname(process.execPath)
  for (const p of [path.join(dir, 'node_modules', 'npm', 'bin', 'npm-cli.js'), path.join(dir, '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js')]) {
    if (fs.existsSync(p)) return p
  }
  throw new Error(`no npm next to ${process.execPath}`)
}

function main () {
  const tgz = process.argv[2] && path.resolve(process.argv[2])
  if (!tgz || !fs.existsSync(tgz)) {
    console.error('usage: node scripts/prebuild-smoke.js <symlink-doctor-x.y.z.tgz>')
    return 64
  }
  const here = `${process.platform}-${process.arch}`
  const c = libc()
  const expected = path.join('prebuilds', here, c ? `node.napi.${c}.node` : 'node.napi.node')
  console.log(`prebuild-smoke: ${here}${c ? ' ' + c : ''}, node ${process.version}, expecting ${expected}`)

  const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sd-smoke-')))
  const bin = path.join(work, 'bin')
  fs.mkdirSync(bin)
  let PATH
  if (isWin) {
    const sys = process.env.SystemRoot || 'C:\\Windows'
    PATH = [path.dirname(process.execPath), path.join(sys, 'System32'), sys].join(';')
  } else {
    // node's own directory may be /usr/bin, with the compilers: a
    // directory with node and sh only.
    fs.symlinkSync(process.execPath, path.join(bin, 'node'))
    fs.symlinkSync('/bin/sh', path.join(bin, 'sh'))
    PATH = bin
  }
  const env = Object.assign({}, process.env, { CC: '', CXX: '' })
  for (const k of Object.keys(env)) {
    if (/^npm_/i.test(k) || /^path$/i.test(k)) delete env[k]
  }
  env[isWin ? 'Path' : 'PATH'] = PATH
  // The suites treat a missing environment as a failure under CI=true; the
  // seccomp and FUSE parts cannot run here (no helper without a compiler).
  delete env.CI
  for (const cc of isWin ? ['cl.exe', 'gcc.exe', 'clang.exe'] : ['cc', 'gcc', 'clang', 'make', 'python3']) {
    const r = isWin
      ? cp.spawnSync('where', [cc], { env, encoding: 'utf8' })
      : cp.spawnSync('/bin/sh', ['-c', `command -v ${cc}`], { env, encoding: 'utf8' })
    check(r.status !== 0, `no ${cc} on PATH`, r.status === 0 ? r.stdout.trim() : '')
  }

  const user = path.join(work, 'user')
  fs.mkdirSync(user)
  fs.writeFileSync(path.join(user, 'package.json'), JSON.stringify({ name: 'smoke', version: '1.0.0', private: true }))
  const npm = (args) => cp.spawnSync(process.execPath, [npmCli()].concat(args), { cwd: user, env, encoding: 'utf8', timeout: 15 * 60 * 1000 })
  const started = Date.now()
  const i = npm(['install', tgz, '--no-audit', '--no-fund', '--foreground-scripts'])
  const installOut = (i.stdout || '') + (i.stderr || '')
  console.log(installOut.trim().replace(/^/gm, '  | '))
  if (!check(i.status === 0, `npm install of the tarball (${((Date.now() - started) / 1000).toFixed(1)} s)`, `exit ${i.status}`)) return 1
  check(!/no native core/.test(installOut), 'the install did not say the native core is missing')
  const pkg = fs.realpathSync(path.join(user, 'node_modules', 'symlink-doctor'))
  check(!fs.existsSync(path.join(pkg, 'build')), 'nothing compiled at install (no build/ in the package)')

  const node = (args, opts) => cp.spawnSync(process.execPath, args, Object.assign({ cwd: user, env, encoding: 'utf8', timeout: 10 * 60 * 1000 }, opts))
  const q = node(['-e', `const sd = require('symlink-doctor'); const b = require(${JSON.stringify(path.join(pkg, 'lib', 'binding.js'))}); console.log(JSON.stringify({ native: sd.native, file: b.file, err: b.loadError && b.loadError.message }))`])
  let loaded = {}
  try { loaded = JSON.parse(q.stdout) } catch {}
  check(loaded.native === true, 'require(\'symlink-doctor\').native is true', loaded.err || q.stderr.trim())
  check(loaded.file === path.join(pkg, expected), `the prebuild that loaded is ${expected}`, loaded.file)

  const doctor = node([path.join(pkg, 'bin', 'symlink-doctor.js'), 'doctor', user])
  console.log(((doctor.stdout || '') + (doctor.stderr || '')).trim().replace(/^/gm, '  | '))
  check(doctor.status === 0 || doctor.status === 1, 'symlink-doctor doctor ran', `exit ${doctor.status}`)
  const json = node([path.join(pkg, 'bin', 'symlink-doctor.js'), 'doctor', '--json', user])
  let report = {}
  try { report = JSON.parse(json.stdout) } catch {}
  check(report.native === true && report.nativeCore && report.nativeCore.loaded === true, 'doctor --json: native core loaded', JSON.stringify(report.nativeCore))

  // The API tests, run inside the installed package against its prebuild.
  fs.mkdirSync(path.join(pkg, 'test'), { recursive: true })
  for (const f of TEST_FILES) fs.copyFileSync(path.join(ROOT, 'test', f), path.join(pkg, 'test', f))
  const m = npm(['install', `mocha@${MOCHA_VERSION}`, '--no-audit', '--no-fund'])
  if (!check(m.status === 0, `npm install mocha@${MOCHA_VERSION}`, m.stderr.trim().slice(-500))) return 1
  const t = node([path.join(user, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--no-config', '--timeout', '60000', 'test/api.test.js', 'test/native.test.js'],
    { cwd: pkg, env: Object.assign({}, env, { PREBUILDS_ONLY: '1', SYMLINK_DOCTOR_REQUIRE_NATIVE: '1' }), stdio: 'inherit' })
  check(t.status === 0, 'test/api.test.js and test/native.test.js against the prebuild', `exit ${t.status}`)

  fs.rmSync(work, { recursive: true, force: true })
  console.log(`prebuild-smoke: ${failed ? failed + ' check(s) FAILED' : 'all checks passed'} on ${here}${c ? ' ' + c : ''}`)
  return failed ? 1 : 0
}

process.exitCode = main()
