'use strict'
// The commands around the hook, through the real bin: run --, preinstall,
// setup; and the pure pieces they rest on (NODE_OPTIONS quoting, the
// Windows command line, the config edits).

const assert = require('assert')
const { spawn, spawnSync } = require('child_process')
const fs = require('fs')
const path = require('path')
const { ROOT, REFUSE, requireEnv, seccompReason, fatReason, mountFat, tmpDir, rmTree, which } = require('./support')
const nodeOptions = require('../lib/node-options')
const winCommand = require('../lib/win-command')
const cfg = require('../lib/project-config')
const { detect, hookable } = require('../lib/package-manager')

const BIN = path.join(ROOT, 'bin', 'symlink-doctor.js')
const MARK = "Symbol.for('symlink-doctor.hook')"

function cleanEnv (extra = {}) {
  const env = { ...process.env }
  for (const k of Object.keys(env)) if (k.startsWith('SYMLINK_DOCTOR_') || k.startsWith('npm_') || k === 'NODE_OPTIONS') delete env[k]
  return { ...env, ...extra }
}

// Tests that start processes and read their pipes run on POSIX: node.exe
// under Wine (npm run test:win32) cannot write to a pipe, and the Windows
// side of `run` (.cmd shims through cmd.exe) is covered by the pure
// command-line tests below, not by Wine's cmd.exe, which runs no shim.
function posixProcesses (ctx) {
  if (process.platform !== 'win32') return
  console.log('      skipped: these tests read child pipes; on Windows the pure tests cover the command line')
  ctx.skip()
}

function cli (args, { cwd, env = {}, refuse = false, bin = BIN } = {}) {
  let argv = [process.execPath, bin, ...args]
  if (refuse) argv = [REFUSE, '--', ...argv]
  const r = spawnSync(argv[0], argv.slice(1), { cwd, env: cleanEnv(env), encoding: 'utf8' })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('NODE_OPTIONS quoting (as Node parses it)', function () {
  const tricky = ['/plain/path.js', '/with space/r.js', 'C:\\Users\\A B\\r.js', 'C:\\trailing\\', 'q"uote', 'both \\" mixed']
  it('quote and parse are inverse, and withRequire keeps what was there, once', function () {
    for (const p of tricky) {
      assert.deepStrictEqual(nodeOptions.parse(`--require ${nodeOptions.quote(p)}`), ['--require', p])
      const once = nodeOptions.withRequire('--max-old-space-size=100 --trace-warnings', p)
      assert.deepStrictEqual(nodeOptions.parse(once), ['--max-old-space-size=100', '--trace-warnings', '--require', p])
      assert.strictEqual(nodeOptions.withRequire(once, p), once)
    }
    assert.strictEqual(nodeOptions.withRequire(undefined, '/a.js'), '--require "/a.js"')
  })

  it('Node itself loads a preload whose path has spaces, quotes and backslashes', function () {
    posixProcesses(this)
    const dir = tmpDir('sd-nodeopts-')
    try {
      const sub = path.join(dir, 'a b "c\\d')
      fs.mkdirSync(sub)
      const file = path.join(sub, 'pre.js')
      fs.writeFileSync(file, "process.stdout.write('PRELOADED ')\n")
      const r = spawnSync(process.execPath, ['-e', 'console.log(process.env.NODE_OPTIONS)'], { env: cleanEnv({ NODE_OPTIONS: nodeOptions.withRequire('--max-old-space-size=100', file) }), encoding: 'utf8' })
      assert.strictEqual(r.status, 0, r.stderr)
      assert.match(r.stdout, /^PRELOADED --max-old-space-size=100 --require /)
    } finally {
      rmTree(dir)
    }
  })
})

describe('the Windows command line for .cmd shims', function () {
  // cmd.exe removes one level of carets per parse; a shim's %* is parsed
  // again. Then the C runtime splits the line (CommandLineToArgvW rules).
  const uncaret = (s) => s.replace(/\^(.)/g, '$1')
  function argvOf (line) {
    const out = []
    let i = 0
    while (i < line.length) {
      while (line[i] === ' ') i++
      if (i >= line.length) break
      let cur = ''
      let quoted = false
      for (; i < line.length; i++) {
        const c = line[i]
        if (c === '\\') {
          let n = 0
          while (line[i] === '\\') { n++; i++ }
          if (line[i] === '"') { cur += '\\'.repeat(n >> 1); if (n % 2) { cur += '"'; continue } i-- ; continue } // eslint-disable-line
          cur += '\\'.repeat(n); i--; continue // eslint-disable-line
        }
        if (c === '"') { quoted = !quoted; continue }
        if (c === ' ' && !quoted) break
        cur += c
      }
      out.push(cur)
    }
    return out
  }
  const nasty = ['plain', 'with space', 'a&calc.exe', 'x|y', '<in>', '"quoted"', 'back\\slash\\', 'tail\\"q', '%PATH%', '!bang!', '^caret', '(paren)', '']

  it('every argument comes back as given, and no cmd.exe special character is left bare', function () {
    const plan = winCommand.spawnPlan('C:\\Program Files\\nodejs\\npm.cmd', nasty, { PATH: '', ComSpec: 'C:\\Windows\\system32\\cmd.exe' }, 'C:\\')
    assert.strictEqual(plan.file, 'C:\\Windows\\system32\\cmd.exe')
    assert.deepStrictEqual(plan.args.slice(0, 3), ['/d', '/s', '/c'])
    assert.strictEqual(plan.options.windowsVerbatimArguments, true)
    const line = plan.args[3].slice(1, -1) // /s strips the outer quotes
    // Outside carets, cmd sees no quote, &, |, <, >, %, ! or parenthesis.
    assert.doesNotMatch(line.replace(/\^./g, ''), /["&|<>%!()]/)
    // The first space that is not caret-escaped ends the file name.
    let first = 0
    while (line[first] !== ' ') first += line[first] === '^' ? 2 : 1
    assert.deepStrictEqual(argvOf(uncaret(line.slice(0, first))), ['C:\\Program Files\\nodejs\\npm.cmd'])
    assert.deepStrictEqual(argvOf(uncaret(uncaret(line.slice(first + 1)))), nasty)
  })

  it('an .exe is spawned directly, arguments untouched', function () {
    const plan = winCommand.spawnPlan('C:\\tools\\node.exe', ['a&b'], { PATH: '' }, 'C:\\')
    assert.deepStrictEqual(plan, { file: 'C:\\tools\\node.exe', args: ['a&b'], options: {} })
  })
})

describe('symlink-doctor run --', function () {
  this.timeout(30000)
  before(function () { posixProcesses(this) })

  it('preloads the hook, keeps NODE_OPTIONS, returns the exit code', function () {
    const r = cli(['run', '--', process.execPath, '-e', `console.log(Boolean(require('fs').symlinkSync[${MARK}]), process.env.NODE_OPTIONS); process.exit(7)`], { env: { NODE_OPTIONS: '--max-old-space-size=123' } })
    assert.strictEqual(r.status, 7, r.stderr)
    assert.match(r.stdout, /^true --max-old-space-size=123 --require ".*register\.js"\n$/)
  })

  it('options before the command; the command\'s own options are left alone', function () {
    const r = cli(['run', '--fallback', 'hardlink,copy', '--quiet', process.execPath, '-e', 'console.log(process.env.SYMLINK_DOCTOR_FALLBACK, process.env.SYMLINK_DOCTOR_QUIET, process.argv.slice(1).join(" "))', '--', '--quiet'])
    assert.strictEqual(r.status, 0, r.stderr)
    assert.strictEqual(r.stdout, 'hardlink,copy 1 --quiet\n')
    assert.strictEqual(cli(['run', '--fallback', 'teleport', '--', 'true']).status, 64)
    assert.strictEqual(cli(['run']).status, 64)
  })

  it('a command that cannot start: 127, with the reason', function () {
    const r = cli(['run', '--', 'no-such-command-sd'])
    assert.strictEqual(r.status, 127)
    assert.match(r.stderr, /cannot start no-such-command-sd/)
  })

  it('a child killed by a signal gives 128 + its number', function () {
    const r = cli(['run', '--', process.execPath, '-e', "process.kill(process.pid, 'SIGKILL')"])
    assert.strictEqual(r.status, 137)
  })

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    it(`forwards ${signal} to the command and returns what it exits with`, async function () {
      const child = spawn(process.execPath, [BIN, 'run', '--', process.execPath, '-e', `process.on('${signal}', () => process.exit(42)); setInterval(() => {}, 1000); console.log('ready')`], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'inherit'] })
      await new Promise((resolve) => child.stdout.on('data', (d) => { if (String(d).includes('ready')) resolve() }))
      child.kill(signal)
      const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)))
      assert.strictEqual(code, 42)
    })
  }

  it('works from an install path with spaces and quotes (NODE_OPTIONS quoting, for real)', function () {
    const dir = tmpDir('sd-run-path-')
    try {
      const copy = path.join(dir, 'my "tools" dir', 'symlink doctor')
      fs.mkdirSync(copy, { recursive: true })
      for (const item of ['bin', 'lib', 'register.js', 'package.json']) fs.cpSync(path.join(ROOT, item), path.join(copy, item), { recursive: true })
      const r = cli(['run', '--', process.execPath, '-e', `console.log(Boolean(require('fs').symlinkSync[${MARK}]))`], { bin: path.join(copy, 'bin', 'symlink-doctor.js') })
      assert.strictEqual(r.status, 0, r.stderr)
      assert.strictEqual(r.stdout, 'true\n')
    } finally {
      rmTree(dir)
    }
  })
})

describe('package managers from npm_config_user_agent', function () {
  it('detects npm, pnpm, yarn and says which a Node hook can reach', function () {
    const cases = [
      ['npm/11.19.1 node/v20.20.2 linux x64 workspaces/false', 'npm', 11, true],
      ['pnpm/10.34.9 npm/? node/v20.20.2 linux x64', 'pnpm', 10, true],
      ['pnpm/12.21.0 npm/? node/? linux x64', 'pnpm', 12, false],
      ['yarn/4.18.1 npm/? node/v20.20.2 linux x64', 'yarn', 4, true],
      ['bun/1.2.0 npm/? node/v22.0.0 linux x64', 'bun', 1, false],
      [undefined, null, null, false]
    ]
    for (const [ua, name, major, can] of cases) {
      const pm = detect(ua)
      assert.strictEqual(pm.name, name, ua)
      assert.strictEqual(pm.major, major, ua)
      assert.strictEqual(hookable(pm), can, ua)
    }
  })
})

describe('symlink-doctor preinstall', function () {
  this.timeout(30000)
  before(function () { posixProcesses(this) })
  let dir
  beforeEach(() => { dir = tmpDir('sd-pre-') })
  afterEach(() => rmTree(dir))

  it('is silent, exits 0 and leaves nothing behind where symlinks work', function () {
    const r = cli(['preinstall', '--strict'], { cwd: dir, env: { npm_config_user_agent: 'npm/11.19.1 node/v20 linux x64' } })
    assert.deepStrictEqual([r.status, r.stdout, r.stderr], [0, '', ''])
    assert.deepStrictEqual(fs.readdirSync(dir), [])
  })

  it('probes npm_config_local_prefix (the project root), not the cwd', function () {
    fs.mkdirSync(path.join(dir, 'packages'))
    const r = cli(['preinstall'], { cwd: path.join(dir, 'packages'), refuse: true, env: { npm_config_local_prefix: dir } })
    assert.match(r.stderr, new RegExp(`cannot be made in ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `))
  })

  describe('where symlinks are refused', function () {
    before(function () { requireEnv(this, !seccompReason(), seccompReason()) })

    const ua = {
      npm: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/true',
      pnpm10: 'pnpm/10.34.9 npm/? node/v20.20.2 linux x64',
      pnpm12: 'pnpm/12.21.0 npm/? node/? linux x64',
      yarn4: 'yarn/4.18.1 npm/? node/v20.20.2 linux x64',
      yarn1: 'yarn/1.22.22 npm/? node/v20.20.2 linux x64'
    }
    const expected = {
      npm: [/install-links/, /npm 11\.19\.1 works here with the hook: symlink-doctor run -- npm install/],
      pnpm10: [/node-linker=hoisted and package-import-method=copy/, /symlink-doctor run -- pnpm install/],
      pnpm12: [/nodeLinker: hoisted and packageImportMethod: copy/, /makes its links outside Node/],
      yarn4: [/nodeLinker: pnp/, /winLinkType/],
      yarn1: [/yarn 1 links workspaces always/]
    }
    for (const key of Object.keys(ua)) {
      it(`${key}: the fix and its setting on stderr; exit 0, and 1 with --strict`, function () {
        const r = cli(['preinstall'], { cwd: dir, refuse: true, env: { npm_config_user_agent: ua[key] } })
        assert.strictEqual(r.status, 0, r.stderr)
        assert.strictEqual(r.stdout, '')
        assert.match(r.stderr, /^symlink-doctor: symlinks cannot be made in .* \(EPERM/)
        assert.match(r.stderr, /fix: /)
        for (const re of expected[key]) assert.match(r.stderr, re)
        assert.ok(r.stderr.trim().split('\n').length <= 6, r.stderr)
        const strict = cli(['preinstall', '--strict'], { cwd: dir, refuse: true, env: { npm_config_user_agent: ua[key] } })
        assert.strictEqual(strict.status, 1)
        assert.match(strict.stderr, /--strict: stopping here/)
        assert.deepStrictEqual(fs.readdirSync(dir), [])
      })
    }

    it('under the hook, for a manager it reaches: prints the note unless it was shown, and --strict lets the install go on', function () {
      const env = { npm_config_user_agent: ua.npm, NODE_OPTIONS: nodeOptions.withRequire('', path.join(ROOT, 'register.js')) }
      const first = cli(['preinstall', '--strict'], { cwd: dir, refuse: true, env })
      assert.strictEqual(first.status, 0, first.stderr)
      assert.match(first.stderr, /symlinks cannot be made/)
      assert.doesNotMatch(first.stderr, /works here with the hook/)
      const shown = cli(['preinstall', '--strict'], { cwd: dir, refuse: true, env: { ...env, SYMLINK_DOCTOR_REMEDY_SHOWN: '1' } })
      assert.deepStrictEqual([shown.status, shown.stderr], [0, ''])
      // pnpm 12 is out of the hook's reach: --strict still stops.
      const native = cli(['preinstall', '--strict'], { cwd: dir, refuse: true, env: { ...env, npm_config_user_agent: ua.pnpm12 } })
      assert.strictEqual(native.status, 1)
    })
  })

  it('rejects unknown options with exit 64', function () {
    assert.strictEqual(cli(['preinstall', '--bogus'], { cwd: dir }).status, 64)
  })
})

describe('symlink-doctor setup', function () {
  this.timeout(30000)
  before(function () { posixProcesses(this) })
  let dir
  beforeEach(() => {
    dir = tmpDir('sd-setup-')
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"p"}\n')
  })
  afterEach(() => rmTree(dir))

  const npmrc = () => path.join(dir, '.npmrc')
  const read = (f) => fs.readFileSync(f, 'utf8')

  it('adds node-options to an existing .npmrc (CRLF kept), is idempotent, and --undo gives the file back byte for byte', function () {
    const original = '; my settings\r\nregistry=https://registry.example/\r\nnode-options=--max-old-space-size=512\r\nsave-exact=true'
    fs.writeFileSync(npmrc(), original)
    const r = cli(['setup'], { cwd: dir })
    assert.strictEqual(r.status, 0, r.stderr)
    assert.match(r.stdout, /^- node-options=--max-old-space-size=512$/m)
    assert.match(r.stdout, /^\+ node-options=--max-old-space-size=512 --require /m)
    const added = read(npmrc())
    assert.match(added, /\r\nnode-options=--max-old-space-size=512 --require [^\r\n]*\.symlink-doctor-register\.cjs\r\n/)
    assert.strictEqual(added.split('\r\n').length, original.split('\r\n').length + 1)
    assert.match(cli(['setup'], { cwd: dir }).stdout, /already set up/)
    assert.strictEqual(read(npmrc()), added)
    assert.strictEqual(cli(['setup', '--undo'], { cwd: dir }).status, 0)
    assert.strictEqual(read(npmrc()), original)
    assert.match(cli(['setup', '--undo'], { cwd: dir }).stdout, /nothing of ours/)
  })

  it('--undo keeps what the user changed meanwhile, and removes only our part', function () {
    fs.writeFileSync(npmrc(), 'fund=false\n')
    cli(['setup'], { cwd: dir })
    fs.appendFileSync(npmrc(), 'audit=false\n')
    const edited = read(npmrc()).replace('node-options=', 'node-options=--trace-warnings ')
    fs.writeFileSync(npmrc(), edited)
    cli(['setup', '--undo'], { cwd: dir })
    assert.strictEqual(read(npmrc()), 'fund=false\nnode-options=--trace-warnings\naudit=false\n')
  })

  it('creates .npmrc when there is none, and --undo removes it again; an empty .npmrc of the user\'s stays', function () {
    cli(['setup'], { cwd: dir })
    assert.match(read(npmrc()), /^# symlink-doctor setup created this file/)
    cli(['setup', '--undo'], { cwd: dir })
    assert.strictEqual(fs.existsSync(npmrc()), false)
    fs.writeFileSync(npmrc(), '')
    cli(['setup'], { cwd: dir })
    cli(['setup', '--undo'], { cwd: dir })
    assert.strictEqual(read(npmrc()), '')
  })

  it('--dry-run shows the diff and writes nothing', function () {
    const r = cli(['setup', '--dry-run'], { cwd: dir })
    assert.match(r.stdout, /^\+ node-options=--require /m)
    assert.match(r.stdout, /dry run/)
    assert.strictEqual(fs.existsSync(npmrc()), false)
  })

  it('a script that changes directory, or runs before the install (symlink-doctor not in node_modules), still runs, with the hook where it can be found', function () {
    requireEnv(this, Boolean(which('npm')), 'npm is not on PATH')
    // The project does not have symlink-doctor installed (before npm install).
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
      name: 'p',
      scripts: { away: `cd / && node -e "console.log('away', Boolean(require('fs').symlinkSync[${MARK}]))"` }
    }))
    const r = cli(['setup'], { cwd: dir })
    assert.strictEqual(r.status, 0, r.stderr)
    assert.match(r.stdout, /Not reached by this setting: .*pnpm 9 and 10/s)
    const loader = path.join(dir, '.symlink-doctor-register.cjs')
    assert.ok(fs.existsSync(loader))
    const run = () => spawnSync(which('npm'), ['run', '--silent', 'away'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } })
    // This copy of symlink-doctor is found through the loader: hooked.
    let n = run()
    assert.strictEqual(n.status, 0, n.stderr)
    assert.strictEqual(n.stdout.trim(), 'away true')
    // Where no symlink-doctor can be found at all, the loader does nothing
    // and the script still runs.
    fs.writeFileSync(loader, fs.readFileSync(loader, 'utf8').split(JSON.stringify(path.join(ROOT, 'register.js'))).join(JSON.stringify('/nonexistent/register.js')))
    n = run()
    assert.strictEqual(n.status, 0, n.stderr)
    assert.strictEqual(n.stdout.trim(), 'away false')
    // Undo removes the loader and the line.
    assert.strictEqual(cli(['setup', '--undo'], { cwd: dir }).status, 0)
    assert.ok(!fs.existsSync(loader))
    assert.ok(!fs.existsSync(npmrc()))
  })

  it('a file named like the loader that setup did not write is left alone (exit 1)', function () {
    fs.writeFileSync(path.join(dir, '.symlink-doctor-register.cjs'), 'mine\n')
    const r = cli(['setup'], { cwd: dir })
    assert.strictEqual(r.status, 1)
    assert.strictEqual(read(path.join(dir, '.symlink-doctor-register.cjs')), 'mine\n')
    assert.ok(!fs.existsSync(npmrc()))
  })

  it('pnpm-workspace.yaml gets nodeOptions (pnpm 11+ read it there) only when absent; undo restores it', function () {
    const yaml = path.join(dir, 'pnpm-workspace.yaml')
    const original = 'packages:\n  - "packages/*"\n'
    fs.writeFileSync(yaml, original)
    cli(['setup'], { cwd: dir })
    assert.match(read(yaml), /^nodeOptions: "--require [^"]*\.symlink-doctor-register\.cjs"$/m)
    cli(['setup', '--undo'], { cwd: dir })
    assert.strictEqual(read(yaml), original)
    const theirs = 'packages: []\nnodeOptions: "--max-old-space-size=1"\n'
    fs.writeFileSync(yaml, theirs)
    const r = cli(['setup'], { cwd: dir })
    assert.match(r.stderr, /nodeOptions is already set/)
    assert.strictEqual(read(yaml), theirs)
  })

  it('a write that fails (a full FAT volume) leaves no temporary file and the config as it was', function () {
    const reason = fatReason()
    requireEnv(this, !reason, reason)
    const fat = mountFat()
    try {
      fs.writeFileSync(path.join(fat.dir, 'package.json'), '{}\n')
      fs.writeFileSync(path.join(fat.dir, '.npmrc'), 'fund=false\n')
      const fd = fs.openSync(path.join(fat.dir, 'fill'), 'w')
      try {
        for (const chunk = Buffer.alloc(1 << 16); ;) fs.writeSync(fd, chunk)
      } catch {} finally { fs.closeSync(fd) }
      const r = cli(['setup'], { cwd: fat.dir })
      // A full disk is the system's refusal (74), never an internal error.
      assert.strictEqual(r.status, 74, r.stderr)
      assert.doesNotMatch(r.stderr, /\.tmp/)
      // The loader is written first and may have fit; the config that
      // would name it was not changed, so nothing points at a missing file.
      assert.deepStrictEqual(fs.readdirSync(fat.dir).filter((n) => n !== '.symlink-doctor-register.cjs').sort(), ['.npmrc', 'fill', 'package.json'])
      assert.strictEqual(read(path.join(fat.dir, '.npmrc')), 'fund=false\n')
    } finally {
      fat.unmount()
    }
  })

  it('the edits as pure functions: add then undo is the identity on assorted files', function () {
    const files = ['', 'a=1', 'a=1\n', 'a=1\r\nb=2\r\n', 'node-options=\n', 'node-options=', 'x=1\nnode-options = --inspect  \n', 'node-options=--a  --b\n', '# c\n\n\nz=1\n']
    for (const f of files) {
      for (const spec of ['symlink-doctor/register', '/abs path/register.js']) {
        const added = cfg.npmrcAdd(f, spec)
        assert.notStrictEqual(added, f)
        assert.strictEqual(cfg.npmrcAdd(added, spec), added, JSON.stringify(f))
        assert.strictEqual(cfg.npmrcUndo(added, spec), f, JSON.stringify(f))
      }
    }
    // npm uses the last of repeated keys, so the --require goes there.
    const twice = cfg.npmrcAdd('node-options=--a\nnode-options=--b\n', 'symlink-doctor/register')
    assert.match(twice, /node-options=--a\n.*\nnode-options=--b --require[ =]"?symlink-doctor\/register"?\n$/s)
    for (const f of ['', 'packages: []', 'packages: []\n', 'a: 1\r\nb: 2', 'a: 1\r\nb: 2\r\n']) {
      const added = cfg.yamlAdd(f, 'symlink-doctor/register').text
      assert.notStrictEqual(added, f)
      assert.strictEqual(cfg.yamlAdd(added, 'symlink-doctor/register').text, added, JSON.stringify(f))
      assert.strictEqual(cfg.yamlUndo(added), f, JSON.stringify(f))
    }
  })
})
