'use strict'
// A dependency's command must run after an install where symlinks are
// refused: the hook makes node_modules/.bin/<cmd> a shim that runs the real
// file by its real path (a hard link or copy of it would resolve its own
// require('../lib/x.js') from .bin/ and fail). Real npm (the one on PATH)
// and yarn 1 (pinned, from the npm registry into build/pm-cache) under the
// seccomp refusal, with `symlink-doctor run --`, as a user runs them.

const assert = require('assert')
const { spawnSync } = require('child_process')
const fs = require('fs')
const path = require('path')
const { ROOT, REFUSE, requireEnv, seccompReason, tmpDir, rmTree, which } = require('./support')

const BIN = path.join(ROOT, 'bin', 'symlink-doctor.js')
const { CACHE } = require('./pm-cache')
const YARN1 = { spec: 'yarn@1.22.22', bin: 'node_modules/yarn/bin/yarn.js' }

function env (extra = {}) {
  const e = { ...process.env }
  for (const k of Object.keys(e)) if (k.startsWith('SYMLINK_DOCTOR_') || k.startsWith('npm_') || k === 'NODE_OPTIONS') delete e[k]
  return {
    ...e,
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${e.PATH}`,
    npm_config_update_notifier: 'false',
    SYMLINK_DOCTOR_STATE_DIR: path.join(CACHE, '..', 'sd-state-bins'),
    ...extra
  }
}

function sh (cmd, { cwd, refuse = true, timeout = 240000 } = {}) {
  const argv = refuse ? [REFUSE, '--', ...cmd] : cmd
  const r = spawnSync(argv[0], argv.slice(1), { cwd, env: env(), encoding: 'utf8', timeout })
  return { status: r.status, out: `${r.stdout}${r.stderr}${r.error ? r.error.message : ''}` }
}

function yarn1 () {
  return [process.execPath, require('./pm-cache').installed(YARN1.spec, YARN1.bin)]
}

describe('a dependency\'s command runs after an install where symlinks are refused', function () {
  this.timeout(300000)
  let dir, tgz
  before(function () {
    requireEnv(this, !seccompReason(), seccompReason())
    requireEnv(this, Boolean(which('npm')), 'npm is not on PATH')
    dir = tmpDir('sd-bins-')
    // The small case from the issue: tool's bin requires ../lib/msg.js.
    const tool = path.join(dir, 'tool')
    fs.mkdirSync(path.join(tool, 'bin'), { recursive: true })
    fs.mkdirSync(path.join(tool, 'lib'))
    fs.writeFileSync(path.join(tool, 'package.json'), JSON.stringify({ name: 'tool', version: '1.0.0', bin: { tool: 'bin/tool.js' } }))
    fs.writeFileSync(path.join(tool, 'bin', 'tool.js'), "#!/usr/bin/env node\nconsole.log(require('../lib/msg.js'))\n")
    fs.writeFileSync(path.join(tool, 'lib', 'msg.js'), "module.exports = 'hello from tool'\n")
    const r = sh([which('npm'), 'pack', '--loglevel=error'], { cwd: tool, refuse: false })
    assert.strictEqual(r.status, 0, r.out)
    tgz = path.join(tool, 'tool-1.0.0.tgz')
  })
  after(function () { if (dir) rmTree(dir) })

  function app (name) {
    const a = path.join(dir, name)
    fs.mkdirSync(a)
    fs.writeFileSync(path.join(a, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true }))
    return a
  }

  function assertRuns (a, label) {
    const cmd = path.join(a, 'node_modules', '.bin', 'tool')
    const st = fs.lstatSync(cmd)
    assert.ok(!st.isSymbolicLink(), `${label}: the refusal is real, so .bin/tool is not a symlink`)
    const r = spawnSync(cmd, [], { cwd: a, encoding: 'utf8' })
    assert.strictEqual(r.status, 0, `${label}: ${r.stderr}`)
    assert.strictEqual(r.stdout.trim(), 'hello from tool')
    assert.ok(fs.statSync(cmd).mode & 0o111, 'executable')
    const info = require('..').inspectSync(cmd)
    return info
  }

  it('without the hook, npm install dies on the refused .bin link (the refusal is real)', function () {
    const a = app('app-plain')
    const r = sh([which('npm'), 'install', '--no-audit', '--no-fund', '--loglevel=warn', tgz], { cwd: a })
    assert.notStrictEqual(r.status, 0, r.out)
    assert.match(r.out, /EPERM/)
  })

  it('symlink-doctor run -- npm install <tool.tgz>: ./node_modules/.bin/tool prints its message', function () {
    const a = app('app-npm')
    const r = sh([process.execPath, BIN, 'run', '--', which('npm'), 'install', '--no-audit', '--no-fund', '--loglevel=warn', tgz], { cwd: a })
    assert.strictEqual(r.status, 0, r.out)
    assertRuns(a, 'npm')
  })

  it('symlink-doctor run -- yarn add <tool.tgz> (yarn 1): ./node_modules/.bin/tool prints its message', function () {
    let yarn
    try { yarn = yarn1() } catch (err) { return requireEnv(this, false, err.message) }
    const a = app('app-yarn1')
    const r = sh([process.execPath, BIN, 'run', '--', ...yarn, 'add', `file:${tgz}`, '--no-progress', '--non-interactive', `--cache-folder=${path.join(dir, 'yarn-cache')}`], { cwd: a })
    assert.strictEqual(r.status, 0, r.out)
    assertRuns(a, 'yarn 1')
  })

  it('a shim is a link of ours: replace swaps it, a real file of the user\'s at that name is never replaced', function () {
    const a = app('app-api')
    fs.mkdirSync(path.join(a, '.bin'))
    const script = `const sd = require(${JSON.stringify(ROOT)});
      const t = ${JSON.stringify(path.join(dir, 'tool', 'bin', 'tool.js'))}
      const first = sd.createLinkSync(t, '.bin/tool')
      const again = sd.createLinkSync(t, '.bin/tool', { replace: true })
      require('fs').writeFileSync('.bin/mine', '#!/bin/sh\\necho mine\\n')
      let refused = null
      try { sd.createLinkSync(t, '.bin/mine', { replace: true }) } catch (e) { refused = e.code }
      console.log(JSON.stringify({ first: first.kind, again: again.kind, refused }))`
    const r = sh([process.execPath, '-e', script], { cwd: a })
    assert.strictEqual(r.status, 0, r.out)
    assert.deepStrictEqual(JSON.parse(r.out), { first: 'shim', again: 'shim', refused: 'EEXIST' })
    assert.strictEqual(fs.readFileSync(path.join(a, '.bin', 'mine'), 'utf8'), '#!/bin/sh\necho mine\n')
    assert.deepStrictEqual(fs.readdirSync(path.join(a, '.bin')).sort(), ['mine', 'tool'])
  })
})
