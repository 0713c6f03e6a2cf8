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

module.exports = { detect, hookable, settings }
