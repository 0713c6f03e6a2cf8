'use strict'
// symlink-doctor fix: applies the remedies it can, each only when asked,
// printing every step. Never elevates; never touches a file the user changed.

const EXIT = require('../cli/exit-codes')

const ACTIONS = ['developer-mode', 'grant', 'open-settings', 'git']

module.exports = {
  summary: 'apply a remedy: --developer-mode, --grant [--account NAME], --git, --open-settings (--dry-run)',
  usage: 'symlink-doctor fix [dir] (--developer-mode | --grant [--account NAME] | --git | --open-settings)... [--dry-run]',
  help: `Usage: symlink-doctor fix [dir] (--developer-mode | --grant [--account NAME] | --git | --open-settings)... [--dry-run]

Applies the remedies you name, printing each step. It never elevates by
itself: where a step needs an elevated shell it says exactly how to rerun.

Actions:
  --developer-mode   Windows: set HKLM\\...\\AppModelUnlock AllowDevelopmentWithoutDevLicense = 1
                     (elevated shell; no reboot; every new process may then make symlinks)
  --grant            Windows: grant "Create symbolic links" (SeCreateSymbolicLinkPrivilege) to
                     --account NAME (default: the current account); elevated; applies at next logon
  --open-settings    Windows (and WSL): open Settings > For developers (ms-settings:developers)
  --git              in the git work tree holding dir: set core.symlinks=true and check out again
                     only the tracked symlinks that are plain files; modified files, and paths
                     under a directory that is a symlink (git would replace it), are skipped
Options:
  --account NAME     the account for --grant (e.g. a CI agent's service account)
  --dry-run          print what would be done, change nothing
  -h, --help         this help

Exit: 0 done, 1 a step failed or was left undone, 3 needs an elevated shell or
is not available in this build (manual steps printed), 64 usage error.`,
  async run (args, io) {
    const { parseOptions, UsageError } = require('../cli/options')
    const { opts, positionals } = parseOptions(args, {
      'developer-mode': { type: 'boolean' },
      grant: { type: 'boolean' },
      account: { type: 'string' },
      git: { type: 'boolean' },
      'open-settings': { type: 'boolean' },
      'dry-run': { type: 'boolean' }
    }, { maxPositionals: 1 })
    const chosen = ACTIONS.filter((a) => opts[a])
    if (chosen.length === 0) throw new UsageError(`fix needs an action: ${ACTIONS.map((a) => `--${a}`).join(', ')}`)
    if (opts.account && !opts.grant) throw new UsageError('--account goes with --grant')
    const path = require('path')
    const ctx = {
      io,
      dryRun: Boolean(opts['dry-run']),
      dir: path.resolve(io.cwd, positionals[0] || '.'),
      account: opts.account,
      say: (line) => io.stdout.write(line + '\n'),
      warn: (line) => io.stderr.write(line + '\n')
    }
    const steps = require('../cli/fix-steps')
    let code = EXIT.OK
    for (const action of chosen) {
      const c = await steps[action](ctx)
      code = Math.max(code, c)
    }
    return code
  }
}
