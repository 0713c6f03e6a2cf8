'use strict'
// Real environments for the tests: a kernel that refuses links (seccomp),
// a FAT filesystem (FUSE), and temporary directories. When one is missing
// the test skips and says why; under CI=true a missing environment fails,
// so CI skips nothing.

const { spawnSync, execFileSync } = require('child_process')
const fs = require('fs')
const os = require('os')
const path = require('path')

const ROOT = path.join(__dirname, '..')
const REFUSE = path.join(__dirname, 'helpers', 'build', 'refuse-links')

// Reasons that say "this test is for another platform": a skip, never a
// failure, even under CI (GitHub's Windows jobs have no seccomp or FUSE).
const platformReasons = new Set()
function wrongPlatform (reason) {
  platformReasons.add(reason)
  return reason
}

// Skips the current test (or hook) with a reason, or fails under CI when
// the environment is missing on a platform that should have it.
function requireEnv (ctx, ok, reason) {
  if (ok) return
  if (process.env.CI === 'true' && !platformReasons.has(reason)) throw new Error(`CI must not skip: ${reason}`)
  console.log(`      skipped: ${reason}`)
  ctx.skip()
}

function seccompReason () {
  if (process.platform !== 'linux') return wrongPlatform(`seccomp refusal needs Linux (this is ${process.platform})`)
  if (!fs.existsSync(REFUSE)) return 'test/helpers/build/refuse-links is not built (npm run build:test-helpers needs cc)'
  return null
}

// Whether this process can make symlinks in the temporary directory: not
// under Wine, nor on Windows without Developer Mode or the privilege. Tests
// of what happens where symlinks work skip elsewhere (the refusal suites
// cover the rest).
let symlinksHere
function requireSymlinks (ctx) {
  if (symlinksHere === undefined) symlinksHere = require('..').canSymlinkSync(require('os').tmpdir())
  // On Linux the temporary directory always allows them: a refusal there
  // is a failure, not a skip.
  const reason = 'symlinks cannot be made in this process here (this test is about where they can)'
  requireEnv(ctx, symlinksHere, process.platform === 'win32' ? wrongPlatform(reason) : reason)
}

function tmpDir (prefix = 'sd-test-') {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)))
}

function rmTree (dir) {
  fs.rmSync(dir, { recursive: true, force: true })
}

// Runs a node script in a process whose kernel refuses symlinks ('symlinks')
// or every link ('all'), or none (null).
function runNode (script, { refuse = 'symlinks', cwd, env } = {}) {
  const node = [process.execPath, '-e', script]
  let cmd = node
  if (refuse === 'symlinks') cmd = [REFUSE, '--', ...node]
  else if (refuse === 'all') cmd = [REFUSE, '--hardlinks', '--', ...node]
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd, env: { ...process.env, ...env }, encoding: 'utf8' })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

function which (cmd) {
  for (const dir of (process.env.PATH || '').split(path.delimiter).concat(['/sbin', '/usr/sbin'])) {
    const p = path.join(dir, cmd)
    try {
      fs.accessSync(p, fs.constants.X_OK)
      return p
    } catch {}
  }
  return null
}

function fatReason () {
  if (process.platform !== 'linux') return wrongPlatform(`the FUSE FAT mount needs Linux (this is ${process.platform})`)
  if (!fs.existsSync('/dev/fuse')) return '/dev/fuse is missing'
  for (const cmd of ['fusefat', 'mkfs.vfat', 'fusermount']) {
    if (!which(cmd)) return `${cmd} is not installed (Debian: apt-get install fusefat dosfstools fuse3)`
  }
  return null
}

// Mounts a fresh FAT image; returns { dir, unmount }.
function mountFat () {
  const base = tmpDir('sd-fat-')
  const img = path.join(base, 'fat.img')
  const dir = path.join(base, 'mnt')
  fs.mkdirSync(dir)
  fs.writeFileSync(img, '')
  fs.truncateSync(img, 16 * 1024 * 1024)
  execFileSync(which('mkfs.vfat'), [img], { stdio: 'ignore' })
  execFileSync(which('fusefat'), ['-o', 'rw+', img, dir], { stdio: 'ignore' })
  return {
    dir,
    unmount () {
      spawnSync(which('fusermount'), ['-u', dir], { stdio: 'ignore' })
      rmTree(base)
    }
  }
}

module.exports = { ROOT, REFUSE, requireEnv, wrongPlatform, requireSymlinks, seccompReason, fatReason, mountFat, tmpDir, rmTree, runNode, which }

// exFAT, as a USB stick or SD card is formatted today: exfat-fuse on a loop
// device (given the image file, mount.exfat-fuse does not mount). symlink()
// is ENOSYS and link() EPERM there, while chmod and copyFile work (unlike
// fusefat), so it stands for "a volume without links" in the package
// manager tests. Needs root for the loop device.
function exfatReason () {
  if (process.platform !== 'linux') return wrongPlatform(`the exFAT mount needs Linux (this is ${process.platform})`)
  if (!fs.existsSync('/dev/fuse')) return '/dev/fuse is missing'
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'the exFAT mount needs root (losetup)'
  if (!fs.existsSync('/dev/loop-control')) return '/dev/loop-control is missing (no loop devices)'
  for (const cmd of ['mkfs.exfat', 'mount.exfat-fuse', 'losetup', 'umount']) {
    if (!which(cmd)) return `${cmd} is not installed (Debian: apt-get install exfat-fuse exfatprogs fuse3 mount)`
  }
  return null
}

// Mounts a fresh exFAT image through a loop device; returns { dir, unmount }.
function mountExfat (size = 64 * 1024 * 1024) {
  const base = tmpDir('sd-exfat-')
  const img = path.join(base, 'exfat.img')
  const dir = path.join(base, 'mnt')
  fs.mkdirSync(dir)
  fs.writeFileSync(img, '')
  fs.truncateSync(img, size)
  let loop = null
  try {
    execFileSync(which('mkfs.exfat'), [img], { stdio: 'ignore' })
    loop = execFileSync(which('losetup'), ['-f', '--show', img], { encoding: 'utf8' }).trim()
    execFileSync(which('mount.exfat-fuse'), [loop, dir], { stdio: 'ignore' })
  } catch (err) {
    if (loop) spawnSync(which('losetup'), ['-d', loop], { stdio: 'ignore' })
    rmTree(base)
    throw err
  }
  return {
    dir,
    loop,
    unmount () {
      spawnSync(which('umount'), [dir], { stdio: 'ignore' })
      spawnSync(which('losetup'), ['-d', loop], { stdio: 'ignore' })
      rmTree(base)
    }
  }
}

Object.assign(module.exports, { exfatReason, mountExfat })
