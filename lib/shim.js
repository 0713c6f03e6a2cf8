'use strict'
// The shim fallback: where a symlink to a command is refused, a small
// executable script at the link path that runs the real file by its real
// path, as npm's cmd-shim does on Windows. A hard link or a copy of a
// command would run from the wrong place: its own require('../lib/x.js')
// would resolve from .bin/ and fail. POSIX only (Windows package managers
// write their own .cmd shims and never symlink a bin).
//
// A shim is a command when the target starts with "#!" or the link is made
// in a directory named .bin (node_modules/.bin, where every entry is one).

const fs = require('fs')
const path = require('path')

const MARK = '# symlink-doctor shim:'
const HEAD = 512

// First bytes of a file (fewer at its end), for the "#!" line.
const readHead = {
  sync (p) {
    const fd = fs.openSync(p, 'r')
    try {
      const buf = Buffer.alloc(HEAD)
      return buf.subarray(0, fs.readSync(fd, buf, 0, HEAD, 0))
    } finally {
      fs.closeSync(fd)
    }
  },
  async async (p) {
    const fh = await fs.promises.open(p, 'r')
    try {
      const buf = Buffer.alloc(HEAD)
      return buf.subarray(0, (await fh.read(buf, 0, HEAD, 0)).bytesRead)
    } finally {
      await fh.close()
    }
  }
}

// A new file with this content and mode; never over anything (EEXIST).
// The caller moves it into place only when whole. Returns its stat, taken
// from the handle that wrote it.
const writeNew = {
  sync (p, data, mode) {
    const fd = fs.openSync(p, 'wx', mode)
    try {
      fs.writeFileSync(fd, data)
      return fs.fstatSync(fd)
    } finally {
      fs.closeSync(fd)
    }
  },
  async async (p, data, mode) {
    const fh = await fs.promises.open(p, 'wx', mode)
    try {
      await fh.writeFile(data)
      return await fh.stat()
    } finally {
      await fh.close()
    }
  }
}

// Whether a link at linkDir to a file whose first bytes are head is a
// command. linkDir: the link's directory (string).
function isCommand (linkDir, head) {
  return path.basename(linkDir) === '.bin' || (head.length > 1 && head[0] === 0x23 && head[1] === 0x21)
}

// sh quoting: one single-quoted word; bytes pass through unchanged.
function quote (bytes) {
  const parts = [Buffer.from("'")]
  for (const b of bytes) parts.push(b === 0x27 ? Buffer.from("'\\''") : Buffer.from([b]))
  parts.push(Buffer.from("'"))
  return Buffer.concat(parts)
}

// The interpreter of a "#!" line as the kernel reads it (Linux
// binfmt_script: the path, then at most one argument, the rest of the line).
function interpreter (head) {
  if (!(head.length > 1 && head[0] === 0x23 && head[1] === 0x21)) return null
  let end = head.indexOf(0x0a)
  if (end === -1) end = head.length
  const line = head.subarray(2, end).toString('latin1').replace(/\r$/, '').trim()
  if (line === '') return null
  const sp = line.search(/[ \t]/)
  const words = sp === -1 ? [line] : [line.slice(0, sp), line.slice(sp).trim()].filter(Boolean)
  return words.map((w) => Buffer.from(w, 'latin1'))
}

// The shim's bytes. realTarget: the target's real path (Buffer of bytes);
// shown: the target as the caller gave it, for the comment; head: the
// target's first bytes. Runs the file through its "#!" interpreter, so the
// target's own executable bit does not matter (the package manager may set
// it only after linking).
function shimText (realTarget, shown, head) {
  const argv = (interpreter(head) || []).concat([realTarget]).map(quote)
  const comment = String(shown).replace(/[\r\n]/g, ' ')
  return Buffer.concat([
    Buffer.from(`#!/bin/sh\n${MARK} stands in for a symbolic link to ${comment}\n# (symbolic links were refused here). It runs the real file by its real path.\nexec `),
    Buffer.concat(argv.flatMap((a, i) => i === 0 ? [a] : [Buffer.from(' '), a])),
    Buffer.from(' "$@"\n')
  ])
}

// Whether a file's first bytes are a shim of ours.
function isShim (head) {
  return head.indexOf(Buffer.from(`\n${MARK}`)) !== -1 && head.subarray(0, 10).toString('latin1') === '#!/bin/sh\n'
}

module.exports = { readHead, writeNew, isCommand, shimText, isShim, MARK }
