'use strict'
// scan's result for people: one line per broken link, then what --repair did.

const KIND = { symlink: 'dangling symlink', junction: 'dangling junction', 'git-plain-file': 'git plain file' }

function renderScan (result, { paint }) {
  const lines = []
  lines.push(`Scanned ${result.entries} entries (${result.links} links) under ${result.root} in ${Math.round(result.ms)} ms`)
  if (result.broken.length === 0 && (result.staleCopies || []).length === 0) {
    lines.push(paint.green('No broken links.'))
  }
  for (const b of result.broken) {
    const target = b.target !== null ? ` -> ${b.target.trim()}` : ''
    lines.push(`${paint.yellow((KIND[b.kind] || b.kind).padEnd(16))} ${b.path}${target}  (${b.why})`)
    if (b.repair && b.repair.fixed) {
      lines.push(`  ${paint.green('repaired')}: made a ${b.repair.kind}${b.repair.newTarget ? ` -> ${b.repair.newTarget}` : ''}${b.repair.reason ? ` (${b.repair.reason})` : ''}`)
    } else if (b.repair && b.repair.refused) {
      lines.push(`  ${paint.red('refused')}: ${b.repair.why}`)
    } else if (b.repair) {
      lines.push(`  ${paint.red('not fixed')}: ${b.repair.why}`)
    }
  }
  for (const c of result.staleCopies || []) {
    lines.push(`${paint.yellow('stale copy'.padEnd(16))} ${c.path} -> ${c.target}  (${c.why}; copied ${c.madeAt})`)
    if (c.refresh && c.refresh.fixed) lines.push(`  ${paint.green('refreshed')}: made a ${c.refresh.kind} again`)
    else if (c.refresh) lines.push(`  ${paint.red('not refreshed')}: ${c.refresh.why}`)
  }
  if ((result.staleCopies || []).length > 0 && !result.staleCopies.some((c) => c.refresh)) {
    lines.push('run with --repair to make the stale copies again')
  }
  for (const u of result.unreadable) lines.push(`${paint.yellow('unreadable'.padEnd(16))} ${u.path} (${u.code})`)
  if (result.broken.length > 0) {
    const refused = (result.refused || []).length
    const repairedText = result.broken.some((b) => b.repair)
      ? `${result.repaired} repaired, ${result.remaining} left${refused ? `, ${refused} refused` : ''}`
      : 'run with --repair to recreate those whose target can be found'
    lines.push('', `${result.broken.length} broken: ${repairedText}`)
    if (refused) {
      lines.push(`Refused: ${result.refused.map((r) => r.path).join(', ')}. Repairs only link to targets inside the scanned tree (or its git work tree),`,
        'never write through a symlinked directory, and replace a git placeholder only with the symlink git makes.')
    }
  }
  return lines.join('\n') + '\n'
}

module.exports = { renderScan }
