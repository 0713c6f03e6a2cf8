'use strict'
// The CLI speaks CLI: flags, never the API's option names; a hint only for
// a flag that can change the outcome there; --json answers in JSON on
// failure too. Run as a user runs it, under a real refusal where needed.

const assert = require('assert')
const { spawnSync } = require('child_process')
const fs = require('fs')
const path = require('path')
const { ROOT, REFUSE, requireEnv, seccompReason, requireSymlinks, tmpDir, rmTree } = require('./support')

const BIN = path.join(ROOT, 'bin', 'symlink-doctor.js')

describe('symlink-doctor link speaks CLI', function () {
  let dir
  beforeEach(function () {
    dir = tmpDir('sd-words-')
    fs.writeFileSync(path.join(dir, 'a'), 'A')
    fs.writeFileSync(path.join(dir, 'real'), 'mine')
  })
  afterEach(function () { rmTree(dir) })

  const cli = (args, refuse) => {
    const argv = refuse ? [REFUSE, ...(refuse === 'all' ? ['--hardlinks'] : []), '--', process.execPath, BIN, ...args] : [process.execPath, BIN, ...args]
    const r = spawnSync(argv[0], argv.slice(1), { cwd: dir, encoding: 'utf8' })
    return { status: r.status, out: r.stdout, err: r.stderr }
  }

  it('a link already there: the message says --replace (never "replace: true"), with the path as typed', function () {
    requireSymlinks(this)
    fs.symlinkSync('a', path.join(dir, 'L'))
    const r = cli(['link', 'a', 'L'])
    assert.strictEqual(r.status, 1)
    assert.match(r.err, /symlink 'a' -> 'L' \(a link is already at the link path; pass --replace to replace it\)/)
    assert.doesNotMatch(r.err, /replace: true|options\./)
  })

  it('a real file there: no hint to pass --replace, which would not replace it', function () {
    const r = cli(['link', '--replace', 'a', 'real'])
    assert.strictEqual(r.status, 1)
    assert.match(r.err, /a real file is at the link path/)
    assert.doesNotMatch(r.err, /pass --replace/)
    const r2 = cli(['link', 'a', 'real'])
    assert.doesNotMatch(r2.err, /pass --replace/)
  })

  it('everything refused: --allow-copy in CLI words, and not suggested for a target that does not exist', function () {
    requireEnv(this, !seccompReason(), seccompReason())
    const r = cli(['link', 'a', 'X'], 'all')
    assert.strictEqual(r.status, 1)
    assert.match(r.err, /a copy was not allowed \(--allow-copy\)/)
    assert.match(r.err, /pass --allow-copy to accept a copy/)
    assert.doesNotMatch(r.err, /options\.allowCopy/)
    const missing = cli(['link', 'nosuch', 'Y'], 'all')
    assert.strictEqual(missing.status, 1)
    assert.doesNotMatch(missing.err, /pass --allow-copy/)
    assert.match(missing.err, /the target does not exist/)
  })

  it('a link path with a trailing slash: ENOENT and exit 66, as ln -s, with or without a refusal; a missing directory is 66 too', function () {
    requireEnv(this, process.platform !== 'win32', require('./support').wrongPlatform('symlink(2) and a trailing slash: a POSIX rule'))
    const plain = cli(['link', 'a', 'l1/'])
    assert.strictEqual(plain.status, 66, plain.err)
    assert.match(plain.err, /ENOENT/)
    if (!seccompReason()) {
      const refused = cli(['link', 'a', 'l2/'], 'symlinks')
      assert.strictEqual(refused.status, 66, refused.err)
    }
    assert.strictEqual(cli(['link', 'a', 'nodir/l3']).status, 66)
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['a', 'real'])
  })

  it('--json on failure: a JSON error object on stdout, nothing else', function () {
    const r = cli(['link', '--json', 'a', 'real'])
    assert.strictEqual(r.status, 1)
    const { error } = JSON.parse(r.out)
    assert.strictEqual(error.code, 'EEXIST')
    assert.strictEqual(error.syscall, 'symlink')
    assert.match(error.message, /a real file is at the link path/)
    assert.strictEqual(r.err, '')
  })
})

describe('the CLI on paths the user may not touch, and on a closed pipe', function () {
  const asNobody = (args) => spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, BIN, ...args], { cwd: '/tmp', encoding: 'utf8' })
  before(function () {
    requireEnv(this, process.platform === 'linux' && process.getuid() === 0, require('./support').wrongPlatform('runs a command as nobody (Linux, as root)'))
  })
  let dir
  beforeEach(function () {
    dir = tmpDir('sd-private-')
    fs.chmodSync(dir, 0o700)
  })
  afterEach(function () { rmTree(dir) })

  it('scan of a directory it cannot read: exit 74 with the reason, never "No broken links" and 0', function () {
    const r = asNobody(['scan', dir])
    assert.strictEqual(r.status, 74, r.stdout + r.stderr)
    assert.match(r.stderr, /permission denied/)
    assert.doesNotMatch(r.stdout, /No broken links/)
  })

  it('link into a directory it cannot write: exit 74, as the exit-code table says', function () {
    const r = asNobody(['link', '/etc/hostname', path.join(dir, 'l')])
    assert.strictEqual(r.status, 74, r.stdout + r.stderr)
    assert.match(r.stderr, /EACCES/)
  })

  it('scan --json into a reader that stops after one line: no stack trace', function () {
    const r = spawnSync('bash', ['-c', `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} scan ${JSON.stringify(path.join(ROOT, 'node_modules'))} --json | head -1`], { encoding: 'utf8' })
    assert.strictEqual(r.stdout.trim(), '{')
    assert.doesNotMatch(r.stderr, /EPIPE|at .*\(/)
  })
})
