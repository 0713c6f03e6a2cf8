'use strict'
// The remedy choice (lib/remedy.js) on report objects, for the branches no
// environment here can produce: Windows editions, builds, policy, tokens,
// volumes, network drives, CI, and the Linux mounts we cannot mount
// (vboxsf, CIFS, WSL's /mnt/c). The report shapes are those diagnose()
// returns (lib/diagnose.js) with the Windows facts of src/win.

const assert = require('assert')
const { chooseRemedies } = require('../lib/remedy')
const { buildChecks } = require('../lib/cli/checks')
const { detectCI } = require('../lib/cli/ci')

const ok = () => ({ tried: true, ok: true, code: null, errno: null, winerror: null, syscall: null, message: null })
const untried = () => ({ tried: false, ok: false, code: null, errno: null, winerror: null, syscall: null, message: null })
const no = (code, winerror = null, syscall = 'symlink') => ({ tried: true, ok: false, code, errno: -1, winerror, syscall, message: code })

function report ({ platform, probe, volume = {}, system = {}, ci, git, process: proc = {} }) {
  const can = {
    fileSymlink: probe.fileSymlink.ok,
    dirSymlink: probe.dirSymlink.ok,
    junction: probe.junction.ok,
    hardlink: probe.hardlink.ok
  }
  can.symlink = can.fileSymlink && can.dirSymlink
  const refusals = []
  for (const [kind, a] of Object.entries(probe)) {
    if (a.tried && !a.ok) refusals.push({ kind, code: a.code, errno: a.errno, winerror: a.winerror, syscall: a.syscall, meaning: '' })
  }
  return { platform, dir: platform === 'win32' ? 'C:\\work' : '/work', native: true, can, probe, volume, system, refusals, ci: ci || { detected: false }, process: proc, git }
}

const NTFS = { fsName: 'NTFS', supportsReparsePoints: true, supportsHardLinks: true, driveType: 'fixed', volumeRoot: 'C:\\' }

// Windows where a symlink gets 1314 and a junction works (the common case).
function win ({ system = {}, volume = NTFS, probe = {}, ci } = {}) {
  return report({
    platform: 'win32',
    volume,
    ci,
    probe: {
      fileSymlink: no('EPERM', 1314),
      dirSymlink: no('EPERM', 1314),
      junction: ok(),
      hardlink: ok(),
      ...probe
    },
    system: {
      developerMode: false,
      developerModeValue: 0,
      developerModePolicy: null,
      osMajor: 10,
      osMinor: 0,
      osBuild: 19045,
      editionId: 'Professional',
      isHomeEdition: false,
      elevated: false,
      elevationType: 'default',
      symlinkPrivilegePresent: false,
      accountName: 'PC\\alice',
      ...system
    }
  })
}

function linux ({ volume, probe = {}, system = {}, proc = {} }) {
  return report({
    platform: 'linux',
    volume,
    process: proc,
    probe: { fileSymlink: ok(), dirSymlink: ok(), junction: untried(), hardlink: ok(), ...probe },
    system: { uid: 1000, kernel: 'Linux', kernelRelease: '6.1.0', wsl: false, ...system }
  })
}

const ids = (r) => chooseRemedies(r).map((x) => x.id)
const find = (r, id) => {
  const x = chooseRemedies(r).find((m) => m.id === id)
  assert.ok(x, `no remedy ${id} in ${ids(r).join(', ')}`)
  return x
}

describe('remedy choice (lib/remedy.js) on report objects', function () {
  describe('Windows, Developer Mode', function () {
    it('off on Windows 10: Developer Mode first, with the Windows 10 Settings path; then the right', function () {
      const r = win()
      assert.deepStrictEqual(ids(r), ['developer-mode', 'grant-right', 'use-fallbacks'])
      const dm = find(r, 'developer-mode')
      assert.match(dm.steps[0], /Settings > Update & Security > For developers/)
      assert.ok(dm.commands.includes('start ms-settings:developers'))
      assert.match(dm.title, /no reboot/)
      assert.match(dm.steps[1], /now 0\)/)
    })

    it('off on Windows 11 (build >= 22000): the Windows 11 Settings path', function () {
      const dm = find(win({ system: { osBuild: 22631 } }), 'developer-mode')
      assert.match(dm.steps[0], /Privacy & security > For developers/)
      assert.doesNotMatch(dm.steps[0], /Update & Security/)
    })

    it('value absent is reported as absent', function () {
      assert.match(find(win({ system: { developerModeValue: null } }), 'developer-mode').steps[1], /now absent/)
    })

    it('forced off by policy: says so, no developer-mode remedy, goes on to the right', function () {
      const r = win({ system: { developerModePolicy: 0 } })
      assert.deepStrictEqual(ids(r), ['developer-mode-blocked-by-policy', 'grant-right', 'use-fallbacks'])
      assert.match(find(r, 'developer-mode-blocked-by-policy').steps[0], /Policies\\Microsoft\\Windows\\Appx\\AllowDevelopmentWithoutDevLicense = 0/)
      assert.strictEqual(buildChecks(r).find((c) => c.id === 'developer-mode-policy').status, 'fail')
    })

    it('policy "not configured" (65535) or allow (1) does not block', function () {
      assert.strictEqual(ids(win({ system: { developerModePolicy: 65535 } }))[0], 'developer-mode')
      assert.strictEqual(ids(win({ system: { developerModePolicy: 1 } }))[0], 'developer-mode')
    })

    it('on: symlinks work, nothing to fix', function () {
      const r = win({ system: { developerMode: true, developerModeValue: 1 }, probe: { fileSymlink: ok(), dirSymlink: ok() } })
      assert.deepStrictEqual(ids(r), [])
      assert.strictEqual(buildChecks(r).find((c) => c.id === 'developer-mode').status, 'pass')
    })
  })

  describe('Windows, builds and editions', function () {
    it('build < 14972: upgrade or the privilege, never Developer Mode', function () {
      const r = win({ system: { osBuild: 14393 } })
      assert.deepStrictEqual(ids(r), ['windows-upgrade', 'grant-right', 'use-fallbacks'])
      assert.match(find(r, 'windows-upgrade').title, /build 14393 predates unprivileged symlinks \(build 14972/)
      assert.strictEqual(buildChecks(r).find((c) => c.id === 'windows-build').status, 'fail')
    })

    it('Pro: the right via secpol.msc or fix --grant, then sign out and in', function () {
      const g = find(win(), 'grant-right')
      assert.match(g.steps.join('\n'), /secpol\.msc > Security Settings > Local Policies > User Rights Assignment > "Create symbolic links"/)
      assert.match(g.steps.join('\n'), /sign out and sign in again/)
      assert.deepStrictEqual(g.commands, ['symlink-doctor fix --grant --account "PC\\alice"'])
    })

    it('Home: no secpol.msc, only fix --grant (or Developer Mode)', function () {
      const r = win({ system: { isHomeEdition: true, editionId: 'Core' } })
      assert.deepStrictEqual(ids(r), ['developer-mode', 'grant-right', 'use-fallbacks'])
      const g = find(r, 'grant-right')
      assert.match(g.steps[0], /Windows Core has no Local Security Policy editor \(secpol\.msc\)/)
      assert.doesNotMatch(g.steps.join('\n'), /secpol\.msc >/)
      assert.match(g.commands[0], /symlink-doctor fix --grant/)
    })
  })

  describe('Windows, tokens', function () {
    it('an administrator in a filtered (limited) token: explains why an admin gets 1314', function () {
      const r = win({ system: { elevationType: 'limited' } })
      assert.deepStrictEqual(ids(r), ['developer-mode', 'filtered-admin-token', 'grant-right', 'use-fallbacks'])
      assert.match(find(r, 'filtered-admin-token').steps[0], /UAC removes SeCreateSymbolicLinkPrivilege/)
      assert.strictEqual(buildChecks(r).find((c) => c.id === 'elevation').status, 'warn')
    })

    it('elevated: symlinks work now, but that is not the fix; Developer Mode is', function () {
      const r = win({
        system: { elevated: true, elevationType: 'full', symlinkPrivilegePresent: true },
        probe: { fileSymlink: ok(), dirSymlink: ok() }
      })
      assert.deepStrictEqual(ids(r), ['elevated-is-not-the-fix', 'developer-mode', 'grant-right'])
      assert.match(find(r, 'elevated-is-not-the-fix').steps[0], /run unelevated and still get EPERM/)
      assert.strictEqual(buildChecks(r).find((c) => c.id === 'developer-mode').status, 'warn')
    })

    it('elevated with Developer Mode on: nothing to fix', function () {
      const r = win({
        system: { elevated: true, elevationType: 'full', developerMode: true, developerModeValue: 1 },
        probe: { fileSymlink: ok(), dirSymlink: ok() }
      })
      assert.deepStrictEqual(ids(r), [])
    })
  })

  describe('Windows, volumes', function () {
    for (const [fsName, winerror] of [['FAT32', 1], ['exFAT', 1], ['exFAT', 50]]) {
      it(`${fsName} (WinError ${winerror}): move to NTFS/ReFS or use copies; no setting is suggested`, function () {
        const r = win({
          volume: { fsName, supportsReparsePoints: false, supportsHardLinks: false, driveType: 'removable', volumeRoot: 'E:\\' },
          probe: { fileSymlink: no('EISDIR', winerror), dirSymlink: no('EISDIR', winerror), junction: no('ENOTSUP', 50), hardlink: no('EPERM', 1, 'link') }
        })
        assert.deepStrictEqual(ids(r), ['move-to-link-volume'])
        const m = find(r, 'move-to-link-volume')
        assert.match(m.title, new RegExp(`This volume \\(${fsName}\\) cannot hold links`))
        assert.match(m.steps[0], /NTFS or ReFS/)
        assert.deepStrictEqual(m.commands, [])
        assert.deepStrictEqual(m.packageManagers.map((e) => [e.label, e.works]), [['npm', true], ['pnpm 9+', true], ['yarn 1', true], ['yarn 2+', true]])
        assert.strictEqual(buildChecks(r).find((c) => c.id === 'filesystem').status, 'fail')
      })
    }

    it('network drive: junctions cannot point there; SymlinkEvaluation; and the privilege remedies still apply', function () {
      const r = win({
        volume: { fsName: 'NTFS', supportsReparsePoints: true, driveType: 'remote', volumeRoot: '\\\\server\\share\\' },
        probe: { junction: no('EINVAL', 50) }
      })
      assert.deepStrictEqual(ids(r), ['network-drive', 'developer-mode', 'grant-right', 'use-fallbacks'])
      const n = find(r, 'network-drive')
      assert.ok(n.commands.includes('fsutil behavior query SymlinkEvaluation'))
      assert.ok(n.commands.includes('fsutil behavior set SymlinkEvaluation R2R:1 R2L:1'))
      assert.strictEqual(buildChecks(r).find((c) => c.id === 'filesystem').status, 'warn')
    })

    it('Wine: CreateSymbolicLinkW succeeds and makes nothing: says so; Developer Mode shown only while off', function () {
      const stub = { fileSymlink: no('ENOTSUP', null, 'symlink-verify'), dirSymlink: no('ENOTSUP', null, 'symlink-verify'), junction: no('ENOTSUP', 50) }
      // Wine's emulated NTFS reports no reparse-point support: not a reason to move off NTFS.
      const wineNtfs = { fsName: 'NTFS', supportsReparsePoints: false, driveType: 'fixed', volumeRoot: 'C:\\' }
      const off = win({ probe: stub, volume: wineNtfs, system: { elevated: true, elevationType: 'default', developerModeValue: null } })
      assert.strictEqual(buildChecks(off).find((c) => c.id === 'filesystem').status, 'warn')
      assert.deepStrictEqual(ids(off), ['stub-symlink-api', 'developer-mode', 'grant-right', 'use-fallbacks'])
      const on = win({ probe: stub, volume: wineNtfs, system: { elevated: true, developerMode: true, developerModeValue: 1 } })
      assert.deepStrictEqual(ids(on), ['stub-symlink-api', 'use-fallbacks'])
    })
  })

  describe('CI', function () {
    const vars = { CI: 'true', GITHUB_ACTIONS: 'true', TF_BUILD: 'True', JENKINS_URL: 'http://jenkins/', GITLAB_CI: 'true', BUILDKITE: 'true', CIRCLECI: 'true', APPVEYOR: 'True', TEAMCITY_VERSION: '2023.1' }
    for (const [name, value] of Object.entries(vars)) {
      it(`${name} is detected`, function () {
        const ci = detectCI({ [name]: value })
        assert.strictEqual(ci.detected, true)
        assert.strictEqual(ci.variable, name)
      })
    }

    it('CI=false, CI=0 or empty is not CI', function () {
      for (const v of ['false', '0', '']) assert.strictEqual(detectCI({ CI: v }).detected, false)
      assert.strictEqual(detectCI({}).detected, false)
    })

    it('on CI: grant the right to the agent\'s account (fix --grant --account), not a Settings page click', function () {
      const r = win({ ci: detectCI({ TF_BUILD: 'True' }), system: { accountName: 'NT AUTHORITY\\NETWORK SERVICE' } })
      assert.deepStrictEqual(ids(r), ['developer-mode', 'ci-grant', 'use-fallbacks'])
      const g = find(r, 'ci-grant')
      assert.match(g.title, /CI detected \(Azure Pipelines\)/)
      assert.strictEqual(g.commands[0], 'symlink-doctor fix --grant --account "NT AUTHORITY\\NETWORK SERVICE"')
      assert.match(g.steps.join('\n'), /Restart the agent service/)
    })

    it('on CI with Developer Mode on and still 1314: the grant for the agent', function () {
      const r = win({ ci: detectCI({ GITHUB_ACTIONS: 'true' }), system: { developerMode: true, developerModeValue: 1 } })
      assert.deepStrictEqual(ids(r), ['ci-grant', 'use-fallbacks'])
    })
  })

  describe('Linux and macOS filesystems', function () {
    it('vboxsf: the VirtualBox SharedFoldersEnableSymlinksCreate setting for this share', function () {
      const r = linux({
        volume: { fsName: 'vboxsf', mountType: 'vboxsf', mountSource: 'proj', mountPoint: '/media/sf_proj' },
        probe: { fileSymlink: no('EPROTO'), dirSymlink: no('EPROTO') }
      })
      assert.deepStrictEqual(ids(r), ['vboxsf-symlinks', 'use-fallbacks'])
      assert.deepStrictEqual(find(r, 'vboxsf-symlinks').commands, ['VBoxManage setextradata "VM NAME" VBoxInternal2/SharedFoldersEnableSymlinksCreate/proj 1'])
    })

    it('CIFS: remount with mfsymlinks, keeping the existing options', function () {
      const r = linux({
        volume: { fsName: 'smb2', mountType: 'cifs', mountSource: '//nas/code', mountPoint: '/mnt/code', mountOptions: 'rw,vers=3.0' },
        probe: { fileSymlink: no('EOPNOTSUPP'), dirSymlink: no('EOPNOTSUPP') }
      })
      assert.deepStrictEqual(ids(r), ['cifs-mfsymlinks', 'use-fallbacks'])
      assert.strictEqual(find(r, 'cifs-mfsymlinks').commands[1], 'sudo mount -t cifs //nas/code /mnt/code -o rw,vers=3.0,mfsymlinks')
    })

    it('WSL /mnt/c: Developer Mode on the Windows host, or the Linux filesystem', function () {
      const r = linux({
        volume: { fsName: 'v9fs', mountType: '9p', mountSource: 'C:\\', mountPoint: '/mnt/c' },
        system: { wsl: true, kernelRelease: '5.15.90.1-microsoft-standard-WSL2' },
        probe: { fileSymlink: no('EPERM'), dirSymlink: no('EPERM') }
      })
      assert.deepStrictEqual(ids(r), ['wsl-windows-drive', 'use-fallbacks'])
      assert.match(find(r, 'wsl-windows-drive').title, /Developer Mode on the Windows host/)
      assert.doesNotMatch(ids(r).join(), /sandbox/)
    })

    it('exFAT (kernel driver): move or copy', function () {
      const r = linux({
        volume: { fsName: 'exfat', mountType: 'exfat', mountPoint: '/media/usb' },
        probe: { fileSymlink: no('EPERM'), dirSymlink: no('EPERM'), hardlink: no('EPERM', null, 'link') }
      })
      assert.deepStrictEqual(ids(r), ['move-to-link-volume'])
      assert.match(find(r, 'move-to-link-volume').title, /\(exfat\)/)
    })

    it('EPERM on ext4: a sandbox, with the seccomp evidence when there is a filter', function () {
      const r = linux({ volume: { fsName: 'ext4', mountType: 'ext4' }, probe: { fileSymlink: no('EPERM'), dirSymlink: no('EPERM') }, proc: { seccomp: 2, noNewPrivs: true } })
      assert.deepStrictEqual(ids(r), ['sandbox-refusal', 'use-fallbacks'])
      assert.match(find(r, 'sandbox-refusal').title, /seccomp filter/)
    })

    it('read-only and no write access', function () {
      assert.deepStrictEqual(ids(linux({ volume: { mountType: 'ext4', mountPoint: '/ro' }, probe: { fileSymlink: no('EROFS', null, 'open'), dirSymlink: no('EROFS', null, 'open'), hardlink: no('EROFS', null, 'open') } })), ['read-only'])
      assert.deepStrictEqual(ids(linux({ volume: { mountType: 'ext4', mountPoint: '/ro', mountOptions: 'ro,relatime' }, probe: { fileSymlink: no('EROFS'), dirSymlink: no('EROFS'), hardlink: no('EROFS', null, 'link') } })), ['read-only'])
      // EROFS from symlink(2) itself, after the probe made its own file: writable, symlinks off.
      const w = linux({ volume: { mountType: 'ext4', mountPoint: '/w' }, probe: { fileSymlink: no('EROFS'), dirSymlink: no('EROFS'), hardlink: ok() } })
      assert.deepStrictEqual(ids(w), ['move-to-link-volume', 'use-fallbacks'])
      assert.match(find(w, 'move-to-link-volume').title, /refuses symlinks with EROFS although it is writable/)
      assert.deepStrictEqual(ids(linux({ volume: { mountType: 'ext4' }, probe: { fileSymlink: no('EACCES'), dirSymlink: no('EACCES'), hardlink: no('EACCES', null, 'link') } })), ['no-write-access'])
    })
  })

  describe('git', function () {
    it('plain files with working symlinks: the git remedy only', function () {
      const r = linux({ volume: { mountType: 'ext4' } })
      r.git = { workTree: '/work', coreSymlinks: false, trackedSymlinks: 4, plainFiles: ['a', 'b'] }
      assert.deepStrictEqual(ids(r), ['git-symlinks'])
      assert.match(find(r, 'git-symlinks').title, /^2 tracked symlinks are checked out as plain files \(core\.symlinks=false\)/)
    })

    it('plain files where symlinks are refused: the cause first, git after it', function () {
      const r = win()
      r.git = { workTree: 'C:\\work', coreSymlinks: false, trackedSymlinks: 1, plainFiles: ['a'] }
      assert.deepStrictEqual(ids(r), ['developer-mode', 'grant-right', 'use-fallbacks', 'git-symlinks'])
      assert.match(find(r, 'git-symlinks').steps[0], /once symlinks work here/)
    })

    it('core.symlinks=false with all links in place and symlinks working: suggest turning it on', function () {
      const r = linux({ volume: { mountType: 'ext4' } })
      r.git = { workTree: '/work', coreSymlinks: false, trackedSymlinks: 2, plainFiles: [] }
      assert.deepStrictEqual(ids(r), ['git-symlinks'])
      r.git.coreSymlinks = true
      assert.deepStrictEqual(ids(r), [])
    })
  })
})
