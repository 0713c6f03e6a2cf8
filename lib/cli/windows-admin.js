'use strict'
// Windows-side steps of `fix`: the exact manual commands, how to rerun
// elevated, and the registry write for Developer Mode. symlink-doctor never
// elevates by itself; it prints what to run.

const { DEVMODE_KEY } = require('../remedy')

const DEVMODE_VALUE = 'AllowDevelopmentWithoutDevLicense'
const REG_ADD_ARGS = ['add', DEVMODE_KEY, '/v', DEVMODE_VALUE, '/t', 'REG_DWORD', '/d', '1', '/f']
const REG_ADD = `reg add "${DEVMODE_KEY}" /v ${DEVMODE_VALUE} /t REG_DWORD /d 1 /f`

function rerunElevated (commandLine) {
  return [
    'This step needs an elevated shell (Run as administrator); symlink-doctor never elevates by itself.',
    'Open one: Start > type "Terminal" (or "PowerShell") > right-click > Run as administrator, then run:',
    `  ${commandLine}`,
    'Or start one from here (Windows asks for consent once):',
    `  powershell -NoProfile -Command "Start-Process -Verb RunAs -FilePath cmd.exe -ArgumentList '/k','${commandLine}'"`
  ]
}

function manualGrant (account, isHome) {
  const lines = []
  if (!isHome) {
    lines.push('By hand: secpol.msc > Security Settings > Local Policies > User Rights Assignment >',
      `  "Create symbolic links" > Add User or Group... > ${account} > OK.`)
  } else {
    lines.push('This edition has no secpol.msc (Local Security Policy).')
  }
  lines.push('Or with secedit, from an elevated shell (every edition):',
    '  secedit /export /cfg %TEMP%\\sd-rights.inf /areas USER_RIGHTS',
    `  (in %TEMP%\\sd-rights.inf, append ",${account}" to the line "SeCreateSymbolicLinkPrivilege = ..."; add that line if it is missing)`,
    '  secedit /configure /db %TEMP%\\sd-rights.sdb /cfg %TEMP%\\sd-rights.inf /areas USER_RIGHTS',
    'Then sign out and in again (for a CI agent: restart its service): the right applies from the next logon.')
  return lines
}

module.exports = { REG_ADD, REG_ADD_ARGS, DEVMODE_VALUE, rerunElevated, manualGrant }
