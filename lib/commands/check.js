'use strict'
// symlink-doctor check [dir]: the answer for scripts, as an exit code.
// Kept to the probe alone (no git, no report rendering) so it starts fast.

const EXIT = require('../cli/exit-codes')

module.exports = {
  summary: 'exit 0 if symlinks can be made in dir, 1 if only fallbacks can, 2 if no link kind can',
  usage: 'symlink-doctor check [dir] [--verbose] [--json]',
  help: `Usage: symlink-doctor check [dir] [--verbose] [--json]

Probes dir (default: the current directory) and answers with the exit code.
Prints nothing unless --verbose or --json.

Exit codes:
  0   symlinks (file and directory) can be made in dir
  1   symlinks cannot, but a fallback can (junction or hard link)
  2   no link kind can be made in dir (copies only), also when dir is
      read-only or not writable
  64  usage error
  66  dir does not exist or is not a directory
  74  the system refused an operation (permission, read-only, disk full)
  70  a bug in symlink-doctor (all codes: doc/cli.md)

Options:
  -v, --verbose  one line saying what can be made and why not
  --json         the probe result as JSON ({ exitCode, can, refusals, dir })
  -h, --help     this help`,
  run (args, io) {
    const { parseOptions, UsageError } = require('../cli/options')
    const { opts, positionals } = parseOptions(args, {
      verbose: { type: 'boolean', short: 'v' },
      json: { type: 'boolean' }
    }, { maxPositionals: 1 })
    const path = require('path')
    const { diagnoseSync } = require('../diagnose')
    if (positionals[0] === '-') throw new UsageError("'-' is not a directory: symlink-doctor reads nothing from stdin; name a directory (default: .)")
    const dir = path.resolve(io.cwd, positionals[0] || '.')
    const report = diagnoseSync(dir)
    const can = report.can
    const code = can.symlink ? EXIT.OK : (can.junction || can.hardlink) ? EXIT.FAIL : EXIT.NOTHING
    if (opts.json) {
      io.stdout.write(JSON.stringify({ exitCode: code, dir: report.dir, can, refusals: report.refusals }, null, 2) + '\n')
    } else if (opts.verbose) {
      const kinds = ['symlink', 'junction', 'hardlink'].filter((k) => can[k])
      const made = kinds.length ? `can make: ${kinds.join(', ')}` : 'no link kind can be made'
      const why = report.refusals.find((r) => r.kind !== 'hardlink' && r.kind !== 'junction') || report.refusals[0]
      io.stdout.write(`${report.dir}: ${made}${why && !can.symlink ? ` — ${why.code}: ${why.meaning}` : ''}\n`)
    }
    return code
  }
}
