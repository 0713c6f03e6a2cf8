'use strict'
// symlink-doctor scan [dir] [--repair]: lists broken links under dir
// (dangling symlinks, junctions whose absolute target vanished, git symlinks
// checked out as plain files) and, with --repair, recreates those whose
// target can be found again.

const EXIT = require('../cli/exit-codes')

module.exports = {
  summary: 'list broken links under dir (dangling, moved, git plain files); --repair recreates them',
  usage: 'symlink-doctor scan [dir] [--repair] [--json]',
  help: `Usage: symlink-doctor scan [dir] [--repair] [--json]

Walks dir (default: the current directory), node_modules included, without
following links (.git directories are skipped), and lists:
  - symlinks and junctions whose target is missing (e.g. the project moved
    or its drive letter changed: junction targets are absolute);
  - git symlinks (mode 120000) checked out as plain files (core.symlinks=false);
  - copies symlink-doctor made in place of a refused symlink whose target
    changed since.

--repair recreates each broken link with the fallback chain (symlink,
junction, hard link) where the intended target exists again at the same
relative location inside dir, and makes stale copies again. Repairs stay
inside dir (or its git work tree) and never write through a symlinked
directory; what they refuse is listed with why. A git plain file is only
ever restored as a real symlink, by git itself (as symlink-doctor fix --git
does), never as a hard link or copy.

Options:
  --repair    recreate what can be recreated
  --json      print the result as JSON
  -h, --help  this help

Exit: 0 nothing broken (or everything repaired), 1 broken links or stale copies remain,
64 usage error, 66 dir does not exist or is not a directory.`,
  run (args, io) {
    const { parseOptions, UsageError } = require('../cli/options')
    const { opts, positionals } = parseOptions(args, {
      repair: { type: 'boolean' },
      json: { type: 'boolean' }
    }, { maxPositionals: 1 })
    const path = require('path')
    const { scanTree } = require('../cli/scan-tree')
    if (positionals[0] === '-') throw new UsageError("'-' is not a directory: symlink-doctor reads nothing from stdin; name a directory (default: .)")
    const root = path.resolve(io.cwd, positionals[0] || '.')
    const rootStat = require('fs').statSync(root, { throwIfNoEntry: false })
    if (!rootStat) throw require('../errors').fsError('ENOENT', 'scandir', root)
    if (!rootStat.isDirectory()) throw require('../errors').fsError('ENOTDIR', 'scandir', root)
    // Temporaries a killed copy or replace left (ours, their process gone)
    // are removed before the walk, so they are neither walked nor listed.
    // Here: the directory named (and its node_modules, where links and
    // copies are made); every directory the walk meets would need the
    // walk itself to call removeStaleSync (lib/cli/walk.js).
    const { removeStaleSync } = require('../stale')
    for (const dir of [root, path.join(root, 'node_modules')]) {
      try { removeStaleSync(dir) } catch {}
    }
    const result = scanTree(root, { repair: Boolean(opts.repair) })
    // The root itself could not be read: that is no "nothing broken".
    const rootUnreadable = result.unreadable.find((u) => u.path === '.')
    if (rootUnreadable) throw require('../errors').fsError(rootUnreadable.code, 'scandir', root)
    if (opts.json) {
      io.stdout.write(JSON.stringify(result, null, 2) + '\n')
    } else {
      const { renderScan } = require('../cli/render-scan')
      const { styleFor } = require('../cli/style')
      io.stdout.write(renderScan(result, styleFor(io.stdout, io.env)))
    }
    return result.remaining > 0 ? EXIT.FAIL : EXIT.OK
  }
}
