'use strict'
// Reads a built addon (ELF, PE or Mach-O) with no tool but Node, and checks
// it against what its target must be. Used by scripts/prebuild.js after each
// build and by test/prebuilds.test.js on the files the package ships.
//
// What is checked (checkTarget returns a list of problems, empty when fine):
//   every format   the file is that format, for that CPU; it exports the
//                  module entry points and nothing else.
//   ELF glibc      every undefined symbol other than Node-API's carries a
//                  GLIBC_x version no newer than the floor (zig leaves some
//                  unversioned below 2.28 without a word: such a binary dies
//                  at load on an older glibc); needs only libc's libraries.
//   ELF musl       needs only musl's libc.so.
//   PE             a DLL; imports only DLLs every Windows has (no import
//                  library for node.exe: src/win/napi_host.c finds Node-API
//                  in the host process).
//   Mach-O         a dylib or bundle for the right arch; an install name that
//                  does not record a build path; links only system libraries;
//                  Node-API left for dynamic lookup; arm64 code signed
//                  (ad hoc, by the linker).

const fs = require('fs')

// The only symbols an addon has to export (napi_register_module_v1 is what
// Node looks up; the API version one is what NAPI_MODULE_INIT adds).
const ENTRY_POINTS = ['napi_register_module_v1', 'node_api_module_get_api_version_v1']
// Symbols the linker itself defines in every shared object of the format.
const LINKER_OWN = {
  elf: ['_init', '_fini'],
  macho: ['_mh_dylib_header', '__dso_handle']
}

const WINDOWS_SYSTEM_DLL = /^(kernel32|advapi32|bcrypt|ntdll|msvcrt|ucrtbase|api-ms-win-[a-z0-9-]+)\.dll$/
const GLIBC_LIBS = /^(libc\.so\.6|libpthread\.so\.0|libdl\.so\.2|libm\.so\.6|librt\.so\.1|ld-linux-(x86-64|aarch64)\.so\.[12])$/
const MUSL_LIBS = /^libc\.so$/
const MACOS_LIBS = /^\/usr\/lib\/libSystem\.B\.dylib$/

const ELF_MACHINE = { x64: 62, arm64: 183 }
const PE_MACHINE = { x64: 0x8664, ia32: 0x14c, arm64: 0xaa64 }
const MACHO_CPU = { x64: 0x01000007, arm64: 0x0100000c }

function cstr (buf, off) {
  let end = off
  while (end < buf.length && buf[end] !== 0) end++
  return buf.toString('latin1', off, end)
}

// ---------------------------------------------------------------- ELF (64-bit LE)

function parseElf (buf) {
  if (buf.readUInt32BE(0) !== 0x7f454c46) throw new Error('not an ELF file')
  if (buf[4] !== 2 || buf[5] !== 1) throw new Error('not a 64-bit little-endian ELF file')
  const type = buf.readUInt16LE(16)
  const machine = buf.readUInt16LE(18)
  const shoff = Number(buf.readBigUInt64LE(40))
  const shentsize = buf.readUInt16LE(58)
  const shnum = buf.readUInt16LE(60)
  const sections = []
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize
    sections.push({
      type: buf.readUInt32LE(o + 4),
      offset: Number(buf.readBigUInt64LE(o + 24)),
      size: Number(buf.readBigUInt64LE(o + 32)),
      link: buf.readUInt32LE(o + 40),
      info: buf.readUInt32LE(o + 44),
      entsize: Number(buf.readBigUInt64LE(o + 56))
    })
  }
  const SHT_DYNSYM = 11; const SHT_DYNAMIC = 6; const SHT_VERSYM = 0x6fffffff; const SHT_VERNEED = 0x6ffffffe
  const dynsym = sections.find((s) => s.type === SHT_DYNSYM)
  if (!dynsym) throw new Error('no .dynsym')
  const strtab = sections[dynsym.link]
  const str = (i) => cstr(buf, strtab.offset + i)

  // Version needs: index -> 'GLIBC_2.17' (and the library it is from).
  const versions = {}
  const verneed = sections.find((s) => s.type === SHT_VERNEED)
  if (verneed) {
    const vstr = (i) => cstr(buf, sections[verneed.link].offset + i)
    let o = verneed.offset
    for (let n = 0; n < verneed.info; n++) {
      const file = vstr(buf.readUInt32LE(o + 4))
      let a = o + buf.readUInt32LE(o + 8)
      for (let k = 0; k < buf.readUInt16LE(o + 2); k++) {
        versions[buf.readUInt16LE(a + 6) & 0x7fff] = { name: vstr(buf.readUInt32LE(a + 8)), file }
        const next = buf.readUInt32LE(a + 12)
        if (!next) break
        a += next
      }
      const next = buf.readUInt32LE(o + 12)
      if (!next) break
      o += next
    }
  }
  const versym = sections.find((s) => s.type === SHT_VERSYM)

  const symbols = []
  const count = dynsym.size / 24
  for (let i = 1; i < count; i++) {
    const o = dynsym.offset + i * 24
    const info = buf[o + 4]
    const shndx = buf.readUInt16LE(o + 6)
    const bind = info >> 4
    const symType = info & 0xf
    const vis = buf[o + 5] & 3
    const ver = versym ? buf.readUInt16LE(versym.offset + i * 2) & 0x7fff : 0
    symbols.push({
      name: str(buf.readUInt32LE(o)),
      defined: shndx !== 0,
      bind: bind === 1 ? 'global' : bind === 2 ? 'weak' : 'local',
      type: symType,
      visible: vis === 0 || vis === 3,
      version: versions[ver] ? versions[ver].name : null
    })
  }

  const needed = []
  let runpath = null
  const dynamic = sections.find((s) => s.type === SHT_DYNAMIC)
  if (dynamic) {
    const dstr = (i) => cstr(buf, sections[dynamic.link].offset + i)
    for (let o = dynamic.offset; o < dynamic.offset + dynamic.size; o += 16) {
      const tag = Number(buf.readBigInt64LE(o))
      const val = Number(buf.readBigUInt64LE(o + 8))
      if (tag === 0) break
      if (tag === 1) needed.push(dstr(val))
      if (tag === 15 || tag === 29) runpath = dstr(val)
    }
  }
  return { format: 'elf', type, machine, symbols, needed, runpath }
}

function versionLE (a, b) {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] || 0
    const y = pb[i] || 0
    if (x !== y) return x < y
  }
  return true
}

function checkElf (info, target) {
  const problems = []
  if (info.type !== 3) problems.push(`ELF type ${info.type}, not a shared object (3)`)
  if (info.machine !== ELF_MACHINE[target.arch]) problems.push(`ELF machine ${info.machine}, not ${target.arch} (${ELF_MACHINE[target.arch]})`)
  if (info.runpath) problems.push(`has a RUNPATH/RPATH: ${info.runpath}`)
  const allowedLibs = target.libc === 'musl' ? MUSL_LIBS : GLIBC_LIBS
  for (const lib of info.needed) {
    if (!allowedLibs.test(lib)) problems.push(`needs ${lib}, not a ${target.libc} system library`)
  }
  for (const s of info.symbols) {
    if (!s.name) continue
    if (s.defined) {
      if (s.bind !== 'local' && s.visible && !ENTRY_POINTS.includes(s.name) && !LINKER_OWN.elf.includes(s.name)) problems.push(`exports ${s.name}`)
      continue
    }
    if (/^(napi|node_api)_/.test(s.name)) {
      if (s.version) problems.push(`Node-API's ${s.name} is bound to version ${s.version}`)
      continue
    }
    if (target.libc !== 'glibc') continue
    if (!s.version) {
      // Weak, unversioned hooks of the C runtime are no libc symbols.
      if (s.bind === 'weak' && /^(__gmon_start__|_ITM_\w+|__cxa_finalize)$/.test(s.name)) continue
      problems.push(`libc symbol ${s.name} is unversioned (would bind to whatever the loader finds, or fail on an older glibc)`)
      continue
    }
    const m = /^GLIBC_(\d+(?:\.\d+)*)$/.exec(s.version)
    if (!m) {
      problems.push(`${s.name} needs ${s.version}`)
    } else if (!versionLE(m[1], target.floor)) {
      problems.push(`${s.name} needs ${s.version}, newer than the floor GLIBC_${target.floor}`)
    }
  }
  for (const name of ENTRY_POINTS) {
    if (!info.symbols.some((s) => s.defined && s.name === name && s.bind === 'global')) problems.push(`does not export ${name}`)
  }
  return problems
}

// ---------------------------------------------------------------- PE

function parsePe (buf) {
  if (buf.readUInt16LE(0) !== 0x5a4d) throw new Error('not a PE file (no MZ)')
  const pe = buf.readUInt32LE(0x3c)
  if (buf.readUInt32BE(pe) !== 0x50450000) throw new Error('not a PE file (no PE signature)')
  const coff = pe + 4
  const machine = buf.readUInt16LE(coff)
  const nsect = buf.readUInt16LE(coff + 2)
  const optSize = buf.readUInt16LE(coff + 16)
  const characteristics = buf.readUInt16LE(coff + 18)
  const opt = coff + 20
  const magic = buf.readUInt16LE(opt)
  const dd = opt + (magic === 0x20b ? 112 : 96)
  const dir = (i) => ({ rva: buf.readUInt32LE(dd + i * 8), size: buf.readUInt32LE(dd + i * 8 + 4) })
  const sections = []
  for (let i = 0; i < nsect; i++) {
    const o = opt + optSize + i * 40
    sections.push({ va: buf.readUInt32LE(o + 12), vsize: buf.readUInt32LE(o + 8), raw: buf.readUInt32LE(o + 20), rawSize: buf.readUInt32LE(o + 16) })
  }
  const off = (rva) => {
    const s = sections.find((s) => rva >= s.va && rva < s.va + Math.max(s.vsize, s.rawSize))
    if (!s) throw new Error(`RVA 0x${rva.toString(16)} is in no section`)
    return rva - s.va + s.raw
  }
  const exports = []
  const ex = dir(0)
  if (ex.rva) {
    const o = off(ex.rva)
    const n = buf.readUInt32LE(o + 24)
    const names = off(buf.readUInt32LE(o + 32))
    for (let i = 0; i < n; i++) exports.push(cstr(buf, off(buf.readUInt32LE(names + i * 4))))
  }
  const imports = []
  const im = dir(1)
  if (im.rva) {
    for (let o = off(im.rva); ; o += 20) {
      const nameRva = buf.readUInt32LE(o + 12)
      if (!nameRva) break
      imports.push(cstr(buf, off(nameRva)))
    }
  }
  const delay = dir(13)
  if (delay.rva) {
    for (let o = off(delay.rva); ; o += 32) {
      const nameRva = buf.readUInt32LE(o + 4)
      if (!nameRva) break
      imports.push(cstr(buf, off(nameRva)))
    }
  }
  return { format: 'pe', machine, dll: (characteristics & 0x2000) !== 0, exports, imports }
}

function checkPe (info, target) {
  const problems = []
  if (info.machine !== PE_MACHINE[target.arch]) problems.push(`PE machine 0x${info.machine.toString(16)}, not ${target.arch} (0x${PE_MACHINE[target.arch].toString(16)})`)
  if (!info.dll) problems.push('not a DLL')
  for (const dll of info.imports) {
    if (!WINDOWS_SYSTEM_DLL.test(dll.toLowerCase())) problems.push(`imports ${dll}, not a system DLL`)
  }
  for (const name of info.exports) {
    if (!ENTRY_POINTS.includes(name)) problems.push(`exports ${name}`)
  }
  if (!info.exports.includes('napi_register_module_v1')) problems.push('does not export napi_register_module_v1')
  return problems
}

// ---------------------------------------------------------------- Mach-O (64-bit LE)

function parseMachO (buf) {
  if (buf.readUInt32LE(0) !== 0xfeedfacf) throw new Error('not a 64-bit Mach-O file')
  const cputype = buf.readUInt32LE(4)
  const filetype = buf.readUInt32LE(12)
  const ncmds = buf.readUInt32LE(16)
  const flags = buf.readUInt32LE(24)
  let o = 32
  let id = null
  let minos = null
  let signed = false
  const dylibs = []
  const symbols = []
  for (let i = 0; i < ncmds; i++) {
    const cmd = buf.readUInt32LE(o)
    const size = buf.readUInt32LE(o + 4)
    if (cmd === 0xd) id = cstr(buf, o + buf.readUInt32LE(o + 8)) // LC_ID_DYLIB
    if (cmd === 0xc || cmd === (0x18 | 0x80000000) || cmd === (0x1f | 0x80000000)) dylibs.push(cstr(buf, o + buf.readUInt32LE(o + 8)))
    if (cmd === 0x1d) signed = true // LC_CODE_SIGNATURE
    if (cmd === 0x32) { // LC_BUILD_VERSION
      const v = buf.readUInt32LE(o + 12)
      minos = `${v >>> 16}.${(v >> 8) & 0xff}`
    }
    if (cmd === 0x24) { // LC_VERSION_MIN_MACOSX
      const v = buf.readUInt32LE(o + 8)
      minos = `${v >>> 16}.${(v >> 8) & 0xff}`
    }
    if (cmd === 0x2) { // LC_SYMTAB
      const symoff = buf.readUInt32LE(o + 8)
      const nsyms = buf.readUInt32LE(o + 12)
      const stroff = buf.readUInt32LE(o + 16)
      for (let k = 0; k < nsyms; k++) {
        const s = symoff + k * 16
        const type = buf[s + 4]
        if (type & 0xe0) continue // debugging entries
        const ext = (type & 1) !== 0
        const kind = type & 0x0e // N_UNDF 0, N_SECT 0xe
        const name = cstr(buf, stroff + buf.readUInt32LE(s)).replace(/^_/, '')
        const privateExt = (type & 0x10) !== 0
        symbols.push({ name, defined: kind !== 0, exported: ext && !privateExt && kind !== 0 })
      }
    }
    o += size
  }
  return { format: 'macho', cputype, filetype, flags, id, minos, signed, dylibs, symbols }
}

function checkMachO (info, target) {
  const problems = []
  if (info.cputype !== MACHO_CPU[target.arch]) problems.push(`Mach-O CPU 0x${info.cputype.toString(16)}, not ${target.arch}`)
  if (info.filetype !== 6 && info.filetype !== 8) problems.push(`Mach-O file type ${info.filetype}, not a dylib (6) or bundle (8)`)
  if (info.filetype === 6 && info.id !== target.installName) problems.push(`install name ${JSON.stringify(info.id)}, not ${JSON.stringify(target.installName)}`)
  if (target.minos && info.minos !== target.minos) problems.push(`minimum macOS ${info.minos}, not ${target.minos}`)
  // Apple silicon runs no unsigned code: the linker's ad-hoc signature.
  if (target.arch === 'arm64' && !info.signed) problems.push('no code signature (arm64 macOS kills unsigned code)')
  for (const lib of info.dylibs) {
    if (!MACOS_LIBS.test(lib)) problems.push(`links ${lib}, not a system library`)
  }
  for (const s of info.symbols) {
    if (s.exported && !ENTRY_POINTS.includes(s.name) && !LINKER_OWN.macho.includes(s.name)) problems.push(`exports ${s.name}`)
  }
  if (!info.symbols.some((s) => s.exported && s.name === 'napi_register_module_v1')) problems.push('does not export napi_register_module_v1')
  if (!info.symbols.some((s) => !s.defined && /^napi_/.test(s.name))) problems.push('no Node-API symbol is left for dynamic lookup')
  return problems
}

// ---------------------------------------------------------------- entry

function inspect (file) {
  const buf = fs.readFileSync(file)
  const magic = buf.readUInt32BE(0)
  if (magic === 0x7f454c46) return parseElf(buf)
  if (buf.readUInt16LE(0) === 0x5a4d) return parsePe(buf)
  if (buf.readUInt32LE(0) === 0xfeedfacf) return parseMachO(buf)
  throw new Error(`${file}: neither ELF, PE nor Mach-O (magic 0x${magic.toString(16)})`)
}

// target: { platform, arch, libc?, floor?, installName?, minos? }
function checkTarget (file, target) {
  let info
  try {
    info = inspect(file)
  } catch (err) {
    return { info: null, problems: [err.message] }
  }
  const want = target.platform === 'win32' ? 'pe' : target.platform === 'darwin' ? 'macho' : 'elf'
  if (info.format !== want) return { info, problems: [`a ${info.format} file, not ${want}`] }
  const problems = want === 'elf' ? checkElf(info, target) : want === 'pe' ? checkPe(info, target) : checkMachO(info, target)
  return { info, problems }
}

module.exports = { ENTRY_POINTS, LINKER_OWN, inspect, checkTarget, parseElf, parsePe, parseMachO }
