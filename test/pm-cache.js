'use strict'
// Pinned package managers (and the Node 22 binary pnpm 11 needs) for the
// end-to-end tests: fetched from the npm registry once into build/pm-cache
// (ignored by git, not project dependencies), shared by every test file.

const { spawnSync } = require('child_process')
const fs = require('fs')
const path = require('path')
const { ROOT, which } = require('./support')

const CACHE = path.join(ROOT, 'build', 'pm-cache')

const dirOf = (spec) => path.join(CACHE, spec.replace(/[@/]/g, '_'))

// spec unpacked (npm pack, not installed); returns its package directory,
// or throws why it cannot.
function unpacked (spec) {
  const dir = dirOf(spec)
  if (!fs.existsSync(path.join(dir, 'package', 'package.json'))) {
    fs.mkdirSync(dir, { recursive: true })
    const r = spawnSync(which('npm'), ['pack', spec, '--loglevel=error', `--pack-destination=${dir}`], { cwd: dir, encoding: 'utf8', timeout: 240000 })
    const tgz = r.status === 0 && fs.readdirSync(dir).find((n) => n.endsWith('.tgz'))
    if (!tgz) throw new Error(`cannot fetch ${spec} from the npm registry: ${(r.stderr || r.error || '').toString().slice(-400)}`)
    const x = spawnSync('tar', ['xzf', tgz], { cwd: dir, encoding: 'utf8' })
    fs.rmSync(path.join(dir, tgz))
    if (x.status !== 0) throw new Error(`cannot unpack ${spec}: ${x.stderr}`)
  }
  return path.join(dir, 'package')
}

// spec installed into the cache once; returns the absolute path of bin
// (relative to the install directory), or throws why it cannot.
function installed (spec, bin) {
  const dir = dirOf(spec)
  const file = path.join(dir, bin)
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true })
    fs.writeFileSync(path.join(dir, 'package.json'), '{"private":true}\n')
    const r = spawnSync(which('npm'), ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', spec], { cwd: dir, encoding: 'utf8', timeout: 240000 })
    if (r.status !== 0 || !fs.existsSync(file)) throw new Error(`cannot install ${spec} from the npm registry: ${(r.stderr || r.error || '').toString().slice(-400)}`)
  }
  return file
}

module.exports = { CACHE, unpacked, installed }
