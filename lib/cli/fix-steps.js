'use strict'
// One function per `fix` action: (ctx) → exit code. ctx: { io, dryRun, dir,
// account, say, warn }.

const { spawnSync } = require('child_process')
const EXIT = require('./exit-codes')
const { REG_ADD, REG_ADD_ARGS, rerunElevated, manualGrant } = require('./windows-admin')
const { WINERROR } = require('../explain')

const isWindows = process.platform === 'win32'

function facts () {
  return require('../binding').systemFacts()
}

function notWindows (ctx, what) {
  ctx.warn(`${what} is a Windows setting; this is ${process.platform}. Run symlink-doctor for the fix that applies here.`)
  return EXIT.FAIL
}

// Elevated, not elevated, or null when this build cannot tell (pure-JS core).
function isElevated (s) {
  if (s.elevated === true || s.elevationType === 'full') return true
  if (s.elevated === false) return false
  return null
}

function developerMode (ctx) {
  if (!isWindows) return notWindows(ctx, 'Developer Mode')
  const s = facts()
  if (s.developerMode === true) {
    ctx.say('Developer Mode is already on; nothing to do.')
    return EXIT.OK
  }
  if (s.developerModePolicy === 0) {
    ctx.warn('Developer Mode is forced off by Group Policy (HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\Appx AllowDevelopmentWithoutDevLicense = 0);')
    ctx.warn('setting the value would be overridden. Ask the machine\'s administrator, or use: symlink-doctor fix --grant')
    return EXIT.FAIL
  }
  ctx.say(`Turn on Developer Mode: ${REG_ADD}`)
  if (ctx.dryRun) {
    ctx.say('(dry run: nothing changed)')
    return EXIT.OK
  }
  if (isElevated(s) === false) {
    for (const line of rerunElevated('npx symlink-doctor fix --developer-mode')) ctx.warn(line)
    return EXIT.NEEDS_ADMIN
  }
  // reg.exe ships with every Windows; it writes the same value Settings does.
  const r = spawnSync('reg.exe', REG_ADD_ARGS, { encoding: 'utf8', windowsHide: true })
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : (r.stderr || r.stdout || '').trim()
    ctx.warn(`reg.exe failed: ${why}`)
    if (/denied/i.test(why)) for (const line of rerunElevated('npx symlink-doctor fix --developer-mode')) ctx.warn(line)
    return /denied/i.test(why) ? EXIT.NEEDS_ADMIN : EXIT.FAIL
  }
  const after = facts()
  if (after.developerMode === false) {
    ctx.warn('The value was written but Developer Mode still reads as off; check Settings > For developers.')
    return EXIT.FAIL
  }
  ctx.say('Developer Mode is on. No reboot needed: processes started from now on can create symlinks.')
  return EXIT.OK
}

function grant (ctx) {
  if (!isWindows) return notWindows(ctx, 'The "Create symbolic links" right')
  const binding = require('../binding')
  const s = facts()
  const account = ctx.account || s.accountName ||
    (process.env.USERNAME ? `${process.env.USERDOMAIN ? process.env.USERDOMAIN + '\\' : ''}${process.env.USERNAME}` : 'YOUR-ACCOUNT')
  ctx.say(`Grant SeCreateSymbolicLinkPrivilege ("Create symbolic links") to ${account}`)
  if (typeof binding.grantSymlinkRight !== 'function') {
    ctx.warn('Granting the right needs LsaAddAccountRights, which this build\'s native core does not provide yet.')
    for (const line of manualGrant(account, s.isHomeEdition === true)) ctx.warn(line)
    return EXIT.NEEDS_ADMIN
  }
  if (ctx.dryRun) {
    ctx.say('(dry run: nothing changed)')
    return EXIT.OK
  }
  if (isElevated(s) === false) {
    for (const line of rerunElevated(`npx symlink-doctor fix --grant --account "${account}"`)) ctx.warn(line)
    return EXIT.NEEDS_ADMIN
  }
  try {
    binding.grantSymlinkRight(account)
  } catch (err) {
    ctx.warn(`Granting failed: ${err.message}${err.winerror ? ` (WinError ${err.winerror}${WINERROR[err.winerror] ? `, ${WINERROR[err.winerror]}` : ''})` : ''}`)
    return err.winerror === 5 || err.code === 'EPERM' ? EXIT.NEEDS_ADMIN : EXIT.FAIL
  }
  ctx.say(`Granted. ${account} must sign out and in again (a CI agent: restart its service): the right applies from the next logon.`)
  return EXIT.OK
}

function openSettings (ctx) {
  const wsl = process.platform === 'linux' && /microsoft/i.test(require('os').release())
  if (!isWindows && !wsl) return notWindows(ctx, 'Settings > For developers')
  const args = ['/d', '/c', 'start', '""', 'ms-settings:developers']
  ctx.say('Open Settings > For developers: start ms-settings:developers')
  if (ctx.dryRun) {
    ctx.say('(dry run: nothing opened)')
    return EXIT.OK
  }
  const r = spawnSync('cmd.exe', args, { stdio: 'ignore', windowsHide: true, windowsVerbatimArguments: true })
  if (r.error || r.status !== 0) {
    ctx.warn(`could not open Settings (${r.error ? r.error.message : `exit ${r.status}`}); open it by hand: Start > Settings > search "developer"`)
    return EXIT.FAIL
  }
  return EXIT.OK
}

function git (ctx) {
  const { planGitFix, applyGitFix } = require('../git')
  const plan = planGitFix(ctx.dir)
  if (!plan.finding) {
    ctx.warn(`${ctx.dir} is not in a git work tree.`)
    return EXIT.FAIL
  }
  if (plan.finding.error) {
    ctx.warn(`git: ${plan.finding.error}`)
    return EXIT.FAIL
  }
  const f = plan.finding
  ctx.say(`${f.workTree}: ${f.trackedSymlinks} tracked symlinks, ${f.plainFiles.length} checked out as plain files, core.symlinks=${f.coreSymlinks === null ? 'unset' : f.coreSymlinks}`)
  for (const s of plan.skipped) ctx.warn(`skip ${s.path}: ${s.why}`)
  if (plan.repair.length === 0 && f.coreSymlinks !== false) {
    ctx.say('Nothing to fix.')
    return plan.skipped.length ? EXIT.FAIL : EXIT.OK
  }
  // Setting core.symlinks=true where symlinks are refused would only move the
  // failure into git; say the real cause instead.
  const { diagnoseSync } = require('../diagnose')
  const report = diagnoseSync(f.workTree)
  if (!report.can.symlink) {
    const why = report.refusals[0]
    ctx.warn(`Symlinks cannot be made in ${f.workTree}${why ? ` (${why.code}: ${why.meaning})` : ''}.`)
    ctx.warn('Fix that first (run symlink-doctor), then run this again. The plain files stay as they are: a hard link or copy in their place would show as modified in git status and not follow its target.')
    return EXIT.FAIL
  }
  if (ctx.dryRun) {
    for (const p of plan.repair) ctx.say(`would check out again: ${p}`)
    ctx.say(`would run: git -c core.symlinks=true checkout -- <${plan.repair.length} path${plan.repair.length === 1 ? '' : 's'}>   (in ${f.workTree})`)
    ctx.say(plan.skipped.some((s) => s.code === 'modified')
      ? 'core.symlinks would stay as it is: skipped plain files would be left (with core.symlinks=true git status would show them as typechanges)'
      : `would run: git config core.symlinks true   (in ${f.workTree})`)
    ctx.say('(dry run: nothing changed)')
    return EXIT.OK
  }
  const done = applyGitFix(plan, (line) => ctx.say(line))
  for (const p of done.fixed) ctx.say(`fixed: ${p} is a symlink again`)
  for (const x of done.failed) ctx.warn(`not fixed: ${x.path}: ${x.why}`)
  return done.failed.length || plan.skipped.length ? EXIT.FAIL : EXIT.OK
}

module.exports = { 'developer-mode': developerMode, grant, 'open-settings': openSettings, git }
