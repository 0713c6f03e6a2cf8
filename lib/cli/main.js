'use strict'
// The dispatcher: finds the command, lazily loads only its module, handles
// --help / --version / usage errors, and turns the result into an exit code.
// Everything heavy lives in the command modules, so `check` starts fast.

const fs = require('fs')
const path = require('path')
const EXIT = require('./exit-codes')

const COMMANDS_DIR = path.join(__dirname, '..', 'commands')
// Listed in --help in this order.
const KNOWN = ['doctor', 'check', 'link', 'scan', 'fix', 'run', 'preinstall', 'setup']
const USAGE = 'Usage: symlink-doctor [command] [options]   (symlink-doctor --help lists the commands)'

function commandFile (name) {
  return path.join(COMMANDS_DIR, `${name}.js`)
}

function loadCommand (name) {
  return require(commandFile(name))
}

function globalHelp () {
  const lines = ['Usage: symlink-doctor [command] [options]', '', 'Commands:']
  for (const name of KNOWN) {
    lines.push(`  ${name.padEnd(11)} ${loadCommand(name).summary}`)
  }
  lines.push('', 'Run `symlink-doctor <command> --help` for a command\'s options.',
    'Global options: -h, --help, --version',
    'Exit codes, every option and the --json schema: doc/cli.md (in this package).', 'Colors: only on a terminal; NO_COLOR=1 turns them off, FORCE_COLOR=1 forces them on.')
  return lines.join('\n') + '\n'
}

// Which command the arguments name: a known command, else "doctor" when the
// first argument is an existing directory (symlink-doctor DIR), else null.
function pickCommand (args, cwd) {
  const first = args[0]
  if (first === undefined || first.startsWith('-')) return { name: 'doctor', rest: args }
  if (KNOWN.includes(first)) return { name: first, rest: args.slice(1) }
  let isDir = false
  try { isDir = fs.statSync(path.resolve(cwd, first)).isDirectory() } catch {}
  return isDir ? { name: 'doctor', rest: args } : { name: null, unknown: first }
}

// What the system said, as the CLI says it: a user's mistake or a condition
// of this machine is never an "internal error". [exit code, words].
const OS_CONDITIONS = {
  ENOENT: [EXIT.NOINPUT, 'no such file or directory'],
  ENOTDIR: [EXIT.NOINPUT, 'not a directory'],
  ELOOP: [EXIT.NOINPUT, 'too many levels of symbolic links'],
  ENAMETOOLONG: [EXIT.NOINPUT, 'path too long'],
  EACCES: [EXIT.IOERR, 'permission denied (check the owner and mode, or work in a directory you own)'],
  EPERM: [EXIT.IOERR, 'operation not permitted'],
  EROFS: [EXIT.IOERR, 'read-only filesystem (remount it read-write, or work in a writable directory)'],
  ENOSPC: [EXIT.IOERR, 'no space left on the device'],
  EDQUOT: [EXIT.IOERR, 'disk quota exceeded']
}

// An error from the system (code E..., with a syscall or an errno), as
// opposed to a bug: { code, message } for the dispatcher, else null.
function osCondition (err) {
  if (!err || typeof err.code !== 'string' || !/^E[A-Z0-9]+$/.test(err.code)) return null
  if (typeof err.syscall !== 'string' && typeof err.errno !== 'number') return null
  const known = OS_CONDITIONS[err.code]
  const code = known ? known[0] : EXIT.IOERR
  let words = known ? known[1] : String(err.message || err.code).replace(/^E[A-Z0-9]+: /, '').replace(/, .*$/, '')
  if (err.code === 'ENOENT' && err.syscall === 'scandir') words = 'no such directory'
  const where = err.path !== undefined ? `: '${err.path}'${err.dest !== undefined ? ` -> '${err.dest}'` : ''}` : ''
  const call = err.syscall && err.syscall !== 'scandir' ? `, ${err.syscall}` : ''
  return { code, message: `${words}${where} (${err.code}${call})` }
}

function usageError (io, message, usage) {
  io.stderr.write(`symlink-doctor: ${message}\n${usage}\n`)
  return EXIT.USAGE
}

async function main (args, io) {
  if (args[0] === '--version' || args[0] === '-V') {
    io.stdout.write(`${require('../../package.json').version}\n`)
    return EXIT.OK
  }
  if (args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
    if (args[1] && KNOWN.includes(args[1])) {
      io.stdout.write(loadCommand(args[1]).help + '\n')
    } else {
      io.stdout.write(globalHelp())
    }
    return EXIT.OK
  }
  const picked = pickCommand(args, io.cwd)
  if (!picked.name) return usageError(io, `unknown command '${picked.unknown}' (and no such directory)`, USAGE)
  const command = loadCommand(picked.name)
  const rest = picked.rest
  // Options end at '--'; for a command that runs another (run), also at
  // that command's name, so `run npm x --help` is npm's --help.
  let end = rest.indexOf('--')
  if (end === -1) end = rest.length
  if (command.passthrough) {
    const operand = rest.findIndex((a) => !a.startsWith('-'))
    if (operand !== -1 && operand < end) end = operand
  }
  const optionPart = rest.slice(0, end)
  if (optionPart.includes('--help') || optionPart.includes('-h')) {
    io.stdout.write(command.help + '\n')
    return EXIT.OK
  }
  const { UsageError } = require('./options')
  try {
    const code = await command.run(rest, io)
    return typeof code === 'number' ? code : EXIT.OK
  } catch (err) {
    if (err instanceof UsageError || (err && err.name === 'UsageError')) return usageError(io, err.message, `Usage: ${command.usage}`)
    const os = osCondition(err)
    if (os) {
      io.stderr.write(`symlink-doctor ${picked.name}: ${os.message}\n`)
      if (io.env.SYMLINK_DOCTOR_DEBUG) io.stderr.write(`${err && err.stack}\n`)
      return os.code
    }
    io.stderr.write(`symlink-doctor ${picked.name}: internal error: ${err && err.message ? err.message : err}\n`)
    io.stderr.write(io.env.SYMLINK_DOCTOR_DEBUG ? `${err && err.stack}\n` : 'This is a bug in symlink-doctor; SYMLINK_DOCTOR_DEBUG=1 prints the stack trace for a report.\n')
    return EXIT.SOFTWARE
  }
}

module.exports = { main, KNOWN, osCondition }
