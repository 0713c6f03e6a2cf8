'use strict'
// symlink-doctor link <target> <path>: ln -s / mklink with the fallback
// chain (symlink, junction, hard link, copy if allowed), saying what it made.

const EXIT = require('../cli/exit-codes')

const KIND_TEXT = {
  symlink: 'a symlink',
  junction: 'a junction',
  shim: 'a shim (a script that runs the target by its real path)',
  hardlink: 'a hard link',
  copy: 'a copy'
}

// The API's words, told in the CLI's: option names become flags, and the
// absolute link path this command passed becomes the path as typed.
function cliWords (text, absPath, given) {
  let out = text
    .replace(/pass replace: true/g, 'pass --replace')
    .replace(/options\.allowCopy/g, '--allow-copy')
    .replace(/options\.fallback/g, 'the fallback chain')
  if (absPath && given !== undefined) out = out.split(`'${absPath}'`).join(`'${given}'`)
  return out
}

// One hint, only for a flag that can change the outcome here.
function hintFor (err, opts, absTarget) {
  if (err.code === 'EEXIST') {
    // The message says what is there, and --replace when it can help; a
    // real file or directory: no flag replaces it.
    return null
  }
  if (err.attempts && !opts['allow-copy']) {
    if (!require('fs').existsSync(absTarget)) return 'the target does not exist, so no fallback (not even a copy) can stand in for the symlink; run symlink-doctor for the cause and the fix'
    return 'pass --allow-copy to accept a copy; run symlink-doctor for the cause and the fix'
  }
  return null
}

module.exports = {
  summary: 'make a link like ln -s / mklink, falling back to junction, hard link or copy',
  usage: 'symlink-doctor link <target> <path> [--type file|dir|junction] [--allow-copy] [--replace] [--json]',
  help: `Usage: symlink-doctor link <target> <path> [--type file|dir|junction] [--allow-copy] [--replace] [--json]

Makes path point at target (a relative target is relative to path's
directory, as with ln -s). Tries a symlink first; where that is refused,
a junction (Windows, directories), then a shim (a command: a #! file or a
link in a .bin directory), then a hard link (files), then a copy if
--allow-copy. Prints what it made and why. A copy leaves out the links
inside the target that point outside it, dangle or loop, and lists them.

Options:
  --type file|dir|junction  the kind of target (default: from the target itself)
  --allow-copy              a copy is acceptable as the last resort
  --replace                 replace an existing link at path (never a real file or directory)
  --json                    print the result object ({ kind, path, target, fallbackFrom, reason, attempts, skipped })
  -h, --help                this help

Exit: 0 made, 1 nothing could be made (the error is printed; with --json as
{ error: { code, message, ..., hint } } on stdout), 64 usage error,
66 a directory in a path does not exist or is not a directory, 74 the
system refused the path (EACCES, EROFS, ENOSPC, EDQUOT, EIO).`,
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
    // Absolute, for an io.cwd that is not process.cwd(); a trailing slash
    // stays (path.resolve drops it), so symlink(2) answers ENOENT as ln -s does.
    const absLink = path.resolve(io.cwd, linkPath) + (/[\\/]$/.test(linkPath) && linkPath.length > 1 ? path.sep : '')
    let result
    try {
      result = await createLink(target, absLink, {
        type: opts.type, allowCopy: Boolean(opts['allow-copy']), replace: Boolean(opts.replace)
      })
    } catch (err) {
      const message = cliWords(err.message, absLink, linkPath)
      const hint = hintFor(err, opts, path.resolve(path.dirname(absLink), target))
      if (opts.json) {
        const error = { code: err.code || null, errno: err.errno === undefined ? null : err.errno, syscall: err.syscall || null, path: err.path === undefined ? null : err.path, dest: err.dest === undefined ? null : cliWords(String(err.dest), absLink, linkPath), message, reason: err.reason ? cliWords(err.reason) : null, attempts: err.attempts || [], hint }
        io.stdout.write(JSON.stringify({ error }, null, 2) + '\n')
      } else {
        io.stderr.write(`symlink-doctor link: ${message}\n`)
        if (hint) io.stderr.write(`(${hint})\n`)
      }
      // Nothing could be made (every kind refused, or something is in the
      // way): 1. The system saying no about this path (EACCES, EROFS,
      // ENOSPC...): 74, as the exit-code table says.
      if (!err.attempts && ['EACCES', 'EROFS', 'ENOSPC', 'EDQUOT', 'EIO'].includes(err.code)) return EXIT.IOERR
      // A directory in the path you named is missing or not a directory: 66.
      if (!err.attempts && ['ENOENT', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG'].includes(err.code)) return EXIT.NOINPUT
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
