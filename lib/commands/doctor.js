'use strict'
// symlink-doctor [doctor] [dir]: the checklist and the remedy for this machine.

const EXIT = require('../cli/exit-codes')

module.exports = {
  summary: 'checklist of what can be linked here and why not, then the fix for this machine (default)',
  usage: 'symlink-doctor [doctor] [dir] [--json] [--no-git]',
  help: `Usage: symlink-doctor [doctor] [dir] [--json] [--no-git]

Tries every kind of link in dir (default: the current directory), reads the
facts that decide it (filesystem, Windows Developer Mode, privilege,
elevation, sandbox, git core.symlinks) and prints one line per check with
its evidence, then the remedies that apply to this machine, best first.

A directory that cannot be written (read-only, no write access, full) is a
finding like any other: the report says so, with its remedy. When the
native core is not loaded the report says what that costs here and how to
get it back (npm rebuild symlink-doctor).

Options:
  --json      print the report as JSON (schema: doc/cli.md, lib/cli/report-schema.json)
  --no-git    skip the git work-tree finding (no git process is started)
  -h, --help  this help

Exit: 0 every check passed or warned, 1 a check failed, 64 usage error,
66 dir does not exist or is not a directory, 74 the system refused an
operation (permission, read-only, disk full), 70 a bug. All codes: doc/cli.md.`,
  async run (args, io) {
    const { parseOptions, UsageError } = require('../cli/options')
    const { opts, positionals } = parseOptions(args, {
      json: { type: 'boolean' },
      'no-git': { type: 'boolean' }
    }, { maxPositionals: 1 })
    const path = require('path')
    const { buildReport, toJSON } = require('../cli/report')
    if (positionals[0] === '-') throw new UsageError("'-' is not a directory: symlink-doctor reads nothing from stdin; name a directory (default: .)")
    const dir = path.resolve(io.cwd, positionals[0] || '.')
    const report = buildReport(dir, io.env, { git: !opts['no-git'] })
    if (opts.json) {
      io.stdout.write(toJSON(report) + '\n')
    } else {
      const { renderReport } = require('../cli/render')
      const { styleFor } = require('../cli/style')
      io.stdout.write(renderReport(report, styleFor(io.stdout, io.env)))
    }
    return report.checks.some((c) => c.status === 'fail') ? EXIT.FAIL : EXIT.OK
  }
}
