'use strict'
// diagnose(dir): what this process can make in dir, and why not.
// canSymlink(dir): the short answer, probed once per device.

const fs = require('fs')
const path = require('path')
const binding = require('./binding')
const { toPath, pathString } = require('./args')
const { meaning, CANNOT_WRITE } = require('./explain')
const { runSync, runAsync } = require('./run')
const { fsError } = require('./errors')

const SCHEMA_VERSION = 1
const PROBED = ['fileSymlink', 'dirSymlink', 'junction', 'hardlink']

// The probe could not make its own scratch file or directory in dir (a
// read-only filesystem, no write access, a full disk or quota): no link
// kind can be made there, and that is the finding, not an error. Every
// kind that would have been tried gets the same refusal, with the syscall
// that failed (open or mkdir), so the report says what stopped it.
function unwritableProbe (err) {
  const a = () => ({
    tried: true,
    ok: false,
    code: err.code,
    errno: typeof err.errno === 'number' ? err.errno : null,
    winerror: err.winerror || null,
    syscall: err.syscall || 'open',
    message: typeof err.message === 'string' ? err.message.replace(/^[A-Z]+: /, '').replace(/,.*$/, '') : null
  })
  const untried = { tried: false, ok: false, code: null, errno: null, winerror: null, syscall: null, message: null }
  return {
    fileSymlink: a(),
    dirSymlink: a(),
    junction: process.platform === 'win32' ? a() : untried,
    hardlink: a(),
    volume: {}
  }
}

// Linux: the mount that holds dir, from /proc/self/mountinfo, for when the
// native core could not say (the probe failed before returning its facts,
// or the pure-JS fallback runs). The mount point is the longest one that
// holds dir's real path, on dir's device; the later line wins a tie (a
// mount over a mount). Options are the superblock's, as the native core
// reports them, plus the mount's own read-only flag.
function unescapeMount (s) {
  return s.replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8)))
}

function mountFacts (dir) {
  if (process.platform !== 'linux') return {}
  let text, real, st
  try {
    text = fs.readFileSync('/proc/self/mountinfo', 'utf8')
    real = fs.realpathSync(dir)
    st = fs.statSync(dir)
  } catch {
    return {}
  }
  // Node's st_dev is the kernel's encoded dev_t (glibc major/minor).
  const dev = BigInt(st.dev)
  const major = Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn))
  const minor = Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn))
  let best = null
  for (const line of text.split('\n')) {
    const sep = line.indexOf(' - ')
    if (sep === -1) continue
    const f = line.slice(0, sep).split(' ')
    const [type, source, options] = line.slice(sep + 3).split(' ')
    if (f.length < 6 || f[2] !== `${major}:${minor}`) continue
    const mp = unescapeMount(f[4])
    const inside = mp === '/' || real === mp || real.startsWith(mp + '/')
    if (!inside || (best && mp.length < best.mountPoint.length)) continue
    best = {
      device: st.dev,
      mountType: unescapeMount(type),
      mountSource: source === undefined ? null : unescapeMount(source),
      mountOptions: options === undefined ? null : unescapeMount(options),
      mountPoint: mp,
      readOnly: f[5].split(',').includes('ro')
    }
  }
  if (!best) return {}
  // The statfs name the native core would give: "fuse" for fuse.fusefat.
  best.fsName = best.mountType.split('.')[0]
  return best
}

// Fills in what the probe did not say about the volume (never overrides it).
function withMountFacts (volume, dir) {
  if (process.platform !== 'linux' || (volume.mountType && volume.mountPoint)) return volume
  const m = mountFacts(dir)
  const out = { ...volume }
  for (const [k, v] of Object.entries(m)) if (out[k] === undefined) out[k] = v
  return out
}

// ENOENT and ENOTDIR are about the path, not about links: said before any
// probe, in Node's words ("ENOTDIR: not a directory, scandir 'f'").
function checkDir (abs, st) {
  if (st && !st.isDirectory()) throw fsError('ENOTDIR', 'scandir', abs)
}

function report (dir, probe, system) {
  const volume = withMountFacts(probe.volume || {}, dir)
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
  const st = yield ['stat', abs]
  if (st === undefined) throw fsError('ENOENT', 'scandir', abs)
  checkDir(abs, st)
  let probe
  try {
    probe = yield ['probe', abs]
  } catch (err) {
    if (!err || !CANNOT_WRITE.has(err.code)) throw err
    probe = unwritableProbe(err)
    probe.volume.device = st.dev
  }
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

// A directory this process cannot write to (read-only mount, no write
// access, full disk, quota) cannot take a link: false, and not cached,
// since it says nothing about the rest of the device (a read-only bind
// mount shares its device number with the writable original).
function unwritable (err) {
  if (err && CANNOT_WRITE.has(err.code)) return false
  throw err
}

function canSymlinkSync (dir = process.cwd()) {
  dir = toPath(dir, 'dir')
  const st = fs.statSync(dir)
  checkDir(path.resolve(pathString(dir)), st)
  try {
    fs.accessSync(dir, fs.constants.W_OK)
  } catch (err) {
    return unwritable(err)
  }
  const dev = st.dev
  if (byDevice.has(dev)) return byDevice.get(dev)
  let ok
  try {
    ok = symlinksWork(binding.probeSync(path.resolve(pathString(dir))))
  } catch (err) {
    return unwritable(err)
  }
  byDevice.set(dev, ok)
  return ok
}

async function canSymlink (dir = process.cwd()) {
  dir = toPath(dir, 'dir')
  const st = await fs.promises.stat(dir)
  checkDir(path.resolve(pathString(dir)), st)
  try {
    await fs.promises.access(dir, fs.constants.W_OK)
  } catch (err) {
    return unwritable(err)
  }
  const dev = st.dev
  if (byDevice.has(dev)) return byDevice.get(dev)
  if (!probing.has(dev)) {
    // Concurrent callers share one probe; an unwritable answer is not kept.
    const answer = binding.probe(path.resolve(pathString(dir))).then(symlinksWork)
      .then((ok) => { byDevice.set(dev, ok); return ok }, unwritable)
      .finally(() => probing.delete(dev))
    probing.set(dev, answer)
  }
  return probing.get(dev)
}

module.exports = { diagnose, diagnoseSync, canSymlink, canSymlinkSync, mountFacts, SCHEMA_VERSION }
