'use strict'
// report → the checklist: one line per fact that matters, each with a
// status (pass / fail / warn) and the evidence it rests on, so a reader can
// verify the conclusion instead of trusting it.

const { describeRefusal, isSetupFailure } = require('../explain')
const { UNPRIVILEGED_BUILD, WINDOWS_11_BUILD, DEVMODE_KEY, POLICY_KEY, windowsVolumeCannot } = require('../remedy')

function check (id, status, title, evidence) {
  return { id, status, title, evidence }
}

function probeCheck (id, title, a, okText) {
  if (!a || !a.tried) return null
  if (a.ok) return check(id, 'pass', title, okText)
  // The probe could not create even its own scratch entries: the directory
  // refused, before any link was tried.
  if (isSetupFailure(a)) return check(id, 'fail', title, `not possible here: nothing can be created in this directory (${describeRefusal(a)}, ${a.syscall})`)
  return check(id, 'fail', title, `refused: ${describeRefusal(a)}${a.syscall && a.syscall !== 'symlink-verify' ? ` (${a.syscall})` : ''}`)
}

function linkChecks (report) {
  const p = report.probe || {}
  const can = report.can || {}
  const out = [
    probeCheck('file-symlink', 'File symlink', p.fileSymlink, 'made and removed a file symlink here'),
    probeCheck('dir-symlink', 'Directory symlink', p.dirSymlink, 'made and removed a directory symlink here')
  ]
  // A failing fallback matters less when symlinks work: warn, do not fail.
  const fallback = (c) => c && c.status === 'fail' && can.symlink ? { ...c, status: 'warn' } : c
  out.push(fallback(probeCheck('junction', 'Junction', p.junction, 'made and removed a junction here')))
  out.push(fallback(probeCheck('hardlink', 'Hard link', p.hardlink, 'made and removed a hard link here')))
  return out.filter(Boolean)
}

function volumeCheck (report) {
  const v = report.volume || {}
  const where = v.mountPoint ? ` at ${v.mountPoint}` : v.volumeRoot ? ` (${v.volumeRoot})` : ''
  const name = v.mountType || v.fsName || 'unknown'
  const from = v.mountSource && v.mountSource !== name ? `, from ${v.mountSource}` : ''
  const extra = v.driveType ? `, ${v.driveType} drive` : ''
  const cannot = report.platform === 'win32'
    ? windowsVolumeCannot(report)
    : (report.refusals || []).some((r) => /cannot hold/.test(r.meaning || ''))
  const setup = (report.refusals || []).find((r) => isSetupFailure(r))
  const readOnly = v.readOnly === true || (setup && setup.code === 'EROFS')
  let status = 'pass'
  if (cannot || readOnly) status = 'fail'
  else if (v.supportsReparsePoints === false) status = 'warn'
  else if (v.driveType === 'remote' || /^(cifs|smb2|smb3|vboxsf|9p|drvfs|nfs4?)$/.test(name)) status = 'warn'
  const reparse = v.supportsReparsePoints === undefined ? '' : `, reparse points: ${v.supportsReparsePoints ? 'yes' : 'no'}`
  const ro = readOnly ? ', mounted read-only' : ''
  return check('filesystem', status, 'Filesystem', `${name}${from}${where}${extra}${reparse}${ro}`)
}

function windowsChecks (report) {
  const s = report.system || {}
  const out = []
  if (typeof s.osBuild === 'number') {
    const name = s.osBuild >= WINDOWS_11_BUILD ? 'Windows 11' : `Windows ${s.osMajor || 10}`
    const edition = s.editionId ? ` ${s.editionId}` : ''
    out.push(check('windows-build', s.osBuild >= UNPRIVILEGED_BUILD ? 'pass' : 'fail', 'Windows build',
      `${name}${edition}, build ${s.osBuild}${s.osBuild >= UNPRIVILEGED_BUILD ? '' : ` (unprivileged symlinks need ${UNPRIVILEGED_BUILD}+)`}`))
  }
  if (s.developerMode !== undefined) {
    const value = s.developerModeValue === undefined || s.developerModeValue === null ? 'absent' : `= ${s.developerModeValue}`
    const symlinksWork = report.can && report.can.symlink
    out.push(check('developer-mode', s.developerMode ? 'pass' : symlinksWork ? 'warn' : 'fail', 'Developer Mode',
      `${s.developerMode ? 'on' : 'off'} (${DEVMODE_KEY.replace('HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\', '')} AllowDevelopmentWithoutDevLicense ${value})`))
  }
  if (s.developerModePolicy !== undefined && s.developerModePolicy !== null && s.developerModePolicy !== 65535) {
    out.push(check('developer-mode-policy', s.developerModePolicy === 0 ? 'fail' : 'pass', 'Developer Mode policy',
      `${POLICY_KEY}\\AllowDevelopmentWithoutDevLicense = ${s.developerModePolicy}${s.developerModePolicy === 0 ? ' (forced off)' : ''}`))
  }
  if (s.symlinkPrivilegePresent !== undefined) {
    const who = s.accountName ? ` for ${s.accountName}` : ''
    out.push(check('symlink-privilege', s.symlinkPrivilegePresent ? 'pass' : (s.developerMode ? 'pass' : 'warn'), 'Create symbolic links right',
      `SeCreateSymbolicLinkPrivilege ${s.symlinkPrivilegePresent ? 'present' : 'not held'} in this process token${who}${!s.symlinkPrivilegePresent && s.developerMode ? ' (not needed: Developer Mode is on)' : ''}`))
  }
  if (s.elevationType !== undefined || s.elevated !== undefined) {
    const text = s.elevationType === 'limited'
      ? 'not elevated: an administrator\'s filtered token (UAC)'
      : s.elevationType === 'full' ? 'elevated (Run as administrator)' : s.elevated ? 'elevated' : 'standard user token'
    const warn = s.elevationType === 'limited' || ((s.elevated || s.elevationType === 'full') && !s.developerMode)
    out.push(check('elevation', warn ? 'warn' : 'pass', 'Elevation', text))
  }
  return out
}

function posixChecks (report) {
  const s = report.system || {}
  const p = report.process || {}
  const out = []
  if (p.seccomp !== undefined && p.seccomp !== null) {
    const modes = ['off', 'strict', 'filter']
    const eperm = (report.refusals || []).some((r) => r.code === 'EPERM' && r.kind !== 'hardlink')
    out.push(check('sandbox', p.seccomp === 0 ? 'pass' : eperm ? 'fail' : 'warn', 'Sandbox',
      `seccomp: ${modes[p.seccomp] || p.seccomp}, no_new_privs: ${p.noNewPrivs ? 1 : 0} (/proc/self/status)`))
  }
  if (s.wsl) out.push(check('wsl', 'pass', 'WSL', `running under WSL (kernel ${s.kernelRelease})`))
  return out
}

function gitCheck (report) {
  const g = report.git
  if (!g) return null
  if (g.error) return check('git', 'warn', 'Git work tree', `${g.workTree}: ${g.error}`)
  const plain = g.plainFiles.length
  const core = g.coreSymlinks === null ? 'unset' : String(g.coreSymlinks)
  if (plain > 0) {
    return check('git', 'fail', 'Git symlinks', `${plain} of ${g.trackedSymlinks} tracked symlinks checked out as plain files (core.symlinks=${core}) in ${g.workTree}`)
  }
  const status = g.coreSymlinks === false && g.trackedSymlinks > 0 ? 'warn' : 'pass'
  return check('git', status, 'Git symlinks', g.trackedSymlinks === 0 ? `no tracked symlinks (core.symlinks=${core}) in ${g.workTree}` : `${g.trackedSymlinks} tracked symlinks, all links (core.symlinks=${core}) in ${g.workTree}`)
}

function buildChecks (report) {
  const out = []
  const nc = report.nativeCore
  const why = nc ? nc.reason : report.nativeError
  const restore = nc && nc.commands.length ? `; restore: ${nc.commands.join(' && ')}` : ''
  out.push(check('native', report.native ? 'pass' : 'warn', 'Native core',
    report.native ? 'loaded' : `not loaded, the pure-JS fallback runs${why ? ` (${why})` : ''}${restore}`))
  out.push(volumeCheck(report))
  out.push(...(report.platform === 'win32' ? windowsChecks(report) : posixChecks(report)))
  out.push(...linkChecks(report))
  if (report.ci && report.ci.detected) {
    out.push(check('ci', report.can && report.can.symlink ? 'pass' : 'warn', 'CI', `${report.ci.name} (${report.ci.variable} is set)`))
  }
  const g = gitCheck(report)
  if (g) out.push(g)
  return out
}

module.exports = { buildChecks }
