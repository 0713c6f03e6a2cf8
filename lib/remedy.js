'use strict'
// report → the remedies for THIS machine, best first. A pure function of the
// report object (the diagnose report plus the CLI's ci/process/git facts), so
// every branch is unit-testable without the machine that produces it.
//
// Each remedy: { id, title, steps: [text], commands: [exact command] }.
// Informational entries (why a thing happens) have commands: [].

const { isSilentNoop } = require('./explain')
const pm = require('./package-manager')

const UNPRIVILEGED_BUILD = 14972 // first build honouring SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE
const WINDOWS_11_BUILD = 22000
const DEVMODE_KEY = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\AppModelUnlock'
const POLICY_KEY = 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\Appx'
const NO_LINK_FS = /^(vfat|msdos|exfat|fuse\.fusefat|fuse\.exfat|fuseblk|iso9660|udf)$/
const WIN_NO_LINK_FS = /^(fat|fat12|fat16|fat32|exfat|cdfs|udf)$/i

function remedy (id, title, steps, commands = []) {
  return { id, title, steps, commands }
}

function refused (report, pred) {
  return (report.refusals || []).some(pred)
}

// ── Windows ────────────────────────────────────────────────────────────────

function settingsPath (build) {
  return build >= WINDOWS_11_BUILD
    ? 'Settings > Privacy & security > For developers (Windows 11; newer builds list it under System > For developers)'
    : 'Settings > Update & Security > For developers'
}

// The volume itself cannot hold links. NTFS and ReFS always can, so a
// reparse-point flag of false on them (Wine reports that for its emulated
// NTFS) is not believed: the probe's refusals decide there.
function windowsVolumeCannot (report) {
  const v = report.volume || {}
  if (v.fsName && WIN_NO_LINK_FS.test(v.fsName)) return true
  if (v.supportsReparsePoints === false && !/^(ntfs|refs)$/i.test(v.fsName || '')) return true
  return refused(report, (r) => r.kind !== 'hardlink' && r.winerror === 1)
}

// What each package manager needs on a volume without links, from the one
// table (lib/package-manager.js) that test/remedies-on-fat.test.js applies
// on real FAT and exFAT mounts. With ctx.pm (the manager running us), only
// its entry, and its commands are the remedy's commands; without, one line
// per manager and no commands (which manager would they be for?).
function packageManagerEntries (report, ctx) {
  const vclass = pm.volumeClass(report.volume)
  if (ctx.pm && ctx.pm.name) {
    const row = pm.noLinkRow(ctx.pm)
    return row ? [pm.noLinkEntry(row, vclass)] : []
  }
  return pm.NO_LINK_TABLE.map((row) => pm.noLinkEntry(row, vclass))
}

function moveOffVolume (report, target, ctx = {}) {
  const v = report.volume || {}
  const fsName = v.mountType || v.fsName || 'this filesystem'
  const entries = packageManagerEntries(report, ctx)
  const known = ctx.pm && ctx.pm.name
  const who = known ? `${ctx.pm.name} ${ctx.pm.version}` : null
  const one = known ? entries[0] : null
  let title = `This volume (${fsName}) cannot hold links: no setting changes that`
  if (known && one && !one.works) title += `, and ${who} cannot work on it: move the project`
  const steps = [`Move the project to ${target}, then run your install again there.`]
  let commands = []
  if (known) {
    if (!one) {
      steps.push(`No setting is verified for ${who} on a volume without links (${pm.NO_LINK_TABLE.map((r) => r.label).join(', ')} have one: symlink-doctor doctor lists them).`)
    } else if (!one.works) {
      steps.push(`${who} ${pm.noLinkText(one)}.`)
    } else {
      steps.push(`Or, to stay on this volume, run in the project (${who}): ${pm.noLinkText(one)}.`)
      commands = one.commands
    }
  } else {
    const works = entries.filter((e) => e.works)
    if (works.length > 0) steps.push('Or, to stay on this volume, make the package manager install without links (run in the project):')
    for (const e of works) steps.push(`  ${e.label}: ${pm.noLinkText(e)}`)
    const cannot = entries.filter((e) => !e.works)
    if (cannot.length === entries.length) steps.push(`None of these package managers can work on this volume (${fsName}):`)
    for (const e of cannot) steps.push(`  ${e.label} ${pm.noLinkText(e)}`)
  }
  const r = remedy('move-to-link-volume', title, steps, commands)
  // Structured, for --json readers and the tests: the same entries.
  r.packageManagers = entries
  return r
}

function grantRemedy (report, { ci }) {
  const s = report.system || {}
  const account = s.accountName || (ci ? 'THE-AGENT-ACCOUNT' : null)
  if (ci && ci.detected) {
    return remedy('ci-grant',
      `CI detected (${ci.name}): grant "Create symbolic links" to the account the agent runs as`,
      [
        `The agent runs as ${s.accountName ? `"${s.accountName}"` : 'a service account'}; nobody signs in to click Settings, so grant the right to that account once on the image or agent machine, from an elevated shell.`,
        'Restart the agent service afterwards: the right applies from the next logon.',
        'Alternatively turn on Developer Mode in the machine image (a machine-wide registry value).'
      ],
      [`symlink-doctor fix --grant --account "${account}"`,
        `reg add "${DEVMODE_KEY}" /t REG_DWORD /f /v AllowDevelopmentWithoutDevLicense /d 1`])
  }
  const steps = []
  if (s.isHomeEdition) {
    steps.push(`Windows ${s.editionId || 'Home'} has no Local Security Policy editor (secpol.msc); run the command below from an elevated shell.`)
  } else {
    steps.push('secpol.msc > Security Settings > Local Policies > User Rights Assignment > "Create symbolic links" > Add User or Group... > add your account.')
    steps.push('Or run the command below from an elevated shell.')
  }
  steps.push('Then sign out and sign in again: a user right applies from the next logon. Give it only to trusted accounts.')
  return remedy('grant-right',
    'Grant your account the "Create symbolic links" right (SeCreateSymbolicLinkPrivilege)',
    steps,
    [`symlink-doctor fix --grant${s.accountName ? ` --account "${s.accountName}"` : ''}`])
}

function windowsRemedies (report, ctx, out) {
  const s = report.system || {}
  const v = report.volume || {}
  const can = report.can || {}
  const build = typeof s.osBuild === 'number' ? s.osBuild : null

  if (windowsVolumeCannot(report)) {
    out.push(moveOffVolume(report, 'an NTFS or ReFS drive (usually C:)', ctx))
    return
  }
  if (v.driveType === 'remote') {
    out.push(remedy('network-drive',
      'This is a network drive: junctions cannot point here, and Windows may not follow symlinks on it',
      [
        'Junctions only work between local volumes, so the usual npm/pnpm fallback fails on a share.',
        'Symlinks on a share are followed only where the SymlinkEvaluation policy allows it (R2R: remote to remote, R2L: remote to local). Check it, and enable it from an elevated shell if needed.',
        'Simplest: work on a local NTFS drive and keep the share for results.'
      ],
      ['fsutil behavior query SymlinkEvaluation', 'fsutil behavior set SymlinkEvaluation R2R:1 R2L:1']))
  }
  const stub = refused(report, isSilentNoop)
  if (stub) {
    out.push(remedy('stub-symlink-api',
      'CreateSymbolicLinkW reports success but creates nothing here (Wine or a similar compatibility layer)',
      [
        'No Windows setting changes this: the API is a stub in this environment.',
        'symlink-doctor falls back to junctions, hard links or copies; run real symlink tests on real Windows.'
      ]))
  }

  const privilegeRefused = refused(report, (r) => r.winerror === 1314)
  const symlinksWork = can.symlink === true
  const elevated = s.elevated === true || s.elevationType === 'full'
  // Works only because this token is elevated: every unelevated process
  // (the editor, npm in a normal terminal) still gets 1314.
  const elevatedOnly = symlinksWork && elevated && s.developerMode !== true
  const needsPrivilege = privilegeRefused || stub || (!symlinksWork && s.developerMode === false)
  if (!needsPrivilege && !elevatedOnly) return

  if (elevatedOnly) {
    out.push(remedy('elevated-is-not-the-fix',
      'Symlinks work now only because this shell is elevated (Run as administrator): that is not the fix',
      [
        'Your editor, npm in a normal terminal and other users run unelevated and still get EPERM / WinError 1314.',
        'Doing everyday builds as administrator also hides permission bugs and lets a bad script change the whole machine.',
        'Fix it once for every process with Developer Mode (below).'
      ]))
  }

  if (build !== null && build < UNPRIVILEGED_BUILD) {
    out.push(remedy('windows-upgrade',
      `Windows build ${build} predates unprivileged symlinks (build ${UNPRIVILEGED_BUILD}, Windows 10 1703): upgrade Windows, or grant the right`,
      ['Developer Mode on this build does not allow symlinks without the privilege.',
        'Upgrade to Windows 10 1703 or later (Settings > Update & Security > Windows Update), or grant the right as shown next.'],
      ['winver']))
    out.push(grantRemedy(report, ctx))
  } else if (s.developerMode !== true) {
    if (s.developerModePolicy === 0) {
      out.push(remedy('developer-mode-blocked-by-policy',
        'Developer Mode is turned off by policy on this machine, so it cannot be the fix here',
        [`Group Policy sets ${POLICY_KEY}\\AllowDevelopmentWithoutDevLicense = 0 ("Allows development of packaged Microsoft Store apps...", Windows Components > App Package Deployment).`,
          'Ask the administrator of this machine for Developer Mode, or for the "Create symbolic links" right (next).'],
        [`reg query "${POLICY_KEY}" /v AllowDevelopmentWithoutDevLicense`]))
    } else {
      const value = s.developerModeValue === undefined || s.developerModeValue === null ? 'absent' : String(s.developerModeValue)
      out.push(remedy('developer-mode',
        'Turn on Developer Mode: every process may then create symlinks, no reboot needed',
        [
          `Open ${settingsPath(build || 0)} and switch "Developer Mode" on (needs an administrator once).`,
          `Or from an elevated shell: symlink-doctor fix --developer-mode (sets ${DEVMODE_KEY}\\AllowDevelopmentWithoutDevLicense = 1; now ${value}).`,
          'New processes see it at once; tools must pass SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE (Node, Python 3.8+, Git for Windows and symlink-doctor do).'
        ],
        ['start ms-settings:developers', 'symlink-doctor fix --developer-mode']))
    }
    if (s.elevationType === 'limited' && privilegeRefused) {
      out.push(remedy('filtered-admin-token',
        'You are an administrator, yet Windows answers 1314: this shell runs with the filtered (non-elevated) token',
        ['UAC removes SeCreateSymbolicLinkPrivilege from the standard token of an administrator; only an elevated process holds it.',
          'Elevating fixes that one shell only; Developer Mode or the granted right fixes every process.']))
    }
    out.push(grantRemedy(report, ctx))
  } else if (privilegeRefused && ctx.ci && ctx.ci.detected) {
    out.push(grantRemedy(report, ctx))
  }
}

// ── Linux / macOS ──────────────────────────────────────────────────────────

// The probe's own scratch file or directory could not be made (open or
// mkdir failed), so nothing link-specific was tried: the directory refused.
function setupFailed (r) {
  return Boolean(r) && (r.syscall === 'open' || r.syscall === 'mkdir')
}

// Is the volume really read-only? EROFS alone does not say: a symlink(2)
// answering EROFS comes after the probe made a plain file and a directory
// here (src/unix/probe.c, lib/fallback.js), which a read-only volume never
// allows. Read-only: the probe could not create its own file (EROFS from
// open or mkdir), or the mount says ro.
function readOnlyVolume (report) {
  const v = report.volume || {}
  if (v.readOnly === true) return true
  if (typeof v.mountOptions === 'string' && v.mountOptions.split(',').includes('ro')) return true
  return (report.refusals || []).some((r) => r.code === 'EROFS' && setupFailed(r))
}

function readOnlyRemedy (v) {
  return remedy('read-only', 'The filesystem is mounted read-only', ['Remount it read-write, or work in a writable directory.'],
    [`sudo mount -o remount,rw ${v.mountPoint || 'MOUNTPOINT'}`])
}

function posixRemedies (report, ctx, out) {
  const v = report.volume || {}
  const s = report.system || {}
  const fsName = v.mountType || v.fsName || ''
  const symRefusals = (report.refusals || []).filter((r) => r.kind === 'fileSymlink' || r.kind === 'dirSymlink')
  if (symRefusals.length === 0) return
  const codes = new Set(symRefusals.map((r) => r.code))

  // Nothing at all can be created here: that comes first, and alone (a
  // setting for a package manager cannot be applied on a read-only volume;
  // the next doctor run, after the remount, says what the volume needs).
  if (readOnlyVolume(report)) {
    out.push(readOnlyRemedy(v))
    return
  }
  if (fsName === 'vboxsf') {
    const share = v.mountSource || 'SHARE'
    out.push(remedy('vboxsf-symlinks',
      'VirtualBox shared folder: symlinks are off for this share',
      ['On the host, with the VM powered off, allow symlinks for the share, then start the VM again:',
        'Or keep the project inside the VM\'s own disk (e.g. ~/project) and share only results.'],
      [`VBoxManage setextradata "VM NAME" VBoxInternal2/SharedFoldersEnableSymlinksCreate/${share} 1`]))
    return
  }
  if (/^(cifs|smb2|smb3)$/.test(fsName)) {
    const opts = v.mountOptions ? `${v.mountOptions},mfsymlinks` : 'mfsymlinks'
    out.push(remedy('cifs-mfsymlinks',
      'SMB/CIFS mount without symlink support: remount it with the mfsymlinks option',
      ['mfsymlinks stores symlinks as small files the Linux client understands (Minshall-French symlinks); add it in /etc/fstab to keep it.'],
      [`sudo umount ${v.mountPoint || 'MOUNTPOINT'}`,
        `sudo mount -t cifs ${v.mountSource || '//SERVER/SHARE'} ${v.mountPoint || 'MOUNTPOINT'} -o ${opts}`]))
    return
  }
  if (s.wsl && /^(9p|drvfs|v9fs)$/.test(fsName)) {
    out.push(remedy('wsl-windows-drive',
      'A Windows drive seen from WSL: Windows decides, so turn on Developer Mode on the Windows host',
      ['Windows > Settings > For developers > Developer Mode (no reboot), then retry from WSL.',
        'Or keep the project in the Linux filesystem (e.g. ~/project), where links always work and builds are faster.'],
      ['cmd.exe /c start ms-settings:developers']))
    return
  }
  if (NO_LINK_FS.test(fsName) || codes.has('ENOSYS') || codes.has('EOPNOTSUPP') || codes.has('ENOTSUP')) {
    out.push(moveOffVolume(report, 'a filesystem with links (ext4, btrfs, xfs, APFS, NTFS)', ctx))
    return
  }
  if (codes.has('EROFS')) {
    // EROFS from symlink(2) itself, after the probe made its own file and
    // directory here (readOnlyVolume said no above): a writable volume that
    // refuses symlinks (older VirtualBox shared folders answer this way),
    // not a read-only one.
    const also = (report.can || {}).hardlink ? ', and a hard link was made and removed' : ''
    out.push(remedy('move-to-link-volume',
      `This volume (${fsName || 'this filesystem'}) refuses symlinks with EROFS although it is writable: symlinks are off here, the mount is fine`,
      [`The probe created and removed a file and a directory here${also}; only symlink(2) answered EROFS ("read-only file system"). Older VirtualBox shared folders do this when symlinks are off for the share.`,
        'Move the project to a filesystem with symlinks (ext4, btrfs, xfs, APFS, NTFS), or, on a VirtualBox shared folder, allow symlinks for the share on the host (VirtualBox setting SharedFoldersEnableSymlinksCreate).']))
    return
  }
  if (codes.has('EACCES')) {
    out.push(remedy('no-write-access', 'This process cannot write to the directory',
      ['Check its owner and mode, or work in a directory you own.'], [`ls -ld ${report.dir}`]))
    return
  }
  if (codes.has('EPERM')) {
    const p = report.process || {}
    const filter = p.seccomp === 2 ? ' (this process runs under a seccomp filter: /proc/self/status Seccomp: 2)' : ''
    out.push(remedy('sandbox-refusal',
      `The filesystem supports links, but the kernel refused them for this process: a sandbox or security policy${filter}`,
      ['Run the command outside the sandbox (container, snap/flatpak confinement, CI step wrapper).',
        'Docker\'s default seccomp profile allows symlink(2); a custom --security-opt seccomp=... profile or an LSM policy (AppArmor, SELinux) may not: check the container\'s options and the audit log.'],
      ['grep -E "Seccomp|NoNewPrivs" /proc/self/status']))
  }
}

// ── Both ───────────────────────────────────────────────────────────────────

function fallbackNote (report, out) {
  const can = report.can || {}
  if (can.symlink || !(can.junction || can.hardlink)) return
  // createLink moves on to a junction or hard link only from a symlink
  // error it counts as a refusal (lib/refusals.js); from any other (EROFS
  // on a writable volume, say) it throws, so no fallback may be promised.
  const { isRefusal } = require('./refusals')
  const sym = (report.refusals || []).filter((r) => r.kind === 'fileSymlink' || r.kind === 'dirSymlink')
  if (sym.length > 0 && !sym.some((r) => isRefusal('symlink', r) || isSilentNoop(r))) return
  const kinds = [can.junction && 'junctions (directories)', can.hardlink && 'hard links (files)'].filter(Boolean).join(' and ')
  out.push(remedy('use-fallbacks',
    `Until then: ${kinds} still work here, and symlink-doctor falls back to them`,
    ['Make links with the fallback chain instead of plain symlinks:'],
    ['symlink-doctor link TARGET PATH']))
}

function gitRemedy (report, out) {
  const g = report.git
  if (!g || g.error) return
  const plain = (g.plainFiles || []).length
  if (plain === 0 && !(g.coreSymlinks === false && g.trackedSymlinks > 0 && report.can && report.can.symlink)) return
  const first = report.can && report.can.symlink ? '' : ' once symlinks work here (see above)'
  out.push(remedy('git-symlinks',
    plain > 0
      ? `${plain} tracked symlink${plain === 1 ? ' is' : 's are'} checked out as plain files (core.symlinks=${g.coreSymlinks === false ? 'false' : 'unset'})`
      : `core.symlinks=false in this repository although symlinks work here now (${g.trackedSymlinks} tracked)`,
    [`In ${g.workTree}${first}: set core.symlinks=true and check out those paths again; files you modified are left alone.`],
    ['git config core.symlinks true', 'symlink-doctor fix --git']))
}

// ctx: { ci, pm } — the only inputs outside the report. ci defaults to
// report.ci; pm is the package manager running us ({ name, version, major }
// from lib/package-manager.js detect() or current()), when known: the
// remedies then name its setting only.
function chooseRemedies (report, ctx = {}) {
  const context = { ci: ctx.ci || report.ci || { detected: false }, pm: ctx.pm || null }
  const out = []
  if (report.platform === 'win32') windowsRemedies(report, context, out)
  else posixRemedies(report, context, out)
  fallbackNote(report, out)
  gitRemedy(report, out)
  return out
}

module.exports = { chooseRemedies, windowsVolumeCannot, readOnlyVolume, UNPRIVILEGED_BUILD, WINDOWS_11_BUILD, DEVMODE_KEY, POLICY_KEY }
