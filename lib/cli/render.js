'use strict'
// The doctor report for people: the checklist with marks and evidence, then
// the remedies for this machine, numbered in order of preference.

const MARKS = {
  pass: { tty: '✓', plain: '[ok]  ', color: 'green' },
  fail: { tty: '✗', plain: '[FAIL]', color: 'red' },
  warn: { tty: '!', plain: '[warn]', color: 'yellow' }
}

function mark (status, paint, unicode) {
  const m = MARKS[status]
  return paint[m.color](unicode ? m.tty : m.plain)
}

function renderReport (report, { paint, unicode }) {
  const lines = []
  const where = report.platform === 'win32'
    ? `Windows, Node ${report.node}`
    : `${report.system && report.system.kernel ? report.system.kernel : report.platform}, Node ${report.node}`
  lines.push(paint.bold(`symlink-doctor ${report.tool.version}`) + paint.dim(` — ${report.dir} (${where})`))
  lines.push('')
  const width = Math.max(...report.checks.map((c) => c.title.length))
  for (const c of report.checks) {
    lines.push(`${mark(c.status, paint, unicode)} ${c.title.padEnd(width)}  ${c.evidence}`)
  }
  lines.push('')
  const nc = report.nativeCore
  if (nc && !nc.loaded) {
    lines.push(paint.bold('Running without the native core, so on this platform:'))
    for (const c of nc.costs) lines.push(`   - ${c}`)
    for (const s of nc.restore) lines.push(`   ${s}`)
    for (const c of nc.commands) lines.push(`     ${paint.cyan(c)}`)
    lines.push('')
  }
  const failed = report.checks.filter((c) => c.status === 'fail').length
  if (report.remedies.length === 0) {
    lines.push(failed === 0 ? paint.green('Nothing to fix: links work here.') : 'No remedy known for this combination; the evidence above is what there is.')
    return lines.join('\n') + '\n'
  }
  lines.push(paint.bold(report.remedies.length === 1 ? 'What to do on this machine:' : 'What to do on this machine, best first:'))
  report.remedies.forEach((r, i) => {
    lines.push('')
    lines.push(`${paint.bold(`${i + 1}.`)} ${paint.bold(r.title)}`)
    for (const s of r.steps) lines.push(`   ${s}`)
    for (const c of r.commands) lines.push(`     ${paint.cyan(c)}`)
  })
  return lines.join('\n') + '\n'
}

module.exports = { renderReport }
