'use strict'
// symlink-doctor link <target> <path>: ln -s / mklink with the fallback
// chain (symlink, junction, hard link, copy if allowed), saying what it made.

const EXIT = require('../cli/exit-codes')

const KIND_TEXT = {
  symlink: 'a symlink',
  junction: 'a junction',
  hardlink: 'a hard link',
  copy: 'a copy'
}

module.exports = {
  summary: 'make a link like ln -s / mklink, falling back to junction, hard link or copy',
  usage: 'symlink-doctor link <target> <path> [--type file|dir|junction] [--allow-copy] [--replace] [--json]',
  help: `Usage: symlink-doctor link <target> <path> [--type file|dir|junction] [--allow-copy] [--replace] [--json]

Makes path point at target (a relative target is relative to path's
directory, as with ln -s). Tries a symlink first; where that is refused,
a junction (Windows, directories), then a hard link (files), then a copy
if --allow-copy. Prints what it made and why. A copy leaves out the links
inside the target that point outside it, dangle or loop, and lists them.

Options:
  --type file|dir|junction  the kind of target (default: from the target itself)
  --allow-copy              a copy is acceptable as the last resort
  --replace                 replace an existing link at path (never a real file or directory)
  --json                    print the result object ({ kind, path, target, fallbackFrom, reason, attempts, skipped })
  -h, --help                this help

Exit: 0 made, 1 nothing could be made (the error is printed), 64 usage error.`,
  async run (args, io) {
    const { parseOptions, UsageError } = require('../cli/options')
    const { opts, positionals } = parseOptions(args, {
      type: { type: 'string', values: ['file', 'dir', 'junction'] },
      'allow-copy': { type: 'boolean' },
      replace: { type: 'boolean' },
      json: { type: 'boolean' }
    }, { maxPositionals: 2 })
    if (positionals.length < 2) throw new UsageError('link needs <target> and <path>')
    const path = require('path')
    const { createLink } = require('../link')
    const [target, linkPath] = positionals
    let result
    try {
      result = await createLink(target, path.resolve(io.cwd, linkPath), {
        type: opts.type, allowCopy: Boolean(opts['allow-copy']), replace: Boolean(opts.replace)
      })
    } catch (err) {
      io.stderr.write(`symlink-doctor link: ${err.message}\n`)
      if (err.code === 'EEXIST' && !opts.replace) io.stderr.write('(pass --replace to replace an existing link)\n')
      else if (err.attempts && !opts['allow-copy']) io.stderr.write('(pass --allow-copy to accept a copy; run symlink-doctor for the cause and the fix)\n')
      return EXIT.FAIL
    }
    result.path = linkPath
    if (opts.json) {
      io.stdout.write(JSON.stringify(result, null, 2) + '\n')
      return EXIT.OK
    }
    io.stdout.write(`made ${KIND_TEXT[result.kind]}: ${linkPath} -> ${target}\n`)
    if (result.reason) io.stdout.write(`why: ${result.reason}\n`)
    if (result.kind === 'copy') {
      io.stdout.write('note: a copy does not follow later changes to the target\n')
      const left = result.skipped || []
      if (left.length > 0) {
        io.stdout.write(`left out of the copy (${left.length} link${left.length === 1 ? '' : 's'}, not followed):\n`)
        for (const s of left) io.stdout.write(`  ${path.join(linkPath, s.path)} -> ${s.target} (${s.reason})\n`)
      }
    }
    return EXIT.OK
  }
}
