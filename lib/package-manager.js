'use strict'
// Which package manager runs us (from npm_config_user_agent, which npm,
// pnpm, yarn and bun all set for lifecycle scripts) and what makes it work
// where symlinks are refused. Facts behind the advice (verified on Linux
// under a seccomp refusal of symlink(2), npm 11.19, pnpm 10.34 and 12.21,
// yarn 4.18; see doc/hook.md):
// - npm links workspaces and `npm link` targets always (junctions on
//   Windows); install-links only turns file: dependencies into copies.
// - pnpm links workspace packages whatever nodeLinker, packageImportMethod
//   or injectWorkspacePackages say; on Windows those links are junctions,
//   so hoisted + copy are what a volume without links (FAT, shares) needs.
//   pnpm 12 is a native (Rust) program: a Node hook cannot reach it.
// - yarn berry's pnp linker makes no links at all; winLinkType picks
//   junctions or symlinks for the node-modules linker on Windows.

// "pnpm/10.34.9 npm/? node/v20.20.2 linux x64" → { name, version, major }
function detect (userAgent) {
  const m = /^([a-z]+)\/(\d+)(\.\d+)?(\.\d+)?(\S*)/i.exec(String(userAgent || '').trim())
  if (!m) return { name: null, version: null, major: null }
  return { name: m[1].toLowerCase(), version: `${m[2]}${m[3] || ''}${m[4] || ''}${m[5] || ''}`, major: Number(m[2]) }
}

// Can a Node-level hook (run --, register) make this manager's links?
function hookable (pm) {
  if (pm.name === 'npm' || pm.name === 'yarn') return true
  if (pm.name === 'pnpm') return pm.major !== null && pm.major < 12
  return false // bun, deno, unknown: their own syscalls
}

// The setting lines for this manager: [{ text, command }].
function settings (pm) {
  switch (pm.name) {
    case 'npm':
      return [
        { text: 'npm: make file: dependencies copies instead of links (workspaces and npm link still link)', command: 'npm config set install-links true --location=project' }
      ]
    case 'pnpm':
      if (pm.major !== null && pm.major >= 11) {
        return [{ text: 'pnpm: in pnpm-workspace.yaml set nodeLinker: hoisted and packageImportMethod: copy (workspace packages still link)', command: 'pnpm config set nodeLinker hoisted --location=project && pnpm config set packageImportMethod copy --location=project' }]
      }
      return [{ text: 'pnpm: in .npmrc set node-linker=hoisted and package-import-method=copy (workspace packages still link)', command: 'pnpm config set node-linker hoisted --location=project && pnpm config set package-import-method copy --location=project' }]
    case 'yarn':
      if (pm.major === 1) {
        return [{ text: 'yarn 1 links workspaces always; use Developer Mode or symlink-doctor run -- yarn install', command: null }]
      }
      return [{ text: 'yarn: in .yarnrc.yml, nodeLinker: pnp makes no links at all; on Windows winLinkType: junctions needs no privilege', command: 'yarn config set nodeLinker pnp' }]
    default:
      return []
  }
}

// ── Volumes that cannot hold links ─────────────────────────────────────────
//
// THE table of what each package manager needs to install on a volume
// without links (no symlinks, no hard links: FAT, exFAT). doctor, the
// hook's note and `preinstall` print from it, and
// test/remedies-on-fat.test.js mounts each volume class, applies exactly
// what the product printed (parsed from its output) and runs a
// dependency's bin; so a row here is a proven remedy, not advice.
//
// Volume classes (volumeClass below):
// - 'fusefat': the FUSE FAT driver (mount type fuse.fusefat). Its write
//   support is experimental: chmod and copyFile fail (ENOSYS), and a file
//   rewritten shorter keeps the old tail (package.json, lockfiles and
//   .yarnrc.yml come out unparseable). No manager works there.
// - 'no-links': every other volume that cannot hold links (exFAT, as a USB
//   stick or SD card is formatted today; FAT32; fuseblk). Proven on exFAT
//   through exfat-fuse (chmod and copyFile work, symlink ENOSYS, link EPERM).
//
// Each row: manager, the majors it applies to ([min, max], max null = no
// upper bound), label (how the text names it), the versions the test ran,
// and per volume class either { commands, bin } (run in the project, in
// order; bin: how a dependency's bin runs afterwards, BIN being its name,
// PACKAGE/BIN-FILE its package and file) or { cannot } (why nothing works).
// Found on the way: each manager dies on node_modules/.bin, which is made of
// symlinks on Linux and macOS; npm install-links, pnpm node-linker=hoisted
// and yarn nodeLinker: node-modules alone all still fail there with ENOSYS.

const NODE_BIN = 'node node_modules/PACKAGE/BIN-FILE'
const FUSEFAT_TAIL = 'a file rewritten shorter keeps its old tail'

const NO_LINK_TABLE = [
  {
    manager: 'npm',
    majors: [7, null],
    label: 'npm',
    tested: ['npm@11.19.1'],
    'no-links': {
      commands: ['npm config set bin-links false --location=project', 'npm install'],
      bin: NODE_BIN,
      note: 'node_modules/.bin is not made'
    },
    fusefat: { cannot: `npm config set fails there on chmod (ENOSYS), and npm rewrites package.json and package-lock.json (npm uninstall, npm install PKG) where ${FUSEFAT_TAIL}: invalid JSON` }
  },
  {
    manager: 'pnpm',
    majors: [9, null],
    label: 'pnpm 9+',
    // 11 on Node 22; 12 is the native (Rust) pnpm: the same settings.
    tested: ['pnpm@9.15.9', 'pnpm@10.34.9', 'pnpm@11.28.10', 'pnpm@12.21.0'],
    'no-links': {
      commands: ['pnpm config set node-linker hoisted --location=project', 'pnpm config set prefer-symlinked-executables false --location=project', 'pnpm install'],
      bin: 'pnpm exec BIN',
      note: 'node_modules/.bin holds shell scripts instead of symlinks'
    },
    fusefat: { cannot: 'pnpm copies every file out of its store (copyFile, or in pnpm 12 its own copy), which fusefat refuses (ENOSYS), whatever the settings' }
  },
  {
    manager: 'yarn',
    majors: [1, 1],
    label: 'yarn 1',
    tested: ['yarn@1.22.22'],
    'no-links': {
      commands: ['yarn install --no-bin-links'],
      bin: NODE_BIN,
      note: 'node_modules/.bin is not made; every yarn install here needs --no-bin-links'
    },
    fusefat: { cannot: 'yarn 1 copies every file out of its cache with copyFile, which fusefat refuses (ENOSYS), whatever the flags' }
  },
  {
    manager: 'yarn',
    majors: [2, null],
    label: 'yarn 2+',
    tested: ['@yarnpkg/cli-dist@4.18.1'],
    'no-links': {
      commands: ['yarn config set nodeLinker pnp', 'yarn install'],
      bin: 'yarn run BIN',
      note: 'Plug\'n\'Play makes no node_modules at all'
    },
    fusefat: { cannot: `the node-modules linker fails on chmod (ENOSYS), and yarn config set nodeLinker pnp rewrites .yarnrc.yml where ${FUSEFAT_TAIL}: a YAML parse error` }
  }
]

// The volume class of a report whose volume cannot hold links.
function volumeClass (volume) {
  const v = volume || {}
  return v.mountType === 'fuse.fusefat' ? 'fusefat' : 'no-links'
}

// The table row for a detected package manager (detect()), or null when no
// row covers it (an untested major, bun, unknown).
function noLinkRow (pm) {
  if (!pm || !pm.name || pm.major === null || pm.major === undefined) return null
  return NO_LINK_TABLE.find((r) => r.manager === pm.name && pm.major >= r.majors[0] && (r.majors[1] === null || pm.major <= r.majors[1])) || null
}

// What a row says for one volume class: { label, works, commands, bin,
// note, cannot }. commands are exact, to be run in order in the project.
function noLinkEntry (row, vclass) {
  const e = row[vclass] || {}
  return {
    manager: row.manager,
    label: row.label,
    works: !e.cannot,
    commands: e.commands ? [...e.commands] : [],
    bin: e.bin || null,
    note: e.note || null,
    cannot: e.cannot || null
  }
}

// One line of text for an entry: "npm config set ... && npm install; then
// run a dependency's bin with: node node_modules/PACKAGE/BIN-FILE (...)",
// or "cannot install on this volume: why".
function noLinkText (entry) {
  if (!entry.works) return `cannot work on this volume: ${entry.cannot}`
  return `${entry.commands.join(' && ')}; then run a dependency's bin with: ${entry.bin} (${entry.note})`
}

// The package manager this process belongs to: the user agent npm, pnpm
// and yarn give their scripts, else the script Node runs (the hook loads
// inside the package manager itself, which sets no user agent for its own
// process): the package.json above process.argv[1].
const PM_PACKAGES = { npm: 'npm', pnpm: 'pnpm', yarn: 'yarn', '@yarnpkg/cli-dist': 'yarn', '@yarnpkg/cli': 'yarn' }
function current (env = process.env, argv = process.argv) {
  const fromAgent = detect(env.npm_config_user_agent)
  if (fromAgent.name) return fromAgent
  const script = argv && argv[1]
  if (!script) return fromAgent
  const path = require('path')
  const fs = require('fs')
  const base = path.basename(script)
  // A yarn release file: .yarn/releases/yarn-4.18.1.cjs
  const rel = /^yarn-(\d+(?:\.\d+){0,2}\S*?)\.c?js$/.exec(base)
  if (rel) return detect(`yarn/${rel[1]}`)
  let dir = path.dirname(script)
  for (let i = 0; i < 4; i++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
      if (PM_PACKAGES[pkg.name] && pkg.version) return detect(`${PM_PACKAGES[pkg.name]}/${pkg.version}`)
    } catch {}
    const up = path.dirname(dir)
    if (up === dir) break
    dir = up
  }
  return fromAgent
}

module.exports = { detect, hookable, settings, current, volumeClass, noLinkRow, noLinkEntry, noLinkText, NO_LINK_TABLE }
