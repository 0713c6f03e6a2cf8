'use strict'
// diagnose(dir): what this process can make in dir, and why not.
// canSymlink(dir): the short answer, probed once per device.

const fs = require('fs')
const path = require('path')
const binding = require('./binding')
const { toPath, pathString } = require('./args')
const { meaning } = require('./explain')
const { runSync, runAsync } = require('./run')

const SCHEMA_VERSION = 1
const PROBED = ['fileSymlink', 'dirSymlink', 'junction', 'hardlink']

function report (dir, probe, system) {
  const volume = probe.volume || {}
  const refusals = []
  for (const kind of PROBED) {
    const a = probe[kind]
    if (a.tried && !a.ok) {
      refusals.push({ kind, code: a.code, errno: a.errno, winerror: a.winerror || null, syscall: a.syscall, meaning: meaning(kind, a, volume, process.platform) })
    }
  }
  return {
    schemaVersion: SCHEMA_VERSION,
    native: binding.native,
    nativeError: binding.loadError ? String(binding.loadError.message).split('\n')[0] : null,
    platform: process.platform,
    arch: process.arch,
    node: process.versions.node,
    dir,
    can: {
      symlink: probe.fileSymlink.ok && probe.dirSymlink.ok,
      fileSymlink: probe.fileSymlink.ok,
      dirSymlink: probe.dirSymlink.ok,
      junction: probe.junction.ok,
      hardlink: probe.hardlink.ok
    },
    probe: {
      fileSymlink: probe.fileSymlink,
      dirSymlink: probe.dirSymlink,
      junction: probe.junction,
      hardlink: probe.hardlink
    },
    volume,
    system,
    refusals
  }
}

function * diagnoseSteps (dir) {
  const abs = path.resolve(pathString(dir))
  const probe = yield ['probe', abs]
  return report(abs, probe, binding.systemFacts())
}

function diagnoseSync (dir = process.cwd()) {
  return runSync(diagnoseSteps(toPath(dir, 'dir')))
}

async function diagnose (dir = process.cwd()) {
  return runAsync(diagnoseSteps(toPath(dir, 'dir')))
}

// Symlink support is a property of the filesystem and the process, so one
// answer per device serves every directory on it for this process. Answers
// and probes still running are kept apart: the sync form must never hand
// out the promise form's pending probe.
const byDevice = new Map()
const probing = new Map()

const symlinksWork = (probe) => probe.fileSymlink.ok && probe.dirSymlink.ok

function canSymlinkSync (dir = process.cwd()) {
  dir = toPath(dir, 'dir')
  const dev = fs.statSync(dir).dev
  if (!byDevice.has(dev)) byDevice.set(dev, symlinksWork(binding.probeSync(path.resolve(pathString(dir)))))
  return byDevice.get(dev)
}

async function canSymlink (dir = process.cwd()) {
  dir = toPath(dir, 'dir')
  const dev = (await fs.promises.stat(dir)).dev
  if (byDevice.has(dev)) return byDevice.get(dev)
  if (!probing.has(dev)) {
    // Concurrent callers share one probe.
    const answer = binding.probe(path.resolve(pathString(dir))).then(symlinksWork)
      .then((ok) => { byDevice.set(dev, ok); return ok })
      .finally(() => probing.delete(dev))
    probing.set(dev, answer)
  }
  return probing.get(dev)
}

module.exports = { diagnose, diagnoseSync, canSymlink, canSymlinkSync, SCHEMA_VERSION }
