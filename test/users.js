'use strict'
// Other Unix users for the tests. Root ignores permission bits, so anything
// about permissions, shared directories or planted links runs as users made
// here with `useradd -m` (in a before() hook) and removed with `userdel -r`
// (in the after() hook). Processes run as them through
// `setpriv --reuid --regid --clear-groups`.

const { spawn, spawnSync, execFileSync } = require('child_process')
const crypto = require('crypto')
const { wrongPlatform, which } = require('./support')

// Why users cannot be made here, or null.
function usersReason () {
  if (process.platform !== 'linux') return wrongPlatform(`other users are made with useradd (Linux; this is ${process.platform})`)
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'adding users needs root (useradd)'
  for (const cmd of ['useradd', 'userdel', 'setpriv']) {
    if (!which(cmd)) return `${cmd} is not installed (Debian: passwd, util-linux)`
  }
  return null
}

// Makes a user with a home directory; returns { name, uid, gid, home }.
function addUser (tag) {
  const name = `sd${tag}${crypto.randomBytes(3).toString('hex')}`.slice(0, 31)
  execFileSync(which('useradd'), ['-m', '-s', '/bin/sh', name], { stdio: 'ignore' })
  const [uid, gid, home] = execFileSync('getent', ['passwd', name], { encoding: 'utf8' }).trim().split(':').filter((_, i) => [2, 3, 5].includes(i))
  return { name, uid: Number(uid), gid: Number(gid), home }
}

// Removes the user, its home and mail spool. Never throws (tear-down).
// The test kills what it started as the user (by pid) before this.
function removeUser (user) {
  if (!user) return
  spawnSync(which('userdel'), ['-r', user.name], { stdio: 'ignore' })
}

// The argv that runs argv as the user.
function asUser (user, argv) {
  return [which('setpriv'), `--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--', ...argv]
}

function envFor (user, env) {
  return { ...process.env, HOME: user.home, USER: user.name, LOGNAME: user.name, ...env }
}

// Runs `node -e script` as the user, to the end.
function runNodeAs (user, script, { cwd = '/', env, timeout = 120000 } = {}) {
  const [cmd, ...args] = asUser(user, [process.execPath, '-e', script])
  const r = spawnSync(cmd, args, { cwd, env: envFor(user, env), encoding: 'utf8', timeout })
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr }
}

// Starts `node -e script` as the user; returns the ChildProcess.
function spawnNodeAs (user, script, { cwd = '/', env, stdio = ['ignore', 'pipe', 'pipe'] } = {}) {
  const [cmd, ...args] = asUser(user, [process.execPath, '-e', script])
  return spawn(cmd, args, { cwd, env: envFor(user, env), stdio })
}

module.exports = { usersReason, addUser, removeUser, asUser, runNodeAs, spawnNodeAs }
