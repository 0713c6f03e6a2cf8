'use strict'
// Starting a command on Windows without a shell, as `run --` must: an .exe
// is spawned directly, but npm, pnpm and yarn are .cmd shims, and Node
// refuses to spawn a .cmd or .bat without a shell (CVE-2024-27980). So a
// batch file runs through cmd.exe with a command line we build ourselves,
// escaped so that no argument can start another command (the "BatBadBut"
// class of bugs): each argument is quoted by the C runtime's rules, then
// every character cmd.exe treats specially is caret-escaped, twice for a
// batch file, because a shim re-reads its arguments when it expands %*.

const fs = require('fs')
const path = require('path')

const CMD_SPECIAL = /([()\][%!^"`<>&|;, *?])/g

// PATH lookup with PATHEXT, as cmd.exe does it minus the current directory
// (searching it first is how a planted npm.cmd would run).
function resolve (command, env, cwd) {
  const exts = (env.PATHEXT || '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean)
  const hasExt = path.win32.extname(command) !== ''
  const candidates = (base) => hasExt ? [base, ...exts.map((e) => base + e)] : exts.map((e) => base + e)
  const dirs = /[\\/]/.test(command) ? [path.win32.resolve(cwd, path.win32.dirname(command))] : (env.PATH || env.Path || '').split(';').filter(Boolean)
  const base = /[\\/]/.test(command) ? path.win32.basename(command) : command
  for (const dir of dirs) {
    for (const file of candidates(path.win32.join(dir, base))) {
      try {
        if (fs.statSync(file).isFile()) return file
      } catch {}
    }
  }
  return null
}

// One argument for CommandLineToArgvW / the C runtime: backslashes are
// literal unless they precede a quote.
function quoteArg (arg) {
  let out = String(arg).replace(/(\\*)"/g, '$1$1\\"')
  out = out.replace(/(\\*)$/, '$1$1')
  return `"${out}"`
}

function caret (text) {
  return text.replace(CMD_SPECIAL, '^$1')
}

function isBatch (file) {
  return /\.(cmd|bat)$/i.test(file)
}

// { file, args, options } for child_process.spawn.
function spawnPlan (command, args, env, cwd) {
  const file = resolve(command, env, cwd) || command
  if (!isBatch(file)) return { file, args, options: {} }
  const line = [caret(quoteArg(file)), ...args.map((a) => caret(caret(quoteArg(a))))].join(' ')
  const comspec = env.ComSpec || env.COMSPEC || 'cmd.exe'
  return {
    file: comspec,
    args: ['/d', '/s', '/c', `"${line}"`],
    options: { windowsVerbatimArguments: true }
  }
}

module.exports = { resolve, quoteArg, caret, spawnPlan, isBatch }
